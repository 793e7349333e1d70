"""Reading and writing tables people exchange: XLSX (openpyxl) and CSV for Excel.

``read_rows`` accepts an uploaded .xlsx or .csv (``;`` or ``,``, UTF-8 or Windows-1251)
and returns its rows as lists of cell values with their row numbers as Excel shows
them. ``workbook`` / ``xlsx_response`` write sheets ready to print (A4, fitted to the
page width, header repeated on every page, borders, money and dates in Russian formats);
text that would start a formula is always written as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from copy import copy
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bibliomo.lib import files, uploads, years
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
        return _bounded_rows(name, sheet.iter_rows(values_only=True))
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
    read = 0

    def counted() -> Iterator[list[str]]:
        nonlocal read
        for cells in reader:
            read += 1
            yield cells

    try:
        return _bounded_rows(name, counted())
    except csv.Error as exc:
        # The csv module's own limit (131,072 characters) or a stray quote mark.
        raise ValidationError(
            f"Файл «{name}», строка {read + 1}: ячейка слишком длинная или кавычки не "
            "закрыты — таблицу не удалось прочитать."
        ) from exc


def _bounded_rows(name: str, source: Iterable[Sequence[Any]]) -> list[tuple[int, list[Any]]]:
    """The non-empty rows with Excel's row numbers, trailing empty cells dropped, refused
    past the bounds (columns, cell size, rows, reading time) — the same for XLSX and CSV."""
    deadline = time.monotonic() + READ_SECONDS
    rows: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(source, start=1):
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


# A header is looked for among the first rows: above it people put a title, the date,
# the publisher's address — rarely more than a few lines.
HEADER_SEARCH_ROWS = 10


def find_header(
    rows: Sequence[tuple[int, Sequence[Any]]],
    columns: Mapping[str, Iterable[str]],
    is_header: Callable[[dict[str, int]], bool],
    *,
    search: int = HEADER_SEARCH_ROWS,
) -> tuple[int, dict[str, int]] | None:
    """The header row of an upload: (its position in ``rows``, its columns by
    ``header_columns``) for the first of the first ``search`` rows whose columns
    ``is_header`` accepts; None if there is none. The rows after it are the data."""
    for position, (_, cells) in enumerate(rows[:search]):
        found = header_columns(cells, columns)
        if is_header(found):
            return position, found
    return None


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


# --- writing -------------------------------------------------------------------------

# OWASP «CSV injection»: a cell that starts with one of these is read as a formula by
# Excel and LibreOffice, so text that does is always stored as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"  # shown as «# ##0,00» by a Russian Excel or LibreOffice
DATE_FORMAT = "DD.MM.YYYY"
# Above this many cells a sheet is streamed (openpyxl write-only mode): the region's
# consolidated order has hundreds of thousands of cells.
STREAM_CELLS = 50_000
# About as many characters of column width as fit across portrait A4 at 100 %.
PORTRAIT_WIDTH = 95


@dataclass
class Sheet:
    """A table for people: ``caption`` lines name what it is — the school or district and
    the year; the writer adds the date of printing below them.

    ``money`` lists the (0-based) columns holding roubles; Decimal values are money anyway.
    ``landscape``: None chooses by the width of the columns. ``hidden`` columns are kept
    in the file but not shown (the monitoring's school columns in a school's own form).
    """

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    caption: Sequence[str] = field(default_factory=list)  # lines above the table
    widths: Sequence[int] = field(default_factory=list)
    money: Sequence[int] = field(default_factory=list)
    landscape: bool | None = None
    hidden: Sequence[int] = field(default_factory=list)


def printed_on(today: dt.date | None = None) -> str:
    """The line under the caption: the academic year and the date of printing."""
    day = today or dt.date.today()
    return f"{years.label(years.start_year_for(day))}. Дата печати: {day:%d.%m.%Y}"


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=12)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _fit_widths(spec: Sheet, rows: list[Sequence[Any]]) -> list[int]:
    if spec.widths:
        return list(spec.widths) + [12] * max(0, len(spec.header) - len(spec.widths))
    fitted = [len(str(h)) for h in spec.header]
    for row in rows[:1000]:  # a sample is enough to size the columns
        for i, value in enumerate(row[: len(fitted)]):
            fitted[i] = max(fitted[i], min(len(str(value if value is not None else "")), 60))
    return [max(8, min(w + 2, 50)) for w in fitted]


def print_setup(ws: Any, *, header_row: int, landscape: bool, title: str = "") -> None:
    """A4 in the given orientation, fitted to one page wide, the header row on every
    printed page, page numbers below and the title above. Sheets not written by
    :func:`workbook` (the plan's own layout) get their print set-up here too."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "Страница &P из &N"
    if title:
        ws.oddHeader.left.text = title[:200].replace("&", "&&")
    ws.freeze_panes = f"A{header_row + 1}"


def _page_setup(ws: Any, spec: Sheet, widths: list[int], header_row: int) -> None:
    """Orientation by the width of the shown columns, then :func:`print_setup`."""
    shown = sum(w for i, w in enumerate(widths) if i not in set(spec.hidden))
    landscape = spec.landscape if spec.landscape is not None else shown > PORTRAIT_WIDTH
    title = spec.caption[0] if spec.caption else ""
    print_setup(ws, header_row=header_row, landscape=landscape, title=title)
    for i, width in enumerate(widths, start=1):
        dim = ws.column_dimensions[get_column_letter(i)]
        dim.width = width
        if i - 1 in spec.hidden:
            dim.hidden = True


def _cell_style(cell: Any, value: Any, column: int, money: set[int]) -> None:
    cell.border = _BORDER
    if isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, Decimal) or (column in money and isinstance(value, int | float)):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _plain(value: Any) -> Any:
    """What goes into the cell: datetimes lose their time zone (Excel has none)."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _lead_rows(spec: Sheet, today: dt.date | None) -> list[tuple[str, Font]]:
    lines = [(line, _TITLE if i == 0 else _BOLD) for i, line in enumerate(spec.caption)]
    lines.append((printed_on(today), Font(italic=True)))
    return lines


def workbook(
    sheets: Iterable[Sheet], *, write_only: bool = False, today: dt.date | None = None
) -> Workbook:
    """A workbook of sheets ready to print: the caption and the date of printing, a bold
    bordered header (frozen, repeated on every printed page), bordered rows, dates
    дд.мм.гггг, money «# ##0,00», A4 fitted to the page width.

    ``write_only`` streams the rows (openpyxl's write-only mode) — for the region's
    largest tables; the result can only be saved, not read back."""
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    for spec in sheets:
        rows = spec.rows if isinstance(spec.rows, list) else list(spec.rows)
        ws = book.create_sheet(spec.title[:31])
        widths = _fit_widths(spec, rows)
        lead = _lead_rows(spec, today)
        header_row = len(lead) + 2
        _page_setup(ws, spec, widths, header_row)
        money = set(spec.money)
        if write_only:
            _write_streamed(ws, spec, rows, lead, money)
        else:
            _write_cells(ws, spec, rows, lead, money)
    return book


def _write_cells(
    ws: Any, spec: Sheet, rows: list[Sequence[Any]], lead: list[tuple[str, Any]], money: set[int]
) -> None:
    for line, font in lead:
        ws.append([line])
        ws.cell(ws.max_row, 1).font = font
    ws.append([])
    ws.append(list(spec.header))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = _BOLD
        cell.alignment = _WRAP
        cell.border = _BORDER
    for row in rows:
        values = [_plain(v) for v in row]
        ws.append(values)
        r = ws.max_row
        for c, value in enumerate(values):
            _cell_style(ws.cell(r, c + 1), value, c, money)


def _write_streamed(
    ws: Any, spec: Sheet, rows: list[Sequence[Any]], lead: list[tuple[str, Any]], money: set[int]
) -> None:
    for line, font in lead:
        cell = WriteOnlyCell(ws, line)
        cell.font = font
        ws.append([cell])
    ws.append([])
    header = []
    for text in spec.header:
        cell = WriteOnlyCell(ws, text)
        cell.font, cell.alignment, cell.border = _BOLD, _WRAP, _BORDER
        header.append(cell)
    ws.append(header)
    first = len(lead) + 3  # the lead lines, an empty row, the header
    # Styling every cell triples the time of a region-sized table: only dates, money and
    # formula-like text get a cell style; the borders come from one conditional format
    # over the whole table, which Excel and LibreOffice print like cell borders.
    date_style = WriteOnlyCell(ws)
    date_style.number_format = DATE_FORMAT
    money_style = WriteOnlyCell(ws)
    money_style.number_format = MONEY_FORMAT
    for row in rows:
        out = []
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(ws, _plain(value))
                cell._style = copy(date_style._style)
            elif isinstance(value, Decimal) or (c in money and isinstance(value, int | float)):
                cell = WriteOnlyCell(ws, value)
                cell._style = copy(money_style._style)
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                cell = WriteOnlyCell(ws, value)
                cell.data_type = "s"
                cell.quotePrefix = True
            else:
                out.append(value)
                continue
            out.append(cell)
        ws.append(out)
    if rows and spec.header:
        last = first + len(rows) - 1
        area = f"A{first}:{get_column_letter(len(spec.header))}{last}"
        ws.conditional_formatting.add(area, FormulaRule(formula=["TRUE"], border=_BORDER))


def _cells(sheets: list[Sheet]) -> int:
    # The rows are lists by now (xlsx_response makes them so); a generator is not counted.
    return sum(len(s.rows) * max(1, len(s.header)) for s in sheets if isinstance(s.rows, Sized))


def book_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def book_response(book: Workbook, filename: str) -> HttpResponse:
    """Send a workbook as a download with a Cyrillic-safe file name."""
    return files.download(book_bytes(book), filename, files.XLSX)


def xlsx_response(filename: str, sheets: Iterable[Sheet]) -> HttpResponse:
    specs = [s if isinstance(s.rows, list) else replace(s, rows=list(s.rows)) for s in sheets]
    return book_response(workbook(specs, write_only=_cells(specs) > STREAM_CELLS), filename)
