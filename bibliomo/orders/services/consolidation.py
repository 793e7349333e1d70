"""The district's consolidated order: by publisher and entry, with each school's copies
and the district's reserve.

The campaign's reserve % is added once per entry on the copies the schools order in all
(«Школам»), rounded up once (``calc.reserve_copies``): 2 % of 301 is 7 copies, while
rounding up at each of a dozen schools would add a dozen. The monitoring forms report
the schools' real shortfall and never include it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bibliomo.directory.models import School
from bibliomo.lib import tables
from bibliomo.orders import calc
from bibliomo.orders.models import (
    OrderCampaign,
    OrderLine,
    SchoolOrder,
)
from bibliomo.textbooks.models import FederalListEntry

# --- the consolidated order ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConsolidatedEntry:
    """What the consolidated order shows of a Federal list entry. Not the model: a
    region's consolidation reads ~55,000 entries, and building a model instance for
    each was a third of its time."""

    pk: int
    number: str
    title: str
    authors: str
    grades: str
    publisher: str
    key: str


@dataclass
class ConsolidatedRow:
    entry: ConsolidatedEntry
    price: Decimal | None
    per_school: dict[int, int]
    reserve: int = 0  # the district's reserve of this entry

    @property
    def for_schools(self) -> int:
        return sum(self.per_school.values())

    @property
    def quantity(self) -> int:
        """Всего: the schools' copies and the reserve."""
        return self.for_schools + self.reserve

    @property
    def total(self) -> Decimal | None:
        return None if self.price is None else self.price * self.quantity


@dataclass
class Consolidated:
    schools: list[School]
    publishers: list[tuple[str, list[ConsolidatedRow]]]

    @property
    def total(self) -> Decimal:
        return sum((r.total or Decimal(0) for _, rows in self.publishers for r in rows), Decimal(0))

    @property
    def quantity(self) -> int:
        return sum(r.quantity for _, rows in self.publishers for r in rows)

    @property
    def for_schools(self) -> int:
        return sum(r.for_schools for _, rows in self.publishers for r in rows)

    @property
    def reserve(self) -> int:
        return sum(r.reserve for _, rows in self.publishers for r in rows)


COUNTED = [SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED]


def consolidated(campaign: OrderCampaign, statuses: Iterable[str] = COUNTED) -> Consolidated:
    """Сводный заказ: by publisher and entry, copies per school, in four short queries.

    Every query names its rows by id lists that are already in memory (a district's
    dozen orders, then the entries found on their lines): a join or subquery here lets
    the planner pick a nested loop from stale or empty-table statistics, which on
    PostgreSQL took more than 30 s per district; id lists keep the plan an index scan.
    """
    school_of = dict(
        SchoolOrder.objects.filter(campaign=campaign, status__in=list(statuses)).values_list(
            "pk", "school_id"
        )
    )
    lines = (
        OrderLine.objects.filter(order_id__in=list(school_of), quantity__gt=0)
        .values_list("entry_id", "order_id", "quantity", "price")
        .order_by()
    )
    per_entry: dict[int, dict[int, int]] = defaultdict(dict)
    prices: dict[int, Decimal | None] = {}
    school_ids: set[int] = set()
    for entry_id, order_id, qty, price in lines.iterator(chunk_size=20000):
        school_id = school_of[order_id]
        per_entry[entry_id][school_id] = qty
        school_ids.add(school_id)
        if price is not None:
            prices[entry_id] = price
    wanted = FederalListEntry.objects.filter(pk__in=list(per_entry)).values_list(
        "pk", "number", "title", "authors", "grades", "publisher", "key"
    )
    entries = {row[0]: ConsolidatedEntry(*row) for row in wanted.order_by()}
    schools = list(School.objects.filter(pk__in=school_ids).order_by("short_name"))
    percent = float(campaign.reserve_percent)
    by_publisher: dict[str, list[ConsolidatedRow]] = defaultdict(list)
    for entry_id, per_school in per_entry.items():
        entry = entries[entry_id]
        reserve = calc.reserve_copies(sum(per_school.values()), percent)
        by_publisher[entry.publisher or "издатель не указан"].append(
            ConsolidatedRow(entry, prices.get(entry_id), per_school, reserve)
        )
    publishers = [
        (name, sorted(rows, key=lambda r: r.entry.key))
        for name, rows in sorted(by_publisher.items())
    ]
    return Consolidated(schools, publishers)


