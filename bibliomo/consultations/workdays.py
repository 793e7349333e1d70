"""Working days in Russia (no Django here).

The government moves days off every year: a Saturday may become a working day so that a
holiday bridges a weekend (1 November 2025, 28 December 2024). The ``holidays`` package
knows these transfers, so working days are asked of it rather than of the weekday.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays


@cache
def _calendar() -> holidays.HolidayBase:
    # expand=True (the default) loads further years on demand.
    return holidays.country_holidays("RU")


def is_working_day(day: dt.date) -> bool:
    return bool(_calendar().is_working_day(day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (a question asked on Friday with two
    working days to answer is due on Tuesday)."""
    if days <= 0:
        return start
    return _calendar().get_nth_working_day(start, days)


def is_overdue(asked_on: dt.date, days: int, today: dt.date) -> bool:
    return today > add_working_days(asked_on, days)
