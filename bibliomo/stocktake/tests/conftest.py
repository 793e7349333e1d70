"""School A holds three batches, school B one:

| school | entry | year | copies | price |
|---|---|---|---|---|
| A | math5 | 2020 | 10 | 500 |
| A | math5 | 2023 | 20 | 600 |
| A | hist5 | 2022 | 15 | 400 |
| B | math5 | 2021 | 12 | 500 |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from bibliomo.fund import services as fund
from bibliomo.fund.models import Document
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.stocktake import services


@pytest.fixture
def books(world):
    return make_books(world)


def make_books(world):
    math = make_entry(
        "1.1.2.4.1.1.1", "Математика", "5", subject="Математика", price=Decimal("550")
    )
    hist = make_entry("1.1.2.3.1.1.1", "История Древнего мира", "5", subject="История",
                      price=Decimal("400"))  # fmt: skip
    phys = make_entry("1.1.2.5.1.1.1", "Физика", "7", subject="Физика", price=Decimal("610"))
    for school, lines in (
        (world.school_a, [(math, 10, Decimal("500"), 2020), (math, 20, Decimal("600"), 2023),
                          (hist, 15, Decimal("400"), 2022)]),
        (world.school_b, [(math, 12, Decimal("500"), 2021)]),
    ):  # fmt: skip
        fund.post(document(school, Document.Kind.RECEIPT, lines, number="О-1"))
    return {"math": math, "hist": hist, "phys": phys}


def open_campaign(world, **extra):
    return services.open_campaign(
        world.district,
        name=extra.pop("name", "Инвентаризация 2026"),
        order_number="12-о",
        order_date=dt.date(2026, 1, 10),
        deadline=extra.pop("deadline", dt.date.today() + dt.timedelta(days=10)),
        user=world.head,
        **extra,
    )


@pytest.fixture
def campaign(world, books):
    return open_campaign(world)


@pytest.fixture
def st_a(campaign, world):
    return campaign.schools.get(school=world.school_a)


def count_all(stocktake, values: dict, user):
    """values: (title, year) → counted; other lines not yet counted as on the books."""
    for line in stocktake.lines.select_related("entry"):
        if line.counted is not None and (line.entry.title, line.receipt_year) not in values:
            continue
        counted = values.get((line.entry.title, line.receipt_year), line.on_books)
        services.save_count(line, counted=counted, version=line.version, user=user)
