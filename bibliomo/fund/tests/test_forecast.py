"""The cohort forecast against the school's grades and its 9 → 10 share, computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from bibliomo.directory.models import School
from bibliomo.fund import calc, services
from bibliomo.fund.models import Enrolment


def _enrol(school: School, year: int, students: dict[int, int], **extra) -> None:
    for grade, n in students.items():
        Enrolment.objects.create(school=school, year_id=year, grade=grade, students=n, **extra)


def _forecast(school: School, year: int) -> dict[int, int]:
    rows = Enrolment.objects.filter(school=school, year_id=year, is_forecast=True)
    return dict(rows.values_list("grade", "students"))


@pytest.mark.parametrize(
    ("kind", "last"), [(School.Kind.OOSH, 9), (School.Kind.NOSH, 4), (School.Kind.SOSH, 11)]
)
def test_fill_forecast_stays_within_the_schools_grades(world, entries, kind, last):
    school = world.school_a
    school.kind = kind
    school.save()
    _enrol(school, 2025, {g: 10 for g in range(1, last + 1)})
    services.fill_forecast(school, 2025, 12)
    forecast = _forecast(school, 2026)
    assert max(forecast) == last
    if kind == School.Kind.OOSH:
        assert 10 not in forecast  # a basic school gets no 10th grade
    if kind == School.Kind.NOSH:
        assert 5 not in forecast  # a primary school no 5th


def test_fill_forecast_uses_the_schools_own_share(world, entries):
    school = world.school_a
    school.stay_in_10th = Decimal("0.60")
    school.save()
    # Last year's figures would say 0.5; the school's own 0.6 wins: 20 × 0.6 = 12.
    _enrol(school, 2024, {9: 20})
    _enrol(school, 2025, {9: 20, 10: 10, 11: 8})
    services.fill_forecast(school, 2025, 15)
    assert _forecast(school, 2026) == {1: 15, 10: 12, 11: 10}


def test_fill_forecast_uses_last_years_actual_ratio(world, entries):
    school = world.school_a
    # 15 ninth-graders in 2024/2025, 9 of them in the 10th in 2025/2026: 0.6;
    # 25 ninth-graders now → 15 in the 10th next year (not the district's 0.5 → 13).
    _enrol(school, 2024, {9: 15})
    _enrol(school, 2025, {9: 25, 10: 9})
    assert services.stay_shares([school.pk], 2025)[school.pk] == (0.6, calc.STAY_ACTUAL)
    services.fill_forecast(school, 2025, 10)
    assert _forecast(school, 2026)[10] == 15


def test_fill_forecast_falls_back_to_the_district_default(world, entries):
    district = world.school_a.district
    district.stay_in_10th_default = Decimal("0.40")
    district.save()
    # Last year's 9th was itself a forecast, not a fact: it does not count.
    _enrol(world.school_a, 2024, {9: 15}, is_forecast=True)
    _enrol(world.school_a, 2025, {9: 20, 10: 9})
    share = services.stay_shares([world.school_a.pk], 2025)[world.school_a.pk]
    assert share == (0.4, calc.STAY_DISTRICT)
    services.fill_forecast(world.school_a, 2025, 10)
    assert _forecast(world.school_a, 2026)[10] == 8  # 20 × 0.4


def test_need_without_next_years_enrolment_uses_the_same_forecast(world, entries):
    basic, full = world.school_a, world.school_b
    basic.kind = School.Kind.OOSH
    basic.save()
    full.stay_in_10th = Decimal("0.60")
    full.save()
    _enrol(basic, 2025, {8: 11, 9: 14})
    _enrol(full, 2025, {9: 20, 10: 6})
    students = services.students_by_grade([basic.pk, full.pk], 2026)
    assert students[basic.pk] == {1: 0, 9: 11}  # no 10th at the basic school
    assert students[full.pk] == {1: 0, 10: 12, 11: 6}


# --- the enrolment page's card and the district's default --------------------------------


def _page(client, school: School, year: int = 2025) -> str:
    url = reverse("fund_enrolment", args=[school.pk]) + f"?year={year}"
    return client.get(url).content.decode()


def test_enrolment_grid_shows_only_the_schools_grades(world, entries, login):
    school = world.school_a
    school.kind = School.Kind.OOSH
    school.save()
    html = _page(login(world.librarian), school)
    assert 'name="students_9"' in html
    assert 'name="students_10"' not in html and 'name="students_11"' not in html
    # A basic school has no 10th grade: no card about the transition either.
    assert "Переход из 9 в 10 класс" not in html


def test_enrolment_card_shows_the_share_and_where_it_comes_from(world, entries, login):
    school = world.school_a
    _enrol(school, 2025, {9: 20, 10: 9})
    client = login(world.librarian)
    html = _page(client, school)
    assert "Переход из 9 в 10 класс" in html
    assert "0,50" in html and "по умолчанию района" in html
    assert "из 20 девятиклассников в 10 класс — 10" in html
    _enrol(school, 2024, {9: 15})  # 9 of last year's 15: 0.6
    html = _page(client, school)
    assert "0,60" in html and "по факту прошлого года" in html
    assert "из 20 девятиклассников в 10 класс — 12" in html


def test_librarian_sets_and_clears_her_schools_share(world, entries, login):
    client = login(world.librarian)
    url = reverse("fund_enrolment_stay_share", args=[world.school_a.pk]) + "?year=2025"
    response = client.post(url, {"stay_in_10th": "0,6"})
    assert response.status_code == 302
    world.school_a.refresh_from_db()
    assert world.school_a.stay_in_10th == Decimal("0.60")
    assert world.school_a.history.first().history_user == world.librarian
    assert "задана школой" in _page(client, world.school_a)
    # Out of range: refused, the share stays.
    client.post(url, {"stay_in_10th": "1,5"})
    world.school_a.refresh_from_db()
    assert world.school_a.stay_in_10th == Decimal("0.60")
    # Empty: back to last year's figures or the district's.
    client.post(url, {"stay_in_10th": ""})
    world.school_a.refresh_from_db()
    assert world.school_a.stay_in_10th is None


@pytest.mark.parametrize(
    ("role", "status"), [("librarian", 403), ("department", 403), ("outsider", 404), ("anon", 302)]
)
def test_others_cannot_change_school_bs_share(world, entries, login, role, status):
    url = reverse("fund_enrolment_stay_share", args=[world.school_b.pk]) + "?year=2025"
    response = login(world.user(role)).post(url, {"stay_in_10th": "0,9"})
    assert response.status_code == status
    world.school_b.refresh_from_db()
    assert world.school_b.stay_in_10th is None


def test_head_and_department_set_the_district_default(world, entries, login):
    url = reverse("fund_district_stay_share")
    page = login(world.head).get(reverse("fund_district_provision")).content.decode()
    assert 'action="' + url + '"' in page
    assert login(world.head).post(url, {"stay_in_10th_default": "0,45"}).status_code == 302
    world.district.refresh_from_db()
    assert world.district.stay_in_10th_default == Decimal("0.45")
    login(world.department).post(url, {"stay_in_10th_default": "0,4"})
    world.district.refresh_from_db()
    assert world.district.stay_in_10th_default == Decimal("0.40")
    # The school without its own share or last year's figures follows it.
    _enrol(world.school_a, 2025, {9: 20})
    assert "из 20 девятиклассников в 10 класс — 8" in _page(login(world.librarian), world.school_a)


@pytest.mark.parametrize("role", ["librarian", "librarian_b"])
def test_a_librarian_cannot_change_the_district_default(world, entries, login, role):
    client = login(world.user(role))
    page = client.get(reverse("fund_district_provision")).content.decode()
    assert reverse("fund_district_stay_share") not in page
    response = client.post(reverse("fund_district_stay_share"), {"stay_in_10th_default": "0,9"})
    assert response.status_code == 403
    world.district.refresh_from_db()
    assert world.district.stay_in_10th_default == Decimal("0.50")
    # Nor does an outsider change ours by posting to the same address.
    login(world.outsider).post(reverse("fund_district_stay_share"), {"stay_in_10th_default": "0,9"})
    world.district.refresh_from_db()
    assert world.district.stay_in_10th_default == Decimal("0.50")
