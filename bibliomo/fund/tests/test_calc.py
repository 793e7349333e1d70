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


def test_balance_unused_entry_is_all_surplus():
    # (entry, usable, need, surplus, shortage)
    assert list(calc.balance_rows({1: 30, 2: 15, 3: 0}, {1: 25, 3: 10, 4: 7})) == [
        (1, 30, 25, 5, 0),
        (2, 15, 0, 15, 0),  # no longer used
        (3, 0, 10, 0, 10),
        (4, 0, 7, 0, 7),  # used, not held
    ]


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
