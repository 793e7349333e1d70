"""The ARCHITECTURE §6 formulas on cases computed by hand."""

from __future__ import annotations

import datetime as dt

from bibliomo.fund import calc
from bibliomo.fund.calc import Batch, CurriculumRow


def test_usable_stock_drops_expired_and_worn():
    batches = [
        Batch(1, 30, worn=5),  # no use-until: 25 usable
        Batch(1, 10),  # a second batch of the same entry
        Batch(2, 40, use_until=dt.date(2026, 5, 25)),  # expires before lessons end
        Batch(3, 12, use_until=dt.date(2026, 8, 31)),
        # Usable until the last day of lessons (31 May): serves the whole 2025/2026 year.
        Batch(4, 9, use_until=dt.date(2026, 5, 31)),
    ]
    assert calc.usable_stock(batches, 2025) == {1: 35, 2: 0, 3: 12, 4: 9}
    # The year before, entry 2 is still usable.
    assert calc.usable_stock(batches, 2024)[2] == 40
    # A district whose lessons end on 25 June: entry 4 no longer serves 2025/2026.
    assert calc.usable_stock(batches, 2025, lessons_end=(6, 25))[4] == 0
    assert calc.year_end(2027) == dt.date(2028, 5, 31)


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
    b = calc.balance({1: 30, 2: 15, 3: 0}, {1: 25, 3: 10, 4: 7})
    assert (b[1].surplus, b[1].shortage) == (5, 0)
    assert (b[2].need, b[2].surplus, b[2].shortage) == (0, 15, 0)  # no longer used
    assert (b[3].surplus, b[3].shortage) == (0, 10)
    assert (b[4].usable, b[4].shortage) == (0, 7)  # used, not held
    assert list(calc.balance_rows({1: 30, 2: 15}, {1: 25, 4: 7})) == [
        (1, 30, 25, 5, 0),
        (2, 15, 0, 15, 0),
        (4, 0, 7, 0, 7),
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
