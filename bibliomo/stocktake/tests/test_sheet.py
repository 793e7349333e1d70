"""The count sheet out as XLSX and back in, with the bad files of the issue."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from bibliomo.stocktake import sheet
from bibliomo.stocktake.models import CountLine
from bibliomo.stocktake.tests.conftest import open_campaign


def _book(client, st):
    response = client.get(reverse("stocktake:sheet_xlsx", args=[st.pk]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _rows(ws):
    header = next(r for r in range(1, 20) if ws.cell(r, 1).value == sheet.CODE)
    return header, [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 1).value]


def _upload(book) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("опись.xlsx", buffer.getvalue())


def test_sheet_lists_the_lines_and_is_set_up_for_a4(st_a, login, world):
    book = _book(login(world.librarian), st_a)
    ws = book.worksheets[0]
    header, rows = _rows(ws)
    assert [ws.cell(header, c).value for c in range(1, 10)] == sheet.HEADER
    got = sorted((ws.cell(r, 3).value, ws.cell(r, 5).value, ws.cell(r, 6).value) for r in rows)
    assert got == [("История Древнего мира", 2022, 15), ("Математика", 2020, 10),
                   ("Математика", 2023, 20)]  # fmt: skip
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == f"${header}:${header}"
    assert "Каменская СОШ № 1" in ws.cell(2, 1).value


def test_blind_sheet_hides_the_books_from_the_counter(world, books, login):
    campaign = open_campaign(world, is_blind=True)
    st = campaign.schools.get(school=world.school_b)
    ws = _book(login(world.librarian_b), st).worksheets[0]
    header, rows = _rows(ws)
    assert [ws.cell(r, 6).value for r in rows] == [None]
    ws = _book(login(world.department), st).worksheets[0]
    assert ws.cell(header + 1, 6).value == 12


def test_filled_sheet_comes_back(st_a, login, world, books, no_issue_records):
    client = login(world.librarian)
    book = _book(client, st_a)
    ws = book.worksheets[0]
    _, rows = _rows(ws)
    for r in rows:
        ws.cell(r, 8).value = ws.cell(r, 6).value - 1
        ws.cell(r, 7).value = 1
    ws.cell(rows[-1] + 1, 2).value = books["phys"].number
    ws.cell(rows[-1] + 1, 5).value = 2024
    ws.cell(rows[-1] + 1, 8).value = 3
    response = client.post(reverse("stocktake:upload", args=[st_a.pk]), {"file": _upload(book)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    lines = {(ln.entry.title, ln.receipt_year): (ln.counted, ln.issued)
             for ln in st_a.lines.select_related("entry")}  # fmt: skip
    assert lines == {
        ("Математика", 2020): (9, 1),
        ("Математика", 2023): (19, 1),
        ("История Древнего мира", 2022): (14, 1),
        ("Физика", 2024): (3, None),
    }
    assert all(ln.updated_by == world.librarian for ln in st_a.lines.all())


def test_bad_sheet_names_every_row_and_saves_nothing(st_a, world, books, login):
    client = login(world.librarian)
    book = _book(client, st_a)
    ws = book.worksheets[0]
    _, rows = _rows(ws)
    other_line = CountLine.objects.get(stocktake__school=world.school_b)
    ws.cell(rows[0], 8).value = -2  # a negative count
    ws.cell(rows[1], 8).value = "много"  # text in a number column
    ws.cell(rows[2], 8).value = 5  # a good row: still not saved
    extra = rows[-1] + 1
    ws.cell(extra, 2).value = "9.9.9.9"  # a wrong entry number
    ws.cell(extra, 5).value = 2024
    ws.cell(extra, 8).value = 1
    ws.cell(extra + 1, 1).value = other_line.pk  # a row of another school
    ws.cell(extra + 1, 2).value = "1.1.2.4.1.1.1"
    ws.cell(extra + 1, 8).value = 4
    response = client.post(reverse("stocktake:upload", args=[st_a.pk]), {"file": _upload(book)})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Строка {rows[0]}, столбец «На полке, экз.»: число не может быть отрицательным." in html
    assert f"Строка {rows[1]}, столбец «На полке, экз.»: «много» — не число." in html
    assert (
        f"Строка {extra}, столбец «№ в ФПУ»: в федеральном перечне нет учебника № 9.9.9.9." in html
    )
    assert (
        f"Строка {extra + 1}, столбец «Код строки»: строка описи другой школы («Луговская СОШ»)."
        in html
    )
    assert not st_a.lines.filter(counted__isnull=False).exists()


def test_a_sheet_of_another_school_is_refused(campaign, world):
    st_a = campaign.schools.get(school=world.school_a)
    st_b = campaign.schools.get(school=world.school_b)
    book = sheet.workbook(st_b, blind=False)
    with pytest.raises(ValidationError, match="Луговская СОШ"):
        sheet.read(st_a, _upload(book))


def test_not_a_sheet(st_a):
    with pytest.raises(ValidationError, match="заголовка описи"):
        sheet.read(st_a, SimpleUploadedFile("x.csv", "а;б\n1;2\n".encode()))


def test_a_count_saved_after_the_download_is_not_overwritten_by_the_file(st_a, world, books, login):
    from bibliomo.stocktake import services

    client = login(world.librarian)
    book = _book(client, st_a)
    ws = book.worksheets[0]
    header, rows = _rows(ws)
    assert ws.cell(header, 10).value == sheet.VERSION
    assert ws.column_dimensions["J"].hidden  # kept in the file, not printed
    codes = {ws.cell(r, 1).value: r for r in rows}
    # While the paper sheet is being filled, a second counter saves two lines by phone.
    first, second = (st_a.lines.get(pk=code) for code in list(codes)[:2])
    services.save_count(first, counted=7, version=0, user=world.head)
    services.save_count(second, counted=4, version=0, user=world.head)
    for r in rows:
        ws.cell(r, 8).value = 9
    ws.cell(codes[second.pk], 8).value = 4  # the same number: no conflict
    response = client.post(reverse("stocktake:upload", args=[st_a.pk]), {"file": _upload(book)})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        f"Строка {codes[first.pk]}, столбец «На полке, экз.»: после того как опись была "
        f"скачана, эту строку записал(а) {world.head.short_name}"
    ) in html
    assert "7 экз. (в файле — 9)" in html
    assert f"Строка {codes[second.pk]}," not in html
    # All or nothing: the lines nobody else touched are not saved either.
    assert sorted(st_a.lines.values_list("counted", flat=True), key=str) == [4, 7, None]
