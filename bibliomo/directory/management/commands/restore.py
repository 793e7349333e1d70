from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bibliomo.directory import backup


class Command(BaseCommand):
    help = (
        "Восстановить резервную копию (папку команды backup) в пустую базу и пустую папку "
        "файлов, затем сверить каждую таблицу и каждый файл с описью копии."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", help="папка резервной копии")
        parser.add_argument("--replace", action="store_true", help="заменить непустую базу и файлы")

    def handle(self, *args, folder: str, replace: bool, **options) -> None:
        try:
            manifest = backup.restore(Path(folder), replace=replace)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Восстановлено и сверено: таблиц {len(manifest['tables'])}, "
                f"файлов {len(manifest['files'])}."
            )
        )
