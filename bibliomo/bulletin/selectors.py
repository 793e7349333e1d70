"""Read-only questions about the bulletin (who gets a newsletter, how it went, the
publications of a year). Pages, the API, ``services`` and ``indicators`` read through
here; nothing here writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bibliomo.accounts.models import Role, User
from bibliomo.bulletin.models import Newsletter, Publication, Unsubscription
from bibliomo.lib import years
from bibliomo.outbox.models import OutgoingMessage


def is_subscribed(user: User) -> bool:
    return not Unsubscription.objects.filter(user=user).exists()


def audience(newsletter: Newsletter) -> QuerySet[User]:
    """Active people of the district with an e-mail, of the chosen role."""
    people = User.objects.filter(district_id=newsletter.district_id, is_active=True).exclude(
        email=""
    )
    if newsletter.audience != Newsletter.Audience.ALL:
        people = people.filter(role=newsletter.audience)
    return people.order_by("last_name", "first_name")


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
