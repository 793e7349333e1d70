"""Import of the Federal list (ФПУ) from a table in the ministry's column layout.

The header is found by its words (порядковый номер, наименование, автор, класс,
издатель, …) and may span merged or repeated rows. Rows whose number is a section number
without authors or grade are section titles: they are skipped, and the last one names
the subject of the entries under it. Every bad row is reported (row, column, what is
wrong) and then nothing is saved. Importing a newer edition updates entries by their
number and marks those that disappeared as excluded.

An amending order (e.g. № 769 of 05.11.2024 to list № 858) lists only what it changes:
imported with ``amends=True`` it adds and updates the entries it names — an empty cell or
a missing column keeps what is stored — and leaves every other entry as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from bibliomo.accounts.models import User
from bibliomo.lib import bulk
from bibliomo.lib.tables import clean, header_columns, parse_date
from bibliomo.textbooks.models import FederalListEdition, FederalListEntry, number_key

NUMBER = re.compile(r"^\d+(\.\d+)+\.?$")
GRADES = re.compile(r"^(\d{1,2})(?:\s*[-–—]\s*(\d{1,2}))?(?:\s*(?:кл\.?|класс))?$")

# column → (header words that find it, the column's Russian name in messages)
COLUMNS: dict[str, tuple[tuple[str, ...], str]] = {
    "number": (("порядковый",), "Порядковый номер учебника"),
    "title": (("наименование учебника", "название учебника"), "Наименование учебника"),
    "authors": (("автор",), "Автор/авторский коллектив"),
    "grades": (("класс",), "Класс"),
    "publisher": (("издател",), "Наименование издателя(ей) учебника"),
    "level": (("углубл",), "Углублённый уровень"),
    "use_until": (("предельн", "срок использ"), "Предельный срок использования"),
    "excluded_by": (("исключ",), "Исключён приказом"),
    "subject": (("предмет",), "Учебный предмет"),
    "isbn": (("isbn",), "ISBN"),
    "price": (("цена",), "Цена"),
    "unified": (("егу", "единый государствен", "единые государствен"), "ЕГУ"),
}
# How the lists mark a единый государственный учебник; an empty cell is «no».
UNIFIED_YES = frozenset({"да", "+", "1", "егу", "x", "х", "v", "✓", "true"})
UNIFIED_NO = frozenset({"", "нет", "-", "–", "—", "0", "false"})
REQUIRED = ("number", "title", "grades")


class FpuImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Result:
    edition: FederalListEdition
    created: int = 0
    updated: int = 0
    excluded: int = 0
    sections: int = 0
    errors: list[str] = field(default_factory=list)


def _find_columns(rows: list[tuple[int, list[Any]]]) -> tuple[dict[str, int], int]:
    """Column indexes by header words, and the row number where the header ends."""
    found: dict[str, int] = {}
    last_header_row = 0
    words = {key: w for key, (w, _) in COLUMNS.items()}
    for number, cells in rows[:15]:
        before = len(found)
        # «Наименование издателя» must not be taken for the title.
        header_columns(cells, words, found, unless={"title": ("издател",)})
        matched = len(found) > before
        if matched:
            last_header_row = number
        if all(k in found for k in REQUIRED) and not matched:
            break
    missing = [COLUMNS[k][1] for k in REQUIRED if k not in found]
    if missing:
        raise FpuImportError(
            [
                "Не найдены столбцы: "
                + ", ".join(f"«{m}»" for m in missing)
                + ". Проверьте, что файл — федеральный перечень учебников с заголовком таблицы."
            ]
        )
    return found, last_header_row


def _is_header_repeat(values: dict[str, str]) -> bool:
    number = values.get("number", "").casefold()
    # A repeated header, or the row of column numbers «1 2 3 4 5» under it.
    return "порядков" in number or (number.isdigit() and values.get("title", "").isdigit())


def _parse_grades(text: str) -> tuple[int, int] | None:
    m = GRADES.match(text.strip())
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if not (1 <= first <= last <= 11):
        return None
    return first, last


def parse(rows: list[tuple[int, list[Any]]]) -> tuple[list[dict[str, Any]], int, list[str]]:
    """The entries of the table as dicts, the number of section rows, and the errors."""
    columns, header_end = _find_columns(rows)
    entries: list[dict[str, Any]] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    subject = ""
    sections = 0

    def err(row: int, key: str, message: str) -> None:
        errors.append(f"Строка {row}, столбец «{COLUMNS[key][1]}»: {message}")

    for row, cells in rows:
        if row <= header_end:
            continue
        raw = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
        values = {k: clean(v) for k, v in raw.items()}
        if _is_header_repeat(values):
            continue
        number = values["number"]
        if not values["authors"] and not values["grades"]:
            # A section title: «1.1.1.1.1. Русский язык (учебный предмет)» or a bare title.
            sections += 1
            if values["title"]:
                subject = re.sub(r"\s*\(.*?\)\s*$", "", values["title"]).strip()
            continue
        if not NUMBER.match(number):
            err(
                row, "number", f"«{number or 'пусто'}» — не порядковый номер (например 1.1.1.1.1.1)"
            )
            continue
        key = number_key(number)
        if key in seen:
            err(row, "number", f"номер {number} уже встречался в строке {seen[key]}")
            continue
        seen[key] = row
        item: dict[str, Any] = {"number": number, "key": key, "subject": subject}
        # What this row leaves open: an amendment keeps the stored value there.
        item["_blank"] = {k for k in COLUMNS if not values.get(k)}
        if not values["title"]:
            err(row, "title", "не заполнено")
        item["title"] = values["title"][:500]
        item["authors"] = values.get("authors", "")[:500]
        grades = _parse_grades(values["grades"])
        if grades is None:
            err(
                row,
                "grades",
                f"«{values['grades']}» — не класс (ожидается 1–11 или диапазон, например 10-11)",
            )
        else:
            item["grades"] = values["grades"].split("к")[0].strip().replace("–", "-")
            item["grade_from"], item["grade_to"] = grades
        item["publisher"] = values.get("publisher", "")[:300]
        if values.get("subject"):
            item["subject"] = values["subject"][:200]
        item["level"] = (
            FederalListEntry.Level.ADVANCED
            if values.get("level") and values["level"].casefold() not in ("-", "нет", "0")
            else FederalListEntry.Level.BASIC
        )
        item["isbn"] = values.get("isbn", "")[:200]
        item["price"] = None
        if values.get("price"):
            try:
                item["price"] = Decimal(values["price"].replace(" ", "").replace(",", "."))
            except InvalidOperation:
                err(row, "price", f"«{values['price']}» — не число")
        item["use_until"] = None
        if "use_until" in columns:
            try:
                item["use_until"] = parse_date(raw["use_until"])
            except ValueError:
                err(row, "use_until", f"«{values['use_until']}» — не дата (ожидается дд.мм.гггг)")
        item["excluded_by"] = values.get("excluded_by", "")[:300]
        # Without the column the flag stays as it is: an older list says nothing of ЕГУ,
        # and a flag set by hand must not be lost to it.
        if "unified" in columns:
            mark = values["unified"].casefold()
            if mark in UNIFIED_YES:
                item["is_unified"] = True
            elif mark in UNIFIED_NO:
                item["is_unified"] = False
            else:
                err(row, "unified", f"«{values['unified']}» — ожидается «да» или «нет»")
        entries.append(item)
    if not entries and not errors:
        errors.append("В файле не найдено ни одного учебника.")
    return entries, sections, errors


def _edition_date(title: str) -> dt.date | None:
    m = re.search(r"(\d{2}\.\d{2}\.\d{4})", title)
    return dt.datetime.strptime(m.group(1), "%d.%m.%Y").date() if m else None


# The entry's fields each column fills; the others take the column's own name.
COLUMN_FIELDS = {"grades": ("grades", "grade_from", "grade_to"), "unified": ("is_unified",)}


def _amended(item: dict[str, Any], blank: set[str]) -> dict[str, Any]:
    """The fields an amending order's row sets: those whose cells it fills."""
    kept = {f for k in blank for f in COLUMN_FIELDS.get(k, (k,))}
    if not item["subject"]:
        kept.add("subject")
    return {k: v for k, v in item.items() if k not in kept}


