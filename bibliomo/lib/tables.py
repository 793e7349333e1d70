"""Reading and writing tables people exchange: XLSX (openpyxl) and CSV for Excel.

``read_rows`` accepts an uploaded .xlsx or .csv (``;`` or ``,``, UTF-8 or Windows-1251)
and returns its rows as lists of cell values with their row numbers as Excel shows
them. ``xlsx_response`` sends a workbook built from simple sheets.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bibliomo.lib import files, uploads
from bibliomo.lib.text import strip_control

MAX_TABLE_MB = 10
# Bounds for any table people upload. The Federal list, the largest, has ~2,000 rows of
# ~20 columns; these leave a wide margin and still keep a hostile file from tying up a
# worker (the ZIP inside an XLSX is checked by uploads.check_container).
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 5_000  # a title with all its authors is a few hundred
READ_SECONDS = 60


def read_rows(upload: Any, max_mb: int = MAX_TABLE_MB) -> list[tuple[int, list[Any]]]:
    """(row number, cells) for every non-empty row of the first sheet.

    Anything that is not a readable table within the bounds above raises a Russian
    ``ValidationError`` before it is read in full. Formulas in an XLSX are read as the
    values Excel last computed; text that starts with «=» is refused."""
    name = getattr(upload, "name", "") or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    size = getattr(upload, "size", None)
    if size is not None and size > max_mb * 1024 * 1024:
        raise ValidationError(f"Файл «{name}» больше {max_mb} МБ.")
    if ext not in ("xlsx", "csv"):
        raise ValidationError("Загрузите файл Excel (.xlsx) или CSV (.csv).")
    upload.seek(0)
    data = upload.read(max_mb * 1024 * 1024 + 1)
    if not data:
        raise ValidationError(f"Файл «{name}» пуст.")
    if len(data) > max_mb * 1024 * 1024:
        raise ValidationError(f"Файл «{name}» больше {max_mb} МБ.")
    rows = _read_xlsx(name, data) if ext == "xlsx" else _read_csv(name, data)
    return [(i, cells) for i, cells in rows if any(clean(c) for c in cells)]


def _too_big(name: str, what: str) -> ValidationError:
    return ValidationError(
        f"Файл «{name}» слишком велик для загрузки: {what}. Разделите таблицу на части "
        "или удалите лишние строки и столбцы."
    )


def _check_cell(name: str, number: int, column: int, value: Any) -> None:
    if not isinstance(value, str):
        return
    where = f"Файл «{name}», строка {number}, столбец {get_column_letter(column)}"
    if len(value) > MAX_CELL_CHARS:
        raise ValidationError(
            f"{where}: в ячейке больше {MAX_CELL_CHARS} знаков — это не похоже на данные таблицы."
        )
    # A formula typed as text would come back to life in the next export opened in
    # Excel; nothing in our tables starts with «=», so such a file is refused.
    if value.lstrip().startswith("="):
        raise ValidationError(
            f"{where}: в ячейке формула «{value.strip()[:40]}». Вставьте в таблицу значения "
            "(«Специальная вставка» → «Значения»), а не формулы."
        )


def _read_xlsx(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    not_xlsx = ValidationError(f"Файл «{name}» не является книгой Excel (.xlsx).")
    if not data.startswith(b"PK"):
        raise not_xlsx
    uploads.check_container(data, name, "книга Excel (.xlsx)")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(f"Файл «{name}» не удалось прочитать как .xlsx.") from exc
    try:
        if not book.worksheets:
            raise ValidationError(f"В файле «{name}» нет ни одного листа.")
        sheet = book.worksheets[0]
        # The sheet's declared size, checked before a single row is read.
        if (sheet.max_row or 0) > MAX_ROWS + 100 or (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_big(
                name,
                f"лист «{sheet.title}» размером {sheet.max_row or 0} строк × "
                f"{sheet.max_column or 0} столбцов",
            )
        deadline = time.monotonic() + READ_SECONDS
        rows: list[tuple[int, list[Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = list(values)
            while cells and cells[-1] in (None, ""):
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise _too_big(name, f"в строке {number} больше {MAX_COLUMNS} столбцов")
            for column, value in enumerate(cells, start=1):
                _check_cell(name, number, column, value)
            if cells:
                if len(rows) >= MAX_ROWS:
                    raise _too_big(name, f"больше {MAX_ROWS} строк")
                rows.append((number, cells))
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise _too_big(name, "чтение заняло больше минуты")
        return rows
    except ValidationError:
        raise
    except Exception as exc:  # a sheet broken further in (bad XML, a truncated entry)
        raise ValidationError(f"Файл «{name}» повреждён: его не удалось дочитать.") from exc
    finally:
        book.close()


def _read_csv(name: str, data: bytes) -> list[tuple[int, list[Any]]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            f"Файл «{name}» сохранён в кодировке UTF-16. Сохраните его из Excel как "
            "«CSV UTF-8 (разделитель — запятая)» или «CSV (разделители — точка с запятой)»."
        )
    if b"\x00" in data[:8192]:
        raise ValidationError(f"Файл «{name}» не похож на текстовый файл .csv.")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1251 leaves only five bytes undefined
        raise ValidationError(
            f"Файл «{name}»: неизвестная кодировка. Сохраните его в UTF-8 или Windows-1251."
        )
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            while cells and cells[-1] == "":
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                raise _too_big(name, f"в строке {number} больше {MAX_COLUMNS} столбцов")
            for column, value in enumerate(cells, start=1):
                _check_cell(name, number, column, value)
            if cells:
                if len(rows) >= MAX_ROWS:
                    raise _too_big(name, f"больше {MAX_ROWS} строк")
                rows.append((number, cells))
    except csv.Error as exc:
        # The csv module's own limit (131,072 characters) or a stray quote mark.
        raise ValidationError(
            f"Файл «{name}», строка {number + 1}: ячейка слишком длинная или кавычки не "
            "закрыты — таблицу не удалось прочитать."
        ) from exc
    return rows


def clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(strip_control(str(value)).split())


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
