# ruff: noqa: E501 — expected Russian messages are kept whole
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as Docx
from openpyxl import Workbook, load_workbook

from bibliomo.directory.models import School
from bibliomo.fund import act_docx, exports, services
from bibliomo.fund.models import Document, Enrolment, Holding
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.lib import files
from bibliomo.textbooks.models import Curriculum


def _xlsx(response):
    return load_workbook(io.BytesIO(response.content))


def test_librarian_creates_fills_and_posts_a_receipt(world, entries, login):
    client = login(world.librarian)
    response = client.post(
        reverse("fund_document_create", args=[world.school_a.pk, "receipt"]),
        {"number": "Н-15", "date": "2025-08-20", "source": "purchase", "supplier": "Просвещение"},
    )
    doc = Document.objects.get(number="Н-15")
    assert response.url == doc.get_absolute_url()
    assert doc.kind == "receipt"
    assert doc.school == world.school_a
    client.post(
        doc.get_absolute_url(), {"entry": "1.1.2.4.1.1.1.", "copies": 25, "price": "512.40"}
    )
    line = doc.lines.get()
    assert (line.entry, line.copies) == (entries["math5"], 25)
    # The picker takes the title as well as the number (a title no other entry shares).
    titles = [e.title for e in entries.values()]
    title = next(t for t in titles if sum(t.lower() in x.lower() for x in titles) == 1)
    assert (
        'data-suggest="/textbooks/suggest/"' in client.get(doc.get_absolute_url()).content.decode()
    )
    # A price typed as the tables show it.
    client.post(doc.get_absolute_url(), {"entry": title, "copies": 1, "price": "1 040,50"})
    assert str(doc.lines.get(copies=1).price) == "1040.50"
    doc.lines.filter(copies=1).delete()
    response = client.post(reverse("fund_document_post", args=[doc.pk]), follow=True)
    assert "Накладная № Н-15 от 20.08.2025 проведена" in response.content.decode()
    assert Holding.objects.get(school=world.school_a, entry=entries["math5"]).copies == 25
    # A posted document takes no more lines.
    client.post(doc.get_absolute_url(), {"entry": "1.1.2.4.1.1.1", "copies": 5, "price": "0"})
    assert doc.lines.count() == 1


def test_unknown_entry_number_is_a_form_error(world, entries, login):
    client = login(world.librarian)
    doc = document(world.school_a, "receipt", [])
    response = client.post(doc.get_absolute_url(), {"entry": "9.9.9", "copies": 1, "price": "0"})
    assert "В федеральном перечне нет учебника с номером 9.9.9" in response.content.decode()


def test_negative_writeoff_via_page_shows_the_reason(world, entries, login):
    services.post(document(world.school_a, "receipt", [(entries["math5"], 3)]))
    act = document(world.school_a, "writeoff", [(entries["math5"], 5)], number="2")
    response = login(world.librarian).post(
        reverse("fund_document_post", args=[act.pk]), follow=True
    )
    assert "Нельзя списать 5 экз. «Математика» (1.1.2.4.1.1.1): в фонде школы 3 экз." in (
        response.content.decode()
    )
    act.refresh_from_db()
    assert not act.is_posted


@pytest.mark.parametrize(
    ("role", "status"), [("librarian_b", 403), ("department", 403), ("outsider", 404)]
)
def test_others_cannot_post_or_change_school_a_documents(world, entries, login, role, status):
    doc = document(world.school_a, "receipt", [(entries["math5"], 3)])
    client = login(world.user(role))
    assert client.post(reverse("fund_document_post", args=[doc.pk])).status_code == status
    response = client.post(doc.get_absolute_url(), {"entry": "1.1.2.4.1.1.1", "copies": 9})
    assert response.status_code == status
    assert client.post(reverse("fund_document_delete", args=[doc.pk])).status_code == status
    doc.refresh_from_db()
    assert not doc.is_posted
    assert doc.lines.count() == 1


def test_reverse_through_the_page(world, entries, login):
    receipt = services.post(document(world.school_a, "receipt", [(entries["math5"], 4)]))
    login(world.librarian).post(reverse("fund_document_reverse", args=[receipt.pk]))
    assert Document.objects.get(reverses=receipt).is_posted
    assert Holding.objects.get(school=world.school_a, entry=entries["math5"]).copies == 0


