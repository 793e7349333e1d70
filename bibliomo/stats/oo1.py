"""Form ФСН № ОО-1, section 2.6 «Формирование и использование библиотечного (книжного)
фонда», and the library's indicators. Pure functions: no Django.

Lines 01–09 × columns 3–5 as the form prints them. Line 01 is the whole fund; lines 02–05
are kinds of documents within it (not necessarily all of it, so their sum may be less);
lines 06–09 split the same fund by carrier, so they add up to line 01 exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

LINES: list[tuple[str, str]] = [
    ("01", "Объём библиотечного фонда — всего (сумма строк 06–09)"),
    ("02", "из него: учебники"),
    ("03", "учебные пособия"),
    ("04", "художественная литература"),
    ("05", "справочный материал"),
    ("06", "из строки 01: печатные издания"),
    ("07", "аудиовизуальные документы"),
    ("08", "документы на микроформах"),
    ("09", "электронные документы"),
]
LINE_CODES = [code for code, _ in LINES]
KINDS = ["02", "03", "04", "05"]
CARRIERS = ["06", "07", "08", "09"]
# Read from part 3 of the textbook fund's КСУ (учебники, учебные пособия) when it has them.
LEDGER_LINES = ["02", "03"]

# (number of the column on the form, field name, heading)
COLUMNS: list[tuple[int, str, str]] = [
    (3, "received", "Поступило за отчётный год"),
    (4, "disposed", "Выбыло за отчётный год"),
    (5, "held", "Состоит на конец отчётного года"),
]
COLUMN_FIELDS = [name for _, name, _ in COLUMNS]

# values[line][column field] -> copies
Values = Mapping[str, Mapping[str, int]]


def _get(values: Values, line: str, column: str) -> int:
    return int((values.get(line) or {}).get(column) or 0)


def check(values: Values) -> list[str]:
    """The form's own checks, as sentences a librarian understands; empty when all agree."""
    errors: list[str] = []
    for number, column, heading in COLUMNS:
        total = _get(values, "01", column)
        carriers = sum(_get(values, line, column) for line in CARRIERS)
        kinds = sum(_get(values, line, column) for line in KINDS)
        where = f"Графа {number} «{heading}»"
        if total != carriers:
            errors.append(
                f"{where}: строка 01 ({total}) должна равняться сумме строк 06–09 ({carriers})."
            )
        if total < kinds:
            errors.append(
                f"{where}: строка 01 ({total}) не может быть меньше суммы строк 02–05 ({kinds})."
            )
    return errors


@dataclass(frozen=True)
class Indicator:
    name: str
    value: float | None  # None when the divisor is zero or unknown
    formula: str  # in words, as the form's instructions give it
    unit: str = ""


def _ratio(numerator: int, denominator: int, scale: float = 1.0) -> float | None:
    if not denominator:
        return None
    return round(numerator * scale / denominator, 2)


def indicators(
    *, readers: int, visits: int, loans: int, fund: int, received: int, working_days: int = 0
) -> list[Indicator]:
    """читаемость, посещаемость, обращаемость, книгообеспеченность, обновляемость and,
    when the working days are known, the average visits per day (DOMAIN.md)."""
    result = [
        Indicator("Читаемость", _ratio(loans, readers), "книговыдача ÷ число читателей"),
        Indicator("Посещаемость", _ratio(visits, readers), "число посещений ÷ число читателей"),
        Indicator("Обращаемость фонда", _ratio(loans, fund), "книговыдача ÷ объём фонда"),
        Indicator("Книгообеспеченность", _ratio(fund, readers), "объём фонда ÷ число читателей"),
        Indicator(
            "Обновляемость фонда",
            _ratio(received, fund, 100),
            "поступило за год ÷ объём фонда × 100",
            "%",
        ),
    ]
    if working_days:
        result.append(
            Indicator(
                "Средняя посещаемость в день",
                _ratio(visits, working_days),
                "число посещений ÷ число рабочих дней",
            )
        )
    return result


def change_percent(now: int | float | None, before: int | float | None) -> float | None:
    """Year-over-year change in per cent; None without a base to compare with."""
    if now is None or not before:
        return None
    return round((now - before) * 100 / before, 1)
