"""Opening a campaign and pre-filling every school's order from the fund and the exchange.

Need and usable stock always come from :func:`bibliomo.fund.services.school_data` (the
fund's own rules); the line rules are in :mod:`bibliomo.orders.calc`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.exchange.models import Transfer, TransferLine
from bibliomo.fund import calc as fund_calc
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Enrolment, Stock
from bibliomo.fund.models import Reason as WriteOffReason
from bibliomo.lib import bulk, history, years
from bibliomo.orders import calc
from bibliomo.orders.models import (
    OrderCampaign,
    OrderLine,
    PriceItem,
    SchoolOrder,
)
from bibliomo.orders.services.common import _check_editable, _set_user, _touch
from bibliomo.textbooks.models import Curriculum, FederalListEntry

Key = tuple[int, int]  # (school id, entry id)


# --- the exchange --------------------------------------------------------------------


def exchange_flows(
    school_ids: Iterable[int], target_year: int
) -> tuple[dict[Key, int], dict[Key, int]]:
    """Copies moving between schools through the exchange fund that the orders for
    ``target_year`` must count: (incoming, promised), keyed by (school id, entry id).

    - agreed or shipped transfers: incoming at the taker, promised by the giver — the
      ledger does not show them yet;
    - received *temporary* transfers still due back no earlier than the target year
      begins: incoming at the taker, promised by the giver (the books stay on the giver's
      balance, see ``bibliomo.exchange.transfers``);
    - received *permanent* transfers are already posted (written off at the giver,
      received at the taker), so the usable stock shows them and they are not counted
      again.
    """
    ids = list(school_ids)
    status = Transfer.Status
    start = years.bounds(target_year)[0]
    moving = Q(transfer__status__in=[status.AGREED, status.SHIPPED]) | Q(
        transfer__status=status.RECEIVED,
        transfer__kind=Transfer.Kind.TEMPORARY,
        transfer__return_date__gte=start,
    )
    rows = (
        TransferLine.objects.filter(moving)
        .filter(Q(transfer__giver_id__in=ids) | Q(transfer__taker_id__in=ids))
        .values_list(
            "transfer__giver_id",
            "transfer__taker_id",
            "transfer__status",
            "entry_id",
            "copies",
            "received",
        )
    )
    incoming: dict[Key, int] = defaultdict(int)
    promised: dict[Key, int] = defaultdict(int)
    wanted = set(ids)
    for giver, taker, state, entry_id, copies, received in rows.iterator(chunk_size=10000):
        n = received if state == status.RECEIVED and received is not None else copies
        if taker in wanted:
            incoming[(taker, entry_id)] += n
        if giver in wanted:
            promised[(giver, entry_id)] += n
    return dict(incoming), dict(promised)


# --- pre-filling the orders ------------------------------------------------------------


@dataclass
class _Facts:
    """Everything besides need and stock that a line's reason needs, for many schools."""

    students_now: dict[int, dict[int, int]] = field(default_factory=dict)
    previous: dict[int, dict[tuple[int, str], set[int]]] = field(default_factory=dict)
    expired: dict[Key, int] = field(default_factory=dict)
    lost: dict[Key, int] = field(default_factory=dict)
    defective: dict[Key, int] = field(default_factory=dict)
    use_until: dict[int, dt.date | None] = field(default_factory=dict)