def test_ksu_totals_add_up_and_xlsx_matches(world, entries, login):
    a, math, hist = world.school_a, entries["math5"], entries["hist5"]
    services.post(document(a, "receipt", [(math, 40, Decimal("300"))], date=dt.date(2024, 3, 1)))
    services.post(
        document(
            a, "writeoff", [(math, 5, Decimal("300"))], number="А-1", date=dt.date(2024, 11, 1)
        )
    )
    services.post(
        document(
            a,
            "receipt",
            [(math, 10, Decimal("350")), (hist, 20, Decimal("410.50"))],
            number="Н-2",
            date=dt.date(2025, 2, 10),
        )
    )
    services.post(
        document(
            a,
            "writeoff",
            [(math, 7, Decimal("300"))],
            number="А-2",
            date=dt.date(2025, 6, 1),
            reason="lost",
        )
    )
    services.post(document(a, "receipt", [(hist, 1)], number="Н-3", date=dt.date(2026, 1, 5)))
    client = login(world.department)
    response = client.get(reverse("fund_ksu", args=[a.pk]), {"year": 2025})
    report = response.context["report"]
    assert (report.start.copies, report.start.amount) == (35, Decimal("10500.00"))
    assert (report.received.copies, report.received.amount) == (30, Decimal("11710.00"))
    assert (report.disposed.copies, report.disposed.amount) == (7, Decimal("2100.00"))
    assert (report.end.copies, report.end.amount) == (58, Decimal("20110.00"))
    assert [ln.document.number for ln in report.receipts] == ["Н-2"]
    assert [ln.document.number for ln in report.disposals] == ["А-2"]
    # The end of 2025 plus 2026's receipt is what the ledger holds now.
    held = sum(Holding.objects.filter(school=a).values_list("copies", flat=True))
    assert held == report.end.copies + 1
    book = _xlsx(client.get(reverse("fund_ksu", args=[a.pk]), {"year": 2025, "format": "xlsx"}))
    assert book.sheetnames == [
        "Часть 1. Поступление",
        "Часть 2. Выбытие",
        "Часть 3. Итоги движения",
    ]
    part3 = _table(book["Часть 3. Итоги движения"], exports.KSU_PART3)
    totals = {row[0]: row[1:3] for row in part3}
    assert totals["Состояло на 1 января 2025 г."] == (35, 10500)
    assert totals["Состоит на 1 января 2026 г."] == (58, 20110)
    part2 = _table(book["Часть 2. Выбытие"], exports.KSU_PART2)
    lost = exports.KSU_PART2.index("утрата, экз.")
    assert part2[0][4] == 7 and part2[0][lost] == 7
    for name in book.sheetnames:
        ws = book[name]
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows  # the header on every printed page
        assert a.full_name in [r[0] for r in ws.iter_rows(max_row=3, values_only=True)]


def _table(ws, header):
    """The rows under ``header`` (checked to be the sheet's header, in order)."""
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == header[0])
    assert list(rows[at]) == header
    return rows[at + 1 :]


