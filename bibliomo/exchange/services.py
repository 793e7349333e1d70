"""The district exchange fund: surplus and shortage with the librarians' corrections, and
the redistribution plan computed from them and stored for the head to edit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.exchange import solver, transfers
from bibliomo.exchange.models import (
    Adjustment,
    ExchangePlan,
    PlanLine,
    Transfer,
    adjusted_surplus,
)
from bibliomo.fund import calc
from bibliomo.fund import services as fund
from bibliomo.lib import bulk, collector, history


@dataclass(frozen=True)
class Row:
    """One school × entry of the exchange fund. ``surplus``/``shortage`` are computed;
    ``offered`` is the surplus after the librarian's correction."""

    school_id: int
    entry_id: int
    usable: int
    need: int
    surplus: int
    shortage: int
    hold_back: int = 0
    offer_extra: int = 0
    comment: str = ""

    @property
    def offered(self) -> int:
        return adjusted_surplus(
            self.usable, self.surplus, self.shortage, self.hold_back, self.offer_extra
        )


def _balances(
    schools: QuerySet, year: int
) -> Iterator[tuple[int, int, int, int, tuple[int, int, str] | None]]:
    """(school, entry, usable, need, correction) of every school × entry with stock or
    need in the academic year ``year``, in no particular order; the correction is (hold
    back, offer extra, comment) or None."""
    adjustments = {
        (school_id, entry_id): (hold_back, offer_extra, comment)
        for school_id, entry_id, hold_back, offer_extra, comment in Adjustment.objects.filter(
            school__in=schools, year_id=year
        ).values_list("school_id", "entry_id", "hold_back", "offer_extra", "comment")
    }
    # fund.stock_and_need's figures, read without a record per row: a region has half a
    # million school × entry rows.
    stock, needed = fund.usable_and_need(schools, year)
    school_ids = stock.keys() | needed.keys()
    # Copies lent for temporary use stay on the giver's balance but count for the taker.
    lent: dict[tuple[int, int], int] = defaultdict(int)
    for giver, taker, entry, copies in transfers.on_loan(list(school_ids)):
        lent[giver, entry] -= copies
        lent[taker, entry] += copies
    empty: dict[int, int] = {}
    for school_id in school_ids:
        have_by_entry = stock.get(school_id, empty)
        want_by_entry = needed.get(school_id, empty)
        for entry_id in have_by_entry.keys() | want_by_entry.keys():
            usable, need = have_by_entry.get(entry_id, 0), want_by_entry.get(entry_id, 0)
            if not (usable or need):
                continue
            key = (school_id, entry_id)
            if lent:
                usable += lent.get(key, 0)
                if usable < 0:
                    usable = 0
            yield school_id, entry_id, usable, need, adjustments.get(key)


def rows(district: District, year: int) -> list[Row]:
    """Every school × entry of the district's active schools with stock or need in the
    academic year ``year`` (its start year), with the corrections for that year; ordered
    by school and entry."""
    schools = School.objects.filter(district=district, is_active=True)
    result = [
        Row(
            school_id,
            entry_id,
            usable,
            need,
            max(0, usable - need),
            max(0, need - usable),
            *(correction or ()),
        )
        for school_id, entry_id, usable, need, correction in _balances(schools, year)
    ]
    result.sort(key=lambda row: (row.school_id, row.entry_id))
    return result


def compute_plan(
    district: District,
    year: int,
    *,
    max_km: float | None = None,
    exclude_schools: Iterable[School] = (),
    exclude_entries: Iterable[Any] = (),
    user: User | None = None,
) -> ExchangePlan:
    """Compute the plan from stored data and store it as a draft proposal."""
    return compute_plans(
        [district],
        year,
        max_km=max_km,
        exclude_schools=exclude_schools,
        exclude_entries=exclude_entries,
        user=user,
    )[0]


