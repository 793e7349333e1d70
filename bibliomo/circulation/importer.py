"""The pupils' list from a table in the usual «ФИО; класс» layout (a third column, the
personal number, is optional). All or nothing: every bad row is named with its row
number and column, and nothing is saved while any row is bad. Classes named in the file
and missing for the year are created; a pupil already on the school's list (by personal
number, else by name) moves to the class the file gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from bibliomo.accounts.models import PersonalDataExport, User
from bibliomo.circulation.models import Classroom, Pupil, default_return_by
from bibliomo.directory.models import AcademicYear, School
from bibliomo.lib.tables import clean, header_columns

CLASS_RE = re.compile(
    r"^(\d{1,2})\s*[-–—]?\s*[«\"]?([А-ЯЁA-Z]?)[»\"]?(?:\s*класс)?$", re.IGNORECASE
)
MAX_PUPILS = 5000


class PupilImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int
    moved: int
    classes: int


def parse_class(text: str) -> tuple[int, str] | None:
    """«5 А», «5А», «5-а», «11 «Б»» → (grade, letter); None if not a class."""
    match = CLASS_RE.match(text.strip())
    if not match:
        return None
    grade = int(match.group(1))
    if not 1 <= grade <= 11:
        return None
    return grade, match.group(2).upper().replace("A", "А").replace("B", "В")


def _is_header(cells: list[str]) -> bool:
    return "name" in header_columns(cells[:2], {"name": ("фио", "фамилия")})


def import_pupils(
    school: School, year: int, rows: list[tuple[int, list[Any]]], user: User
) -> ImportResult:
    AcademicYear.open(year)
    errors: list[str] = []
    parsed: list[tuple[int, str, str, tuple[int, str], str]] = []
    seen: dict[tuple[str, str], tuple[int, tuple[int, str]]] = {}
    for number, raw in rows:
        cells = [clean(c) for c in raw] + ["", "", ""]
        if not parsed and not errors and _is_header(cells):
            continue
        name, klass, personal = cells[0], cells[1], cells[2]
        words = name.split()
        if len(words) < 2:
            errors.append(
                f"Строка {number}, столбец A «ФИО»: нужны фамилия и имя"
                + (f", а указано «{name}»." if name else ", а ячейка пустая.")
            )
            continue
        if not klass:
            errors.append(f"Строка {number}, столбец B «Класс»: не указан класс ({name}).")
            continue
        parsed_class = parse_class(klass)
        if parsed_class is None:
            errors.append(
                f"Строка {number}, столбец B «Класс»: «{klass}» — не класс; "
                "пишите так: 5 А, 10Б, 1."
            )
            continue
        last, first = words[0], " ".join(words[1:2])
        key = (personal, "") if personal else (last.lower(), first.lower())
        if key in seen:
            row, other = seen[key]
            what = f"личный номер {personal}" if personal else f"«{last} {first}»"
            if other != parsed_class:
                errors.append(
                    f"Строка {number}: {what} уже указан в строке {row} в классе "
                    f"{other[0]} {other[1]}".rstrip()
                    + " — ученик не может учиться в двух классах. Исправьте одну из строк."
                )
            else:
                errors.append(
                    f"Строка {number}: {what} повторяет строку {row}. Если это тёзки, "
                    "укажите личные номера в столбце C."
                )
            continue
        seen[key] = (number, parsed_class)
        parsed.append((number, last, first, parsed_class, personal))
    if len(parsed) > MAX_PUPILS:
        errors.append(f"В файле больше {MAX_PUPILS} учеников — разделите его.")
    if not parsed and not errors:
        errors.append("В файле нет ни одного ученика.")
    if errors:
        raise PupilImportError(errors)

    with transaction.atomic():
        classes = {
            (c.grade, c.letter): c for c in Classroom.objects.filter(school=school, year_id=year)
        }
        made = 0
        for grade_letter in sorted({p[3] for p in parsed} - set(classes)):
            classes[grade_letter] = Classroom.objects.create(
                school=school, year_id=year, grade=grade_letter[0], letter=grade_letter[1],
                return_by=default_return_by(year),
            )  # fmt: skip
            made += 1
        known = list(Pupil.objects.filter(school=school))
        by_number = {p.number: p for p in known if p.number}
        by_name = {(p.last_name.lower(), p.first_name.lower()): p for p in known if not p.number}
        new, changed = [], []
        for _, last, first, class_key, personal in parsed:
            classroom = classes[class_key]
            pupil = (
                by_number.get(personal) if personal else by_name.get((last.lower(), first.lower()))
            )
            if pupil is None:
                new.append(
                    Pupil(school=school, classroom=classroom, last_name=last,
                          first_name=first, number=personal)
                )  # fmt: skip
            elif pupil.classroom_id != classroom.pk or pupil.left_on:
                pupil.classroom, pupil.left_on = classroom, None
                changed.append(pupil)
        Pupil.objects.bulk_create(new, batch_size=1000)
        Pupil.objects.bulk_update(changed, ["classroom", "left_on"], batch_size=1000)
        PersonalDataExport.objects.create(
            user=user, what=f"Загрузка списка учащихся: {school.short_name}", rows=len(parsed)
        )
    return ImportResult(created=len(new), moved=len(changed), classes=made)