def test_ksu_three_parts_by_kind_and_reason_with_reversals(world, entries, login):
    """A hand-computed year: part 1 split by kind, part 2 by reason, part 3 by kind; a
    reversal is a negative record of the part it corrects."""
    a, math = world.school_a, entries["math5"]
    atlas = make_entry("2.1.2.2.1.1.1", "Атлас. География", "5", kind="study_aid")
    services.post(document(a, "receipt", [(math, 30, Decimal("400"))], number="0",
                           date=dt.date(2024, 12, 20), source="opening"))  # fmt: skip
    services.post(
        document(a, "receipt", [(math, 10, Decimal("500")), (atlas, 20, Decimal("120"))],
                 number="Н-1", date=dt.date(2025, 2, 1), basis="Товарная накладная")
    )  # fmt: skip
    wrong = services.post(document(a, "receipt", [(atlas, 4, Decimal("120"))], number="Н-2",
                                   date=dt.date(2025, 2, 3)))  # fmt: skip
    services.reverse(wrong, date=dt.date(2025, 2, 4))
    services.post(document(a, "writeoff", [(math, 6, Decimal("400"), 2024)], number="А-1",
                           date=dt.date(2025, 5, 1), reason="worn"))  # fmt: skip
    services.post(document(a, "writeoff", [(atlas, 3, Decimal("120"), 2025)], number="А-2",
                           date=dt.date(2025, 6, 1), reason="not_found"))  # fmt: skip
    services.post(document(a, "writeoff", [(math, 2, Decimal("500"), 2025)], number="П-1",
                           date=dt.date(2025, 8, 20), reason="transfer"))  # fmt: skip
    client = login(world.librarian)
    report = client.get(reverse("fund_ksu", args=[a.pk]), {"year": 2025}).context["report"]
    # Part 1: Н-1 (10 × 500 + 20 × 120 = 7 400), Н-2 (4 × 120 = 480), its storno −480.
    assert [(ln.number, ln.document.number, ln.copies, ln.amount) for ln in report.receipts] == [
        (1, "Н-1", 30, Decimal("7400")), (2, "Н-2", 4, Decimal("480")),
        (3, "Н-2-С", -4, Decimal("-480")),
    ]  # fmt: skip
    assert (report.received.copies, report.received.amount) == (30, Decimal("7400"))
    t, s = report.received_by_kind["textbook"], report.received_by_kind["study_aid"]
    assert (t.copies, t.amount, s.copies, s.amount) == (10, 5000, 20, 2400)
    # Part 2: 6 × 400 = 2 400 ветхость, 3 × 120 = 360 утрата, 2 × 500 = 1 000 передача.
    assert [ln.by_reason for ln in report.disposals] == [
        [6, None, None, None, None, None, None],
        [None, None, None, 3, None, None, None],
        [None, None, None, None, None, 2, None],
    ]
    assert report.disposed_by_reason == [6, 0, 0, 3, 0, 2, 0]
    assert (report.disposed.copies, report.disposed.amount) == (11, Decimal("3760"))
    # Part 3 by kind: textbooks 30 + 10 − 8 = 32 for 12 000 + 5 000 − 3 400 = 13 600;
    # study aids 0 + 20 − 3 = 17 for 2 400 − 360 = 2 040.
    end = report.end_by_kind
    assert (report.start.copies, report.start.amount) == (30, Decimal("12000"))
    assert (end["textbook"].copies, end["textbook"].amount) == (32, Decimal("13600"))
    assert (end["study_aid"].copies, end["study_aid"].amount) == (17, Decimal("2040"))
    assert (
        report.end.copies
        == 49
        == sum(Holding.objects.filter(school=a).values_list("copies", flat=True))
    )
    book = _xlsx(client.get(reverse("fund_ksu", args=[a.pk]), {"year": 2025, "format": "xlsx"}))
    part1 = _table(book["Часть 1. Поступление"], exports.KSU_PART1)
    assert part1[0][:9] == (
        dt.datetime(2025, 2, 1), 1, "закупка", None, "Товарная накладная", "Н-1",
        dt.datetime(2025, 2, 1), 30, 7400,
    )  # fmt: skip
    assert part1[0][9:] == (10, 5000, 20, 2400)
    assert part1[2][2].startswith("сторно записи") and part1[2][7:9] == (-4, -480)
    assert part1[-1][0] == "Итого за год" and part1[-1][7:] == (30, 7400, 10, 5000, 20, 2400)
    money = exports.KSU_PART1.index("На сумму, руб.") + 1
    ws = book["Часть 1. Поступление"]
    header_row = next(r[0].row for r in ws.iter_rows() if r[0].value == "Дата записи")
    assert ws.cell(header_row + 1, money).number_format == "#,##0.00"
    part3 = _table(book["Часть 3. Итоги движения"], exports.KSU_PART3)
    assert part3[-1] == ("Состоит на 1 января 2026 г.", 49, 15640, 32, 13600, 17, 2040)
    # The page shows the opening balance as such, not as an invoice.
    previous = client.get(reverse("fund_ksu", args=[a.pk]), {"year": 2024}).content.decode()
    assert "остаток на начало учёта" in previous