def compute_plans(
    districts: Iterable[District],
    year: int,
    *,
    max_km: float | None = None,
    exclude_schools: Iterable[School] = (),
    exclude_entries: Iterable[Any] = (),
    user: User | None = None,
) -> list[ExchangePlan]:
    """One plan per district (each district is a pool of its own), computed from stored
    data and stored as draft proposals. A region's districts are read together and
    stored in one transaction."""
    districts = list(districts)
    exclude_schools, exclude_entries = list(exclude_schools), list(exclude_entries)
    active = School.objects.filter(district__in=districts, is_active=True)
    located: dict[int, dict[int, tuple[float, float]]] = {d.pk: {} for d in districts}
    unlocated: dict[int, int] = defaultdict(int)
    district_of: dict[int, int] = {}
    for pk, district_id, lat, lon in active.values_list("pk", "district_id", "lat", "lon"):
        if lat is None or lon is None:
            unlocated[district_id] += 1
        else:
            located[district_id][pk] = (lat, lon)
            district_of[pk] = district_id
    # Plain (school, entry, surplus, shortage) tuples: as good as solver.Item to the
    # solver, and a region has a quarter of a million of them.
    items: dict[int, list[tuple[int, int, int, int]]] = {d.pk: [] for d in districts}
    with collector.paused():  # the items are all kept: nothing for the collector to find
        for school_id, entry_id, usable, need, correction in _balances(active, year):
            district_id = district_of.get(school_id)
            if district_id is None:
                continue
            shortage = need - usable if need > usable else 0
            if correction is None:
                offered = usable - need if usable > need else 0
            else:
                offered = adjusted_surplus(
                    usable, max(0, usable - need), shortage, correction[0], correction[1]
                )
            if offered or shortage:
                items[district_id].append((school_id, entry_id, offered, shortage))
    options = solver.Options(
        max_km=max_km,
        exclude_schools=frozenset(s.pk for s in exclude_schools),
        exclude_entries=frozenset(e.pk for e in exclude_entries),
    )
    results = [solver.solve(located[d.pk], items[d.pk], options) for d in districts]
    academic_year = AcademicYear.open(year)
    created_by = user if getattr(user, "pk", None) else None
    plans = []
    with transaction.atomic():
        for district, result in zip(districts, results, strict=True):
            missing = unlocated.get(district.pk, 0)
            plan = ExchangePlan(
                district=district,
                year=academic_year,
                max_km=max_km,
                shortage=result.shortage,
                covered=result.covered,
                solver_ms=round(result.seconds * 1000),
                created_by=created_by,
                note=(f"Без координат, не участвуют школ: {missing}." if missing else ""),
            )
            if created_by:
                history.record_by(plan, created_by)
            plan.save()
            if exclude_schools:
                plan.excluded_schools.set(exclude_schools)
            if exclude_entries:
                plan.excluded_entries.set(exclude_entries)
            plans.append(plan)
        # The lines are a computed proposal: the plan's own history records who computed
        # it; each later edit of a line is recorded in the line's history.
        with collector.paused():
            lines = [
                (plan_id, giver, taker, entry, copies, round(km, 1))
                for plan_id, result in zip([p.pk for p in plans], results, strict=True)
                for giver, taker, entry, copies, km, _ in result.lines
            ]
        bulk.insert_rows(PlanLine, ["plan", "giver", "taker", "entry", "copies", "km"], lines)
    return plans


def summary(plan: ExchangePlan) -> dict[str, Any]:
    """The same figures as ``plan_exchange --input`` writes."""
    lines = list(plan.lines.values_list("giver_id", "taker_id", "copies", "km"))
    return {
        "covered": plan.covered,
        "uncovered": plan.uncovered,
        "copy_km": round(sum(c * km for _, _, c, km in lines), 1),
        "shipments": len({(g, t) for g, t, _, _ in lines}),
        "transfers": len(lines),
    }


@dataclass(frozen=True)
class ProvisionChange:
    school_id: int
    before: calc.Provision
    after: calc.Provision


def provision_change(plan: ExchangePlan) -> dict[int, ProvisionChange]:
    """Each school's provision for the plan's year now and once the plan is carried out."""
    moved: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for giver, taker, entry, copies in plan.lines.values_list(
        "giver_id", "taker_id", "entry_id", "copies"
    ):
        moved[giver][entry] -= copies
        moved[taker][entry] += copies
    result = {}
    for school_id, data in fund.school_data(plan.district, plan.year.start_year).items():
        before = calc.provision(calc.provision_pairs(data.rows, data.students, data.usable))
        usable = dict(data.usable)
        for entry, delta in moved.get(school_id, {}).items():
            usable[entry] = usable.get(entry, 0) + delta
        after = calc.provision(calc.provision_pairs(data.rows, data.students, usable))
        result[school_id] = ProvisionChange(school_id, before, after)
    return result


# --- the head edits the plan, then turns it into transfers ------------------------------


def _editable(plan: ExchangePlan) -> None:
    if plan.status != ExchangePlan.Status.DRAFT:
        raise transfers.TransferError("План уже оформлен передачами и не меняется.")


def change_line(line: PlanLine, copies: int, user: User) -> None:
    """Set a line's copies (0 removes it) and keep the plan's total covered."""
    with transaction.atomic():
        plan = ExchangePlan.objects.select_for_update().get(pk=line.plan_id)
        _editable(plan)
        if copies < 0:
            raise transfers.TransferError("Число экземпляров не может быть отрицательным.")
        if getattr(user, "pk", None):
            history.record_by(line, user)
            history.record_by(plan, user)
        if copies == 0:
            line.delete()
        else:
            line.copies = copies
            line.save(update_fields=["copies"])
        plan.covered = sum(plan.lines.values_list("copies", flat=True))
        plan.save(update_fields=["covered"])


def apply_plan(
    plan: ExchangePlan,
    user: User,
    *,
    kind: str = Transfer.Kind.PERMANENT,
    return_date: Any = None,
) -> list[Transfer]:
    """One proposed transfer per giver → taker pair, carrying all its entries; the plan
    is then marked as carried out. All or nothing."""
    with transaction.atomic():
        plan = ExchangePlan.objects.select_for_update().get(pk=plan.pk)
        _editable(plan)
        pairs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for giver, taker, entry, copies in plan.lines.values_list(
            "giver_id", "taker_id", "entry_id", "copies"
        ):
            pairs[giver, taker].append((entry, copies))
        if not pairs:
            raise transfers.TransferError("В плане нет ни одной строки.")
        schools = School.objects.in_bulk({s for pair in pairs for s in pair})
        made = [
            transfers.create(
                schools[giver],
                schools[taker],
                lines,
                user=user,
                origin=Transfer.Origin.PLAN,
                kind=kind,
                return_date=return_date,
                plan=plan,
            )
            for (giver, taker), lines in sorted(pairs.items())
        ]
        plan.status = ExchangePlan.Status.APPLIED
        if getattr(user, "pk", None):
            history.record_by(plan, user)
        plan.save(update_fields=["status"])
    return made
