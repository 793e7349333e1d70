"""The shared reminder rule: every row is marked with the day, letters are counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bibliomo.lib import reminders


class Row:
    def __init__(self, has_email: bool) -> None:
        self.has_email = has_email
        self.reminded_on: dt.date | None = None
        self.saved: list[list[str]] = []

    def save(self, *, update_fields: Iterable[str]) -> None:
        self.saved.append(list(update_fields))


def test_send_marks_every_row_and_counts_only_the_letters():
    rows = [Row(True), Row(False), Row(True)]
    day = dt.date(2026, 3, 18)
    assert reminders.send(rows, lambda row: row.has_email, day) == 2
    # The row whose school has no e-mail is marked too, so it is not retried all day.
    assert [row.reminded_on for row in rows] == [day, day, day]
    assert [row.saved for row in rows] == [[["reminded_on"]]] * 3


def test_command_passes_the_days_and_reports_the_count(capsys):
    asked = []

    class Command(reminders.DeadlineReminderCommand):
        def send_reminders(self, days_before: int) -> int:
            asked.append(days_before)
            return 4

    from django.core.management import call_command

    call_command(Command(), "--days", "5")
    call_command(Command())
    assert asked == [5, reminders.DAYS_BEFORE]
    assert "Напоминаний поставлено в очередь: 4." in capsys.readouterr().out
