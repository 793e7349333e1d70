"""Акт о результатах инвентаризации учебного фонда: DOCX on A4 with the margins of
ГОСТ Р 7.0.97-2016 (left 20 mm, right 10 mm, top and bottom 20 mm); PDF through the
LibreOffice conversion the plan's export uses."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from bibliomo.lib.templatetags import ru_number
from bibliomo.stocktake import services
from bibliomo.stocktake.models import Stocktake


def _money(value: Decimal) -> str:
    return ru_number(value, 2)


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(9)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def docx(stocktake: Stocktake) -> bytes:
    campaign = stocktake.campaign
    school = stocktake.school
    lines = services.sheet_lines(stocktake)
    out = Docx()
    section = out.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    normal = out.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(2)

    approve = out.add_paragraph("УТВЕРЖДАЮ\nДиректор ____________ / ______________________ /\n"
                                "«___» ____________ 20___ г.")  # fmt: skip
    approve.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    org = out.add_paragraph(school.full_name)
    org.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head = out.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    number = stocktake.act_number or "____"
    date = f"{stocktake.act_date:%d.%m.%Y}" if stocktake.act_date else "__.__.20__"
    run = head.add_run(f"АКТ № {number}\nо результатах инвентаризации учебного фонда\nот {date}")
    run.bold = True

    members = [m for m in stocktake.commission.splitlines() if m.strip()]
    out.add_paragraph(
        f"Основание: {campaign.order_label} «{campaign.name}»"
        + (
            f"; приказ по учреждению {stocktake.commission_order}"
            if stocktake.commission_order
            else ""
        )
        + "."
    )
    out.add_paragraph(
        "Комиссия в составе: "
        + ("; ".join(members) if members else "______________________")
        + f" провела проверку наличия учебников ({campaign.scope_label}) "
        "путём подсчёта на полках с учётом выданных учащимся и сличила результаты с данными "
        "книги суммарного учёта учебного фонда."
    )
    if stocktake.started_at or stocktake.submitted_at:
        since = stocktake.started_at or stocktake.submitted_at
        until = stocktake.submitted_at or since
        out.add_paragraph(f"Сроки проведения: с {since:%d.%m.%Y} по {until:%d.%m.%Y}.")

    total_books = sum(ln.on_books for ln in lines)
    total_found = sum((ln.counted or 0) + (ln.issued or 0) for ln in lines)
    out.add_paragraph(
        f"Проверено позиций (учебник × год поступления): {len(lines)}. Числится по учёту "
        f"{total_books} экз., фактически в наличии {total_found} экз. "
        f"(на полках {sum(ln.counted or 0 for ln in lines)}, "
        f"выдано учащимся {sum(ln.issued or 0 for ln in lines)})."
    )
    differing = [ln for ln in lines if ln.difference.shortage or ln.difference.surplus]
    out.add_paragraph("Выявлены расхождения:" if differing else "Расхождений не выявлено.")
    if differing:
        header = ["№", "№ в ФПУ", "Учебник", "Год пост.", "По учёту, экз.",
                  "Факти-чески, экз.", "Недостача, экз.", "Недостача, руб.",
                  "Излишки, экз.", "Излишки, руб."]  # fmt: skip
        table = out.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            _cell(cell, text, bold=True)
        totals = [0, Decimal("0.00"), 0, Decimal("0.00")]
        for i, ln in enumerate(differing, start=1):
            diff = ln.difference
            lack, extra = ln.price * diff.shortage, ln.price * diff.surplus
            values = [str(i), ln.entry.number, f"{ln.entry.title} ({ln.entry.grades} кл.)",
                      str(ln.receipt_year), str(ln.on_books),
                      str((ln.counted or 0) + (ln.issued or 0)),
                      str(diff.shortage or ""), _money(lack) if diff.shortage else "",
                      str(diff.surplus or ""), _money(extra) if diff.surplus else ""]  # fmt: skip
            for j, (cell, text) in enumerate(zip(table.add_row().cells, values, strict=True)):
                _cell(cell, text, right=j >= 3)
            totals = [totals[0] + diff.shortage, totals[1] + lack,
                      totals[2] + diff.surplus, totals[3] + extra]  # fmt: skip
        cells = table.add_row().cells
        _cell(cells[2], "Итого", bold=True)
        for j, text in zip(range(6, 10), [str(totals[0]), _money(totals[1]), str(totals[2]),
                                           _money(totals[3])], strict=True):  # fmt: skip
            _cell(cells[j], text, bold=True, right=True)
        # 180 mm between the margins; LibreOffice reads the grid, Word the cells.
        widths = [9, 22, 36, 12, 14, 15, 15, 20, 15, 20]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Mm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Mm(width)
    reason = stocktake.get_shortage_reason_display() or "не обнаружено при инвентаризации"
    out.add_paragraph("")
    out.add_paragraph(
        f"Решение комиссии: недостачу {stocktake.shortage_copies} экз. на сумму "
        f"{_money(stocktake.shortage_sum)} руб. списать по причине «{reason}»"
        + (f" (акт списания № {stocktake.writeoff.number})" if stocktake.writeoff else "")
        + f"; излишки {stocktake.surplus_copies} экз. на сумму "
        f"{_money(stocktake.surplus_sum)} руб. оприходовать как «выявлено при "
        "инвентаризации»"
        + (f" (акт приёма № {stocktake.receipt.number})" if stocktake.receipt else "")
        + ". Изменения внести в книгу суммарного учёта учебного фонда."
    )
    out.add_paragraph("")
    out.add_paragraph("Председатель комиссии ____________ / "
                      f"{members[0] if members else '______________________'} /")  # fmt: skip
    for member in members[1:] or ["", ""]:
        out.add_paragraph(f"Член комиссии ____________ / {member or '______________________'} /")
    out.add_paragraph("Материально ответственное лицо ____________ / ______________________ /")
    out.add_paragraph("Акт составлен в двух экземплярах.")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
