"""The academic year (учебный год, 1 September – 31 August) and its Russian labels.

Pure functions: no Django, so any module and any benchmark can use them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

# «2021/2022 учебный год» in the cases Russian sentences need.
_CASES = {
    "nom": "учебный год",  # 2021/2022 учебный год
    "gen": "учебного года",  # план на … → «… 2021/2022 учебного года»
    "dat": "учебному году",
    "acc": "учебный год",  # «план на 2021/2022 учебный год»
    "ins": "учебным годом",
    "pre": "учебном году",  # «в 2021/2022 учебном году»
}


def start_year_for(day: dt.date) -> int:
    """The first calendar year of the academic year that contains ``day``."""
    return day.year if day.month >= 9 else day.year - 1


def bounds(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)


# The end of lessons (окончание учебных занятий): a textbook usable until a day in the
# summer serves the whole school year before it. A district may set its own day.
LESSONS_END = (5, 31)


def use_cutoff(start_year: int, lessons_end: tuple[int, int] = LESSONS_END) -> dt.date:
    """The day a textbook must still be usable on to serve the academic year
    ``start_year``: the end of lessons of that year (31 May by default)."""
    month, day = lessons_end
    return dt.date(start_year + 1, month, day)


def short_label(start_year: int) -> str:
    return f"{start_year}/{start_year + 1}"


def label(start_year: int, case: str = "nom") -> str:
    """«2021/2022 учебный год» in the given grammatical case (nom, gen, dat, acc, ins, pre)."""
    try:
        words = _CASES[case]
    except KeyError:
        raise ValueError(f"unknown case {case!r}; use one of {', '.join(_CASES)}") from None
    return f"{short_label(start_year)} {words}"


class YearError(ValueError):
    """A year asked for (``?year=``) that the district does not have; the message is
    written for the user."""


def parse(raw: object, allowed: Collection[int], default: int) -> int:
    """The start year asked for in ``?year=`` (a page's query string or an API parameter).

    Absent or empty → ``default``; anything else must be one of ``allowed`` — the years
    the district has — or :class:`YearError` explains what is wrong. Every page and API
    endpoint reads its year through here.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    try:
        year = int(str(raw).strip())
    except ValueError:
        raise YearError(
            f"«{raw}» — не год. Укажите год начала учебного года цифрами, например 2024."
        ) from None
    if year not in allowed:
        known = sorted(allowed)
        hint = f" В системе есть годы с {known[0]} по {known[-1]}." if known else ""
        raise YearError(f"Года {year} в системе нет.{hint}")
    return year
