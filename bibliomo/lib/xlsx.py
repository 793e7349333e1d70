"""XLSX files for people who live in Excel: a bold header, sensible widths, frozen header,
dates as real dates (shown дд.мм.гггг), and a download response with a Cyrillic name."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_sheet(
    ws: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
) -> None:
    """Fill ``ws`` with an optional title line, a header row and the rows."""
    start = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=12)
        start = 3
    for col, header in enumerate(headers, 1):
        cell = ws.cell(row=start, column=col, value=header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(str(h)) for h in headers]
    for row_no, row in enumerate(rows, start + 1):
        for col, value in enumerate(row, 1):
            cell = ws.cell(row=row_no, column=col, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
            if col <= len(widths):
                widths[col - 1] = max(widths[col - 1], min(len(str(value or "")), 60))
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = max(8, width + 2)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)


def workbook(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str, title: str | None = None
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    write_sheet(ws, headers, rows, title=title)
    return wb


def response(wb: Workbook, filename: str) -> HttpResponse:
    buffer = io.BytesIO()
    wb.save(buffer)
    resp = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp
