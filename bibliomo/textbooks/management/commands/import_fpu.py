from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from bibliomo.lib.tables import read_rows
from bibliomo.textbooks.importer import FpuImportError, import_rows


class Command(BaseCommand):
    help = "Загружает федеральный перечень учебников (ФПУ) из XLSX или CSV."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Файл .xlsx или .csv в формате перечня министерства")
        parser.add_argument(
            "--edition",
            help="Приказ, например «Приказ № 858 от 21.09.2022» (по умолчанию — имя файла)",
        )
        parser.add_argument(
            "--amends",
            action="store_true",
            help="Приказ вносит изменения в перечень (например, № 769): учебники, которых нет "
            "в файле, не исключаются",
        )

    def handle(
        self, *args, file: str, edition: str | None, amends: bool = False, **options
    ) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Файл не найден: {file}")
        with path.open("rb") as handle:
            try:
                rows = read_rows(File(handle, name=path.name), max_mb=100)
                result = import_rows(rows, edition or path.stem, amends=amends)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            except FpuImportError as exc:
                for line in exc.errors:
                    self.stderr.write(line)
                raise CommandError(
                    f"Перечень не загружен: ошибок — {len(exc.errors)}; ничего не изменено."
                ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.edition}: добавлено {result.created}, обновлено {result.updated}, "
                f"исключено {result.excluded}."
            )
        )
