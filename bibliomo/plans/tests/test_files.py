"""DOCX / XLSX / PDF export opened back, and the DOCX import: round trip and bad files."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from openpyxl import Workbook, load_workbook

from bibliomo.directory.models import AcademicYear
from bibliomo.lib import files, years
from bibliomo.plans import demo, exports, importer, services
from bibliomo.plans.models import PlanItem, WorkPlan

pytestmark = pytest.mark.django_db

# A year the import form offers (it lists the years around the current one).
CHOICE = years.start_year_for(dt.date.today()) + 1
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def seed_plan(world):
    plan = demo.build(world.district, AcademicYear.open(2021))
    world.department.patronymic = "Николаевна"
    world.department.position = "начальник Управления образования"
    world.department.save()
    services.submit(plan, world.head)
    services.approve(plan, world.department, on=dt.date(2021, 9, 1))
    return plan


def docx_bytes(plan) -> bytes:
    return exports.build_docx(services.load_document(plan))


def snapshot(plan: WorkPlan) -> dict:
    """Everything a plan holds that a file carries, independent of ids."""
    sections = []
    for section in plan.sections.order_by("order"):
        items = []
        for item in section.items.filter(parent=None).order_by("order"):
            items.append(
                (
                    item.number, item.content, item.responsible, item.timing, item.place,
                    item.expected_result, item.indicator, item.subitems_title,
                    sorted(p.username for p in item.responsible_people.all()),
                    [(c.number, c.content) for c in item.children.order_by("order")],
                )
            )  # fmt: skip
        sections.append((section.number, section.title, section.layout, items))
    return {
        "title": plan.title,
        "theme": plan.theme,
        "goal": plan.goal,
        "tasks": plan.task_list,
        "sections": sections,
    }


def test_docx_is_a_landscape_table_in_the_seeds_layout(seed_plan, world, login):
    response = login(world.librarian).get(reverse("plan_export", args=[seed_plan.pk, "docx"]))
    assert response["Content-Type"] == DOCX
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = open_docx(io.BytesIO(response.content))
    assert document.sections[0].orientation == WD_ORIENT.LANDSCAPE
    assert document.sections[0].page_width > document.sections[0].page_height
    text = [p.text for p in document.paragraphs]
    assert text[:4] == [
        "УТВЕРЖДАЮ",
        "Начальник Управления образования",
        "_______________ Department Тест Николаевна",
        "«01» сентября 2021 г.",
    ]
    assert demo.TITLE in text
    assert f"Тема: {demo.THEME}" in text
    assert sum(1 for t in text if t.startswith("- ")) == 5
    main, participation = document.tables
    assert [c.text for c in main.rows[0].cells] == exports.FULL_HEADERS
    assert main.rows[1].cells[0].text == "Организационные мероприятия"
    assert [c.text for c in main.rows[2].cells][:4] == [
        "1", "Организация участия членов МО в вебинарах АКИПКРО",
        "Управление образования Каменского района", "В течение года",
    ]  # fmt: skip
    numbers = [r.cells[0].text for r in main.rows[1:] if r.cells[0].text.isdigit()]
    assert numbers == ["1", "2", "1", "4", "6", "7", "9", "1", "2"]
    assert [c.text for c in participation.rows[0].cells] == exports.PARTICIPATION_HEADERS
    topics = participation.rows[2].cells[1].tables[0]
    assert topics.rows[0].cells[1].text == "Тема выступления"
    assert len(topics.rows) == 5


def test_unapproved_plan_prints_blank_signature_lines(world):
    plan = demo.build(world.district, AcademicYear.open(2021))
    lines = exports.approval_lines(plan)
    assert lines[0] == "УТВЕРЖДАЮ"
    assert "«____»" in lines[3]


def test_round_trip_docx_gives_the_same_plan(seed_plan, world):
    data = docx_bytes(seed_plan)
    imported = importer.import_docx(
        SimpleUploadedFile("plan.docx", data), world.district, AcademicYear.open(2030), world.head
    )
    assert imported.status == WorkPlan.Status.DRAFT
    assert snapshot(imported) == snapshot(seed_plan)
    # And once more: the imported plan exports to the same table.
    again = importer.parse_docx(docx_bytes(imported))
    assert [len(s.items) for s in again.sections] == [2, 5, 2, 2]


def test_import_without_metadata_guesses_measurable_indicators(seed_plan, world):
    parsed = importer.parse_docx(docx_bytes(seed_plan))
    assert parsed.metadata["items"]["1.4"] == {"indicator": "publications", "people": ["head"]}
    parsed.metadata = {}  # as if the table were typed in Word
    plan = importer.save(parsed, world.district, AcademicYear.open(2030), None)
    indicators = dict(
        PlanItem.objects.filter(section__plan=plan)
        .exclude(indicator="")
        .values_list("number", "indicator")
    )
    assert set(indicators.values()) == {"publications", "participants"}


def _broken(seed_plan, change) -> bytes:
    document = open_docx(io.BytesIO(docx_bytes(seed_plan)))
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_bad_timing_names_table_and_row_and_saves_nothing(seed_plan, world, login):
    def change(document):
        document.tables[0].rows[5].cells[3].text = "Когда-нибудь"

    data = _broken(seed_plan, change)
    count = WorkPlan.objects.count(), PlanItem.objects.count()
    response = login(world.head).post(
        reverse("plan_import"),
        {"start_year": CHOICE, "file": SimpleUploadedFile("plan.docx", data)},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Таблица 1, строка 6: графа «Сроки»: не распознан срок «Когда-нибудь»" in html
    assert (WorkPlan.objects.count(), PlanItem.objects.count()) == count


def test_row_with_wrong_cells_and_empty_content_are_reported_together(seed_plan, world):
    def change(document):
        table = document.tables[0]
        table.rows[3].cells[1].text = ""
        row = table.rows[6]
        row.cells[4].merge(row.cells[5])

    with pytest.raises(importer.ImportFailed) as failure:
        importer.import_docx(
            SimpleUploadedFile("plan.docx", _broken(seed_plan, change)),
            world.district, AcademicYear.open(2030),
        )  # fmt: skip
    assert failure.value.errors == [
        "Таблица 1, строка 4: графа «Содержание» пуста",
        "Таблица 1, строка 7: 5 граф вместо 6 — строка не по форме таблицы",
    ]
    assert not WorkPlan.objects.filter(year__start_year=2030).exists()


def test_not_a_plan_and_not_a_docx(world, login):
    document = open_docx()
    document.add_paragraph("Просто письмо")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(importer.ImportFailed, match="нет таблицы плана"):
        importer.parse_docx(buffer.getvalue())
    workbook = io.BytesIO()
    Workbook().save(workbook)
    with pytest.raises(importer.ImportFailed, match="не читается как документ Word"):
        importer.parse_docx(workbook.getvalue())  # a ZIP, but a spreadsheet
    fake = SimpleUploadedFile("plan.docx", b"plain text, not a document")
    response = login(world.head).post(reverse("plan_import"), {"start_year": CHOICE, "file": fake})
    assert "не соответствует расширению" in response.content.decode()
    assert not WorkPlan.objects.exists()


def test_import_view_creates_a_draft(seed_plan, world, login):
    data = docx_bytes(seed_plan)
    response = login(world.head).post(
        reverse("plan_import"), {"start_year": CHOICE, "file": SimpleUploadedFile("p.docx", data)}
    )
    plan = WorkPlan.objects.get(year__start_year=CHOICE)
    assert response.url == plan.get_absolute_url()
    assert plan.status == "draft"
    again = login(world.head).post(
        reverse("plan_import"), {"start_year": CHOICE, "file": SimpleUploadedFile("p.docx", data)}
    )
    assert "уже есть" in again.content.decode()


def test_xlsx_export_opens_with_the_plan_and_execution(seed_plan, world, login):
    item = PlanItem.objects.get(section__plan=seed_plan, number="9")
    services.record_execution(item, date=dt.date(2022, 2, 3), status="done", note="3 статьи")
    response = login(world.department).get(reverse("plan_export", args=[seed_plan.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == demo.TITLE
    header = next(r for r in rows if r[0] == "№ п/п")
    assert header[:6] == exports.FULL_HEADERS
    row9 = next(r for r in rows if r[0] == "9")
    assert row9[3] == "В течение года"
    assert row9[6] == "Выполнено"
    assert row9[7] == dt.datetime(2022, 2, 3)
    assert row9[8] == "3 статьи"
    assert ["2.2", "Квест- как форма работы по продвижению чтения."] in [r[:2] for r in rows]
    # Printed on A4 across, one page wide, the header on every page, the date of printing.
    at = rows.index(header) + 1
    assert sheet.print_title_rows == f"${at}:${at}"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.oddHeader.right.text.startswith("Дата печати: ")


def test_pdf_through_libreoffice(seed_plan, world, login):
    if files.libreoffice() is None:
        pytest.skip("LibreOffice не установлен: проверка PDF пропущена (в CI он ставится)")
    response = login(world.librarian).get(reverse("plan_export", args=[seed_plan.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_without_libreoffice_explains(seed_plan, world, login, monkeypatch):
    monkeypatch.setattr(files, "libreoffice", lambda: None)
    response = login(world.librarian).get(reverse("plan_export", args=[seed_plan.pk, "pdf"]))
    assert response.status_code == 503
    assert "LibreOffice не установлен" in response.content.decode()
