"""The act of transfer (акт приёма-передачи учебников) as DOCX."""

from __future__ import annotations

import io

from django.http import HttpResponse
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from bibliomo.accounts.models import Role, User
from bibliomo.exchange.models import Transfer
from bibliomo.lib import files


def _librarian(school_id: int) -> str:
    """The school's librarian signs; the association's head only if she is the one."""
    people = User.objects.filter(
        school_id=school_id, role__in=[Role.LIBRARIAN, Role.HEAD], is_active=True
    ).order_by("last_name", "first_name")
    chosen = sorted(people, key=lambda p: p.role != Role.LIBRARIAN)
    return chosen[0].full_name if chosen else ""


def _quoted(name: str) -> str:
    """School names go into the act in «ёлочки» unless they carry them already."""
    return name if "«" in name else f"«{name}»"


def act(t: Transfer) -> bytes:
    lines = list(t.lines.select_related("entry"))
    day = t.received_on or t.shipped_on or t.created_at.date()
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    for section in doc.sections:
        section.left_margin = section.right_margin = Cm(2)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"АКТ № {t.number}\nприёма-передачи учебников")
    run.bold = True
    run.font.size = Pt(14)
    date = doc.add_paragraph(f"{day:%d.%m.%Y}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    doc.add_paragraph(f"Передающая сторона: {_quoted(t.giver.full_name)}.")
    doc.add_paragraph(f"Принимающая сторона: {_quoted(t.taker.full_name)}.")
    kind = f"Вид передачи: {t.get_kind_display()}"
    if t.kind == Transfer.Kind.TEMPORARY and t.return_date:
        kind += f", срок возврата — до {t.return_date:%d.%m.%Y}"
    doc.add_paragraph(kind + ".")
    doc.add_paragraph(
        "Передающая сторона передаёт, а принимающая сторона принимает следующие учебники:"
    )

    received = t.status in (
        Transfer.Status.RECEIVED,
        Transfer.Status.RETURNED,
        Transfer.Status.CLOSED,
    )
    headers = ["№", "Порядковый номер ФПУ", "Автор, наименование", "Класс", "Передано, экз."]
    if received:
        headers.append("Принято, экз.")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for n, line in enumerate(lines, 1):
        values = [
            str(n),
            line.entry.number,
            f"{line.entry.authors}. {line.entry.title}".lstrip(". "),
            line.entry.grades,
            str(line.copies),
        ]
        if received:
            values.append(str(line.received if line.received is not None else ""))
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    total = ["", "", "Итого", "", str(sum(ln.copies for ln in lines))]
    if received:
        total.append(str(sum(ln.received or 0 for ln in lines)))
    for cell, text in zip(table.add_row().cells, total, strict=True):
        cell.text = text

    if t.discrepancy:
        doc.add_paragraph(f"Расхождения при приёмке: {t.discrepancy}")
    doc.add_paragraph()
    for role, school in (("Передал", t.giver), ("Принял", t.taker)):
        name = _librarian(school.pk)
        doc.add_paragraph(
            f"{role}: {_quoted(school.short_name)}\n"
            f"________________ / {name or '____________________'} /"
        )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def act_response(t: Transfer) -> HttpResponse:
    return files.download(act(t), f"Акт приёма-передачи № {t.number}.docx")
