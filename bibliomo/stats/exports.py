"""XLSX files: one school's statistics in the layout of form ОО-1 § 2.6, the district
table, and the professional-development table. A4 with print set-up."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bibliomo.lib import tables, years
from bibliomo.stats import oo1
from bibliomo.stats.models import LibraryReport
from bibliomo.stats.services import DistrictTable, TrainingRow

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HIGHLIGHT = PatternFill("solid", fgColor="FFF3CD")


def _print_setup(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.6
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.print_options.horizontalCentered = True


def _table(ws: Worksheet, start_row: int, header: list[str], rows: list[list]) -> int:
    for col, text in enumerate(header, start=1):
        cell = ws.cell(start_row, col, text)
        cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BOX
    row_no = start_row
    for row in rows:
        row_no += 1
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row_no, col, value)
            cell.border, cell.alignment = _BOX, _WRAP
    return row_no


def _number(value: float | None) -> float | str:
    return "—" if value is None else value


def report_workbook(report: LibraryReport, values: dict[str, dict[str, int]]) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = "Раздел 2.6"
    ws["A1"] = "Форма ФСН № ОО-1, раздел 2.6"
    ws["A2"] = "Формирование и использование библиотечного (книжного) фонда"
    ws["A3"] = f"{report.school.full_name}"
    ws["A4"] = (
        f"{years.label(report.year.start_year)}; движение фонда за {report.ledger_year} год, "
        "единиц (экземпляров)"
    )
    for ref in ("A1", "A2"):
        ws[ref].font = _BOLD
    header = ["Наименование показателя", "№ строки"] + [h for _, _, h in oo1.COLUMNS]
    _table(ws, 6, header, [])
    for col, number in enumerate(range(1, 6), start=1):
        cell = ws.cell(7, col, number)
        cell.alignment, cell.border = _CENTER, _BOX
    rows = [
        [title, code] + [values[code][c] for c in oo1.COLUMN_FIELDS] for code, title in oo1.LINES
    ]
    last = 7
    for row in rows:
        last += 1
        for col, value in enumerate(row, start=1):
            cell = ws.cell(last, col, value)
            cell.border = _BOX
            cell.alignment = _WRAP if col == 1 else _CENTER
    for col, width in zip("ABCDE", (48, 10, 16, 16, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.row_dimensions[6].height = 45
    problems = oo1.check(values)
    note = last + 2
    ws.cell(note, 1, "Проверка: строки согласованы." if not problems else "Проверка:").font = _BOLD
    for i, text in enumerate(problems, start=1):
        ws.cell(note + i, 1, text)
    _print_setup(ws)

    ws2 = book.create_sheet("Показатели")
    ws2["A1"] = f"Показатели работы библиотеки — {report.school.short_name}"
    ws2["A1"].font = _BOLD
    ws2["A2"] = years.label(report.year.start_year)
    readers = [
        ["Читателей всего", report.readers],
        ["обучающиеся 1–4 классов", report.readers_primary],
        ["обучающиеся 5–9 классов", report.readers_basic],
        ["обучающиеся 10–11 классов", report.readers_senior],
        ["педагоги", report.readers_teachers],
        ["другие", report.readers_others],
        ["Посещений за год", report.visits],
        ["Книговыдача за год", report.loans],
        ["Массовых мероприятий", report.events_held],
        ["Рабочих дней", report.working_days],
    ]
    end = _table(ws2, 4, ["Показатель", "Значение"], readers)
    rows2 = [
        [i.name, _number(i.value), f"{i.formula}{' (' + i.unit + ')' if i.unit else ''}"]
        for i in report.indicators(values)
    ]
    _table(ws2, end + 2, ["Показатель", "Значение", "Как считается"], rows2)
    for col, width in zip("ABC", (36, 14, 44), strict=True):
        ws2.column_dimensions[col].width = width
    _print_setup(ws2)
    return book


def district_workbook(table: DistrictTable) -> Workbook:
    names_ = [i.name for i in oo1.indicators(readers=0, visits=0, loans=0, fund=0, received=0)]
    header = [
        "Школа",
        "Состояние",
        "Читателей",
        "из них обучающихся",
        "Посещений",
        "Книговыдача",
        "Мероприятий",
        "Фонд, экз. (стр. 01, гр. 5)",
        "Поступило (стр. 01, гр. 3)",
        "Выбыло (стр. 01, гр. 4)",
        "Учебники (стр. 02, гр. 5)",
        *names_,
        "Читатели к прошлому году, %",
        "Книговыдача к прошлому году, %",
    ]
    rows = []
    for row in table.rows:
        if row.report is None:
            rows.append([row.school.short_name, "не начат"] + [""] * (len(header) - 2))
            continue
        r, v, ind = row.report, row.values or {}, row.indicator_map()
        rows.append(
            [
                row.school.short_name,
                r.get_status_display(),
                r.readers,
                r.pupils,
                r.visits,
                r.loans,
                r.events_held,
                v["01"]["held"],
                v["01"]["received"],
                v["01"]["disposed"],
                v["02"]["held"],
                *[_number(ind.get(n)) for n in names_],
                _number(row.readers_change),
                _number(row.loans_change),
            ]
        )
    t = table.totals
    ind = {i.name: i.value for i in t.indicators()}
    rows.append(
        [
            f"Итого по сданным отчётам ({t.schools})",
            "",
            t.readers,
            t.pupils,
            t.visits,
            t.loans,
            t.events,
            t.fund["01"]["held"],
            t.fund["01"]["received"],
            t.fund["01"]["disposed"],
            t.fund["02"]["held"],
            *[_number(ind.get(n)) for n in names_],
            _number(table.change("readers")),
            _number(table.change("loans")),
        ]
    )
    missing = ", ".join(s.short_name for s in table.missing) or "нет"
    book = tables.workbook(
        [
            tables.Sheet(
                "Статистика библиотек",
                header,
                rows,
                caption=[
                    f"Статистика школьных библиотек за {years.label(table.year.start_year, 'acc')}",
                    f"Не сдали отчёт: {missing}",
                ],
            )
        ]
    )
    ws = book.active
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    _print_setup(ws, landscape=True)
    return book


def training_workbook(rows: list[TrainingRow], start_year: int) -> Workbook:
    header = [
        "ФИО",
        "Школа",
        "Образование",
        "Категория",
        "Дата категории",
        "Стаж, лет",
        "Последние курсы (окончание)",
        "Часов за 3 года",
        "Курсов за год",
        "Вебинаров за год",
        "Заседаний ММО за год",
        "Других мероприятий",
    ]
    data = []
    for row in rows:
        q = row.qualification
        data.append(
            [
                row.person.full_name,
                row.person.school.short_name if row.person.school_id else "",
                q.get_education_display() if q and q.education else "",
                q.get_category_display() if q else "",
                q.category_date if q else None,
                q.service_years() if q else None,
                row.last_course,
                row.hours_3y,
                row.courses_year,
                row.webinars,
                row.meetings,
                row.other_events,
            ]
        )
    book = tables.workbook(
        [
            tables.Sheet(
                "Повышение квалификации",
                header,
                data,
                caption=[
                    f"Повышение квалификации библиотекарей за {years.label(start_year, 'acc')}",
                    "Выделены те, чьи последние курсы окончились более трёх лет назад "
                    "или не указаны.",
                ],
            )
        ]
    )
    ws = book.active
    first = ws.max_row - len(rows) + 1
    for offset, row in enumerate(rows):
        if row.outdated:
            for col in range(1, len(header) + 1):
                ws.cell(first + offset, col).fill = HIGHLIGHT
    for col in range(1, len(header) + 1):
        ws.column_dimensions[get_column_letter(col)].width = max(
            ws.column_dimensions[get_column_letter(col)].width or 10, 12
        )
    _print_setup(ws, landscape=True)
    return book
