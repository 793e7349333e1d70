"""The stocktake and the circulation of textbooks in the analysis, hand-made cases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bibliomo.circulation import services as circulation
from bibliomo.circulation.tests.conftest import DAY, YEAR, desk  # noqa: F401 — the fixture
from bibliomo.reports import builder
from bibliomo.stocktake.models import Campaign, Stocktake


def test_stocktake_totals_of_accepted_stocktakes(world):
    campaign = Campaign.objects.create(
        district=world.district, name="Инвентаризация", order_number="1", created_by=world.head,
        order_date=dt.date(2022, 1, 10), starts_on=dt.date(2022, 1, 15),
        deadline=dt.date(2022, 2, 15),
    )  # fmt: skip
    Stocktake.objects.create(
        campaign=campaign, school=world.school_a, status="accepted", shortage_copies=7,
        surplus_copies=2, shortage_sum=Decimal("2100.50"),
    )  # fmt: skip
    Stocktake.objects.create(campaign=campaign, school=world.school_b, status="counting",
                             shortage_copies=99)  # fmt: skip
    section = builder.stocktake_section(world.district, 2021)
    # Only school A's stocktake is accepted: 7 short (2 100,50 roubles), 2 surplus.
    assert section.figures == {"campaigns": 1, "schools": 2, "accepted": 1, "shortage": 7,
                               "surplus": 2}  # fmt: skip
    assert section.summary[0] == (
        "Инвентаризация: 1 кампания, школ — 2, итоги приняты у 1. "
        "Недостача — 7 экземпляров на 2\u00a0100,50 руб., излишки — 2."
    )
    assert builder.stocktake_section(world.district, 2020).available is False


def test_circulation_counts(world, desk):  # noqa: F811
    loans = [
        circulation.issue(world.school_a, desk.math, pupil=p, year=YEAR, day=DAY)
        for p in desk.pupils
    ]
    circulation.return_loans([loans[0]], day=dt.date(YEAR + 1, 5, 25))
    section = builder.circulation_section(world.district, YEAR)
    # Three copies issued to three pupils, one returned, two still in hands.
    assert section.figures == {"issued": 3, "returned": 1, "in_hands": 2, "lost": 0}
    assert section.summary[0].startswith(
        "Выдано обучающимся 3 экземпляра (школ, где вели выдачу, — 1 из 2)"
    )
