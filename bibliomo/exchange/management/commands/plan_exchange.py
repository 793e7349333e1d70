"""Plan the redistribution of textbooks between schools.

``--input FILE.json --output PLAN.json`` plans a scenario given in a file and never
touches the database (the format is in README.md). ``--district ID --year 2022`` plans
from stored data, stores the plan as a draft proposal and prints the same summary.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bibliomo.directory.models import District, School
from bibliomo.exchange import scenario as scenarios
from bibliomo.exchange import services
from bibliomo.exchange.solver import solve
from bibliomo.textbooks.models import FederalListEntry


class Command(BaseCommand):
    help = "Рассчитать план перераспределения учебников между школами (из файла JSON)."
    requires_system_checks: list[str] = []  # a file scenario needs neither checks nor the database

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, help="сценарий в JSON")
        parser.add_argument("--output", type=Path, help="куда записать план (JSON)")
        parser.add_argument("--district", type=int, help="id района (план по данным системы)")
        parser.add_argument("--year", type=int, help="начальный год учебного года: 2022")
        parser.add_argument("--max-km", type=float, help="наибольшее расстояние, км")
        parser.add_argument(
            "--exclude-school", action="append", default=[], help="id школы, не участвующей"
        )
        parser.add_argument(
            "--exclude-entry", action="append", default=[], help="учебник, не участвующий"
        )

    def handle(self, *args, **options) -> None:
        if options["max_km"] is not None and options["max_km"] <= 0:
            raise CommandError("--max-km должно быть положительным числом.")
        if options["input"] and options["district"] is None:
            self.plan_file(options)
        elif options["district"] is not None and not options["input"]:
            self.plan_district(options)
        else:
            raise CommandError("Укажите либо --input ФАЙЛ.json, либо --district ID --year ГОД.")

    def plan_district(self, options) -> None:
        if options["year"] is None:
            raise CommandError("Укажите --year, например --year 2022 для 2022/2023 учебного года.")
        district = District.objects.filter(pk=options["district"]).first()
        if district is None:
            raise CommandError(f"Района с id {options['district']} нет.")
        schools = School.objects.filter(district=district, pk__in=_ints(options["exclude_school"]))
        entries = FederalListEntry.objects.filter(number__in=options["exclude_entry"])
        plan = services.compute_plan(
            district,
            options["year"],
            max_km=options["max_km"],
            exclude_schools=schools,
            exclude_entries=entries,
        )
        self.stdout.write(f"{plan} сохранён как проект.")
        self.stdout.write(summary(services.summary(plan)))

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
    lines = result["transfers"]
    return (
        f"Покрыто экземпляров: {result['covered']}, не покрыто: {result['uncovered']}, "
        f"экз.×км: {result['copy_km']}, отправок: {result['shipments']}, "
        f"строк плана: {lines if isinstance(lines, int) else len(lines)}."
    )


def _ints(values: list[str]) -> list[int]:
    try:
        return [int(v) for v in values]
    except ValueError:
        raise CommandError("--exclude-school: укажите id школы числом.") from None