def _facts(
    school_ids: Any,
    year: int,
    data: Mapping[int, fund.SchoolData],
    lessons_end: tuple[int, int] = years.LESSONS_END,
) -> _Facts:
    """Reason facts for the target year ``year`` in seven queries, however many schools."""
    facts = _Facts()
    end = fund_calc.year_end(year, lessons_end)
    for school_id, grade, students in (
        Enrolment.objects.filter(school_id__in=school_ids, year_id=year - 1)
        .values_list("school_id", "grade", "students")
        .iterator(chunk_size=10000)
    ):
        facts.students_now.setdefault(school_id, {})[grade] = students
    # A textbook can only have been replaced where the school has made a new curriculum
    # for the target year; elsewhere the current one simply carries on.
    renewed = [s for s, d in data.items() if d.curriculum_year == year]
    old_entries: set[int] = set()
    for school_id, grade, subject, entry_id in (
        Curriculum.objects.filter(school_id__in=renewed, year_id=year - 1)
        .values_list("school_id", "grade", "subject", "entry_id")
        .iterator(chunk_size=10000)
    ):
        facts.previous.setdefault(school_id, {}).setdefault((grade, subject), set()).add(entry_id)
        old_entries.add(entry_id)
    facts.use_until = dict(
        FederalListEntry.objects.filter(pk__in=old_entries, use_until__isnull=False).values_list(
            "pk", "use_until"
        )
    )
    # Few entries expire in a given year: naming them lets the batch index do the work.
    expiring = list(FederalListEntry.objects.filter(use_until__lt=end).values_list("pk", flat=True))
    expired = (
        Stock.objects.filter(school_id__in=school_ids, entry_id__in=expiring, copies__gt=0)
        .values_list("school_id", "entry_id", "copies")
        .order_by()
    )
    for school_id, entry_id, n in expired.iterator(chunk_size=10000):
        facts.expired[(school_id, entry_id)] = n
    start, finish = years.bounds(year - 1)
    written_off = (
        DocumentLine.objects.filter(
            document__school_id__in=school_ids,
            document__kind=Document.Kind.WRITEOFF,
            document__status=Document.Status.POSTED,
            document__reason__in=[WriteOffReason.LOST, WriteOffReason.DEFECTIVE],
            document__date__range=(start, finish),
        )
        .values_list("document__school_id", "entry_id", "document__reason")
        .annotate(n=Sum("copies"))
        .order_by()
    )
    for school_id, entry_id, reason, n in written_off:
        target = facts.lost if reason == WriteOffReason.LOST else facts.defective
        target[(school_id, entry_id)] = n
    return facts


