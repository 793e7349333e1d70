"""Reading and writing tables people exchange: XLSX (openpyxl) and CSV for Excel.

``read_rows`` accepts an uploaded .xlsx or .csv (``;`` or ``,``, UTF-8 or Windows-1251)
and returns its rows as lists of cell values with their row numbers as Excel shows
them. ``xlsx_response`` sends a workbook built from simple sheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bibliomo.lib import files

MAX_TABLE_MB = 10


def read_rows(upload: Any, max_mb: int = MAX_TABLE_MB) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every non-empty row of the first sheet."""
    name = getattr(upload, "name", "") or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    size = getattr(upload, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ValidationError(f"Файл «{name}» больше {max_mb} МБ.")
    upload.seek(0)
    data = upload.read()
    if ext == "xlsx":
        if not data.startswith(b"PK"):
            raise ValidationError(f"Файл «{name}» не является книгой Excel (.xlsx).")
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise ValidationError(f"Файл «{name}» не удалось прочитать как .xlsx.") from exc
        sheet = book.worksheets[0]
        rows = [
            (i, list(values)) for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        book.close()
    elif ext == "csv":
        if b"\x00" in data[:8192]:
            raise ValidationError(f"Файл «{name}» не похож на текстовый файл .csv.")
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover — cp1251 decodes almost anything
            raise ValidationError(f"Файл «{name}»: неизвестная кодировка.")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        rows = [(i, r) for i, r in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1)]
    else:
        raise ValidationError("Загрузите файл Excel (.xlsx) или CSV (.csv).")
    return [(i, cells) for i, cells in rows if any(clean(c) for c in cells)]


def clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


def header_columns(
    cells: Iterable[Any],
    columns: Mapping[str, Iterable[str]],
    found: dict[str, int] | None = None,
    *,
    unless: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, int]:
    """Which cell of a header row is which column: a cell goes to the first column not yet
    found one of whose words it contains (case and «ё» aside), unless it also contains one
    of that column's ``unless`` words. ``found`` carries matches over several header rows.
    The importers of every app find their columns here."""
    found = {} if found is None else found
    for idx, cell in enumerate(cells):
        text = clean(cell).casefold().replace("ё", "е")
        if not text:
            continue
        for key, words in columns.items():
            if key in found or not any(w in text for w in words):
                continue
            if unless and any(w in text for w in unless.get(key, ())):
                continue
            found[key] = idx
            break
    return found


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: a real date, «дд.мм.гггг» or «гггг-мм-дд»; '' → None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean(value)
    if not text:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    caption: Sequence[str] = field(default_factory=list)  # lines above the table
    widths: Sequence[int] = field(default_factory=list)


def workbook(sheets: Iterable[Sheet]) -> Workbook:
    """A workbook of simple sheets: caption lines, a bold header (frozen), the rows; dates
    shown дд.мм.гггг; column widths as given or fitted to the contents."""
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for spec in sheets:
        ws = book.create_sheet(spec.title[:31])
        for line in spec.caption:
            ws.append([line])
            ws.cell(ws.max_row, 1).font = bold
        if spec.caption:
            ws.append([])
        ws.append(list(spec.header))
        header_row = ws.max_row
        for cell in ws[header_row]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        fitted = [len(str(h)) for h in spec.header]
        for row in spec.rows:
            ws.append(list(row))
            if not spec.widths:
                for i, value in enumerate(row[: len(fitted)]):
                    fitted[i] = max(fitted[i], min(len(str(value or "")), 60))
        widths = spec.widths or [max(8, w + 2) for w in fitted]
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for row in ws.iter_rows(min_row=header_row + 1):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    return book


def book_response(book: Workbook, filename: str) -> HttpResponse:
    """Send a workbook as a download with a Cyrillic-safe file name."""
    buffer = io.BytesIO()
    book.save(buffer)
    return files.download(buffer.getvalue(), filename, files.XLSX)


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    return book_response(workbook(sheets), filename)
