"""The XLSX/CSV writer: print set-up, formats, formula injection, streaming."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bibliomo.lib import tables

INJECTION = '=HYPERLINK("http://x","y")'


def _sheet(**extra) -> tables.Sheet:
    rows = [
        ["Каменская СОШ № 1", dt.date(2026, 5, 31), Decimal("1234.5"), 7, INJECTION],
        ["Луговская СОШ", dt.date(2026, 6, 1), Decimal("0.30"), 3, "-5 шт."],
    ]
    return tables.Sheet(
        "Лист",
        ["Школа", "Дата", "Сумма, руб.", "Экз.", "Примечание"],
        rows,
        ["Заголовок таблицы", "Каменский район"],
        **extra,
    )


@pytest.mark.parametrize("write_only", [False, True])
def test_print_setup_and_formats(write_only):
    data = tables.book_bytes(
        tables.workbook([_sheet()], write_only=write_only, today=dt.date(2026, 12, 2))
    )
    ws = load_workbook(io.BytesIO(data)).active
    assert ws["A1"].value == "Заголовок таблицы"
    assert ws["A2"].value == "Каменский район"
    assert ws["A3"].value == "2026/2027 учебный год. Дата печати: 02.12.2026"
    assert [c.value for c in ws[5]] == ["Школа", "Дата", "Сумма, руб.", "Экз.", "Примечание"]
    assert ws.print_title_rows == "$5:$5"
    assert ws.freeze_panes == "A6"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "portrait"
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert "&P" in ws.oddFooter.center.text
    assert ws["B6"].number_format == "DD.MM.YYYY"
    assert ws["B6"].value == dt.datetime(2026, 5, 31)
    assert ws["C6"].number_format == "#,##0.00"
    assert ws["C6"].value == 1234.5
    # A formula-like text stays text, not a formula, in both modes.
    assert ws["E6"].value == INJECTION
    assert ws["E6"].data_type == "s"
    assert ws["E6"].quotePrefix is True
    assert ws["E7"].value == "-5 шт."
    assert ws["E7"].data_type == "s"
    assert ws["A6"].border.left.style == "thin"
    assert ws["A5"].border.top.style == "thin"
    assert ws.calculate_dimension() == "A1:E7"


def test_rows_written_on_saving_make_the_same_file():
    rows = [
        *_sheet().rows,
        [None, " с пробелами ", 2.25, True, ""],
        ["a & <b>\r", dt.datetime(2026, 6, 1, 10, 30), 1e20, -3, None, "лишний столбец"],
    ]
    sheets = [replace(_sheet(), rows=rows, money=[3]), replace(_sheet(), rows=rows[:1])]
    files = [
        zipfile.ZipFile(io.BytesIO(tables.book_bytes(tables.workbook(sheets, write_only=w))))
        for w in (False, True)
    ]
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):
        assert files[0].read(name) == files[1].read(name)
    ws = load_workbook(io.BytesIO(tables.book_bytes(tables.workbook(sheets, write_only=True))))[
        "Лист"
    ]
    assert ws["D6"].number_format == "#,##0.00"
    assert ws["B9"].number_format == "DD.MM.YYYY"
    assert ws["F9"].value == "лишний столбец"


def test_orientation_follows_width_and_hidden_columns():
    wide = tables.Sheet("Широкая", [f"Столбец {i}" for i in range(12)], [], widths=[14] * 12)
    narrow = tables.Sheet(
        "Узкая", [f"Столбец {i}" for i in range(12)], [], widths=[14] * 12, hidden=range(6)
    )
    book = load_workbook(io.BytesIO(tables.book_bytes(tables.workbook([wide, narrow]))))
    assert book["Широкая"].page_setup.orientation == "landscape"
    assert book["Узкая"].page_setup.orientation == "portrait"
    assert book["Узкая"].column_dimensions["A"].hidden
    assert not book["Узкая"].column_dimensions["G"].hidden


def test_large_tables_are_streamed(monkeypatch):
    monkeypatch.setattr(tables, "STREAM_CELLS", 5)
    calls = []
    real = tables.workbook
    monkeypatch.setattr(tables, "workbook", lambda s, **kw: calls.append(kw) or real(s, **kw))
    response = tables.xlsx_response("т.xlsx", [_sheet()])
    assert calls == [{"write_only": True}]
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.print_title_rows == "$5:$5"
    assert ws["A7"].value == "Луговская СОШ"


def test_people_and_schools_exports_keep_formulas_as_text(world, login):
    world.librarian.position = INJECTION
    world.librarian.save()
    world.school_a.address = "+7 подставной адрес"
    world.school_a.save()
    client = login(world.head)
    people = load_workbook(io.BytesIO(client.get(reverse("person_export")).content)).active
    cells = [c for row in people.iter_rows() for c in row if c.value == INJECTION]
    assert cells
    assert all(c.data_type == "s" for c in cells)
    schools = load_workbook(io.BytesIO(client.get(reverse("school_export")).content)).active
    cells = [c for row in schools.iter_rows() for c in row if c.value == "+7 подставной адрес"]
    assert cells
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    assert schools.print_title_rows
    assert schools.page_setup.orientation == "landscape"


def test_the_header_is_found_below_a_title():
    rows = [
        (1, ["Прайс-лист издательства, цены на 01.03.2026", None]),
        (2, [None, None]),
        (3, ["Порядковый номер", "Цена, руб."]),
        (4, ["1.1.1.1.1.1", 555]),
    ]
    columns = {"number": ("порядковый номер",), "price": ("цена",)}
    both = lambda found: "number" in found and "price" in found  # noqa: E731
    # The title mentions prices but is not the header: both columns are needed.
    assert tables.find_header(rows, columns, both) == (2, {"number": 0, "price": 1})
    assert tables.find_header(rows, columns, both, search=2) is None