def test_card_shows_running_balance_price_sum_and_ksu_record(world, entries, login):
    a, math = world.school_a, entries["math5"]
    math.authors = "Виленкин Н. Я., Жохов В. И. и др."
    math.save()
    services.post(document(a, "receipt", [(math, 10, Decimal("300"))], date=dt.date(2024, 9, 1)))
    services.post(
        document(a, "receipt", [(entries["hist5"], 2)], number="1б", date=dt.date(2025, 1, 2))
    )
    services.post(
        document(a, "writeoff", [(math, 4, Decimal("300"))], number="2", date=dt.date(2025, 1, 9))
    )
    services.post(
        document(a, "receipt", [(math, 6, Decimal("350.50"))], number="3",
                 date=dt.date(2025, 8, 30))
    )  # fmt: skip
    client = login(world.librarian)
    response = client.get(reverse("fund_card", args=[a.pk, math.pk]))
    lines = response.context["lines"]
    assert [ln.balance for ln in lines] == [10, 6, 12]
    # 10 × 300 = 3 000; 4 × 300 = 1 200; 6 × 350,50 = 2 103. The 2025 receipt is the
    # second record of part 1 (after «1б»), the write-off the first of part 2.
    assert [ln.amount for ln in lines] == [Decimal("3000"), Decimal("1200"), Decimal("2103")]
    assert [ln.ksu_label for ln in lines] == [
        "ч. 1, № 1 / 2024", "ч. 2, № 1 / 2025", "ч. 1, № 2 / 2025",
    ]  # fmt: skip
    page = response.content.decode()
    assert "и др.." not in page and "<title>Учётная карточка 1.1.2.4.1.1.1" in page
    book = _xlsx(client.get(reverse("fund_card", args=[a.pk, math.pk]), {"format": "xlsx"}))
    ws = book.active
    rows = _table(ws, exports.CARD_HEADER)
    assert [r[2:] for r in rows] == [
        ("ч. 1, № 1 / 2024", 2024, 300, 10, None, 3000, 10),
        ("ч. 2, № 1 / 2025", 2024, 300, None, 4, 1200, 6),
        ("ч. 1, № 2 / 2025", 2025, 350.5, 6, None, 2103, 12),
    ]
    caption = [r[0] for r in ws.iter_rows(max_row=3, values_only=True)]
    assert caption[1] == "1.1.2.4.1.1.1 Виленкин Н. Я., Жохов В. И. и др. Математика, 5 кл."
    assert str(math).count("..") == 0
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows


def test_writeoff_act_docx(world, entries, login):
    a = world.school_a
    a.inn, a.okpo, a.director = "2207001234", "12345678", "Соколова Е. В."
    a.save()
    services.post(document(a, "receipt", [(entries["math5"], 10, Decimal("250.50"), 2021)]))
    act = document(
        a,
        "writeoff",
        [(entries["math5"], 3, Decimal("0"), 2021)],  # the price comes from the batch
        number="7",
        commission="Иванова М. П.\nПетрова А. И.\nСидорова О. Н.",
        commission_order="15",
        commission_order_date=dt.date(2025, 8, 25),
        responsible="Кузнецова Т. А.",
    )
    services.post(act)
    response = login(world.department).get(reverse("fund_act_docx", args=[act.pk]))
    assert response.status_code == 200
    docx = Docx(io.BytesIO(response.content))
    section = docx.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    assert section.left_margin.mm >= 20
    assert section.right_margin.mm >= 10
    assert section.top_margin.mm >= 20
    assert section.bottom_margin.mm >= 20
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "УТВЕРЖДАЮ" in text
    assert "Соколова Е. В." in text
    assert "о списании исключенных объектов библиотечного фонда" in text
    assert a.full_name in text
    assert "приказом № 15 от 25.08.2025" in text
    assert "председатель — Иванова М. П.; члены комиссии — Петрова А. И., Сидорова О. Н." in text
    assert "Материально ответственное лицо: Кузнецова Т. А." in text
    assert "«ветхость»" in text
    assert "расшифровка подписи" in text
    # 3 × 250,50 = 751,50 → in words.
    assert "на сумму 751,50 руб. (Семьсот пятьдесят один рубль 50 копеек)" in text
    codes = {row.cells[0].text: row.cells[1].text for row in docx.tables[0].rows}
    assert codes["Форма по ОКУД"] == "0504144"
    assert codes["по ОКЕИ"] == "383"
    assert codes["ИНН"] == "2207001234"
    assert codes["по ОКПО"] == "12345678"
    assert codes["Дата"] == "01.09.2025"
    cells = [[c.text for c in row.cells] for row in docx.tables[1].rows]
    assert cells[0] == act_docx.TABLE_HEADER
    # The grid's widths too: LibreOffice lays the columns out by them, not by the cells'.
    assert round(docx.tables[1].columns[2].width.cm, 1) == 5.4
    assert cells[2][1] == "1.1.2.4.1.1.1"
    assert cells[2][3] == "2021"
    assert cells[2][4] == "3"
    assert cells[2][5] == "250,50"
    assert cells[2][6] == "751,50"
    assert cells[-1][4] == "3"
    assert cells[-1][6] == "751,50"


