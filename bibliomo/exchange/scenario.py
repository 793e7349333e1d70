"""The JSON scenario of ``manage.py plan_exchange --input``: reading, checking, writing.

Pure code (no Django). Every problem in a file is reported in Russian, naming the list,
the position (from 1) and the field, so a coordinator can fix the file without a
programmer. The format is described in README.md.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from bibliomo.exchange.solver import Item, Options, Plan

MAX_ERRORS = 20
MAX_COPIES = 10_000_000  # a region holds ~1.5 million copies in all
MAX_DEPTH = 20  # the format nests four levels; deeper is not a scenario


class ScenarioError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Scenario:
    schools: dict[Any, tuple[float, float]] = field(default_factory=dict)
    items: list[Item] = field(default_factory=list)
    max_km: float | None = None

    def options(self, exclude_schools=(), exclude_entries=()) -> Options:
        return Options(
            max_km=self.max_km,
            exclude_schools=frozenset(exclude_schools),
            exclude_entries=frozenset(exclude_entries),
        )


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_id(value: Any) -> bool:
    return (isinstance(value, str) and value.strip() != "") or (
        isinstance(value, int) and not isinstance(value, bool)
    )


def _count(value: Any, *, bound: bool = True) -> bool:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return False
    return value <= MAX_COPIES or not bound


def _depth(text: str) -> int:
    """How deep the brackets nest (outside strings), read before json does: its parser
    recurses and fails with a RecursionError on a few thousand levels."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                break
        elif char in "]}":
            depth -= 1
    return deepest


def parse_text(text: str) -> Scenario:
    if _depth(text) > MAX_DEPTH:
        raise ScenarioError(
            [f"Файл вложен глубже {MAX_DEPTH} уровней: это не сценарий (см. формат в README)."]
        )
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            [f"Файл не является корректным JSON: строка {exc.lineno}, столбец {exc.colno}."]
        ) from None
    except ValueError:  # an integer of thousands of digits (Python's conversion limit)
        raise ScenarioError(["В файле число из тысяч цифр: таких количеств не бывает."]) from None
    except RecursionError:  # pragma: no cover — the depth check comes first
        raise ScenarioError(["Файл вложен слишком глубоко."]) from None
    return parse(data)


def parse(data: Any) -> Scenario:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise ScenarioError(
            ['Файл должен содержать объект JSON с полями "schools", "items" и "max_km".']
        )
    scenario = Scenario()

    schools = data.get("schools")
    if not isinstance(schools, list):
        errors.append('Поле "schools" должно быть списком школ.')
        schools = []
    for number, school in enumerate(schools, 1):
        where = f'Школа № {number} в "schools"'
        if not isinstance(school, dict):
            errors.append(f'{where}: ожидается объект с полями "id", "lat", "lon".')
            continue
        school_id = school.get("id")
        ok = True
        if not _is_id(school_id):
            errors.append(f'{where}: поле "id" должно быть непустой строкой или целым числом.')
            ok = False
        elif school_id in scenario.schools:
            errors.append(f"{where}: школа с id {_show(school_id)} уже была выше.")
            ok = False
        for name, bound in (("lat", 90), ("lon", 180)):
            value = school.get(name)
            if not _is_number(value) or abs(value) > bound:
                errors.append(
                    f'{where}: поле "{name}" должно быть числом от −{bound} до {bound}, '
                    f"получено {_show(value)}."
                )
                ok = False
        if ok:
            scenario.schools[school_id] = (float(school["lat"]), float(school["lon"]))

    items = data.get("items")
    if not isinstance(items, list):
        errors.append('Поле "items" должно быть списком позиций.')
        items = []
    seen: set[tuple[Any, Any]] = set()
    for number, item in enumerate(items, 1):
        where = f'Позиция № {number} в "items"'
        if not isinstance(item, dict):
            errors.append(
                f'{where}: ожидается объект с полями "school", "entry", "surplus", "shortage".'
            )
            continue
        ok = True
        school_id, entry = item.get("school"), item.get("entry")
        if not _is_id(school_id):
            errors.append(f'{where}: поле "school" должно быть id школы.')
            ok = False
        elif school_id not in scenario.schools:
            errors.append(
                f'{where}: школы с id {_show(school_id)} нет в списке "schools" '
                "(или в её описании ошибка)."
            )
            ok = False
        if not _is_id(entry):
            errors.append(f'{where}: поле "entry" должно быть непустой строкой или целым числом.')
            ok = False
        counts = {}
        for name in ("surplus", "shortage"):
            value = item.get(name, 0)
            if not _count(value):
                errors.append(
                    f'{where}: поле "{name}" должно быть целым неотрицательным числом, '
                    f"получено {_show(value)}"
                    + (f" — больше {MAX_COPIES}." if _count(value, bound=False) else ".")
                )
                ok = False
            counts[name] = value
        if not ok:
            continue
        if counts["surplus"] > 0 and counts["shortage"] > 0:
            errors.append(
                f"{where}: у школы {_show(school_id)} по учебнику {_show(entry)} не может "
                "быть одновременно излишка и недостатка."
            )
            continue
        if (school_id, entry) in seen:
            errors.append(
                f"{where}: школа {_show(school_id)} и учебник {_show(entry)} уже были выше."
            )
            continue
        seen.add((school_id, entry))
        scenario.items.append(Item(school_id, entry, counts["surplus"], counts["shortage"]))

    max_km = data.get("max_km")
    if max_km is not None and (not _is_number(max_km) or max_km <= 0):
        errors.append(
            f'Поле "max_km" должно быть положительным числом или null, получено {_show(max_km)}.'
        )
    else:
        scenario.max_km = None if max_km is None else float(max_km)

    if errors:
        if len(errors) > MAX_ERRORS:
            rest = len(errors) - MAX_ERRORS
            errors = [*errors[:MAX_ERRORS], f"… и ещё ошибок: {rest}."]
        raise ScenarioError(errors)
    return scenario


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The output format: lines with km to 0.1; copy_km is the total of the lines shown."""
    transfers = [
        {
            "from": line.giver,
            "to": line.taker,
            "entry": line.entry,
            "copies": line.copies,
            "km": round(line.km, 1),
        }
        for line in sorted(plan.lines, key=lambda ln: (str(ln.entry), str(ln.giver), str(ln.taker)))
    ]
    return {
        "transfers": transfers,
        "covered": plan.covered,
        "uncovered": plan.uncovered,
        "copy_km": round(sum(t["copies"] * t["km"] for t in transfers), 1),
        "shipments": plan.shipments,
    }
