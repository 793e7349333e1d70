"""Official papers as DOCX: A4 with the margins of ГОСТ Р 7.0.97-2016, sums in words."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Cm, Pt, Twips
from docx.table import Table
from num2words import num2words

from bibliomo.lib import files

DOCX_MIME = files.DOCX
# A4 in twentieths of a point, as Word stores it.
A4_WIDTH, A4_HEIGHT = 11906, 16838
# ГОСТ Р 7.0.97-2016, п. 5.1: at least 20 mm left, 10 mm right, 20 mm top and bottom;
# 30 / 15 mm leave room for filing, as offices usually do.
MARGINS_CM = {"left": 3.0, "right": 1.5, "top": 2.0, "bottom": 2.0}


def a4_document(font_size: int = 12, *, landscape: bool = False) -> DocxDocument:
    """A new document on A4 (portrait or landscape), Times New Roman, ГОСТ margins."""
    doc = Document()
    for section in doc.sections:
        width, height = (A4_HEIGHT, A4_WIDTH) if landscape else (A4_WIDTH, A4_HEIGHT)
        section.page_width, section.page_height = Twips(width), Twips(height)
        if landscape:
            from docx.enum.section import WD_ORIENT

            section.orientation = WD_ORIENT.LANDSCAPE
        section.left_margin = Cm(MARGINS_CM["left"])
        section.right_margin = Cm(MARGINS_CM["right"])
        section.top_margin = Cm(MARGINS_CM["top"])
        section.bottom_margin = Cm(MARGINS_CM["bottom"])
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(font_size)
    style.paragraph_format.space_after = Pt(0)
    return doc


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def money(value: Decimal) -> str:
    """«1 234,50»: a thin space between thousands, a decimal comma."""
    text = f"{Decimal(value):,.2f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def rubles_in_words(value: Decimal) -> str:
    """«Одна тысяча двести тридцать четыре рубля 56 копеек», as accountants write sums."""
    value = Decimal(value).quantize(Decimal("0.01"))
    rubles = int(value)
    kopecks = int((value - rubles) * 100)
    words = num2words(Decimal(rubles), lang="ru", to="currency", currency="RUB")
    words = words.split(",")[0]  # «… рублей, ноль копеек» → the kopecks go as digits
    return f"{words[:1].upper()}{words[1:]} {kopecks:02d} {_kopecks(kopecks)}"


def _kopecks(n: int) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return "копейка"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "копейки"
    return "копеек"


def set_widths(table: Table, widths_cm: list[float]) -> None:
    """Column widths for Word and LibreOffice alike: Word reads the cells' widths,
    LibreOffice the table grid's (without it every column comes out equal)."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)
