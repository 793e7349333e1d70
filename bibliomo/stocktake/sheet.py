"""The count sheet (инвентаризационная опись / сличительная ведомость) as XLSX: printed
on A4 to count by hand, and uploaded back filled in — all rows or none, every bad row
named by its number and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from bibliomo.accounts.models import User
from bibliomo.lib import tables
from bibliomo.stocktake import services
from bibliomo.stocktake.models import CountLine, Stocktake
from bibliomo.textbooks.models import FederalListEntry, number_key

CODE = "Код строки"
NUMBER = "№ в ФПУ"
TITLE = "Наименование учебника"
GRADES = "Класс"
YEAR = "Год поступления"
BOOKS = "По учёту, экз."
ISSUED = "Выдано учащимся, экз."
COUNTED = "На полке, экз."
DIFFERENCE = "Разница (+ излишки, − недостача)"
HEADER = [CODE, NUMBER, TITLE, GRADES, YEAR, BOOKS, ISSUED, COUNTED, DIFFERENCE]
# A hidden column after the printed ones: the line's version when the sheet was made, so
# that a count someone saved after the download is not overwritten by the file.
VERSION = "Версия строки"
SHEET_MARK = "Код описи:"


def title(stocktake: Stocktake) -> str:
    return "Инвентаризационная опись (сличительная ведомость) учебного фонда"


def workbook(stocktake: Stocktake, *, blind: bool) -> Workbook:
    """The sheet; ``blind`` leaves «по учёту» and the difference empty."""
    campaign = stocktake.campaign
    lines = services.sheet_lines(stocktake)
    rows = []
    for ln in lines:
        rows.append(
            [
                ln.pk,
                ln.entry.number,
                ln.entry.title,
                ln.entry.grades,
                ln.receipt_year,
                None if blind else ln.on_books,
                ln.issued,
                ln.counted,
                None,
                ln.version,
            ]
        )
    caption = [
        title(stocktake),
        stocktake.school.full_name,
        f"Инвентаризация «{campaign.name}», {campaign.order_label}; "
        f"срок — {campaign.deadline:%d.%m.%Y}",
        f"{SHEET_MARK} {stocktake.pk}. Заполните столбец «{COUNTED}» (0, если учебников нет);"
        " не меняйте код строки. Найденные учебники, которых нет в описи, впишите внизу "
        "без кода строки: номер в ФПУ, год поступления и количество.",
    ]
    book = tables.workbook(
        [
            tables.Sheet(
                title="Опись",
                header=[*HEADER, VERSION],
                rows=rows,
                caption=caption,
                widths=[9, 16, 48, 8, 11, 10, 11, 10, 13, 8],
                hidden=[len(HEADER)],
            )
        ]
    )
    ws = book.worksheets[0]
    header_row = len(caption) + 3  # the caption, the date of printing, an empty row
    if not blind:
        for i in range(len(rows)):
            r = header_row + 1 + i
            ws.cell(r, 9).value = f'=IF(H{r}="","",H{r}+N(G{r})-F{r})'
    _print_setup(ws, header_row)
    last = header_row + len(rows) + 2
    for offset, text in enumerate(
        [
            "Председатель комиссии: ____________________ / ____________________",
            "Члены комиссии: ____________________ / ____________________",
            "                ____________________ / ____________________",
            "Материально ответственное лицо: ____________________ / ____________________",
            "Дата: «___» ____________ 20___ г.",
        ]
    ):
        ws.cell(last + offset * 2, 3).value = text
    return book


def _print_setup(ws: Worksheet, header_row: int) -> None:
    """A4 landscape, one page wide, the header repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.gridLines = True
    ws.oddFooter.center.text = "Лист &P из &N"


# --- back in ---------------------------------------------------------------------------


@dataclass
class Row:
    number: int
    line: CountLine | None
    # The line's version in the file (None for a sheet without the column, an added row).
    version: int | None
    entry: FederalListEntry | None
    year: int | None
    counted: int | None
    issued: int | None


