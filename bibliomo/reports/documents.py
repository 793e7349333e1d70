"""The analysis as DOCX laid out by ГОСТ Р 7.0.97-2016 (A4; margins 30 mm left, 15 mm
right, 20 mm top and bottom; Times New Roman; page numbers centred in the top margin from
the second page) and PDF converted from it by LibreOffice, as the plan's export does."""

from __future__ import annotations

import io
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from bibliomo.lib import files, years
from bibliomo.reports.builder import Analysis

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _para(document, text: str, *, bold=False, align=None, size=None, indent=True, space=0):
    p = document.add_paragraph()
    run = p.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    elif indent:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1.25)
    fmt.space_after = Pt(space)
    return p


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = ""
            run = cell.paragraphs[0].add_run(str(text))
            run.font.size = Pt(10)
    widths = column_widths(header, rows)
    table.autofit = False
    # LibreOffice reads the grid, Word the cells: set both.
    for column, width in zip(table.columns, widths, strict=False):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    document.add_paragraph()


TEXT_WIDTH_CM = 21.0 - 3.0 - 1.5


def column_widths(header: list[str], rows: list[list[str]]) -> list:
    """Each column at least as wide as its longest word (at 10 pt), the rest of the text
    width shared by how much the column holds (square root, so one long cell does not
    take it all)."""
    minimums, weights = [], []
    for i, title in enumerate(header):
        cells = [str(r[i]) for r in rows if i < len(r)] or [""]
        words = [w for text in [title, *cells] for w in text.split(" ")]  # keeps "1\u00a0000"
        longest_word = min(max((len(w) for w in words), default=4), 16)
        minimums.append(longest_word * 0.23 + 0.5)  # the cell's own margins included
        weights.append((sum(len(c) for c in cells) / len(cells)) ** 0.5 + 0.5)
    spare = TEXT_WIDTH_CM - sum(minimums)
    if spare <= 0:
        return [Cm(TEXT_WIDTH_CM * m / sum(minimums)) for m in minimums]
    total = sum(weights)
    return [Cm(m + spare * w / total) for m, w in zip(minimums, weights, strict=True)]


def build_docx(analysis: Analysis, notes: dict, conclusion: str, head_name: str) -> bytes:
    document = new_docx()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(header)
    document.core_properties.title = analysis.title

    district = analysis.district
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, district.association_name or f"ММО библиотекарей — {district.name}",
          bold=True, align=center)  # fmt: skip
    _para(document, district.name, align=center, space=12)
    _para(document, "АНАЛИЗ РАБОТЫ", bold=True, align=center)
    _para(
        document,
        f"муниципального методического объединения библиотекарей за "
        f"{years.label(analysis.start_year, 'acc')}",
        bold=True,
        align=center,
        space=12,
    )
    for number, sec in enumerate(analysis.sections, start=1):
        heading = _para(document, f"{number}. {sec.title}", bold=True, indent=False, space=6)
        heading.paragraph_format.keep_with_next = True
        for text in sec.summary:
            _para(document, text)
        for table in sec.tables:
            if table.caption:
                _para(document, table.caption, bold=True, indent=False)
            if table.rows:
                _table(document, table.header, table.rows)
        note = notes.get(sec.key)
        if note is not None and note.conclusions.strip():
            _para(document, "Выводы: " + note.conclusions.strip())
        if note is not None and note.task_list:
            _para(document, "Задачи на следующий год:", indent=False)
            for task in note.task_list:
                _para(document, f"– {task}")
    if conclusion.strip():
        title = _para(document, "Общие выводы", bold=True, indent=False, space=6)
        title.paragraph_format.keep_with_next = True
        for line in conclusion.strip().splitlines():
            if line.strip():
                _para(document, line.strip())
    # The signature never stands alone on the last page.
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    _para(document, "").paragraph_format.keep_with_next = True
    _para(
        document, f"Руководитель ММО  _______________  {head_name}", indent=False
    ).paragraph_format.keep_with_next = True
    _para(document, f"{timezone.localdate():%d.%m.%Y}", indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def filename(analysis: Analysis, ext: str) -> str:
    return f"Анализ работы ММО {years.short_label(analysis.start_year).replace('/', '-')}.{ext}"


def response(analysis: Analysis, data: bytes, fmt: str) -> HttpResponse:
    if fmt == "pdf":
        try:
            data = files.docx_to_pdf(data)
        except files.ConversionUnavailable as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
        except Exception:  # LibreOffice failing must not become a 500
            return HttpResponse(
                "Не удалось получить PDF. Скачайте анализ в формате DOCX.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        content_type = "application/pdf"
    else:
        content_type = DOCX
    result = HttpResponse(data, content_type=content_type)
    name = filename(analysis, fmt)
    result["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return result