def import_rows(
    rows: list[tuple[int, list[Any]]],
    edition_title: str,
    user: User | None = None,
    *,
    amends: bool = False,
) -> Result:
    """Import the parsed table as ``edition_title``; raises FpuImportError with every error.
    ``amends``: the edition changes the list rather than replacing it (see the module)."""
    items, sections, errors = parse(rows)
    if errors:
        raise FpuImportError(errors)
    with transaction.atomic():
        edition, _ = FederalListEdition.objects.get_or_create(
            title=edition_title, defaults={"order_date": _edition_date(edition_title)}
        )
        existing = {e.key: e for e in FederalListEntry.objects.all()}
        result = Result(edition=edition, sections=sections)
        to_create: list[FederalListEntry] = []
        to_update: dict[frozenset[str], list[FederalListEntry]] = {}
        unchanged: list[int] = []
        for item in items:
            entry = existing.pop(item["key"], None)
            blank = item.pop("_blank")
            if entry is None:
                entry = FederalListEntry()
                to_create.append(entry)
            elif amends:
                item = _amended(item, blank)
            values = dict(item)
            use_until = values.get("use_until", entry.use_until)
            excluded_by = values.get("excluded_by", entry.excluded_by)
            if amends and use_until and not excluded_by:
                # The amending order is the one that set the date.
                excluded_by = values["excluded_by"] = edition_title
            values["status"] = (
                FederalListEntry.Status.EXCLUDED
                if use_until or excluded_by
                else FederalListEntry.Status.INCLUDED
            )
            if entry.pk:
                changed = frozenset(n for n, v in values.items() if getattr(entry, n) != v)
                if not changed:
                    # Most of a new edition repeats the last one: such an entry only moves to
                    # the new edition, which one UPDATE does (the edition records the import).
                    unchanged.append(entry.pk)
                    continue
                # bulk_update writes a CASE per row and field: only the fields that changed.
                to_update.setdefault(changed, []).append(entry)
            for name, value in values.items():
                setattr(entry, name, value)
            entry.edition = edition
            entry.fill_search_text()
        # Entries the new edition no longer lists stay (schools hold them) but are excluded;
        # an amendment names only what it changes.
        gone = [
            e
            for e in ([] if amends else existing.values())
            if e.status != FederalListEntry.Status.EXCLUDED
        ]
        for entry in gone:
            entry.status = FederalListEntry.Status.EXCLUDED
            entry.excluded_by = entry.excluded_by or edition_title
        user_id = getattr(user, "pk", None)
        bulk.create_with_history(FederalListEntry, to_create, key="key", user_id=user_id)
        for changed, entries in to_update.items():
            fields = [*changed, "edition", "search_text"]
            bulk.update_with_history(FederalListEntry, entries, fields, user_id=user_id)
        for start in range(0, len(unchanged), 1000):
            FederalListEntry.objects.filter(pk__in=unchanged[start : start + 1000]).update(
                edition=edition
            )
        bulk.update_with_history(FederalListEntry, gone, ["status", "excluded_by"], user_id=user_id)
        edition.entry_count = len(items)
        edition.save(update_fields=["entry_count"])
        result.created, result.excluded = len(to_create), len(gone)
        result.updated = sum(map(len, to_update.values())) + len(unchanged)
    return result
