"""The «Сроки» column of a plan: structured timing, its Russian rendering and parsing.

Pure functions, no Django: the models, the DOCX import and the calendar all use them.
Kinds: the whole year («В течение года»), a month or a month range («Март»,
«Май–сентябрь»), an exact date (дд.мм.гггг), on request («По заявкам библиотекарей»),
or nothing printed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

NONE = ""
YEAR = "year"
MONTHS = "months"
DATE = "date"
ON_REQUEST = "request"

KINDS = [
    (NONE, "не указаны"),
    (YEAR, "в течение года"),
    (MONTHS, "месяц или месяцы"),
    (DATE, "точная дата"),
    (ON_REQUEST, "по заявкам библиотекарей"),
]

WHOLE_YEAR_TEXT = "В течение года"
ON_REQUEST_TEXT = "По заявкам библиотекарей"

MONTH_NAMES = [
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
]  # fmt: skip
# The academic year's months in order: September … August.
ACADEMIC_MONTHS = [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]


@dataclass(frozen=True)
class Timing:
    kind: str = NONE
    month_from: int | None = None
    month_to: int | None = None
    date: dt.date | None = None


def render(t: Timing) -> str:
    """The text printed in the «Сроки» column."""
    if t.kind == YEAR:
        return WHOLE_YEAR_TEXT
    if t.kind == ON_REQUEST:
        return ON_REQUEST_TEXT
    if t.kind == DATE and t.date:
        return t.date.strftime("%d.%m.%Y")
    if t.kind == MONTHS and t.month_from:
        first = MONTH_NAMES[t.month_from - 1].capitalize()
        if not t.month_to or t.month_to == t.month_from:
            return first
        return f"{first}–{MONTH_NAMES[t.month_to - 1]}"
    return ""


def months(t: Timing) -> list[int]:
    """Calendar months (1–12) the timing covers; a range may wrap past December
    («Октябрь–февраль»). Whole-year and on-request items cover no particular month."""
    if t.kind == DATE and t.date:
        return [t.date.month]
    if t.kind != MONTHS or not t.month_from:
        return []
    last = t.month_to or t.month_from
    span = (last - t.month_from) % 12
    return [(t.month_from - 1 + i) % 12 + 1 for i in range(span + 1)]


def month_dates(t: Timing, start_year: int) -> list[dt.date]:
    """The first day of every month the timing covers within the academic year that
    starts in September of ``start_year`` (an exact date outside it gives nothing)."""
    if t.kind == DATE and t.date:
        first = dt.date(t.date.year, t.date.month, 1)
        inside = dt.date(start_year, 9, 1) <= first <= dt.date(start_year + 1, 8, 1)
        return [first] if inside else []
    return sorted(dt.date(start_year if m >= 9 else start_year + 1, m, 1) for m in months(t))


def starts_on(t: Timing, start_year: int) -> dt.date | None:
    """When the item becomes due within its academic year (None: never in particular)."""
    if t.kind in (YEAR, ON_REQUEST):
        return dt.date(start_year, 9, 1)
    if t.kind == DATE:
        return t.date
    dates = month_dates(t, start_year)
    if not dates:
        return None
    if t.kind == MONTHS and t.month_from:
        # A wrapping range («Май–сентябрь») starts at its first month, not at September.
        return next((d for d in dates if d.month == t.month_from), dates[0])
    return dates[0]


_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _month(word: str) -> int | None:
    """«март», «Сентябрь» or an abbreviation of three letters or more («сент.»)."""
    word = word.strip().lower().rstrip(".")
    if len(word) < 3:
        return None
    for number, name in enumerate(MONTH_NAMES, start=1):
        if name.startswith(word):
            return number
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def parse(text: str) -> Timing:
    """Read the «Сроки» text of a plan table; raises ValueError with a Russian message.

    Accepts what ``render`` prints and the variants found in real plans: «В течение
    года», «Март», «Май- сентябрь», «май – сентябрь», «12.03.2022», «По заявкам
    библиотекарей», and an empty cell.
    """
    clean = _squash(text)
    lowered = clean.lower().rstrip(".")
    if not lowered:
        return Timing()
    if lowered == WHOLE_YEAR_TEXT.lower():
        return Timing(YEAR)
    if lowered.replace(" ", "") == ON_REQUEST_TEXT.lower().replace(" ", ""):
        return Timing(ON_REQUEST)
    match = _DATE_RE.match(lowered)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return Timing(DATE, date=dt.date(year, month, day))
        except ValueError:
            raise ValueError(f"неверная дата «{clean}»") from None
    parts = re.split(r"\s*[-–—]\s*", lowered)
    if 1 <= len(parts) <= 2:
        numbers = [_month(p) for p in parts]
        if all(numbers):
            return Timing(MONTHS, month_from=numbers[0], month_to=numbers[-1])
    raise ValueError(
        f"не распознан срок «{clean}»: ожидается «{WHOLE_YEAR_TEXT}», месяц («Март»), "
        f"месяцы («Май–сентябрь»), дата (дд.мм.гггг) или «{ON_REQUEST_TEXT}»"
    )
