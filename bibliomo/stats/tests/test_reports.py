"""The school's report: filling, the ledger's lines 02 and 03, submitting, access; the district
table, its XLSX, the charts; the API."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund import services as fund_services
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.stats import oo1, services
from bibliomo.stats.models import LibraryReport
from bibliomo.stats.tests.conftest import fund, make_report

URL_ARGS = lambda w: [w.school_a.pk, 2021]  # noqa: E731


def grid(values: dict[str, dict[str, int]]) -> dict[str, int]:
    return {f"l{code}_{col}": v for code, row in values.items() for col, v in row.items()}


def form_data(values, action="save", **extra):
    data = {
        "readers_primary": 100,
        "readers_basic": 120,
        "readers_senior": 30,
        "readers_teachers": 20,
        "readers_others": 0,
        "visits": 2700,
        "loans": 5400,
        "events_held": 12,
        "working_days": 0,
        "note": "",
        "action": action,
        **grid(values),
    }
    data.update(extra)
    return data


def test_librarian_saves_a_draft_and_submits(world, login):
    client = login(world.librarian)
    url = reverse("stats_report", args=URL_ARGS(world))
    values = fund(10800, received=540, disposed=100, textbooks=3000)
    values["02"]["received"] = 500
    response = client.post(url, form_data(values))
    assert response.status_code == 302
    report = LibraryReport.objects.get(school=world.school_a, year__start_year=2021)
    assert report.status == "draft"
    assert report.readers == 270
    assert report.fund_values()["02"] == {"received": 500, "disposed": 0, "held": 3000}
    page = client.get(url).content.decode()
    # 5400 / 270 = 20; 10800 / 270 = 40; 540 / 10800 × 100 = 5.
    assert "20,00" in page
    assert "40,00" in page
    assert "5,00 %" in page
    client.post(url, form_data(values, action="submit"))
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_by == world.librarian
    # A submitted report is closed to its librarian.
    assert client.post(url, form_data(values)).status_code == 403


def test_inconsistent_lines_are_kept_as_draft_with_a_clear_message(world, login):
    client = login(world.librarian)
    url = reverse("stats_report", args=URL_ARGS(world))
    values = fund(1000)
    values["06"]["held"] = 900  # carriers 900 ≠ whole 1000
    response = client.post(url, form_data(values, action="submit"), follow=True)
    page = response.content.decode()
    assert "строка 01 (1000) должна равняться сумме строк 06–09 (900)" in page
    assert "отчёт не сдан" in page
    assert LibraryReport.objects.get(school=world.school_a).status == "draft"


def test_lines_02_and_03_come_from_ksu_part_3(world, login):
    for y in (2020, 2021):
        AcademicYear.open(y)
    a = world.school_a
    math = make_entry("1.1.2.4.1.1.1", "Математика", "5")
    atlas = make_entry("2.1.2.2.1.1.1", "Атлас. География", "5", kind="study_aid")
    fund_services.post(document(a, "receipt", [(math, 40)], date=dt.date(2020, 9, 1)))
    fund_services.post(
        document(a, "receipt", [(math, 25), (atlas, 12)], number="2", date=dt.date(2021, 3, 1))
    )
    # Three atlases entered by mistake and reversed: in the КСУ a negative record of part 1.
    wrong = fund_services.post(
        document(a, "receipt", [(atlas, 3)], number="3", date=dt.date(2021, 5, 10))
    )
    fund_services.reverse(wrong, date=dt.date(2021, 5, 11))
    fund_services.post(
        document(a, "writeoff", [(math, 5), (atlas, 2)], number="4", date=dt.date(2021, 12, 1))
    )
    fund_services.post(  # the next year's receipt is not 2021's
        document(a, "receipt", [(atlas, 7)], number="5", date=dt.date(2022, 1, 10))
    )
    ledger = services.ledger_lines(a, 2021)
    # Calendar 2021, by hand: textbooks received 25, disposed 5, held 40 + 25 − 5 = 60;
    # study aids received 12 + 3 − 3 = 12, disposed 2, held 12 − 2 = 10.
    assert ledger == {
        "02": services.LedgerFigures(received=25, disposed=5, held=60),
        "03": services.LedgerFigures(received=12, disposed=2, held=10),
    }
    assert services.ledger_lines(world.school_b, 2021) is None
    client = login(world.librarian)
    url = reverse("stats_report", args=URL_ARGS(world))
    values = fund(100, received=37, disposed=7, textbooks=60)
    values["02"] = {"received": 999, "disposed": 999, "held": 999}  # ignored: the ledger wins
    values["03"] = {"received": 888, "disposed": 888, "held": 888}
    client.post(url, form_data(values))
    lines = LibraryReport.objects.get(school=a).fund_lines
    saved = {
        code: (ln.received, ln.disposed, ln.held, ln.from_ledger)
        for code in ("02", "03")
        for ln in [lines.get(line=code)]
    }
    assert saved == {"02": (25, 5, 60, True), "03": (12, 2, 10, True)}
    page = client.get(url).content.decode()
    assert "Строки 02 (учебники) и 03 (учебные пособия) взяты из части 3" in page


def test_other_schools_and_districts_cannot_see_or_change(world, login):
    make_report(world.school_a, 2021, submitted=False)
    url = reverse("stats_report", args=URL_ARGS(world))
    assert login(world.librarian_b).get(url).status_code == 403
    assert login(world.librarian_b).post(url, form_data(fund(0))).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    # The department reads but does not write.
    assert login(world.department).get(url).status_code == 200
    assert login(world.department).post(url, form_data(fund(0))).status_code == 403


def test_head_returns_a_submitted_report(world, login):
    report = make_report(world.school_b, 2021)
    url = reverse("stats_report", args=[world.school_b.pk, 2021])
    assert login(world.librarian_b).post(url, {"action": "reopen"}).status_code == 403
    login(world.head).post(url, {"action": "reopen"})
    report.refresh_from_db()
    assert report.status == "draft"


def district_world(world):
    # Hand-computed: A 200 readers / 4000 loans / fund 8000 (received 400); B 100 / 1000 /
    # 2000 (100); B's draft of next year does not count. Last year A had 160 readers.
    make_report(world.school_a, 2021, readers=(150, 0, 0, 50, 0), visits=2000, loans=4000,
                values=fund(8000, received=400, textbooks=5000))  # fmt: skip
    make_report(world.school_b, 2021, readers=(100, 0, 0, 0, 0), visits=500, loans=1000,
                values=fund(2000, received=100, textbooks=1500))  # fmt: skip
    make_report(world.school_a, 2020, readers=(160, 0, 0, 0, 0), loans=3000)
    School.objects.create(
        district=world.district, full_name="МБОУ «Третья СОШ»", short_name="Третья СОШ"
    )


def test_district_table_totals_missing_and_change(world):
    district_world(world)
    table = services.district_table(world.district, AcademicYear.open(2021))
    t = table.totals
    assert (t.schools, t.readers, t.visits, t.loans) == (2, 300, 2500, 5000)
    assert t.fund["01"]["held"] == 10000
    assert t.fund["02"]["held"] == 6500
    ind = {i.name: i.value for i in t.indicators()}
    assert ind["Читаемость"] == round(5000 / 300, 2)  # 16.67
    assert ind["Обновляемость фонда"] == 5.0  # 500 / 10000 × 100
    assert [s.short_name for s in table.missing] == ["Третья СОШ"]
    # Readers 300 against 160 last year: +87.5 %; school A alone 200 vs 160: +25 %.
    assert table.change("readers") == 87.5
    row_a = next(r for r in table.rows if r.school == world.school_a)
    assert row_a.readers_change == 25.0


def test_district_page_and_xlsx(world, login):
    district_world(world)
    client = login(world.head)
    page = client.get(reverse("stats_district") + "?year=2021").content.decode()
    assert "Третья СОШ" in page
    assert "Сдали отчёт: <strong>2</strong> из 3" in page
    response = client.get(reverse("stats_district_xlsx") + "?year=2021")
    book = load_workbook(io.BytesIO(response.content))
    ws = book.active
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[1][0] == "Не сдали отчёт: Третья СОШ"
    total = rows[-1]
    assert total[0] == "Итого по сданным отчётам (2)"
    assert total[2] == 300
    assert total[5] == 5000
    assert login(world.librarian).get(reverse("stats_district")).status_code == 403


def test_school_xlsx_in_the_forms_layout(world, login):
    values = fund(1000, received=50, textbooks=300)
    make_report(world.school_a, 2021, readers=(10, 0, 0, 0, 0), loans=200, values=values)
    response = login(world.librarian).get(reverse("stats_report_xlsx", args=URL_ARGS(world)))
    book = load_workbook(io.BytesIO(response.content))
    ws = book["Раздел 2.6"]
    assert ws["A1"].value == "Форма ФСН № ОО-1, раздел 2.6"
    assert [c.value for c in ws[7]] == [1, 2, 3, 4, 5]
    lines = {row[1]: row[2:5] for row in ws.iter_rows(min_row=8, max_row=16, values_only=True)}
    assert lines["01"] == (50, 0, 1000)
    assert lines["02"] == (0, 0, 300)
    assert ws.cell(18, 1).value == "Проверка: строки согласованы."
    indicators = {r[0]: r[1] for r in book["Показатели"].iter_rows(values_only=True) if r[0]}
    assert indicators["Читаемость"] == 20.0
    assert indicators["Книгообеспеченность"] == 100.0


@pytest.mark.parametrize("kind", ["provision", "fund-per-reader", "renewal", "readers", "loans"])
def test_charts_are_svg_images(world, login, kind):
    district_world(world)
    response = login(world.department).get(reverse("stats_chart", args=[kind]) + "?year=2021")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg
    assert "<script" not in svg
    if kind == "renewal":
        # A: 400 / 8000 × 100 = 5 %; B: 100 / 2000 × 100 = 5 % as well.
        # pygal writes each printed value twice (the value and its outline).
        assert set(re.findall(r'class="value">([^<]*)<', svg)) == {"5 %"}
    if kind == "readers":
        # 2021: 200 + 100 readers; 2020: school A's 160.
        assert set(re.findall(r'class="value">([^<]*)<', svg)) == {"160", "300"}


def test_chart_hidden_from_librarians(world, login):
    url = reverse("stats_chart", args=["loans"])
    assert login(world.librarian).get(url).status_code == 403


def test_district_table_query_count(world, login, django_assert_max_num_queries):
    schools = [
        School(district=world.district, full_name=f"Школа {i}", short_name=f"Школа {i:02}")
        for i in range(30)
    ]
    School.objects.bulk_create(schools)
    for school in School.objects.filter(district=world.district)[:20]:
        make_report(school, 2021, values=fund(100))
    client = login(world.head)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("stats_district") + "?year=2021").status_code == 200


def test_api_round_trip(world, login):
    client = login(world.librarian)
    url = f"/api/stats/reports/{world.school_a.pk}/2021"
    payload = {"readers_primary": 50, "loans": 500, "visits": 100,
               "fund": {c: v for c, v in fund(500, received=25).items()}}  # fmt: skip
    response = client.put(url, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["checks"] == []
    assert {i["name"]: i["value"] for i in body["indicators"]}["Читаемость"] == 10.0
    assert client.post(url + "/submit").json()["status"] == "submitted"
    assert login(world.librarian_b).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    district = login(world.head).get("/api/stats/district/2021").json()
    assert district["submitted"] == 1
    assert district["readers"] == 50
    assert login(world.librarian).get("/api/stats/district/2021").status_code == 403


def test_api_submit_refuses_inconsistent_lines(world, login):
    values = fund(500)
    values["09"]["held"] = 1
    make_report(world.school_a, 2021, submitted=False, values=values)
    response = login(world.librarian).post(f"/api/stats/reports/{world.school_a.pk}/2021/submit")
    assert response.status_code == 422
    assert "строка 01 (500) должна равняться сумме строк 06–09 (501)" in response.json()["detail"]


def test_lines_constants_match_the_form():
    assert oo1.LINE_CODES == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
    assert [n for n, _, _ in oo1.COLUMNS] == [3, 4, 5]


def test_a_report_the_user_may_not_edit_shows_every_input_disabled(world, login):
    make_report(world.school_a, 2021)
    page = login(world.head).get(reverse("stats_report", args=URL_ARGS(world))).content.decode()
    inputs = re.findall(r"<input(?![^>]*type=\"hidden\")[^>]*>", page)
    assert len(inputs) > 20
    assert all(" disabled" in tag for tag in inputs)
    # Not a disabled fieldset: it would take the focus from the table's scroll box.
    assert "<fieldset" not in page
    assert "Сдать отчёт" not in page
