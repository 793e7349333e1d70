"""The district exchange fund: surplus and shortage with the librarians' corrections, and
the redistribution plan computed from them and stored for the head to edit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

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
from bibliomo.lib import bulk


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


def rows(district: District, year: int) -> list[Row]:
    """Every school × entry of the district's active schools with stock or need in the
    academic year ``year`` (its start year), with the corrections for that year."""
    adjustments = {
        (a.school_id, a.entry_id): a
        for a in Adjustment.objects.filter(school__district=district, year_id=year).only(
            "school_id", "entry_id", "hold_back", "offer_extra", "comment"
        )
    }
    computed = fund.stock_and_need(district, year)
    # Copies lent for temporary use stay on the giver's balance but count for the taker.
    lent: dict[tuple[int, int], int] = defaultdict(int)
    for giver, taker, entry, copies in transfers.on_loan({s.school_id for s in computed}):
        lent[giver, entry] -= copies
        lent[taker, entry] += copies
    result = []
    for s in computed:
        a = adjustments.get((s.school_id, s.entry_id))
        usable = max(0, s.usable + lent.get((s.school_id, s.entry_id), 0))
        result.append(
            Row(
                s.school_id,
                s.entry_id,
                usable,
                s.need,
                max(0, usable - s.need),
                max(0, s.need - usable),
                a.hold_back if a else 0,
                a.offer_extra if a else 0,
                a.comment if a else "",
            )
        )
    return result


def compute_plan(
    district: District,
    year: int,
    *,
    max_km: float | None = None,
    exclude_schools: Iterable[School] = (),
    exclude_entries: Iterable[Any] = (),
    user: Any = None,
) -> ExchangePlan:
    """Compute the plan from stored data and store it as a draft proposal."""
    exclude_schools, exclude_entries = list(exclude_schools), list(exclude_entries)
    schools = {
        pk: (lat, lon)
        for pk, lat, lon in School.objects.filter(
            district=district, is_active=True, lat__isnull=False, lon__isnull=False
        ).values_list("pk", "lat", "lon")
    }
    items = [
        solver.Item(r.school_id, r.entry_id, r.offered, r.shortage)
        for r in rows(district, year)
        if r.school_id in schools and (r.offered or r.shortage)
    ]
    options = solver.Options(
        max_km=max_km,
        exclude_schools=frozenset(s.pk for s in exclude_schools),
        exclude_entries=frozenset(e.pk for e in exclude_entries),
    )
    result = solver.solve(schools, items, options)
    missing = School.objects.filter(district=district, is_active=True).count() - len(schools)
    with transaction.atomic():
        plan = ExchangePlan(
            district=district,
            year=AcademicYear.get(year),
            max_km=max_km,
            shortage=result.shortage,
            covered=result.covered,
            solver_ms=round(result.seconds * 1000),
            created_by=user if getattr(user, "pk", None) else None,
            note=(f"Без координат, не участвуют школ: {missing}." if missing else ""),
        )
        if plan.created_by:
            plan._history_user = plan.created_by
        plan.save()
        plan.excluded_schools.set(exclude_schools)
        plan.excluded_entries.set(exclude_entries)
        # The lines are a computed proposal: the plan's own history records who computed
        # it; each later edit of a line is recorded in the line's history.
        bulk.insert_rows(
            PlanLine,
            ["plan", "giver", "taker", "entry", "copies", "km"],
            (
                (plan.pk, line.giver, line.taker, line.entry, line.copies, round(line.km, 1))
                for line in result.lines
            ),
        )
    return plan


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


def change_line(line: PlanLine, copies: int, user: Any) -> None:
    """Set a line's copies (0 removes it) and keep the plan's total covered."""
    with transaction.atomic():
        plan = ExchangePlan.objects.select_for_update().get(pk=line.plan_id)
        _editable(plan)
        if copies < 0:
            raise transfers.TransferError("Число экземпляров не может быть отрицательным.")
        if getattr(user, "pk", None):
            line._history_user = plan._history_user = user
        if copies == 0:
            line.delete()
        else:
            line.copies = copies
            line.save(update_fields=["copies"])
        plan.covered = sum(plan.lines.values_list("copies", flat=True))
        plan.save(update_fields=["covered"])


def apply_plan(
    plan: ExchangePlan,
    user: Any,
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
            plan._history_user = user
        plan.save(update_fields=["status"])
    return made
