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
import math
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from copy import copy
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.utils.exceptions import IllegalCharacterError

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
# Above this many cells a download's rows are written by :class:`_RowsBook` rather than
# cell by cell through openpyxl: a district's consolidated order has ~35,000 cells.
STREAM_CELLS = 10_000
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


class _Styles:
    """The cell styles of a sheet's rows, each built once: setting a border or a number
    format on a cell hashes the style objects, which for every cell of a region-sized
    table took longer than everything else together."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self._made: dict[str, StyleArray] = {}

    def get(self, kind: str) -> StyleArray:
        """«plain», «date», «money» or «text» (formula-like text kept as text); made on
        first use, so a workbook lists only the formats it uses, in the order it uses
        them — as styling each cell did."""
        style = self._made.get(kind)
        if style is None:
            cell = Cell(self.ws)
            cell.border = _BORDER
            if kind == "date":
                cell.number_format = DATE_FORMAT
            elif kind == "money":
                cell.number_format = MONEY_FORMAT
            elif kind == "text":
                cell.quotePrefix = True
            style = self._made[kind] = cell._style
        return style


def _kind(value: Any, column: int, money: set[int]) -> str:
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Decimal) or (column in money and isinstance(value, int | float)):
        return "money"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "text"
    return "plain"


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

    ``write_only`` leaves the rows out of the workbook's cells and writes them straight
    into the file when it is saved (:class:`_RowsBook`) — for the region's largest
    tables; the file is the same, but the result can only be saved, not read back."""
    book = _RowsBook() if write_only else Workbook()
    book.remove(book.active)
    for spec in sheets:
        rows = spec.rows if isinstance(spec.rows, list) else list(spec.rows)
        ws = book.create_sheet(spec.title[:31])
        widths = _fit_widths(spec, rows)
        lead = _lead_rows(spec, today)
        header_row = len(lead) + 2
        _page_setup(ws, spec, widths, header_row)
        money = set(spec.money)
        _write_head(ws, spec, lead)
        if isinstance(book, _RowsBook):
            book.later(ws, spec, rows, header_row + 1, money)
        else:
            _write_cells(ws, rows, header_row + 1, money)
    return book


def _write_head(ws: Any, spec: Sheet, lead: list[tuple[str, Any]]) -> None:
    for r, (line, font) in enumerate(lead, start=1):
        ws.append([line])
        ws.cell(r, 1).font = font
    ws.append([])
    ws.append(list(spec.header))
    for cell in ws[len(lead) + 2]:
        cell.font = _BOLD
        cell.alignment = _WRAP
        cell.border = _BORDER


def _write_cells(ws: Any, rows: list[Sequence[Any]], first: int, money: set[int]) -> None:
    # Rows are numbered here: ws.max_row scans every cell, and asked once a row it made
    # a region-sized sheet quadratic.
    styles = _Styles(ws)
    for r, row in enumerate(rows, start=first):
        values = [_plain(v) for v in row]
        ws.append(values)
        for c, value in enumerate(values):
            cell = ws.cell(r, c + 1)
            kind = _kind(value, c, money)
            cell._style = copy(styles.get(kind))
            if kind == "text":
                cell.data_type = "s"


@dataclass
class _LaterRows:
    ws: Any
    rows: list[Sequence[Any]]
    first: int  # the row number of the first of ``rows``
    width: int  # the sheet's columns
    money: set[int]


