"""Texts copied from last year's plan that still name last year's dates (no Django here).

A copied plan keeps its texts word for word; «24.03.2022», «в марте 2022 г.» or
«2021–2022 учебный год» left in an item would mislead, so the copy marks such items for
the head to review."""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?!\d)")


def stale_mentions(text: str, new_start_year: int) -> list[str]:
    """The dates and years in ``text`` from before the academic year starting
    ``new_start_year`` (1 September of it – 31 August of the next)."""
    found: list[str] = []
    for match in DATE.finditer(text):
        year = int(match.group(3))
        year = year + 2000 if year < 100 else year
        month = int(match.group(2))
        if year < new_start_year or (year == new_start_year and month < 9):
            found.append(match.group(0))
    without_dates = DATE.sub(" ", text)
    for match in YEAR.finditer(without_dates):
        if int(match.group(1)) < new_start_year:
            found.append(match.group(1))
    return list(dict.fromkeys(found))


def review_note(texts: list[str], new_start_year: int) -> str:
    """What the head should check in an item, or "" when nothing looks old."""
    found: list[str] = []
    for text in texts:
        found += stale_mentions(text or "", new_start_year)
    found = list(dict.fromkeys(found))
    if not found:
        return ""
    return "Проверьте даты после копирования: в тексте " + ", ".join(found) + "."
