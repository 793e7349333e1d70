"""Monitoring forms 2.1 and 2.2 (единые государственные учебники) with figures by hand.

The campaign is for 2026/2027, so 2.1 is about 2025/2026 and 2.2 about 2026/2027.

| school | ЕГУ (price) | grade | students 2025 → 2026 | usable stock 2025 / 2026 |
|---|---|---|---|---|
| A | История 10–11 (900) | 10, 11 | 18, 15 → 25, 17 | 20 / 20 |
| A | Литература 9 (300), use until 31.05.2026 | 9 | 12 → 14 | 10 / 0 (expired) |
| A | Математика 5 — not an ЕГУ | 5 | 20 → 22 | 30 |
| B | История 10–11 (900) | 10 | 20 → 25 | 20 / 20 |

Form 2.1: A История 10: 18 pupils, 18 copies, need 0; 11: 15 pupils, the 2 copies left,
need 13; A Литература 9: 12, 10, need 2; B История 10: 20, 20, need 0. Totals 65, 50, 15.
Form 2.2: A История 10: 25 − 20 = 5; 11: 17; A Литература 9: 14 (its copies expire before
the end of lessons 31.05.2027); B История 10: 25 − 20 = 5. Totals 41 copies; sums
22 × 900 = 19 800, 14 × 300 = 4 200, 5 × 900 = 4 500 → 28 500 руб.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bibliomo.directory.models import AcademicYear
from bibliomo.fund import services as fund
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.orders import monitoring, services
from bibliomo.orders.tests.conftest import curriculum, enrolment

pytestmark = pytest.mark.django_db

TARGET = 2026


@pytest.fixture
def campaign(world):
    return build_unified(world)


def build_unified(world):
    for y in range(2023, 2028):
        AcademicYear.open(y)
    history = make_entry(
        "1.1.3.3.1.1.1", "История России", "10-11", is_unified=True, price=Decimal("900.00")
    )
    literature = make_entry(
        "1.1.2.1.2.9.1", "Литература", "9", is_unified=True, price=Decimal("300.00"),
        status="excluded", use_until=dt.date(2026, 5, 31),
    )  # fmt: skip
    math = make_entry("1.1.2.4.1.1.1", "Математика", "5", price=Decimal("500.00"))
    a, b = world.school_a, world.school_b
    rows_a = [
        (10, "История", history),
        (11, "История", history),
        (9, "Литература", literature),
        (5, "Математика", math),
    ]
    curriculum(a, 2025, rows_a)
    curriculum(a, TARGET, rows_a)
    # School B has no curriculum for the target year yet: its latest one counts.
    curriculum(b, 2025, [(10, "История", history)])
    enrolment(a, 2025, {10: 18, 11: 15, 9: 12, 5: 20})
    enrolment(a, TARGET, {10: 25, 11: 17, 9: 14, 5: 22})
    enrolment(b, 2025, {10: 20})
    enrolment(b, TARGET, {10: 25})
    for school, lines in [
        (a, [(history, 20), (literature, 10), (math, 30)]),
        (b, [(history, 20)]),
    ]:
        fund.post(document(school, "receipt", lines, date=dt.date(2024, 9, 1)))
    return services.open_campaign(world.district, TARGET, dt.date(2099, 3, 31), user=world.head)


def _rows(campaign, part, schools):
    year = monitoring.unified_year(campaign, part)
    ids = [s.pk for s in schools]
    names = {s.pk: s.short_name for s in schools}
    return [
        (names[r.school_id], r.subject, r.grade, r.students, r.in_stock, r.need, r.total)
        for r in monitoring.unified_rows(campaign.district, ids, year)
    ]


def _sheet(campaign, part, schools):
    buf = io.BytesIO()
    monitoring.unified_workbook(campaign, part, schools).save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    return ws, [list(r) for r in ws.iter_rows(values_only=True) if any(r)]


def test_form_2_1_provision_in_the_current_year(world, campaign):
    a, b = "Каменская СОШ № 1", "Луговская СОШ"
    assert monitoring.unified_year(campaign, 1) == 2025
    got = _rows(campaign, 1, [world.school_a, world.school_b])
    assert [r[:6] for r in got] == [
        (a, "История", 10, 18, 18, 0),
        (a, "История", 11, 15, 2, 13),
        (a, "Литература", 9, 12, 10, 2),
        (b, "История", 10, 20, 20, 0),
    ]


def test_form_2_2_need_for_the_target_year_with_sums(world, campaign):
    a, b = "Каменская СОШ № 1", "Луговская СОШ"
    got = _rows(campaign, 2, [world.school_a, world.school_b])
    assert [(r[0], r[1], r[2], r[5], r[6]) for r in got] == [
        (a, "История", 10, 5, Decimal("4500.00")),
        (a, "История", 11, 17, Decimal("15300.00")),
        # Usable until 31.05.2026: not through 2026/2027, whose lessons end 31.05.2027.
        (a, "Литература", 9, 14, Decimal("4200.00")),
        (b, "История", 10, 5, Decimal("4500.00")),
    ]


def test_district_workbooks(world, campaign):
    schools = [world.school_a, world.school_b]
    ws, rows = _sheet(campaign, 1, schools)
    assert rows[0][0].startswith("Форма 2.1. Обеспеченность едиными государственными")
    assert "2025/2026 учебный год" in rows[0][0]
    header = next(r for r in rows if r[0] == "Орган управления образованием")
    assert header[3:] == [
        "Предмет", "Класс", "Наименование ЕГУ", "Обучающихся, чел.",
        "В наличии пригодных ЕГУ, шт.", "Потребность, шт.",
    ]  # fmt: skip
    data = [r for r in rows if r[2] == "МБОУ «Луговская СОШ»"]
    assert data == [
        ["Каменский район", None, "МБОУ «Луговская СОШ»", "История", 10,
         "Иванов И. И. История России, 10-11 кл.", 20, 20, 0],
    ]  # fmt: skip
    assert rows[-1][0] == "Итого"
    assert rows[-1][6:] == [65, 50, 15]
    assert not ws.column_dimensions["A"].hidden

    _, rows = _sheet(campaign, 2, schools)
    assert "на 2026/2027 учебный год" in rows[0][0]
    assert rows[-1][0] == "Итого"
    assert rows[-1][6:] == [41, 28500]


def test_a_schools_own_form_hides_the_school_columns(world, campaign):
    ws, rows = _sheet(campaign, 2, [world.school_b])
    assert ws.column_dimensions["A"].hidden
    assert rows[2][0] == "МБОУ «Луговская СОШ»"
    assert rows[-1][6:] == [5, 4500]


def test_no_unified_textbooks_no_rows(world, campaign):
    from bibliomo.textbooks.models import FederalListEntry

    FederalListEntry.objects.update(is_unified=False)
    assert _rows(campaign, 2, [world.school_a, world.school_b]) == []
    _, rows = _sheet(campaign, 1, [world.school_a])
    assert rows[-1][6:] == [0, 0, 0]


def test_pages_and_files(world, campaign, login, django_assert_max_num_queries):
    head = login(world.head)
    url = reverse("orders:district_unified", args=[campaign.pk])
    with django_assert_max_num_queries(25):
        page = head.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert "Форма 2.2. Потребность в единых государственных учебниках" in text
    assert "28\xa0500,00" in text
    assert "Луговская СОШ" in text
    response = head.get(reverse("orders:district_unified_xlsx", args=[campaign.pk, 2]))
    assert response.status_code == 200
    assert "2.2" in response["Content-Disposition"]
    missing = reverse("orders:district_unified_xlsx", args=[campaign.pk, 3])
    assert head.get(missing).status_code == 404

    librarian = login(world.librarian)
    assert librarian.get(url).status_code == 403  # the district's figures are for those who oversee
    order_b = campaign.orders.get(school=world.school_b)
    order_a = campaign.orders.get(school=world.school_a)
    assert librarian.get(reverse("orders:school_unified", args=[order_b.pk])).status_code == 403
    page = librarian.get(reverse("orders:school_unified", args=[order_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Луговская" not in text
    assert "24\xa0000,00" in text  # 19 800 + 4 200
    response = librarian.get(reverse("orders:school_unified_xlsx", args=[order_a.pk, 1]))
    assert response.status_code == 200
    assert login(world.outsider).get(url).status_code == 404
