from bibliomo.stocktake import calc


def test_difference_counts_shelf_and_pupils():
    assert calc.difference(30, 20, 5) == (5, 0)
    assert calc.difference(30, 28, 5) == (0, 3)
    assert calc.difference(30, 30, None) == (0, 0)
    assert calc.difference(30, None, 5) == (0, 0)  # not counted yet


def test_spread_issued_newest_first_capped_by_balance():
    assert calc.spread_issued(25, [(2020, 10), (2023, 20)]) == {2023: 20, 2020: 5}
    assert calc.spread_issued(0, [(2020, 10)]) == {2020: 0}
    # More in hands than on the books: the excess sits on the newest batch.
    assert calc.spread_issued(35, [(2020, 10), (2023, 20)]) == {2023: 25, 2020: 10}


def test_percent_rounds_down():
    assert calc.percent(199, 200) == 99
    assert calc.percent(0, 0) == 0
