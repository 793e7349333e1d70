# ruff: noqa: E501 — rows of a ministry table read best one per line
"""Small Federal-list tables in the ministry's layout, for the import tests."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

HEADER = [
    "Порядковый номер учебника",
    "Наименование учебника",
    "Автор/авторский коллектив",
    "Класс",
    "Наименование издателя(ей) учебника",
    "Предельный срок использования исключенных учебников",
]

ROWS_858 = [
    ["1.1.1.1.1.", "Русский язык (учебный предмет)", None, None, None, None],
    ["1.1.1.1.1.1", "Русский язык. Азбука (в 2 частях)", "Горецкий В. Г., Кирюшкин В. А.", "1", "АО «Издательство «Просвещение»", None],
    ["1.1.1.1.1.2", "Русский язык", "Канакина В. П., Горецкий В. Г.", "2", "АО «Издательство «Просвещение»", None],
    ["1.1.2.4.1.", "Математика (учебный предмет)", None, None, None, None],
    ["1.1.2.4.1.1.1.", "Математика (в 2 частях)", "Виленкин Н. Я., Жохов В. И., Чесноков А. С.", "5", "АО «Издательство «Просвещение»", None],
    ["1.1.3.5.1.1.1", "Физика", "Мякишев Г. Я., Буховцев Б. Б., Сотский Н. Н.", "10-11", "АО «Издательство «Просвещение»", None],
    ["2.1.2.4.2.5.1.", "Математика. Алгебра (старое издание)", "Мордкович А. Г.", "7", "ООО «ИОЦ МНЕМОЗИНА»", dt.date(2025, 9, 25)],
]  # fmt: skip


def xlsx(rows, header=HEADER, *, merged_title=True, numbers_row=True, name="fpu.xlsx"):
    book = Workbook()
    ws = book.active
    if merged_title:
        ws.append(["Федеральный перечень учебников"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    if numbers_row:
        ws.append([str(i) for i in range(1, len(header) + 1)])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def csv_file(rows, header=HEADER, encoding="cp1251", name="fpu.csv"):
    def cell(v):
        return v.strftime("%d.%m.%Y") if isinstance(v, dt.date) else (v or "")

    lines = [";".join(header)] + [";".join(cell(v) for v in row) for row in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))
