"""The write-off act as DOCX in the layout of form ОКУД 0504144 («Акт о списании
исключенных объектов библиотечного фонда», Приказ Минфина России от 30.03.2015 № 52н)."""

from __future__ import annotations

from decimal import Decimal

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bibliomo.fund.models import Document
from bibliomo.lib import docs

TABLE_HEADER = [
    "№ п/п",
    "Порядковый номер в ФПУ",
    "Автор, заглавие",
    "Год поступления",
    "Количество, экз.",
    "Цена, руб.",
    "Сумма, руб.",
    "Причина списания",
]
NO_PRICE = "нет цены"


def members(doc: Document) -> list[str]:
    return [m.strip() for m in doc.commission.splitlines() if m.strip()]


def _blank(value: str, width: int = 24) -> str:
    return value or "_" * width


def writeoff_act(doc: Document) -> bytes:
    school = doc.school
    lines = list(doc.lines.select_related("entry").order_by("entry__key", "receipt_year"))
    out = docs.a4_document(11)

    approve = out.add_paragraph()
    approve.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    approve.add_run("УТВЕРЖДАЮ").bold = True
    out.add_paragraph(
        f"Руководитель ____________ {_blank(school.director, 20)}\n"
        "(подпись)          (расшифровка подписи)\n«___» ____________ 20___ г."
    ).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    title = out.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    title.add_run(
        f"АКТ № {doc.number}\nо списании исключенных объектов библиотечного фонда"
    ).bold = True

    codes = out.add_table(rows=7, cols=2)
    codes.style = "Table Grid"
    codes.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for row, (label, value) in zip(
        codes.rows,
        [("", "Коды"), ("Форма по ОКУД", "0504144"), ("Дата", f"{doc.date:%d.%m.%Y}"),
         ("по ОКПО", school.okpo), ("ИНН", school.inn), ("Единица измерения: руб.", ""),
         ("по ОКЕИ", "383")],
        strict=True,
    ):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    docs.set_widths(codes, [5.0, 3.0])

    out.add_paragraph(f"Учреждение: {school.full_name}")
    out.add_paragraph("Структурное подразделение: библиотека (фонд учебников)")
    out.add_paragraph(f"Материально ответственное лицо: {_blank(doc.responsible)}")
    order = (
        f"№ {doc.commission_order} от {doc.commission_order_date:%d.%m.%Y}"
        if doc.commission_order and doc.commission_order_date
        else (f"№ {doc.commission_order}" if doc.commission_order else "№ ____ от __________")
    )
    names = members(doc)
    para = out.add_paragraph(
        f"Комиссия, назначенная приказом {order}, в составе: председатель — "
        f"{names[0] if names else '____________'}; члены комиссии — "
        f"{', '.join(names[1:]) if len(names) > 1 else '____________'} — произвела отбор "
        "для списания учебников, исключаемых из библиотечного фонда по причине "
        f"«{doc.get_reason_display()}»."
    )
    para.paragraph_format.space_before = Pt(6)
    if doc.basis:
        out.add_paragraph(f"Основание: {doc.basis}")

    table = out.add_table(rows=1, cols=len(TABLE_HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    numbers = table.add_row().cells
    for i, cell in enumerate(numbers, start=1):
        cell.text = str(i)
    total_copies, total_sum = 0, Decimal("0.00")
    for i, line in enumerate(lines, start=1):
        values = [
            str(i),
            line.entry.number,
            line.entry.citation.rstrip("."),
            str(line.receipt_year or ""),
            str(line.copies),
            docs.money(line.price) if line.price else NO_PRICE,
            docs.money(line.total) if line.price else NO_PRICE,
            doc.get_reason_display(),
        ]
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
        total_copies += line.copies
        total_sum += line.total
    cells = table.add_row().cells
    cells[2].text = "Итого"
    cells[4].text = str(total_copies)
    cells[6].text = docs.money(total_sum)
    for cell in cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True
    docs.set_widths(table, [1.0, 2.3, 5.4, 1.7, 1.6, 1.8, 2.0, 2.7])

    summary = out.add_paragraph(
        f"Всего по акту списано {total_copies} экз. на сумму "
        f"{docs.money(total_sum)} руб. ({docs.rubles_in_words(total_sum)})."
    )
    summary.paragraph_format.space_before = Pt(6)
    if any(not ln.price for ln in lines):
        out.add_paragraph(
            "Внимание: у части учебников не указана цена поступления — укажите её до "
            "проведения акта, иначе бухгалтерия не сможет его принять."
        ).runs[0].bold = True
    out.add_paragraph("Исключённые из фонда учебники подлежат сдаче в макулатуру / утилизации.")
    out.add_paragraph("")
    signatures = [("Председатель комиссии", names[0] if names else "")]
    signatures += [("Член комиссии", m) for m in (names[1:] or ["", ""])]
    signatures.append(("Материально ответственное лицо", doc.responsible))
    for role, name in signatures:
        out.add_paragraph(f"{role} ____________ {_blank(name, 22)}")
        out.add_paragraph("(подпись)      (расшифровка подписи)").runs[0].font.size = Pt(8)
    out.add_paragraph("")
    out.add_paragraph("Отметка бухгалтерии о внесении изменений в учётные регистры:")
    out.add_paragraph("Исполнитель ____________ ______________________  «___» ________ 20__ г.")
    out.add_paragraph("(подпись)      (расшифровка подписи)").runs[0].font.size = Pt(8)
    out.add_paragraph("Акт составлен в двух экземплярах.")
    return docs.to_bytes(out)