def test_writeoff_act_without_a_price_says_so(world, entries, login):
    a = world.school_a
    services.post(document(a, "receipt", [(entries["math5"], 10)]))  # no price
    services.post(document(a, "receipt", [(entries["hist5"], 4, Decimal("99"))], number="Н-9"))
    act = document(a, "writeoff", [(entries["math5"], 2), (entries["hist5"], 1)], number="8")
    # Before posting the page asks for the price the batch lacks (not for the priced one).
    page = login(world.librarian).get(act.get_absolute_url()).content.decode()
    assert "Нет цены поступления у 1.1.2.4.1.1.1: укажите цену в строке до проведения" in page
    services.post(act)
    docx = Docx(
        io.BytesIO(login(world.librarian).get(reverse("fund_act_docx", args=[act.pk])).content)
    )
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "не указана цена" in text
    rows = {r.cells[1].text: r.cells[5].text for r in docx.tables[1].rows[2:-1]}
    assert rows == {"1.1.2.3.1.1.1": "99,00", "1.1.2.4.1.1.1": act_docx.NO_PRICE}


def test_writeoff_act_as_pdf_through_the_one_conversion(world, entries, login, monkeypatch):
    a = world.school_a
    services.post(document(a, "receipt", [(entries["math5"], 10, Decimal("100"))]))
    act = services.post(document(a, "writeoff", [(entries["math5"], 2)], number="9"))
    converted = []

    def fake_pdf(data: bytes, timeout: int = 180) -> bytes:
        converted.append(Docx(io.BytesIO(data)))
        return b"%PDF-1.7 act"

    monkeypatch.setattr(files, "docx_to_pdf", fake_pdf)
    client = login(world.librarian)
    response = client.get(reverse("fund_act_docx", args=[act.pk]), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 act"
    codes = {r.cells[0].text: r.cells[1].text for r in converted[0].tables[0].rows}
    assert codes["Форма по ОКУД"] == "0504144"
    # The reversal of the act prints no act of either kind.
    mirror = services.reverse(act)
    assert client.get(reverse("fund_act_docx", args=[mirror.pk])).status_code == 403


def _stock_file(rows):
    book = Workbook()
    book.active.append(
        ["Порядковый номер", "Наименование", "Год поступления", "Количество экз.", "Цена"]
    )
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("stock.xlsx", buffer.getvalue())


def test_stock_import(world, entries, login):
    client = login(world.librarian)
    url = reverse("fund_stock_import", args=[world.school_a.pk])
    bad = _stock_file(
        [
            ["1.1.2.4.1.1.1", "Математика", 2020, 30, 400],
            ["7.7.7", "Нет такого", 2021, 5, None],
            ["1.1.2.3.1.1.1", "История", "давно", 0, None],
        ]
    )
    response = client.post(url, {"file": bad})
    errors = response.context["errors"]
    assert errors == [
        "Строка 3, столбец «Порядковый номер»: «7.7.7» — такого учебника нет в федеральном перечне",
        f"Строка 4, столбец «Год поступления»: «давно» — не год (от 1950 до {dt.date.today().year})",
        "Строка 4, столбец «Количество экземпляров»: «0» — нужно целое число больше нуля",
    ]
    assert not Holding.objects.exists()
    assert not Document.objects.exists()
    good = _stock_file(
        [
            ["1.1.2.4.1.1.1", "Математика", 2020, 30, 400],
            ["1.1.2.4.1.1.1.", "Математика", 2022, 12, None],
        ]
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.source == "opening"
    assert doc.is_posted
    assert dict(Holding.objects.values_list("receipt_year", "copies")) == {2020: 30, 2022: 12}


def test_stock_import_refuses_a_non_spreadsheet(world, entries, login):
    response = login(world.librarian).post(
        reverse("fund_stock_import", args=[world.school_a.pk]),
        {"file": SimpleUploadedFile("stock.xlsx", b"MZ\x90\x00 not a workbook")},
    )
    assert "не является книгой Excel" in response.content.decode()


def test_enrolment_save_and_forecast(world, entries, login):
    client = login(world.librarian)
    url = reverse("fund_enrolment", args=[world.school_a.pk])
    data = {f"students_{g}": 20 + g for g in range(1, 12)} | {
        f"classes_{g}": 1 for g in range(1, 12)
    }
    client.post(f"{url}?year=2025", data)
    assert Enrolment.objects.filter(school=world.school_a, year_id=2025).count() == 11
    client.post(
        reverse("fund_enrolment_forecast", args=[world.school_a.pk]) + "?year=2025", {"intake": 18}
    )
    forecast = dict(
        Enrolment.objects.filter(school=world.school_a, year_id=2026).values_list(
            "grade", "students"
        )
    )
    # No 2024/2025 enrolment: the district's 0.5 of the 29 ninth-graders, 14.5 → 15.
    assert forecast == {1: 18, **{g: 20 + g - 1 for g in range(2, 12)}, 10: 15}
    # A forecast cell is edited like any other.
    data = {f"students_{g}": forecast[g] for g in range(1, 12)} | {"students_5": 30}
    client.post(f"{url}?year=2026", data)
    assert Enrolment.objects.get(school=world.school_a, year_id=2026, grade=5).students == 30
    # Department reads, but cannot change.
    response = login(world.department).post(f"{url}?year=2025", data)
    assert response.status_code == 403


def test_curriculum_add_checks_grade(world, entries, login):
    client = login(world.librarian)
    url = reverse("fund_curriculum", args=[world.school_a.pk]) + "?year=2025"
    response = client.post(
        url,
        {"grade": 7, "subject": "Математика", "entry": "1.1.2.4.1.1.1", "copies_per_student": 1},
    )
    assert "предназначен для 5 кл." in response.content.decode()
    client.post(
        url,
        {"grade": 5, "subject": "Математика", "entry": "1.1.2.4.1.1.1", "copies_per_student": 1},
    )
    assert Curriculum.objects.filter(school=world.school_a, year_id=2025).count() == 1
    client.post(reverse("fund_curriculum_copy", args=[world.school_a.pk]) + "?year=2025")
    assert Curriculum.objects.filter(school=world.school_a, year_id=2026).count() == 1


def _district_with_data(world, entries, schools: int) -> None:
    math, hist = entries["math5"], entries["hist5"]
    for i in range(schools):
        school = School.objects.create(
            district=world.district, short_name=f"Школа {i}", full_name=f"МБОУ «Школа {i}»"
        )
        for subject, entry in (("Математика", math), ("История", hist)):
            Curriculum.objects.create(
                school=school, year_id=2025, grade=5, subject=subject, entry=entry
            )
        Enrolment.objects.create(school=school, year_id=2025, grade=5, students=20)
        services.post(document(school, "receipt", [(math, 10 + i, 0, 2024)]))


def test_district_provision_bounded_queries_and_low_marked(
    world, entries, login, django_assert_max_num_queries
):
    _district_with_data(world, entries, 30)
    client = login(world.department)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("fund_district_provision"), {"year": 2025})
    rows = {r["school"].short_name: r for r in response.context["rows"]}
    # Школа 0: math 10 of 20, history 0 of 20 → 10 / 40 = 25 %.
    assert rows["Школа 0"]["prov"].percent == 25.0
    assert rows["Школа 0"]["low"]
    # Школа 29: math 39 → 20 covered (the surplus does not help history) → 50 %.
    assert rows["Школа 29"]["prov"].percent == 50.0
    assert 'class="table-danger"' in response.content.decode()
    book = _xlsx(client.get(reverse("fund_district_provision"), {"year": 2025, "format": "xlsx"}))
    last = list(book.active.iter_rows(values_only=True))[-1]
    total = response.context["total"]
    assert last[0] == "Итого по району"
    assert last[1:3] == (total.students, total.covered)


def test_school_pages_bounded_queries(world, entries, login, django_assert_max_num_queries):
    for i in range(60):
        entry = make_entry(f"1.2.3.{i}.1", f"Учебник {i}", "5")
        services.post(
            document(world.school_a, "receipt", [(entry, 5), (entry, 3, 0, 2020)], number=str(i))
        )
        Curriculum.objects.create(
            school=world.school_a, year_id=2025, grade=5, subject=f"Предмет {i}", entry=entry
        )
    client = login(world.librarian)
    for name in (
        "fund_school",
        "fund_documents",
        "fund_ksu",
        "fund_curriculum",
        "fund_school_provision",
        "fund_enrolment",
    ):
        with django_assert_max_num_queries(15):
            response = client.get(reverse(name, args=[world.school_a.pk]), {"year": 2025})
        assert response.status_code == 200, name


def test_school_provision_page_and_xlsx(world, entries, login):
    a = world.school_a
    services.post(document(a, "receipt", [(entries["math5"], 30), (entries["old"], 20)]))
    for subject, entry in (("Математика", entries["math5"]), ("История", entries["old"])):
        Curriculum.objects.create(school=a, year_id=2025, grade=5, subject=subject, entry=entry)
    Enrolment.objects.create(school=a, year_id=2025, grade=5, students=25)
    Enrolment.objects.create(school=a, year_id=2026, grade=5, students=21, is_forecast=True)
    client = login(world.head)
    response = client.get(reverse("fund_school_provision", args=[a.pk]), {"year": 2025})
    rows = {r["pair"].subject: r for r in response.context["rows"]}
    # The old book may be used until 25.09.2025 only: not usable in 2025/2026.
    assert rows["История"]["pair"].copies == 0
    assert rows["История"]["low"]
    assert rows["Математика"]["pair"].surplus == 5
    assert rows["Математика"]["next_students"] == 21
    assert response.context["total"].percent == 50.0
    book = _xlsx(
        client.get(reverse("fund_school_provision", args=[a.pk]), {"year": 2025, "format": "xlsx"})
    )
    data = list(book.active.iter_rows(values_only=True))
    assert data[-1][0] == "Итого"
    assert data[-1][5] == 50.0


def test_marking_worn_copies_lowers_usable_stock(world, entries, login):
    a, math = world.school_a, entries["math5"]
    services.post(document(a, "receipt", [(math, 12, 0, 2020), (math, 10, 0, 2024)]))
    Curriculum.objects.create(school=a, year_id=2025, grade=5, subject="Математика", entry=math)
    Enrolment.objects.create(school=a, year_id=2025, grade=5, students=20)
    url = reverse("fund_mark_worn", args=[a.pk, math.pk])
    assert login(world.department).post(url, {"receipt_year": 2020, "worn": 5}).status_code == 403
    response = login(world.librarian).post(url, {"receipt_year": 2020, "worn": 13}, follow=True)
    assert "изношенных может быть от 0 до 12" in response.content.decode()
    # What is not a number is refused by the form, with the reason, and changes nothing.
    for worn in ("пять", "-1", ""):
        response = login(world.librarian).post(
            url, {"receipt_year": 2020, "worn": worn}, follow=True
        )
        assert "изношенных экземпляров" in response.content.decode()
    assert Holding.objects.get(school=a, entry=math, receipt_year=2020).worn == 0
    login(world.librarian).post(url, {"receipt_year": 2020, "worn": 5})
    assert Holding.objects.get(school=a, entry=math, receipt_year=2020).worn == 5
    total, _ = services.provision_by_school([a.pk], 2025)[a.pk]
    assert total.covered == 17  # 22 held, 5 worn
    rows = services.stock_and_need([a.pk], 2025)
    assert rows[0].usable == 17
    assert rows[0].shortage == 3
    # A write-off takes the worn copies first.
    services.post(document(a, "writeoff", [(math, 3, 0, 2020)], number="2"))
    batch = Holding.objects.get(school=a, entry=math, receipt_year=2020)
    assert (batch.copies, batch.worn) == (9, 2)
    services.post(document(a, "writeoff", [(math, 4, 0, 2020)], number="3"))
    batch.refresh_from_db()
    assert (batch.copies, batch.worn) == (5, 0)
