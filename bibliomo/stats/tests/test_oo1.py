"""Section 2.6 checks and the indicators against hand-computed figures."""

from __future__ import annotations

import pytest

from bibliomo.stats import oo1


def consistent() -> dict[str, dict[str, int]]:
    # A hand-made fund: 1 000 copies held = 400 textbooks + 50 aids + 450 fiction + 20
    # reference (920, the other 80 are not of these kinds); by carrier 980 printed + 20
    # electronic.
    return {
        "01": {"received": 120, "disposed": 40, "held": 1000},
        "02": {"received": 100, "disposed": 30, "held": 400},
        "03": {"received": 5, "disposed": 0, "held": 50},
        "04": {"received": 10, "disposed": 10, "held": 450},
        "05": {"received": 0, "disposed": 0, "held": 20},
        "06": {"received": 118, "disposed": 40, "held": 980},
        "07": {"received": 0, "disposed": 0, "held": 0},
        "08": {"received": 0, "disposed": 0, "held": 0},
        "09": {"received": 2, "disposed": 0, "held": 20},
    }


def test_consistent_lines_pass():
    assert oo1.check(consistent()) == []


def test_line_01_must_equal_the_carriers():
    values = consistent()
    values["06"]["held"] = 970  # 970 + 20 = 990 ≠ 1 000
    assert oo1.check(values) == [
        "Графа 5 «Состоит на конец отчётного года»: строка 01 (1000) должна равняться "
        "сумме строк 06–09 (990)."
    ]


def test_line_01_cannot_be_less_than_the_kinds():
    values = consistent()
    values["02"]["received"] = 116  # 116 + 5 + 10 + 0 = 131 > 120
    errors = oo1.check(values)
    assert errors == [
        "Графа 3 «Поступило за отчётный год»: строка 01 (120) не может быть меньше суммы "
        "строк 02–05 (131)."
    ]


def test_both_checks_in_every_column_report_together():
    values = {code: {"received": 0, "disposed": 0, "held": 0} for code in oo1.LINE_CODES}
    values["02"] = {"received": 1, "disposed": 1, "held": 1}
    values["06"] = {"received": 1, "disposed": 1, "held": 1}
    # Each column: 01 (0) ≠ 06–09 (1) and 01 (0) < 02–05 (1): six messages.
    assert len(oo1.check(values)) == 6


def test_indicators_hand_computed():
    found = {
        i.name: i
        for i in oo1.indicators(
            readers=250, visits=3000, loans=5000, fund=10000, received=400, working_days=200
        )
    }
    assert found["Читаемость"].value == 20.0  # 5000 / 250
    assert found["Посещаемость"].value == 12.0  # 3000 / 250
    assert found["Обращаемость фонда"].value == 0.5  # 5000 / 10000
    assert found["Книгообеспеченность"].value == 40.0  # 10000 / 250
    assert found["Обновляемость фонда"].value == 4.0  # 400 / 10000 × 100
    assert found["Обновляемость фонда"].unit == "%"
    assert found["Средняя посещаемость в день"].value == 15.0  # 3000 / 200
    assert found["Читаемость"].formula == "книговыдача ÷ число читателей"


def test_indicators_without_a_divisor_are_empty_not_zero():
    found = {
        i.name: i.value for i in oo1.indicators(readers=0, visits=5, loans=5, fund=0, received=0)
    }
    assert found["Читаемость"] is None
    assert found["Обновляемость фонда"] is None
    assert "Средняя посещаемость в день" not in found


@pytest.mark.parametrize(
    ("now", "before", "expected"),
    [(110, 100, 10.0), (90, 120, -25.0), (5, 0, None), (5, None, None)],
)
def test_change_percent(now, before, expected):
    assert oo1.change_percent(now, before) == expected
