"""Ведомость выдачи учебников of a class, as librarians print it: pupils down, the
set's textbooks across (copies issued to each pupil), a column for the pupil's signature;
DOCX and XLSX, A4 landscape."""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import Sum
from django.http import HttpResponse
from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from bibliomo.circulation import services
from bibliomo.circulation.models import Classroom, Loan, Pupil
from bibliomo.lib import years
from bibliomo.lib.tables import Sheet, book_response, workbook


@dataclass
class ClassSheet:
    classroom: Classroom
    titles: list[str]  # one per textbook column
    pupils: list[tuple[str, list[int]]]  # name, copies per textbook column

    @property
    def heading(self) -> str:
        return f"Ведомость выдачи учебников, {self.classroom.name} класс"

    @property
    def caption(self) -> list[str]:
        c = self.classroom
        lines = [c.school.full_name or c.school.short_name, self.heading, years.label(c.year_id)]
        if c.teacher_label:
            lines.append(f"Классный руководитель: {c.teacher_label}")
        return lines

    @property
    def filename(self) -> str:
        span = years.short_label(self.classroom.year_id).replace("/", "-")
        return f"Ведомость выдачи учебников {self.classroom.name} {span}"


def _title(subject: str, entry) -> str:
    if subject and subject != entry.title:
        return f"{subject}: {entry.title}"
    return entry.title


def class_sheet(classroom: Classroom) -> ClassSheet:
    """The set's textbooks first, then any other book issued to the class this year."""
    items = services.class_set(classroom)
    order = [i.entry.pk for i in items]
    labels = {i.entry.pk: i.entry for i in items}
    subjects = {i.entry.pk: i.subject for i in items}
    issued = (
        Loan.objects.filter(classroom=classroom, year_id=classroom.year_id, pupil__isnull=False)
        .exclude(status=Loan.Status.CANCELLED)
        .values_list("pupil_id", "entry_id")
        .annotate(n=Sum("copies"))
        .order_by()
    )
    marks: dict[tuple[int, int], int] = {}
    extra = set()
    for pupil_id, entry_id, n in issued:
        marks[pupil_id, entry_id] = n
        if entry_id not in labels:
            extra.add(entry_id)
    if extra:
        from bibliomo.textbooks.models import FederalListEntry

        for e in FederalListEntry.objects.filter(pk__in=extra).order_by("title"):
            labels[e.pk] = e
            order.append(e.pk)
    pupils = Pupil.objects.filter(classroom=classroom, left_on__isnull=True).order_by(
        "last_name", "first_name", "pk"
    )
    return ClassSheet(
        classroom=classroom,
        titles=[_title(subjects.get(e) or labels[e].subject, labels[e]) for e in order],
        pupils=[(p.name, [marks.get((p.pk, e), 0) for e in order]) for p in pupils],
    )


def sheet_xlsx(sheet: ClassSheet) -> HttpResponse:
    header = ["№", "Фамилия, имя", *sheet.titles, "Подпись"]
    rows = [
        [i, name, *[n or "" for n in marks], ""]
        for i, (name, marks) in enumerate(sheet.pupils, start=1)
    ]
    book = workbook(
        [
            Sheet(
                title=sheet.classroom.name,
                header=header,
                rows=rows,
                caption=sheet.caption,
                widths=[5, 28, *[14] * len(sheet.titles), 16],
            )
        ]
    )
    ws = book.active
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    header_row = len(sheet.caption) + 2
    ws.print_title_rows = f"{header_row}:{header_row}"
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row, max_col=len(header)):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row > header_row and cell.column > 2:
                cell.alignment = Alignment(horizontal="center")
        ws.row_dimensions[row[0].row].height = 60 if row[0].row == header_row else 22
    for cell in ws[header_row]:
        cell.font = Font(bold=True, size=9)
    last = get_column_letter(len(header))
    ws.print_area = f"A1:{last}{ws.max_row}"
    return book_response(book, sheet.filename + ".xlsx")


def sheet_docx(sheet: ClassSheet) -> HttpResponse:
    out = Docx()
    section = out.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(10)
    for i, line in enumerate(sheet.caption):
        p = out.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(line)
        run.bold = i == 1
        if i == 1:
            run.font.size = Pt(13)
    cols = 3 + len(sheet.titles)
    table = out.add_table(rows=1, cols=cols)
    table.style = "Table Grid"
    head = table.rows[0].cells
    for cell, text in zip(head, ["№", "Фамилия, имя", *sheet.titles, "Подпись"], strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(8)
    for i, (name, marks) in enumerate(sheet.pupils, start=1):
        row = table.add_row()
        row.height = Cm(0.8)  # room for a pupil's signature
        cells = row.cells
        cells[0].text, cells[1].text = str(i), name
        for cell, n in zip(cells[2:-1], marks, strict=True):
            cell.text = str(n) if n else ""
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    width = Cm(26.7)
    fixed = Cm(1.0) + Cm(5.0) + Cm(3.0)
    each = int((width - fixed) / max(1, len(sheet.titles)))
    widths = [Cm(1.0), Cm(5.0), *[each] * len(sheet.titles), Cm(3.0)]
    # Fixed widths: Word and LibreOffice otherwise squeeze the names column.
    table.autofit = False
    for column, w in zip(table.columns, widths, strict=True):
        column.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    # The header repeats on every printed page.
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    out.add_paragraph()
    line = "____________________ /____________________/"
    out.add_paragraph(f"Библиотекарь {line}      Классный руководитель {line}")
    buffer = io.BytesIO()
    out.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(sheet.filename)}.docx"
    return response
