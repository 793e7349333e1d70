"""Open an academic year: pages read years but never create them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from bibliomo.directory.models import AcademicYear
from bibliomo.lib import years


class Command(BaseCommand):
    help = "Открыть учебный год (по умолчанию — текущий и следующий)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("start_years", nargs="*", type=int, help="год начала, например 2025")

    def handle(self, *args: object, start_years: list[int], **options: object) -> None:
        if not start_years:
            current = years.start_year_for(timezone.localdate())
            start_years = [current, current + 1]
        for start in start_years:
            if not 2000 <= start <= 2100:
                self.stderr.write(f"{start}: год начала должен быть между 2000 и 2100.")
                continue
            AcademicYear.open(start)
            self.stdout.write(f"Открыт {years.label(start)}.")
