"""The ARCHITECTURE §6 formulas on cases computed by hand."""

from __future__ import annotations

import datetime as dt

from bibliomo.fund import calc
from bibliomo.fund.calc import CurriculumRow


def test_a_copy_serves_the_year_up_to_the_end_of_its_lessons():
    # Usable until the last day of lessons (31 May): serves the whole 2025/2026 year.
    assert calc.year_end(2025) == dt.date(2026, 5, 31)
    assert calc.year_end(2027) == dt.date(2028, 5, 31)
    # A district whose lessons end on 25 June needs its copies until then.
    assert calc.year_end(2025, lessons_end=(6, 25)) == dt.date(2026, 6, 25)


def test_need_counts_grades_copies_and_reserve():
    rows = [
        CurriculumRow(10, "Алгебра", 7),
        CurriculumRow(11, "Алгебра", 7),  # one book for grades 10–11
        CurriculumRow(5, "Английский язык", 8, copies_per_student=2),
    ]
    students = {10: 20, 11: 18, 5: 25}
    assert calc.need(rows, students) == {7: 38, 8: 50}
    # 5 % reserve, rounded up per entry: 38 × 1.05 = 39.9 → 40; 50 × 1.05 = 52.5 → 53.
    assert calc.need(rows, students, reserve_percent=5) == {7: 40, 8: 53}
    # A grade without students needs nothing.
    assert calc.need([CurriculumRow(9, "Химия", 3)], {}) == {3: 0}


def test_need_by_school_takes_each_schools_latest_curriculum():
    # (school, curriculum year, grade, entry, copies per student), latest year first.
    rows = [
        (1, 2026, 10, 7, 1),
        (1, 2026, 11, 7, 1),
        (1, 2026, 5, 8, 2),
        (1, 2025, 5, 9, 1),  # an older curriculum of school 1: not counted
        (2, 2025, 5, 8, 1),
        (3, 2024, 9, 3, 1),  # a grade without students needs nothing
    ]
    students = {1: {10: 20, 11: 18, 5: 25}, 2: {5: 12}}
    assert calc.need_by_school(rows, students) == {1: {7: 38, 8: 50}, 2: {8: 12}, 3: {3: 0}}
    # The same as calc.need school by school, the reserve rounded up per entry.
    one = [CurriculumRow(g, "", e, c) for _, y, g, e, c in rows if y == 2026]
    assert calc.need_by_school(rows, students, 5)[1] == calc.need(one, students[1], 5)
    assert calc.need_by_school(rows, students, 5)[1] == {7: 40, 8: 53}


def test_stock_and_need_rows_in_school_and_entry_order():
    usable = {2: {5: 3}, 1: {1: 30, 2: 15, 3: 0, 6: 0}}
    needed = {1: {1: 25, 3: 10, 4: 7, 6: 0}, 3: {4: 4}}
    rows = calc.stock_and_need(usable, needed)
    assert rows == [
        (1, 1, 30, 25, 5, 0),
        (1, 2, 15, 0, 15, 0),  # no longer used: all surplus
        (1, 3, 0, 10, 0, 10),
        (1, 4, 0, 7, 0, 7),  # used, not held: all shortage
        # entry 6: neither held nor needed, left out
        (2, 5, 3, 0, 3, 0),
        (3, 4, 0, 4, 0, 4),
    ]
    assert (rows[0].usable, rows[0].need, rows[0].surplus, rows[2].shortage) == (30, 25, 5, 10)
    equal = calc.stock_and_need({1: {1: 4}}, {1: {1: 4}})
    assert equal == [(1, 1, 4, 4, 0, 0)]


def test_provision_surplus_never_hides_shortage():
    rows = [CurriculumRow(5, "Математика", 1), CurriculumRow(5, "История", 2)]
    pairs = calc.provision_pairs(rows, {5: 20}, {1: 40, 2: 10})
    by_subject = {p.subject: p for p in pairs}
    assert by_subject["Математика"].covered == 20
    assert by_subject["Математика"].surplus == 20
    assert by_subject["История"].covered == 10
    assert by_subject["История"].shortage == 10
    total = calc.provision(pairs)
    # (20 + 10) / (20 + 20) = 75 %, not (40 + 10) / 40 capped at 100 %.
    assert (total.covered, total.students) == (30, 40)
    assert total.percent == 75.0


