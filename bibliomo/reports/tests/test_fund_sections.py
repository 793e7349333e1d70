"""Provision before and after the exchange and the order campaign in the analysis, on the
exchange tests' hand-made district (target year 2022/2023, analysed year 2021/2022)."""

from __future__ import annotations

import datetime as dt

from bibliomo.exchange.services import compute_plan
from bibliomo.exchange.tests.conftest import district_fund  # noqa: F401 — the fixture
from bibliomo.orders.models import SchoolOrder
from bibliomo.orders.services import open_campaign
from bibliomo.reports import builder


def test_provision_before_and_after_the_exchange(world, district_fund):  # noqa: F811
    compute_plan(world.district, 2022)
    section = builder.provision_section(world.district, 2021)
    # Before: A 20 + 14 of 40, B 10 + 25 of 50 → 69 / 90 = 76.7 %. A's 10 spare maths go
    # to B: B 20 + 25 → 79 / 90 = 87.8 %. Short: A 6 Russian + B 15 maths = 21, 10 covered.
    assert section.figures == {"before": 76.7, "after": 87.8, "covered": 10, "uncovered": 11}
    rows = {r[0]: r[1:] for r in section.tables[0].rows}
    assert rows[world.school_a.short_name] == ["85,0", "85,0"]
    assert rows[world.school_b.short_name] == ["70,0", "90,0"]
    assert "до обмена — 76,7 %, после обмена — 87,8 %" in section.summary[0]
    assert "планом предусмотрено передать 10 экземпляров (1 передача)" in section.summary[0]


def test_order_campaign(world, district_fund):  # noqa: F811
    campaign = open_campaign(world.district, 2022, dt.date(2022, 3, 1))
    # Need − usable: A 20 − 14 = 6 Russian, B 25 − 10 = 15 maths; only B's is submitted.
    order_b = campaign.orders.get(school=world.school_b)
    order_b.status = SchoolOrder.Status.SUBMITTED
    order_b.save()
    section = builder.orders_section(world.district, 2021)
    assert section.figures["orders"] == 2
    assert section.figures["copies"] == 15
    assert section.summary[0] == (
        "Заказ учебников на 2022/2023 учебный год: заказов школ — 2; утверждено — 0, "
        "подано — 1, возвращено — 0, в работе — 1. В поданных и утверждённых заказах — "
        "15 экземпляров на 0,00 руб."
    )