def _int(value: Any, row: int, column: str, errors: list[str]) -> int | None:
    text = tables.clean(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
    except ValueError:
        errors.append(f"Строка {row}, столбец «{column}»: «{text}» — не число.")
        return None
    if not number.is_integer():
        errors.append(f"Строка {row}, столбец «{column}»: «{text}» — нужно целое число.")
        return None
    if number < 0:
        errors.append(f"Строка {row}, столбец «{column}»: число не может быть отрицательным.")
        return None
    if number > services.MAX_COUNT:
        errors.append(f"Строка {row}, столбец «{column}»: {int(number)} — слишком много.")
        return None
    return int(number)


def _overwrites(line: CountLine, made_from: int | None, counted: int | None) -> bool:
    """The file would replace a count saved after it was downloaded with another number."""
    return (
        made_from is not None
        and line.version != made_from
        and counted is not None
        and line.counted is not None
        and counted != line.counted
    )


def _when(line: CountLine) -> str:
    name = services.who(line.updated_by) or "другой пользователь"
    if line.updated_at is None:
        return name
    return f"{name} {timezone.localtime(line.updated_at):%d.%m.%Y %H:%M}"


def read(stocktake: Stocktake, upload: Any) -> list[Row]:
    """Check the whole file against the sheet; raise ValidationError listing every bad
    row, or return the rows to apply."""
    table = tables.read_rows(upload)
    header_at = None
    for index, (_, cells) in enumerate(table):
        texts = [tables.clean(c) for c in cells]
        if NUMBER in texts and COUNTED in texts:
            header_at = index
            columns = {name: texts.index(name) for name in [*HEADER, VERSION] if name in texts}
            break
    if header_at is None:
        raise ValidationError(
            f"В файле не найдена строка заголовка описи со столбцами «{NUMBER}» и «{COUNTED}». "
            "Скачайте опись из системы и заполните её."
        )
    for _, cells in table[:header_at]:
        text = " ".join(tables.clean(c) for c in cells)
        if SHEET_MARK in text:
            code = text.split(SHEET_MARK, 1)[1].strip().split(".")[0].strip()
            if code.isdigit() and int(code) != stocktake.pk:
                other = Stocktake.objects.filter(pk=int(code)).select_related("school").first()
                where = f" («{other.school.short_name}»)" if other else ""
                raise ValidationError(
                    f"Это опись другой инвентаризации{where}, не школы "
                    f"«{stocktake.school.short_name}». Загрузите опись своей школы."
                )
    own = {ln.pk: ln for ln in stocktake.lines.select_related("entry", "updated_by")}

    def cell(cells: list[Any], name: str) -> Any:
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    errors: list[str] = []
    rows: list[Row] = []
    codes = [
        tables.clean(cell(c, CODE))
        for _, c in table[header_at + 1 :]
        if tables.clean(cell(c, CODE)).isdigit()
    ]
    foreign = {
        ln.pk: ln.stocktake.school.short_name
        for ln in CountLine.objects.filter(pk__in=[int(c) for c in codes])
        .exclude(stocktake=stocktake)
        .select_related("stocktake__school")
    }
    numbers = {
        number_key(tables.clean(cell(c, NUMBER)))
        for _, c in table[header_at + 1 :]
        if tables.clean(cell(c, NUMBER))
    }
    entries = {e.key: e for e in FederalListEntry.objects.filter(key__in=numbers)}
    seen: dict[tuple[int, int], int] = {}
    for row_number, cells in table[header_at + 1 :]:
        code = tables.clean(cell(cells, CODE))
        number = tables.clean(cell(cells, NUMBER))
        if not code and not number:
            continue  # signatures under the table
        counted = _int(cell(cells, COUNTED), row_number, COUNTED, errors)
        issued = _int(cell(cells, ISSUED), row_number, ISSUED, errors)
        if code:
            line = own.get(int(code)) if code.isdigit() else None
            if line is None:
                if code.isdigit() and int(code) in foreign:
                    errors.append(
                        f"Строка {row_number}, столбец «{CODE}»: строка описи другой школы "
                        f"(«{foreign[int(code)]}»)."
                    )
                else:
                    errors.append(
                        f"Строка {row_number}, столбец «{CODE}»: «{code}» — нет такой строки "
                        "в описи этой школы."
                    )
                continue
            if number and number_key(number) != line.entry.key:
                errors.append(
                    f"Строка {row_number}, столбец «{NUMBER}»: «{number}» не совпадает с "
                    f"учебником этой строки описи ({line.entry.number})."
                )
                continue
            version = tables.clean(cell(cells, VERSION))
            made_from = int(version) if version.isdigit() else None
            if _overwrites(line, made_from, counted):
                errors.append(
                    f"Строка {row_number}, столбец «{COUNTED}»: после того как опись была "
                    f"скачана, эту строку записал(а) {_when(line)}: {line.counted} экз. (в файле "
                    f"— {counted}). Скачайте опись заново или исправьте число в строке."
                )
                continue
            rows.append(
                Row(row_number, line, made_from, line.entry, line.receipt_year, counted, issued)
            )
            continue
        entry = entries.get(number_key(number))
        if entry is None:
            errors.append(
                f"Строка {row_number}, столбец «{NUMBER}»: в федеральном перечне нет "
                f"учебника № {number}."
            )
            continue
        year = _int(cell(cells, YEAR), row_number, YEAR, errors)
        if year is None or not 1950 <= year <= timezone.localdate().year:
            errors.append(
                f"Строка {row_number}, столбец «{YEAR}»: укажите год поступления (от 1950 "
                "до текущего)."
            )
            continue
        if counted is None:
            errors.append(
                f"Строка {row_number}, столбец «{COUNTED}»: для добавленного учебника "
                "укажите количество."
            )
            continue
        existing = next(
            (ln for ln in own.values() if ln.entry_id == entry.pk and ln.receipt_year == year),
            None,
        )
        key = (entry.pk, year)
        if key in seen:
            errors.append(
                f"Строка {row_number}: учебник {entry.number} поступления {year} года уже "
                f"записан в строке {seen[key]}."
            )
            continue
        seen[key] = row_number
        rows.append(Row(row_number, existing, None, entry, year, counted, issued))
    if errors:
        raise ValidationError(errors)
    return rows


def upload(stocktake: Stocktake, upload: Any, user: User | None = None) -> tuple[int, int]:
    """Apply a filled sheet: (lines counted, earlier counts of others replaced). All or
    nothing."""
    services._check_countable(stocktake)
    rows = read(stocktake, upload)
    track_issued = services.issued_counts(stocktake.school) is None
    now = timezone.now()
    changed, replaced = 0, 0
    with transaction.atomic():
        for row in rows:
            if row.line is None:
                # read() gives a row without a line only with its entry and year found.
                assert row.entry is not None and row.year is not None
                services.add_line(stocktake, row.entry, row.year, row.counted, user)
                changed += 1
                continue
            line = row.line
            if row.counted is None and (row.issued is None or not track_issued):
                continue
            fields: dict[str, Any] = {}
            if row.counted is not None and row.counted != line.counted:
                fields["counted"] = row.counted
            if track_issued and row.issued is not None and row.issued != line.issued:
                fields["issued"] = row.issued
            if not fields:
                continue
            if line.counted is not None and line.updated_by_id != getattr(user, "pk", None):
                replaced += 1
            # The version read a moment ago is the condition: a count saved from a phone
            # while the file was being checked is not overwritten either.
            done = CountLine.objects.filter(pk=line.pk, version=line.version).update(
                **fields,
                version=F("version") + 1,
                updated_by=user if getattr(user, "pk", None) else None,
                updated_at=now,
            )
            if not done:
                raise ValidationError(
                    f"Строка {row.number}: её только что записал другой пользователь. "
                    "Ничего не сохранено — загрузите опись ещё раз."
                )
            changed += 1
        if changed:
            services._started(stocktake, user)
    return changed, replaced
