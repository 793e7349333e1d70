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
from bibliomo.fund import act_docx, services
from bibliomo.fund.models import Document, Enrolment, Holding
from bibliomo.fund.tests.conftest import document, make_entry
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
    totals = {
        row[0]: row[1:] for row in book["Часть 3. Итоги движения"].iter_rows(values_only=True)
    }
    assert totals["Состояло на 1 января"] == (35, 10500.0)
    assert totals["Состоит на 31 декабря"] == (58, 20110.0)
    part2 = list(book["Часть 2. Выбытие"].iter_rows(values_only=True))
    assert any(row[3] == "утрата" and row[4] == 7 for row in part2)


def test_card_shows_running_balance(world, entries, login):
    a, math = world.school_a, entries["math5"]
    services.post(document(a, "receipt", [(math, 10)], date=dt.date(2024, 9, 1)))
    services.post(document(a, "writeoff", [(math, 4)], number="2", date=dt.date(2025, 1, 9)))
    services.post(document(a, "receipt", [(math, 6)], number="3", date=dt.date(2025, 8, 30)))
    client = login(world.librarian)
    response = client.get(reverse("fund_card", args=[a.pk, math.pk]))
    assert [ln.balance for ln in response.context["lines"]] == [10, 6, 12]
    book = _xlsx(client.get(reverse("fund_card", args=[a.pk, math.pk]), {"format": "xlsx"}))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[5] for r in rows[-3:]] == [10, 6, 12]


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
    act = document(a, "writeoff", [(entries["math5"], 2)], number="8")
    services.post(act)
    docx = Docx(
        io.BytesIO(login(world.librarian).get(reverse("fund_act_docx", args=[act.pk])).content)
    )
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "не указана цена" in text
    assert docx.tables[1].rows[2].cells[5].text == act_docx.NO_PRICE


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
    assert forecast == {1: 18, **{g: 20 + g - 1 for g in range(2, 12)}}
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