def test_provision_shares_one_entry_between_grades_and_needs_full_sets():
    rows = [
        CurriculumRow(10, "Физика", 5),
        CurriculumRow(11, "Физика", 5),
        CurriculumRow(7, "Английский язык", 6, copies_per_student=2),
        CurriculumRow(7, "Английский язык", 9),  # and a workbook: a set needs both
    ]
    pairs = calc.provision_pairs(rows, {10: 15, 11: 12, 7: 10}, {5: 20, 6: 15, 9: 10})
    by_grade = {(p.grade, p.subject): p for p in pairs}
    # 20 copies: 15 to grade 10, 5 left for grade 11 — never counted twice.
    assert by_grade[(10, "Физика")].copies == 15
    assert by_grade[(11, "Физика")].copies == 5
    # 15 copies at 2 per student = 7 sets; the workbook allows 10; the pair has 7.
    assert by_grade[(7, "Английский язык")].copies == 7
    total = calc.provision(pairs)
    assert (total.covered, total.students) == (15 + 5 + 7, 15 + 12 + 10)
    # The totals-only path agrees, also with plain tuples for rows.
    plain = [tuple(r) for r in rows]
    assert calc.provision_total(plain, {10: 15, 11: 12, 7: 10}, {5: 20, 6: 15, 9: 10}) == total


def test_provision_of_nothing_is_undefined_and_sums_add():
    assert calc.provision([]).percent is None
    s = calc.Provision(40, 30) + calc.Provision(60, 60)
    assert (s.students, s.covered, s.percent) == (100, 90, 90.0)


def test_cohort_forecast_moves_each_grade_up():
    now = {1: 20, 2: 18, 9: 15, 10: 12, 11: 10}
    assert calc.cohort_forecast(now, 22) == {1: 22, 2: 20, 3: 18, 10: 15, 11: 12}


def test_cohort_forecast_keeps_the_schools_grades():
    now = {g: 10 + g for g in range(1, 10)}  # 11 … 19 pupils in grades 1–9
    # A basic school (ООШ): its 9th leaves, there is no 10th next year.
    basic = calc.cohort_forecast(now, 12, last_grade=9, stay_in_10th=0.6)
    assert basic == {1: 12, **{g: 9 + g for g in range(2, 10)}}
    assert 10 not in basic
    # A primary school (НОШ): the 4th goes on to another school, no 5th.
    primary = calc.cohort_forecast({1: 8, 2: 7, 3: 9, 4: 6}, 5, last_grade=4)
    assert primary == {1: 5, 2: 8, 3: 7, 4: 9}


def test_cohort_forecast_takes_the_share_of_the_9th_into_10th():
    # 20 ninth-graders, 0.6 stay: 12 in the 10th; the 10th goes on to the 11th whole.
    assert calc.cohort_forecast({9: 20, 10: 7}, 0, stay_in_10th=0.6) == {1: 0, 10: 12, 11: 7}
    # Halves round up: 0.5 of 25 is 12.5 → 13; 0.5 of 29 → 15.
    assert calc.cohort_forecast({9: 25}, 0, stay_in_10th=0.5)[10] == 13
    assert calc.cohort_forecast({9: 29}, 0, stay_in_10th=0.5)[10] == 15


def test_stay_share_own_then_last_years_ratio_then_the_district():
    assert calc.stay_share(0.7, 9, 20, 0.5) == (0.7, calc.STAY_SCHOOL)
    # 9 tenth-graders this year of 15 ninth-graders last year: 0.6.
    assert calc.stay_share(None, 9, 15, 0.5) == (0.6, calc.STAY_ACTUAL)
    # No 9th last year (or none entered): the district's default.
    assert calc.stay_share(None, 9, None, 0.5) == (0.5, calc.STAY_DISTRICT)
    assert calc.stay_share(None, 9, 0, 0.45) == (0.45, calc.STAY_DISTRICT)
    assert calc.stay_share(None, None, 15, 0.5) == (0.5, calc.STAY_DISTRICT)
