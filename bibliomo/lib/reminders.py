"""Reminders before a deadline, shared by the campaigns that have one (textbook orders,
stocktakes …).

The rule is the same everywhere: during the last ``days_before`` days before the
campaign's deadline, every school that has not handed in its part is reminded once a
day — the row keeps the day of its last reminder (``reminded_on``), so a command run
twice on one day, or a head's «remind» button pressed after it, sends nothing twice to
the same row. The app says who gets the letter and what it says; this module selects
the rows, marks them and counts the letters. A daily cron entry runs each app's
``DeadlineReminderCommand``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

DAYS_BEFORE = 3


class Remindable(Protocol):
    reminded_on: dt.date | None

    def save(self, *, update_fields: Iterable[str]) -> None: ...


M = TypeVar("M", bound=Model)
R = TypeVar("R", bound=Remindable)


def due(
    rows: QuerySet[M],
    today: dt.date,
    days_before: int = DAYS_BEFORE,
    *,
    deadline: str = "campaign__deadline",
    is_open: str = "campaign__is_open",
) -> QuerySet[M]:
    """The rows of open campaigns whose deadline is today or within ``days_before``
    days, not yet reminded today (the caller narrows them to the unfinished ones)."""
    return rows.filter(
        Q(**{is_open: True, f"{deadline}__gte": today})
        & Q(**{f"{deadline}__lte": today + dt.timedelta(days=days_before)})
        & (Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
    )


def send(rows: Iterable[R], notify: Callable[[R], bool], today: dt.date | None = None) -> int:
    """Mark each row reminded today and let ``notify`` queue its letter (``False`` when
    the school has nobody with an e-mail); returns the number of letters. A row without
    recipients is marked too: tomorrow it is not asked again in vain."""
    today = today or timezone.localdate()
    sent = 0
    for row in rows:
        row.reminded_on = today
        row.save(update_fields=["reminded_on"])
        if notify(row):
            sent += 1
    return sent


class DeadlineReminderCommand(BaseCommand):
    """A management command «remind the schools before the deadline»: a subclass gives
    the ``help`` text and ``send_reminders(days_before=…) -> letters``."""

    def send_reminders(self, days_before: int) -> int:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=DAYS_BEFORE,
            help=f"За сколько дней до срока напоминать ({DAYS_BEFORE})",
        )

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        sent = self.send_reminders(days_before=days)
        self.stdout.write(f"Напоминаний поставлено в очередь: {sent}.")
