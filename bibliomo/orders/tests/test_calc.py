"""The line rules on hand-computed cases."""

from bibliomo.orders import calc
from bibliomo.orders.calc import GradeRow, ReasonFacts


def test_plain_shortage():
    # 25 students × 1, 20 usable → 5 to order.
    assert calc.quantity(need=25, reserve=0, usable=20) == 5


def test_surplus_orders_nothing():
    assert calc.quantity(need=25, reserve=0, usable=40) == 0


def test_expired_copies_are_not_usable_so_everything_is_ordered():
    # The school holds 30 copies whose use-until date passes before the target year ends:
    # the fund reports 0 usable copies, the whole need of 28 is ordered.
    assert calc.quantity(need=28, reserve=0, usable=0) == 28


def test_reserve_rounds_up_per_entry():
    assert calc.reserve_copies(25, 5) == 2  # 1.25 → 2
    assert calc.reserve_copies(20, 5) == 1  # exactly 1.0 → 1, not 2
    assert calc.reserve_copies(0, 10) == 0
    assert calc.reserve_copies(30, 0) == 0
    # need 25 + reserve 2 − usable 20 = 7
    assert calc.quantity(need=25, reserve=2, usable=20) == 7


def test_reserve_is_rounded_once_on_the_district_total():
    # 2 % of the district's 301 copies is 6.02 → 7.
    assert calc.reserve_copies(301, 2) == 7
    # Rounded up at each of three schools ordering 25, 25 and 251 it would be 1 + 1 + 6.
    assert sum(calc.reserve_copies(n, 2) for n in (25, 25, 251)) == 8


def test_incoming_by_exchange_reduces_the_order():
    # need 25, usable 10, 8 coming from another school → 7.
    assert calc.quantity(need=25, reserve=0, usable=10, incoming=8) == 7
    # More coming than missing: nothing to buy.
    assert calc.quantity(need=25, reserve=0, usable=10, incoming=20) == 0


def test_promised_copies_leave_the_shelf():
    # 30 usable, 10 promised to another school → 20 left for 25 students → 5.
    assert calc.quantity(need=25, reserve=0, usable=30, promised=10) == 5
    # Promised more than held never makes stock negative: 25 − 0 = 25.
    assert calc.quantity(need=25, reserve=0, usable=5, promised=9) == 25


def test_exchange_in_and_out_together_with_reserve():
    # need 40 + reserve 4 − (usable 30 − promised 6 = 24) − incoming 5 = 15.
    assert calc.quantity(need=40, reserve=4, usable=30, incoming=5, promised=6) == 15


def test_multi_part_set_counts_as_one_copy():
    # A two-part textbook is one set per student: need is students × 1 set, so 26 students
    # with 20 sets held order 6 sets (not 12 parts).
    rows = calc.split_by_grade([(3, 1)], {3: 26}, stock=20, order_quantity=6)
    assert rows == [GradeRow(grade=3, students=26, need=26, in_stock=20, additional=6)]


def test_split_shares_stock_lowest_grade_first_and_reserve_goes_last():
    # Physics for 10–11: 20 + 15 students, 25 copies usable, order 10 + reserve 2 = 12.
    rows = calc.split_by_grade([(11, 1), (10, 1)], {10: 20, 11: 15}, stock=25, order_quantity=12)
    assert rows == [
        GradeRow(10, 20, 20, 20, 0),
        GradeRow(11, 15, 15, 5, 12),
    ]
    assert sum(r.additional for r in rows) == 12


def test_split_lowered_quantity_taken_from_last_grades():
    # Shortfall 10 + 8 = 18, the librarian orders only 12: grade 11 shows 2, grade 10 keeps 10.
    rows = calc.split_by_grade([(10, 1), (11, 1)], {10: 10, 11: 8}, stock=0, order_quantity=12)
    assert [r.additional for r in rows] == [10, 2]


def test_split_surplus_stays_on_the_last_grade():
    rows = calc.split_by_grade([(5, 1), (6, 1)], {5: 10, 6: 10}, stock=25, order_quantity=0)
    assert [(r.in_stock, r.additional) for r in rows] == [(10, 0), (15, 0)]


def test_reason_nothing_ordered_has_no_reason():
    assert calc.derive_reason(0, ReasonFacts(expired_copies=10)) == ""


def test_reason_expiry_of_own_copies_or_of_the_replaced_entry():
    assert calc.derive_reason(5, ReasonFacts(expired_copies=30)) == calc.EXPIRED
    assert calc.derive_reason(5, ReasonFacts(replaces_expired=True)) == calc.EXPIRED
    # Expiry wins over growth: both are true, the date is what forces the purchase.
    facts = ReasonFacts(replaces_expired=True, students_now=20, students_forecast=25)
    assert calc.derive_reason(5, facts) == calc.EXPIRED


def test_reason_change_of_textbook():
    assert calc.derive_reason(5, ReasonFacts(replaces_other=True)) == calc.CHANGE


def test_reason_growth():
    assert calc.derive_reason(5, ReasonFacts(students_now=20, students_forecast=25)) == calc.GROWTH
    # Fewer students: not growth.
    assert calc.derive_reason(5, ReasonFacts(students_now=25, students_forecast=20)) == calc.OTHER


def test_reason_loss_then_defect_then_other():
    assert calc.derive_reason(3, ReasonFacts(lost=3, defective=2)) == calc.LOST
    assert calc.derive_reason(3, ReasonFacts(defective=2)) == calc.DEFECTIVE
    assert calc.derive_reason(3, ReasonFacts()) == calc.OTHER
