"""Plan the redistribution of textbooks between schools.

``--input FILE.json --output PLAN.json`` plans a scenario given in a file and never
touches the database (the format is in README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bibliomo.exchange import scenario as scenarios
from bibliomo.exchange.solver import solve


class Command(BaseCommand):
    help = "Рассчитать план перераспределения учебников между школами (из файла JSON)."
    requires_system_checks: list[str] = []  # a file scenario needs neither checks nor the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, help="сценарий в JSON")
        parser.add_argument("--output", type=Path, help="куда записать план (JSON)")
        parser.add_argument("--max-km", type=float, help="наибольшее расстояние, км")
        parser.add_argument(
            "--exclude-school", action="append", default=[], help="id школы, не участвующей"
        )
        parser.add_argument(
            "--exclude-entry", action="append", default=[], help="учебник, не участвующий"
        )

    def handle(self, *args, **options) -> None:
        if not options["input"]:
            raise CommandError("Укажите --input ФАЙЛ.json.")
        self.plan_file(options)

    def plan_file(self, options) -> None:
        path: Path = options["input"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"Файл {path} не найден.") from None
        except UnicodeDecodeError:
            raise CommandError(f"Файл {path} должен быть в кодировке UTF-8.") from None
        except OSError as exc:
            raise CommandError(f"Не удалось прочитать файл {path}: {exc.strerror}.") from None
        try:
            scenario = scenarios.parse_text(text)
        except scenarios.ScenarioError as exc:
            raise CommandError(f"Ошибки в файле {path}:\n" + "\n".join(exc.errors)) from None
        if options["max_km"] is not None:
            if options["max_km"] <= 0:
                raise CommandError("--max-km должно быть положительным числом.")
            scenario.max_km = options["max_km"]
        # Ids in the file may be numbers; on the command line they arrive as text.
        by_text = {str(k): k for k in scenario.schools}
        entries = {str(i.entry): i.entry for i in scenario.items}
        plan = solve(
            scenario.schools,
            scenario.items,
            scenario.options(
                exclude_schools=[by_text.get(s, s) for s in options["exclude_school"]],
                exclude_entries=[entries.get(e, e) for e in options["exclude_entry"]],
            ),
        )
        result = scenarios.plan_to_dict(plan)
        output = json.dumps(result, ensure_ascii=False, indent=2)
        if options["output"]:
            try:
                options["output"].write_text(output + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    f"Не удалось записать файл {options['output']}: {exc.strerror}."
                ) from None
        else:
            self.stdout.write(output)
        (self.stdout if options["output"] else self.stderr).write(summary(result))


def summary(result: dict) -> str:
    return (
        f"Покрыто экземпляров: {result['covered']}, не покрыто: {result['uncovered']}, "
        f"экз.×км: {result['copy_km']}, отправок: {result['shipments']}, "
        f"строк плана: {len(result['transfers'])}."
    )
