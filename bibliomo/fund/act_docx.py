"""The write-off act as DOCX in the layout of form ОКУД 0504144 («Акт о списании
исключенных объектов библиотечного фонда»)."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document as Docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from bibliomo.fund.models import Document
from bibliomo.lib.templatetags import ru_number


def _money(value: Decimal) -> str:
    return ru_number(value, 2)


def writeoff_act(doc: Document) -> bytes:
    school = doc.school
    lines = list(doc.lines.select_related("entry").order_by("entry__key", "receipt_year"))
    out = Docx()
    section = out.sections[0]
    section.left_margin = section.right_margin = Cm(2)
    style = out.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)

    codes = out.add_table(rows=4, cols=2)
    codes.style = "Table Grid"
    for row, (label, value) in zip(
        codes.rows,
        [("Форма по ОКУД", "0504144"), ("Дата", f"{doc.date:%d.%m.%Y}"),
         ("ИНН", school.inn or ""), ("Номер акта", doc.number)],
        strict=True,
    ):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(
        f"АКТ № {doc.number}\nо списании исключенных объектов библиотечного фонда\n"
        f"от {doc.date:%d.%m.%Y}"
    )
    run.bold = True
    out.add_paragraph(f"Учреждение: {school.full_name}")
    out.add_paragraph("Структурное подразделение: библиотека (учебный фонд)")
    out.add_paragraph(f"Причина списания: {doc.get_reason_display()}")
    if doc.basis:
        out.add_paragraph(f"Основание: {doc.basis}")
    members = [m.strip() for m in doc.commission.splitlines() if m.strip()]
    out.add_paragraph(
        "Комиссия, назначенная приказом руководителя учреждения, в составе: "
        + ("; ".join(members) if members else "____________________")
        + ", произвела отбор для списания учебников, исключаемых из библиотечного фонда "
        "по причине «" + doc.get_reason_display() + "»."
    )
    table = out.add_table(rows=1, cols=8)
    table.style = "Table Grid"
    head = ["№ п/п", "Порядковый номер в ФПУ", "Автор, заглавие", "Год поступления",
            "Количество, экз.", "Цена, руб.", "Сумма, руб.", "Причина списания"]  # fmt: skip
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    total_copies, total_sum = 0, Decimal("0.00")
    for i, line in enumerate(lines, start=1):
        cells = table.add_row().cells
        values = [
            str(i),
            line.entry.number,
            line.entry.citation,
            str(line.receipt_year or ""),
            str(line.copies),
            _money(line.price),
            _money(line.total),
            doc.get_reason_display(),
        ]
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
        total_copies += line.copies
        total_sum += line.total
    cells = table.add_row().cells
    cells[2].text = "Итого"
    cells[4].text = str(total_copies)
    cells[6].text = _money(total_sum)
    out.add_paragraph(
        f"Всего списано {total_copies} экз. на сумму {_money(total_sum)} руб. "
        "Исключённые из фонда учебники подлежат сдаче в макулатуру / утилизации."
    )
    out.add_paragraph("")
    out.add_paragraph("Председатель комиссии ____________ / ______________________ /")
    for member in members[1:] or ["", ""]:
        out.add_paragraph(f"Член комиссии ____________ / {member or '______________________'} /")
    out.add_paragraph("")
    out.add_paragraph("Отметка бухгалтерии о внесении изменений в учётные регистры:")
    out.add_paragraph("Исполнитель ____________ / ______________________ /  «___» ________ 20__ г.")
    out.add_paragraph("Акт составлен в двух экземплярах.")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