class _RowsBook(Workbook):  # type: ignore[misc]  # openpyxl has no type hints
    """A workbook whose sheets' rows are written into the file on :meth:`save`, as the
    XML openpyxl writes for the same cells, without a cell object each: the region's
    consolidated orders have ~2.4 million cells, and openpyxl's cells took about 10 µs
    each to build, style and write even streamed."""

    def __init__(self) -> None:
        super().__init__()
        self._later: list[_LaterRows] = []

    def later(
        self, ws: Any, spec: Sheet, rows: list[Sequence[Any]], first: int, money: set[int]
    ) -> None:
        width = max([len(spec.header), *(len(r) for r in rows)])
        self._later.append(_LaterRows(ws, rows, first, width, money))

    def save(self, filename: Any) -> None:
        # The rows' XML is made first: openpyxl writes the styles after the sheets, so the
        # styles the rows use are in the file. They are numbered in the order the file
        # first uses them, as openpyxl numbers them on saving: a sheet's head, its rows.
        bodies = {}
        for part in self._later:
            for cell in part.ws._cells.values():
                self._cell_styles.add(cell._style)
            # openpyxl numbers the sheets' files by their place in the book.
            name = f"xl/worksheets/sheet{self.worksheets.index(part.ws) + 1}.xml"
            bodies[name] = (part, _rows_xml(part, self._cell_styles))
        made = io.BytesIO()
        super().save(made)
        with (
            zipfile.ZipFile(made) as source,
            zipfile.ZipFile(filename, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                data = source.read(info)
                if info.filename in bodies:
                    # The fastest compression: the region's sheets are ~80 MB of XML, and
                    # the default level took longer than writing it.
                    data = _splice_rows(data, *bodies[info.filename])
                    target.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel=1)
                else:
                    target.writestr(info, data)


_DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')


def _splice_rows(xml: bytes, part: _LaterRows, body: bytes) -> bytes:
    head, tail = xml.split(b"</sheetData>", 1)
    if part.rows and part.width:
        last = part.first + len(part.rows) - 1
        ref = f'<dimension ref="A1:{get_column_letter(part.width)}{last}"/>'.encode()
        head = _DIMENSION.sub(ref, head, count=1)
    return b"".join([head, body, b"</sheetData>", tail])


_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _rows_xml(part: _LaterRows, registry: Any) -> bytes:
    """The rows as openpyxl writes the same cells: inline strings, numbers as «%.16g»,
    dates as Excel's serial days, an empty bordered cell for None.

    It runs for millions of cells, so the loop makes no call per cell: what follows a
    cell's reference is made once per value (a table repeats its titles, schools and
    counts) and kept as ASCII, so the whole is encoded at once."""
    letters = [get_column_letter(i) for i in range(1, part.width + 1)]
    made = _Styles(part.ws)
    ids: dict[str, int] = {}

    def style(kind: str) -> int:
        if kind not in ids:
            ids[kind] = registry.add(made.get(kind))
        return ids[kind]

    money = part.money
    texts: dict[str, str] = {}
    plain_numbers: dict[int | float, str] = {}
    money_numbers: dict[int | float, str] = {}
    empty = ""
    out: list[str] = []
    add = out.append
    for r, row in enumerate(part.rows, start=part.first):
        add(f'<row r="{r}">')
        for c, value in enumerate(row):
            kind = type(value)
            if value is None:
                if not empty:
                    empty = f' s="{style("plain")}" t="n"></c>'
                add(f'<c r="{letters[c]}{r}"{empty}')
            elif kind is str:
                rest = texts.get(value)
                if rest is None:
                    s = style("text" if value.startswith(FORMULA_START) else "plain")
                    rest = texts[value] = _text_cell(value, s)
                add(f'<c r="{letters[c]}{r}"{rest}')
            elif kind is int or kind is float:
                numbers = money_numbers if c in money else plain_numbers
                rest = numbers.get(value)
                if rest is None:
                    s = style("money" if c in money else "plain")
                    rest = numbers[value] = f' s="{s}" t="n"><v>{_number(value)}</v></c>'
                add(f'<c r="{letters[c]}{r}"{rest}')
            elif isinstance(value, str):  # a str subclass: a lazy or safe string
                s = style("text" if value.startswith(FORMULA_START) else "plain")
                add(f'<c r="{letters[c]}{r}"{_text_cell(str(value), s)}')
            elif isinstance(value, dt.date):
                days = _number(to_excel(_plain(value)))
                add(f'<c r="{letters[c]}{r}" s="{style("date")}" t="n"><v>{days}</v></c>')
            elif isinstance(value, bool):
                s = style(_kind(value, c, money))
                add(f'<c r="{letters[c]}{r}" s="{s}" t="b"><v>{value:d}</v></c>')
            elif isinstance(value, int | float | Decimal):
                s = style(_kind(value, c, money))
                add(f'<c r="{letters[c]}{r}" s="{s}" t="n"><v>{_number(value)}</v></c>')
            else:
                raise ValueError(f"Cannot convert {value!r} to Excel")
        add("</row>")
    return "".join(out).encode("ascii")


def _number(value: int | float | Decimal) -> str:
    return "%.16g" % value if math.isfinite(value) else ""  # noqa: UP031 — openpyxl's own


def _text_cell(value: str, style: int) -> str:
    """What follows the reference of a text cell, in ASCII (as openpyxl writes text)."""
    value = value[:32767]  # Excel's limit; openpyxl cuts there too
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    if not value:
        return f' s="{style}" t="inlineStr"></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    text = value.translate(_ESCAPE).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return f' s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>'


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