def price_map(district_id: int, entry_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """The price of each entry: the district's latest price list, else the Federal list's."""
    entries = FederalListEntry.objects.filter(price__isnull=False)
    items = PriceItem.objects.filter(price_list__district_id=district_id)
    if entry_ids is not None:
        ids = list(entry_ids)
        entries = entries.filter(pk__in=ids)
        items = items.filter(entry_id__in=ids)
    prices = dict(entries.values_list("pk", "price"))
    # Older lists first, so the newest price wins.
    for entry_id, price in items.order_by("price_list__imported_at", "price_list_id").values_list(
        "entry_id", "price"
    ):
        prices[entry_id] = price
    return prices


# The computed fields of a line, in the order they are inserted.
LINE_FIELDS = (
    "entry_id", "grades", "students", "copies_per_student", "need", "reserve", "usable",
    "incoming", "promised", "computed", "quantity", "reason", "price",
)  # fmt: skip


def _line_rows(campaign: OrderCampaign, school_ids: Any) -> Iterator[tuple[int, tuple]]:
    """(school id, the line's values in ``LINE_FIELDS`` order) for every curriculum entry
    of the target year, schools and entries in order. Tuples, not dicts or model
    instances: a region's campaign makes ~100,000 lines and their building is what costs."""
    year = campaign.target_year_id
    lessons_end = campaign.district.lessons_end
    data = fund.school_data(school_ids, year, lessons_end)
    facts = _facts(school_ids, year, data, lessons_end)
    incoming, promised = exchange_flows(list(data), year)
    end = fund_calc.year_end(year, lessons_end)
    # The whole price list: naming the region's ~1,500 entries costs more than reading all.
    prices = price_map(campaign.district_id)
    use_until = facts.use_until
    for school_id, d in data.items():
        students = d.students
        needed = fund_calc.need(d.rows, students)
        by_entry: dict[int, list[fund_calc.CurriculumRow]] = defaultdict(list)
        for row in d.rows:
            by_entry[row.entry_id].append(row)
        previous = facts.previous.get(school_id, {})
        now = facts.students_now.get(school_id, {})
        for entry_id, rows in sorted(by_entry.items()):
            grades = sorted({r.grade for r in rows})
            key = (school_id, entry_id)
            need = needed.get(entry_id, 0)
            # The campaign's reserve is added once on the district's total of the entry
            # (consolidation), not rounded up at every school.
            reserve = 0
            usable = d.usable.get(entry_id, 0)
            inc, prom = incoming.get(key, 0), promised.get(key, 0)
            qty = calc.quantity(need, reserve, usable, inc, prom)
            forecast = sum(students.get(g, 0) for g in grades)
            reason = ""
            if qty > 0:  # nothing ordered has no reason (calc.derive_reason)
                replaced: set[int] = set()
                if previous:
                    for r in rows:
                        old = previous.get((r.grade, r.subject))
                        if old and entry_id not in old:
                            replaced |= old
                expiring = {e for e in replaced if (u := use_until.get(e)) and u < end}
                reason = calc.derive_reason(
                    qty,
                    calc.ReasonFacts(
                        students_now=sum(now.get(g, 0) for g in grades),
                        students_forecast=forecast,
                        expired_copies=facts.expired.get(key, 0),
                        replaces_expired=bool(expiring),
                        replaces_other=bool(replaced - expiring),
                        lost=facts.lost.get(key, 0),
                        defective=facts.defective.get(key, 0),
                    ),
                )
            yield (
                school_id,
                (
                    entry_id,
                    ", ".join(map(str, grades)),
                    forecast,
                    max(r.copies_per_student for r in rows),
                    need,
                    reserve,
                    usable,
                    inc,
                    prom,
                    qty,
                    qty,
                    reason,
                    prices.get(entry_id),
                ),
            )


def compute_lines(campaign: OrderCampaign, school_ids: Any) -> dict[int, list[dict[str, Any]]]:
    """The computed lines per school (field → value, see ``LINE_FIELDS``), one per
    curriculum entry of the target year."""
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for school_id, values in _line_rows(campaign, school_ids):
        result[school_id].append(dict(zip(LINE_FIELDS, values, strict=True)))
    return dict(result)


def open_campaign(
    district: District,
    target_year: int,
    deadline: dt.date,
    *,
    reserve_percent: Decimal | int = 0,
    note: str = "",
    user: User | None = None,
) -> OrderCampaign:
    """Open the campaign and pre-fill the order of every active school of the district."""
    with transaction.atomic():
        AcademicYear.open(target_year)
        campaign = OrderCampaign(
            district=district,
            target_year_id=target_year,
            deadline=deadline,
            reserve_percent=Decimal(reserve_percent),
            note=note,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if campaign.created_by:
            history.record_by(campaign, campaign.created_by)
        # The model's bounds (reserve 0–50 %, …): nothing stored can break the list.
        campaign.full_clean(exclude=["created_by", "district", "target_year"])
        campaign.save()
        prefill(campaign)
    return campaign


# A region's campaign makes ~100,000 computed lines; they are inserted without a model
# instance each. (History records people's changes; computed figures are reproducible.)
_INSERTED_LINE_FIELDS = ["order_id", *LINE_FIELDS, "note", "price_typed", "is_manual"]


def prefill(campaign: OrderCampaign, schools: Any = None) -> int:
    """Create the orders (for the district's active schools, or ``schools``) that the
    campaign lacks, with their computed lines; returns the number of lines."""
    if schools is None:
        schools = School.objects.filter(district_id=campaign.district_id, is_active=True)
    school_ids = list(schools.values_list("pk", flat=True))
    existing = set(campaign.orders.values_list("school_id", flat=True))
    new_ids = [s for s in school_ids if s not in existing]
    SchoolOrder.objects.bulk_create(SchoolOrder(campaign=campaign, school_id=s) for s in new_ids)
    orders = dict(campaign.orders.filter(school_id__in=new_ids).values_list("school_id", "pk"))
    rows = [
        (orders[school_id], *values, "", False, False)
        for school_id, values in _line_rows(campaign, new_ids)
    ]
    bulk.insert_rows(OrderLine, _INSERTED_LINE_FIELDS, rows)
    return len(rows)


def recompute(order: SchoolOrder, user: User | None = None) -> None:
    """Refresh the computed figures from today's data; keep the librarian's changed
    quantities and manually added entries."""
    _check_editable(order)
    fresh = {
        ln["entry_id"]: OrderLine(**ln)
        for ln in compute_lines(order.campaign, [order.school_id]).get(order.school_id, [])
    }
    with transaction.atomic():
        for line in order.lines.all():
            new = fresh.pop(line.entry_id, None)
            if new is None:
                if not line.is_manual and not line.is_changed:
                    line.delete()
                continue
            kept = line.is_changed
            for name in (
                "grades",
                "students",
                "copies_per_student",
                "need",
                "reserve",
                "usable",
                "incoming",
                "promised",
                "computed",
            ):
                setattr(line, name, getattr(new, name))
            if not kept:
                line.quantity, line.reason = new.quantity, new.reason
            _set_user(line, user)
            line.save()
        for new in fresh.values():
            new.order = order
            _set_user(new, user)
            new.save()
        _touch(order, user)
