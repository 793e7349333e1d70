"""Read-only questions about textbooks in the pupils' hands, for this app and others
(the fund's pages, the stocktake's count sheet, the district's pages). No names here:
counts only, so any caller may show them to whoever sees the school's fund."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import Q, Sum
from django.utils import timezone

from bibliomo.circulation.models import OUT_OF_SHELF, Loan
from bibliomo.lib import years


def _by_entry(school_id: int, statuses: Iterable[str], entry_ids=None) -> dict[int, int]:
    rows = Loan.objects.filter(school_id=school_id, status__in=list(statuses))
    if entry_ids is not None:
        rows = rows.filter(entry_id__in=list(entry_ids))
    rows = rows.values_list("entry_id").annotate(n=Sum("copies")).order_by()
    return dict(rows)


def issued_by_entry(school_id: int, entry_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Entry id → copies now in pupils', teachers' or classrooms' hands."""
    return _by_entry(school_id, [Loan.Status.ISSUED], entry_ids)


def out_by_entry(school_id: int, entry_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Entry id → copies off the shelf: in hands, or lost and not yet written off."""
    return _by_entry(school_id, OUT_OF_SHELF, entry_ids)


class Counts(NamedTuple):
    issued: int  # copies issued in the year (not counting «не взял»)
    returned: int  # of them returned
    in_hands: int  # still in hands
    debt: int  # still in hands after the return date
    lost: int  # lost (awaiting the act or written off)


def counts_by_school(
    school_ids: Iterable[int], year: int | None = None, today: dt.date | None = None
) -> dict[int, Counts]:
    """Copies issued / returned / in hands / overdue / lost per school in the academic
    year ``year`` (its start year; the current one by default): one query however many
    schools. Schools with no loans are absent."""
    today = today or timezone.localdate()
    if year is None:
        year = years.start_year_for(today)
    S = Loan.Status
    rows = (
        Loan.objects.filter(school_id__in=list(school_ids), year_id=year)
        .exclude(status=S.CANCELLED)
        .values_list("school_id")
        .annotate(
            issued=Sum("copies"),
            returned=Sum("copies", filter=Q(status=S.RETURNED)),
            in_hands=Sum("copies", filter=Q(status=S.ISSUED)),
            debt=Sum("copies", filter=Q(status=S.ISSUED, due_on__lt=today)),
            lost=Sum("copies", filter=Q(status__in=[S.LOST, S.SETTLED])),
        )
        .order_by()
    )
    return {school_id: Counts(*(n or 0 for n in numbers)) for school_id, *numbers in rows}
