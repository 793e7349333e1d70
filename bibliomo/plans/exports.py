"""The plan as files: DOCX in the seed's layout (landscape, ready to sign), XLSX, and PDF
converted from the DOCX by LibreOffice.

The DOCX also carries what the printed table has no column for — each item's indicator
and the logins of its linked people — as JSON in a custom XML part (Word keeps such parts
and shows nothing of them), so that ``importer`` gives back the same plan.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import translation
from django.utils.dates import MONTHS_ALT
from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from bibliomo.lib import files, names, tables
from bibliomo.plans.models import PlanSection, WorkPlan
from bibliomo.plans.services import Document

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

# The seed's column headings; the importer expects them in this order.
FULL_HEADERS = [
    "№ п/п",
    "Содержание",
    "Ответственный",
    "Сроки",
    "Место проведения",
    "Ожидаемый результат/ показатель выполнения",
]
PARTICIPATION_HEADERS = ["№ п/п", "Мероприятия", "Сроки"]
CONTENT_HEADING = "Содержание деятельности"
THEME_LABEL = "Тема:"
GOAL_LABEL = "Цель деятельности ММО:"
TASKS_LABEL = "Задачи деятельности ММО:"
APPROVE_LABEL = "УТВЕРЖДАЮ"
METADATA_NAMESPACE = "urn:bibliomo:plan"
METADATA_PART = "/customXml/bibliomo-plan.xml"


def approval_lines(plan: WorkPlan) -> list[str]:
    """The «Утверждаю» block: position, signature line with the full name, date."""
    person = plan.approved_by
    position = (person.position if person and person.position else "").strip()
    full = names.full_name(person.last_name, person.first_name, person.patronymic) if person else ""
    if plan.approved_on:
        day = plan.approved_on
        with translation.override("ru"):
            month = str(MONTHS_ALT[day.month])  # «сентября»: the genitive
        date = f"«{day.day:02d}» {month} {day.year} г."
    else:
        date = "«____» ______________ 20___ г."
    return [
        APPROVE_LABEL,
        position[:1].upper() + position[1:] if position else "Начальник Управления образования",
        f"_______________ {full or '____________________'}",
        date,
    ]


def filename(plan: WorkPlan, ext: str) -> str:
    return f"План работы ММО {plan.year.short_label.replace('/', '-')}.{ext}"


def _metadata(doc: Document) -> str:
    rows = {}
    for s_index, section in enumerate(doc.sections):
        for r_index, row in enumerate(section.rows):
            item = row.item
            people = [p.username for p in item.responsible_people.all()]
            if item.indicator or people:
                rows[f"{s_index}.{r_index}"] = {"indicator": item.indicator, "people": people}
    return json.dumps({"items": rows}, ensure_ascii=False)


def _attach_metadata(document, payload: str) -> None:
    blob = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<plan xmlns="{METADATA_NAMESPACE}">{escape(payload)}</plan>'
    ).encode()
    part = Part(PackURI(METADATA_PART), "application/xml", blob, document.part.package)
    document.part.relate_to(part, RT.CUSTOM_XML)


def read_metadata(document) -> dict:
    """The JSON written by ``_attach_metadata`` ({} when the file has none)."""
    for rel in document.part.rels.values():
        if rel.reltype != RT.CUSTOM_XML or rel.is_external:
            continue
        try:
            root = parse_xml(rel.target_part.blob)
        except ValueError:  # lxml's XMLSyntaxError is a ValueError
            continue
        if root.tag == f"{{{METADATA_NAMESPACE}}}plan":
            try:
                data = json.loads(root.text or "{}")
            except json.JSONDecodeError:
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def _cell(cell, text: str, bold: bool = False, size: int = 11) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


def _row_flag(row, tag: str) -> None:
    """``w:tblHeader`` (repeat on every page) or ``w:cantSplit`` (keep a row whole)."""
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _set_widths(table, widths) -> None:
    # LibreOffice reads the grid, Word the cells: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _paragraph(document, text: str, bold: bool = False, align=None, size: int = 12):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(f" {text}")
    paragraph.paragraph_format.space_after = Pt(2)


def _subitems(cell, row, width) -> None:
    table = cell.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    _cell(table.rows[0].cells[0], "№", bold=True, size=10)
    _cell(table.rows[0].cells[1], row.item.subitems_title or "Содержание", bold=True, size=10)
    for child in row.children:
        cells = table.add_row().cells
        _cell(cells[0], child.number, size=10)
        _cell(cells[1], child.content, size=10)
    _set_widths(table, [Cm(0.9), width - Cm(1.2)])
    # Word needs a paragraph after a nested table inside a cell.
    cell.add_paragraph()


def build_docx(doc: Document) -> bytes:
    plan = doc.plan
    document = new_docx()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.5))
    section.top_margin = section.bottom_margin = Cm(1.5)
    document.core_properties.title = plan.title[:250]
    _attach_metadata(document, _metadata(doc))

    for line in approval_lines(plan):
        _paragraph(document, line, bold=line == APPROVE_LABEL, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, "")
    _paragraph(document, plan.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    if plan.theme:
        _labelled(document, THEME_LABEL, plan.theme)
    if plan.goal:
        _labelled(document, GOAL_LABEL, plan.goal)
    if plan.task_list:
        _paragraph(document, TASKS_LABEL, bold=True)
        for task in plan.task_list:
            _paragraph(document, f"- {task}")
    _paragraph(document, CONTENT_HEADING, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    widths = {
        PlanSection.Layout.FULL: [Cm(1.3), Cm(7.5), Cm(4.5), Cm(3.0), Cm(4.5), Cm(5.9)],
        PlanSection.Layout.PARTICIPATION: [Cm(1.3), Cm(20.0), Cm(5.4)],
    }
    for block in doc.blocks:
        full = block.layout == PlanSection.Layout.FULL
        headers = FULL_HEADERS if full else PARTICIPATION_HEADERS
        if not full:
            heading = block.sections[0].section.heading
            title = _paragraph(document, heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            title.paragraph_format.keep_with_next = True
        table = document.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, headers, strict=True):
            _cell(cell, header, bold=True)
        _row_flag(table.rows[0], "w:tblHeader")
        for view in block.sections:
            if full:
                cells = table.add_row().cells
                merged = cells[0].merge(cells[-1])
                _cell(merged, view.section.heading, bold=True)
                merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for row in view.rows:
                item = row.item
                values = (
                    [item.number, item.content, item.responsible, item.timing_text,
                     item.place, item.expected_result]
                    if full
                    else [item.number, item.content, item.timing_text]
                )  # fmt: skip
                cells = table.add_row().cells
                for cell, value in zip(cells, values, strict=True):
                    _cell(cell, value)
                if row.children:
                    _subitems(cells[1], row, widths[block.layout][1])
        for row in table.rows:
            _row_flag(row, "w:cantSplit")
        _set_widths(table, widths[block.layout])
        _paragraph(document, "")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_xlsx(doc: Document) -> bytes:
    plan = doc.plan
    book = Workbook()
    sheet = book.active
    sheet.title = "План"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    headers = [*FULL_HEADERS, "Статус выполнения", "Дата отметки", "Что сделано"]
    width = len(headers)
    sheet.append([plan.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(wrap_text=True, horizontal="center")
    sheet.row_dimensions[1].height = 36
    for label, text in ((THEME_LABEL, plan.theme), (GOAL_LABEL, plan.goal)):
        if text:
            sheet.append([f"{label} {text}"])
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
            )
            sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True)
            sheet.row_dimensions[sheet.max_row].height = 32
    if plan.task_list:
        sheet.append([TASKS_LABEL + " " + " ".join(f"- {t}" for t in plan.task_list)])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[sheet.max_row].height = 90
    sheet.append([])
    sheet.append(headers)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = border
    for view in doc.sections:
        sheet.append([view.section.heading])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for row in view.rows:
            item, latest = row.item, row.latest
            sheet.append(
                [
                    item.number, item.content, item.responsible, item.timing_text, item.place,
                    item.expected_result,
                    latest.get_status_display() if latest else "",
                    latest.date if latest else None,
                    latest.note if latest else "",
                ]
            )  # fmt: skip
            if latest:
                sheet.cell(sheet.max_row, 8).number_format = "DD.MM.YYYY"
            for child in row.children:
                sheet.append([f"{item.number}.{child.number}", child.content])
    for row in sheet.iter_rows(min_row=header_row + 1):
        for cell in row:
            cell.alignment = wrap
            cell.border = border
    for index, size in enumerate([7, 45, 28, 16, 28, 30, 16, 12, 30], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = size
    sheet.print_options.gridLines = False
    tables.print_setup(sheet, header_row=header_row, landscape=True, title=plan.title)
    # The date of printing goes above the table on every page, leaving the cells as the
    # plan's import reads them.
    sheet.oddHeader.right.text = f"Дата печати: {dt.date.today():%d.%m.%Y}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def response(doc: Document, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        data = build_xlsx(doc)
    else:
        data = build_docx(doc)
        if fmt == "pdf":
            try:
                data = files.docx_to_pdf(data)
            except files.ConversionUnavailable as exc:
                return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return files.download(data, filename(doc.plan, fmt), FORMATS[fmt])