RESERVE_LABEL = "Резерв района"


def percent_label(value: Decimal) -> str:
    """2.0 → «2», 2.5 → «2,5»: the reserve % as people write it."""
    return f"{value.normalize():f}".replace(".", ",")


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


def consolidated_sheets(campaign: OrderCampaign) -> list[tables.Sheet]:
    data = consolidated(campaign)
    names = [s.short_name for s in data.schools]
    header = [
        "Издатель",
        "Порядковый номер",
        "Учебник",
        "Авторы",
        "Класс",
        *names,
        "Школам, экз.",
        "Резерв, экз.",
        "Всего, экз.",
        "Цена, руб.",
        "Сумма, руб.",
    ]
    # ~2.4 million cells for a region: each row's sums and prices once, schools by id.
    school_ids = [s.pk for s in data.schools]
    rows: list[list[Any]] = []
    by_school: list[list[Any]] = []
    reserves: list[list[Any]] = []
    all_schools, all_reserve, total = 0, 0, Decimal(0)
    for publisher, items in data.publishers:
        for r in items:
            entry, per_school = r.entry, r.per_school
            for_schools = sum(per_school.values())
            quantity = for_schools + r.reserve
            price = money(r.price)
            all_schools += for_schools
            all_reserve += r.reserve
            if r.price is not None:
                total += r.price * quantity
            rows.append(
                [
                    publisher,
                    entry.number,
                    entry.title,
                    entry.authors,
                    entry.grades,
                    *[per_school.get(pk) or None for pk in school_ids],
                    for_schools,
                    r.reserve or None,
                    quantity,
                    price,
                    money(None if r.price is None else r.price * quantity),
                ]
            )
            for name, pk in zip(names, school_ids, strict=True):
                if pk in per_school:
                    copies = per_school[pk]
                    by_school.append(
                        [
                            name,
                            entry.number,
                            entry.title,
                            publisher,
                            copies,
                            price,
                            money(None if r.price is None else r.price * copies),
                        ]
                    )
            if r.reserve:
                reserves.append(
                    [
                        RESERVE_LABEL,
                        entry.number,
                        entry.title,
                        publisher,
                        r.reserve,
                        price,
                        money(None if r.price is None else r.price * r.reserve),
                    ]
                )
    rows.append(
        [
            "Итого", "", "", "", "", *[None] * len(names),
            all_schools, all_reserve, all_schools + all_reserve, None, money(total),
        ]
    )  # fmt: skip
    caption = [
        f"Сводный заказ учебников: {campaign.district.name}",
        f"На {campaign.target_year.label('acc')}; заказы в состоянии «подан» и «утверждён».",
    ]
    if campaign.reserve_percent:
        caption.append(
            f"Резерв района {percent_label(campaign.reserve_percent)} % от заказа школ, "
            "округлён вверх по каждой позиции."
        )
    # The reserve is the district's, not a school's: its own rows, so the sheet adds up.
    by_school += reserves
    return [
        tables.Sheet("Сводный заказ", header, rows, caption, widths=[24, 18, 40, 24, 8]),
        tables.Sheet(
            "По школам",
            [
                "Школа",
                "Порядковый номер",
                "Учебник",
                "Издатель",
                "Экз.",
                "Цена, руб.",
                "Сумма, руб.",
            ],
            by_school,
            widths=[28, 18, 40, 24, 8, 12, 14],
        ),
    ]
