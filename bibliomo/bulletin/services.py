"""Operations of the bulletin that span models or send mail: newsletters and their
unsubscribe links, the counts of publications for the year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.bulletin.models import Delivery, Newsletter, Publication, Unsubscription
from bibliomo.lib import richtext, years
from bibliomo.outbox.models import OutgoingMessage
from bibliomo.outbox.services import queue_mail

_SALT = "bibliomo.bulletin.unsubscribe"


# --- unsubscribe tokens ------------------------------------------------------------------


def unsubscribe_token(user: User, newsletter: Newsletter | None = None) -> str:
    """A signed token naming one person: the link works without a login and cannot be
    altered to unsubscribe anybody else."""
    return signing.dumps({"u": user.pk, "n": newsletter.pk if newsletter else None}, salt=_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int | None] | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], data.get("n")


def unsubscribe_url(user: User, newsletter: Newsletter | None = None) -> str:
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user, newsletter)])


def is_subscribed(user: User) -> bool:
    return not Unsubscription.objects.filter(user=user).exists()


@transaction.atomic
def unsubscribe(user: User, newsletter_id: int | None = None) -> bool:
    """Returns False when the person had already unsubscribed."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first() if newsletter_id else None
    _, created = Unsubscription.objects.get_or_create(
        user=user, defaults={"newsletter": newsletter}
    )
    if created and newsletter is not None:
        Delivery.objects.filter(newsletter=newsletter, user=user).update(
            unsubscribed_at=timezone.now()
        )
    return created


def resubscribe(user: User) -> None:
    Unsubscription.objects.filter(user=user).delete()


# --- newsletters -----------------------------------------------------------------------


def audience(newsletter: Newsletter) -> QuerySet[User]:
    """Active people of the district with an e-mail, of the chosen role."""
    people = User.objects.filter(district_id=newsletter.district_id, is_active=True).exclude(
        email=""
    )
    if newsletter.audience != Newsletter.Audience.ALL:
        people = people.filter(role=newsletter.audience)
    return people.order_by("last_name", "first_name")


def render_letter(newsletter: Newsletter, user: User | None) -> tuple[str, str]:
    """(plain text, HTML) of the letter as this person receives it."""
    context = {
        "newsletter": newsletter,
        "body_text": richtext.to_plain(newsletter.body),
        "news": list(newsletter.news.all()),
        "documents": list(newsletter.documents.all()),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(user, newsletter) if user else "#",
        "recipient": user,
    }
    return (
        render_to_string("bulletin/newsletter_email.txt", context),
        render_to_string("bulletin/newsletter_email.html", context),
    )


@dataclass(frozen=True)
class SendResult:
    queued: int
    skipped: int


@transaction.atomic
def send_newsletter(newsletter: Newsletter, user: User | None = None) -> SendResult:
    """Queue one letter per recipient, each with its own unsubscribe link
    (RFC 2369 List-Unsubscribe and RFC 8058 one-click). Sending twice does nothing."""
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if locked.sent_at is not None:
        return SendResult(0, 0)
    people = list(audience(locked))
    unsubscribed = set(
        Unsubscription.objects.filter(user__in=people).values_list("user_id", flat=True)
    )
    queued = 0
    for person in people:
        if person.pk in unsubscribed:
            continue
        text, html = render_letter(locked, person)
        link = unsubscribe_url(person, locked)
        delivery = Delivery.objects.create(newsletter=locked, user=person)
        delivery.message = queue_mail(
            person.email,
            locked.subject,
            text,
            html=html,
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<district-{locked.district_id}.{_list_host()}>",
            },
        )
        delivery.save(update_fields=["message"])
        queued += 1
    locked.sent_at = timezone.now()
    locked.skipped = len(unsubscribed)
    locked.save(update_fields=["sent_at", "skipped"])
    newsletter.sent_at, newsletter.skipped = locked.sent_at, locked.skipped
    from bibliomo.bulletin import indicators

    indicators.newsletter_sent(locked, queued, user)
    return SendResult(queued, len(unsubscribed))


def _list_host() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "bibliomo.local"


def delivery_counts(newsletter: Newsletter) -> dict[str, int]:
    """Sent, failed, waiting and unsubscribed letters of a newsletter, in one query."""
    Status = OutgoingMessage.Status
    counts = newsletter.deliveries.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(message__status=Status.SENT)),
        failed=Count("pk", filter=Q(message__status=Status.FAILED)),
        queued=Count("pk", filter=Q(message__status=Status.QUEUED)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    counts["skipped"] = newsletter.skipped
    return counts


# --- publications ----------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationStats:
    start_year: int
    total: int
    by_author: list[tuple[User, int]]
    by_venue: list[tuple[str, int]]


def publications_of_year(district_id: int, start_year: int) -> QuerySet[Publication]:
    first, last = years.bounds(start_year)
    return Publication.objects.filter(district_id=district_id, date__range=(first, last))


def publication_stats(district_id: int, start_year: int) -> PublicationStats:
    """Counts per member and per venue for the academic year (the plan's indicator
    «количество публикаций на сайтах»)."""
    rows = list(
        publications_of_year(district_id, start_year)
        .values("author_id", "venue")
        .annotate(n=Count("pk"))
    )
    per_author: Counter[int] = Counter()
    per_venue: Counter[str] = Counter()
    for row in rows:
        per_author[row["author_id"]] += row["n"]
        per_venue[row["venue"]] += row["n"]
    authors = User.objects.in_bulk(list(per_author))
    by_author = sorted(
        ((authors[pk], n) for pk, n in per_author.items()),
        key=lambda item: (-item[1], item[0].last_name, item[0].first_name),
    )
    by_venue = sorted(per_venue.items(), key=lambda item: (-item[1], item[0]))
    return PublicationStats(start_year, sum(per_author.values()), by_author, by_venue)


def members_for_filter(district_id: int) -> QuerySet[User]:
    return User.objects.filter(
        district_id=district_id, is_active=True, role__in=(Role.LIBRARIAN, Role.HEAD)
    )
