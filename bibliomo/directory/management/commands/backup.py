from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.directory import backup


class Command(BaseCommand):
    help = "Резервная копия: база данных и загруженные файлы (MEDIA_ROOT) в одну папку."

    def add_arguments(self, parser) -> None:
        parser.add_argument("destination", help="папка, в которой создать копию")

    def handle(self, *args, destination: str, **options) -> None:
        try:
            folder = backup.backup(Path(destination))
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Резервная копия создана: {folder}"))
