"""RSS and Atom feeds of a district's public news: feed readers do not log in, so only
news marked for the feed is in it, and attachments stay behind the login."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from bibliomo.bulletin.models import News
from bibliomo.directory.models import District
from bibliomo.lib.text import strip_control


class NewsFeed(Feed):
    def get_object(self, request, district_id: int) -> District:
        return get_object_or_404(District, pk=district_id)

    def title(self, district: District) -> str:
        return f"Новости ММО — {district.name}"

    def link(self, district: District) -> str:
        return reverse("news_list")

    def description(self, district: District) -> str:
        return f"Новости и объявления: {district.association_name}"

    def items(self, district: District):
        return News.objects.filter(district=district, is_public=True)[:30]

    def item_title(self, item: News) -> str:
        kind = item.get_kind_display()
        title = item.title
        # «Вебинар АКИПКРО…», not «Вебинар: Вебинар АКИПКРО…»
        if not title.lower().startswith(kind.lower()):
            title = f"{kind}: {title}"
        # Rows saved before control characters were stripped on save, too.
        return strip_control(title, multiline=False)

    def item_description(self, item: News) -> str:
        return strip_control(item.body)  # sanitised on save

    def item_link(self, item: News) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: News):
        return item.published_at

    def item_categories(self, item: News):
        return [item.get_kind_display()]


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed

    def subtitle(self, district: District) -> str:
        return self.description(district)
