"""Where the bulletin reports to the work plan's execution.

- Publications: the count of the members' publications for the academic year is the
  indicator of the plan items measured by «количество публикаций» (in the founding plan:
  «Знакомство с работой библиотек… — Количество публикаций на сайтах»). There is one
  execution record per item, kept up to date whenever a publication is added, changed or
  removed; its source is the district, since it sums the whole district's publications.
- The other items are linked by the head's explicit choice in the plan editor
  (``PlanItem.fed_by``), never by their wording:
  - ``informing``: news about a webinar or a competition, and a newsletter linking such
    news (in the founding plan «Информирование о проведении краевых вебинаров…»; the
    number of participants is filled from the news when known). One record per news item
    and per newsletter;
  - ``documents``: a newsletter linking official documents («Информирование об
    официальных документах…»);
  - ``partnership``: a joint event with a partner («Социальное партнерство…», with its
    number of participants).

``record_execution`` is idempotent per item and source, so calling these again updates
the records instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.bulletin import selectors
from bibliomo.bulletin.models import JointEvent, News, Newsletter, Publication
from bibliomo.directory.models import District
from bibliomo.lib import years
from bibliomo.plans.models import ExecutionStatus, PlanItem, PlanItemExecution
from bibliomo.plans.services import find_items, record_execution

INFORMING_KINDS = (News.Kind.WEBINAR, News.Kind.COMPETITION)


def _items_fed_by(district_id: int, day: dt.date, kind: str) -> QuerySet[PlanItem]:
    """The items of the year's plan that the head linked to this kind of record."""
    return find_items(district_id, day).filter(fed_by=kind)


def publication_changed(
    publication: Publication, user: User | None = None, *, old_date=None
) -> None:
    """Recount the publications of the year (and of the former year, if the date moved)."""
    days = {publication.date} | ({old_date} if old_date else set())
    for start in {years.start_year_for(day) for day in days}:
        update_publication_count(publication.district_id, start, user)


def update_publication_count(district_id: int, start_year: int, user: User | None = None) -> None:
    items = list(find_items(district_id, start_year, PlanItem.Indicator.PUBLICATIONS))
    if not items:
        return
    stats = selectors.publication_stats(district_id, start_year)
    latest = (
        selectors.publications_of_year(district_id, start_year)
        .order_by("-date")
        .values_list("date", flat=True)
    ).first()
    first, last = years.bounds(start_year)
    day = latest or min(max(timezone.localdate(), first), last)
    by_venue = "; ".join(f"{venue} — {n}" for venue, n in stats.by_venue)
    note = f"Публикаций участников за {years.label(start_year, 'acc')}: {stats.total}"
    if by_venue:
        note += f" ({by_venue})"
    district = District.objects.get(pk=district_id)
    for item in items:
        record_execution(
            item,
            date=day,
            status=ExecutionStatus.DONE if stats.total else ExecutionStatus.IN_PROGRESS,
            note=note[:2000],
            indicator_value=stats.total,
            source=district,
            user=user,
        )


def news_saved(news: News, user: User | None = None) -> None:
    if news.kind not in INFORMING_KINDS:
        return
    day = timezone.localdate(news.published_at)
    for item in _items_fed_by(news.district_id, day, PlanItem.FedBy.INFORMING):
        record_execution(
            item,
            date=day,
            status=ExecutionStatus.DONE,
            note=f"{news.get_kind_display()}: {news.title}",
            indicator_value=news.participants,
            evidence_url=settings.SITE_URL + news.get_absolute_url(),
            source=news,
            user=user,
        )


def newsletter_sent(newsletter: Newsletter, recipients: int, user: User | None = None) -> None:
    if newsletter.sent_at is None:
        return
    day = timezone.localdate(newsletter.sent_at)
    evidence = settings.SITE_URL + newsletter.get_absolute_url()
    documents = list(newsletter.documents.all())
    if documents:
        listed = "; ".join(d.reference for d in documents)
        for item in _items_fed_by(newsletter.district_id, day, PlanItem.FedBy.DOCUMENTS):
            record_execution(
                item,
                date=day,
                status=ExecutionStatus.DONE,
                note=f"Электронная рассылка «{newsletter.subject}» (писем — {recipients}): "
                f"{listed}"[:2000],
                evidence_url=evidence,
                source=newsletter,
                user=user,
            )
    about = [n for n in newsletter.news.all() if n.kind in INFORMING_KINDS]
    if not about:
        return
    known = [n.participants for n in about if n.participants is not None]
    for item in _items_fed_by(newsletter.district_id, day, PlanItem.FedBy.INFORMING):
        record_execution(
            item,
            date=day,
            status=ExecutionStatus.DONE,
            note=f"Электронная рассылка «{newsletter.subject}»: писем — {recipients}",
            indicator_value=sum(known) if known else None,
            evidence_url=evidence,
            source=newsletter,
            user=user,
        )


def forget(source: Any) -> None:
    """A deleted news item or joint event is no longer evidence of execution."""
    from django.contrib.contenttypes.models import ContentType

    PlanItemExecution.objects.filter(
        source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    ).delete()


def joint_event_saved(event: JointEvent, user: User | None = None) -> None:
    partner = event.partner
    for item in _items_fed_by(partner.district_id, event.date, PlanItem.FedBy.PARTNERSHIP):
        record_execution(
            item,
            date=event.date,
            status=ExecutionStatus.DONE,
            note=f"{event.title} — совместно с «{partner.name}»"
            + (f", {event.school.short_name}" if event.school_id else ""),
            indicator_value=event.participants,
            source=event,
            user=user,
        )
