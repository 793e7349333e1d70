"""Working days in Russia: Monday–Friday except public holidays (no Django here)."""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("RU", years=year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (a question asked on Friday with two
    working days to answer is due on Tuesday)."""
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def is_overdue(asked_on: dt.date, days: int, today: dt.date) -> bool:
    return today > add_working_days(asked_on, days)
