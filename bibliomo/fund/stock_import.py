"""Import of a school's existing stock from a table as one opening-balance document."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.directory.models import School
from bibliomo.fund import services
from bibliomo.fund.models import Document, DocumentLine, Source
from bibliomo.lib.tables import HEADER_SEARCH_ROWS, clean, find_header, header_columns
from bibliomo.textbooks.models import FederalListEntry, number_key

COLUMNS = {
    "number": (("номер", "№"), "Порядковый номер"),
    "title": (("наименование", "название"), "Наименование"),
    "year": (("год",), "Год поступления"),
    "copies": (("экз", "количество", "кол-во"), "Количество экземпляров"),
    "price": (("цена",), "Цена"),
}


class StockImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


REQUIRED = ("number", "year", "copies")


def _columns(rows: list[tuple[int, list[Any]]]) -> tuple[int, dict[str, int]]:
    """(the header's position, its columns); a Russian error naming what is missing."""
    columns = {key: words for key, (words, _) in COLUMNS.items()}
    header = find_header(rows, columns, lambda found: all(k in found for k in REQUIRED))
    if header is None:
        found = header_columns(rows[0][1], columns)
        missing = [COLUMNS[k][1] for k in REQUIRED if k not in found]
        raise StockImportError(
            [
                f"В первых {HEADER_SEARCH_ROWS} строках нет заголовка со столбцами: "
                + ", ".join(f"«{m}»" for m in missing)
                + "."
            ]
        )
    return header


def import_stock(
    school: School, rows: list[tuple[int, list[Any]]], user: User | None = None
) -> Document:
    """Parse, check every row, then post one «ввод остатков» receipt; all or nothing."""
    if not rows:
        raise StockImportError(["Файл пуст."])
    position, columns = _columns(rows)
    entries = {e.key: e for e in FederalListEntry.objects.all()}
    this_year = timezone.localdate().year
    errors: list[str] = []
    lines: list[DocumentLine] = []

    def err(row: int, key: str, message: str) -> None:
        errors.append(f"Строка {row}, столбец «{COLUMNS[key][1]}»: {message}")

    for row, cells in rows[position + 1 :]:
        values = {k: clean(cells[i]) if i < len(cells) else "" for k, i in columns.items()}
        entry = entries.get(number_key(values["number"]))
        if entry is None:
            err(
                row,
                "number",
                f"«{values['number'] or 'пусто'}» — такого учебника нет в федеральном перечне",
            )
        year = copies = None
        try:
            year = int(values["year"])
            if not 1950 <= year <= this_year:
                raise ValueError
        except ValueError:
            err(row, "year", f"«{values['year']}» — не год (от 1950 до {this_year})")
        try:
            copies = int(values["copies"])
            if copies <= 0:
                raise ValueError
        except ValueError:
            err(row, "copies", f"«{values['copies']}» — нужно целое число больше нуля")
        price = Decimal("0.00")
        if values.get("price"):
            try:
                price = Decimal(values["price"].replace(" ", "").replace(",", "."))
            except InvalidOperation:
                err(row, "price", f"«{values['price']}» — не число")
        if entry and year and copies:
            lines.append(DocumentLine(entry=entry, copies=copies, price=price, receipt_year=year))
    if not lines and not errors:
        errors.append("В файле нет ни одной строки с учебниками.")
    if errors:
        raise StockImportError(errors)
    with transaction.atomic():
        doc = Document.objects.create(
            school=school,
            kind=Document.Kind.RECEIPT,
            number=f"ВО-{timezone.localdate():%Y%m%d}",
            date=timezone.localdate(),
            source=Source.OPENING,
            basis="Ввод остатков учебного фонда при начале учёта в системе",
        )
        for line in lines:
            line.document = doc
        DocumentLine.objects.bulk_create(lines)
        return services.post(doc, user)
