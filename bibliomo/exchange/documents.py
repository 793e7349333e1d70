"""The act of transfer as DOCX: for a permanent transfer between schools the act of
acceptance and transfer of non-financial assets (ОКУД 0504101, Приказ Минфина № 52н) with
prices and sums, so the taker books the batch with its value; a loan gets a plain act."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpResponse
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bibliomo.accounts.models import Role, User
from bibliomo.exchange.models import Transfer
from bibliomo.fund.models import Document as FundDocument
from bibliomo.fund.models import DocumentLine
from bibliomo.lib import docs, files

HEADER = ["№", "Порядковый номер ФПУ", "Автор, наименование", "Класс", "Передано, экз.",
          "Цена, руб.", "Сумма, руб."]  # fmt: skip

DOCX_MIME = docs.DOCX_MIME


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


def prices(t: Transfer) -> dict[int, Decimal]:
    """Price per copy of each entry: from the giver's write-off of this transfer (valued
    at its batches), else the giver's latest priced receipt of the entry."""
    result: dict[int, Decimal] = {}
    if t.writeoff_id:
        for entry_id, price in t.writeoff.lines.filter(price__gt=0).values_list(
            "entry_id", "price"
        ):
            result.setdefault(entry_id, price)
    missing = [ln.entry_id for ln in t.lines.all() if ln.entry_id not in result]
    if missing:
        for entry_id, price in (
            DocumentLine.objects.filter(
                document__school_id=t.giver_id,
                document__kind=FundDocument.Kind.RECEIPT,
                document__status=FundDocument.Status.POSTED,
                entry_id__in=missing,
                price__gt=0,
            )
            .order_by("document__date", "pk")
            .values_list("entry_id", "price")
        ):
            result[entry_id] = price  # the latest wins
    return result


def basis(t: Transfer) -> str:
    """«Основание»: the district's redistribution plan or the school's request."""
    if t.plan_id:
        return f"{t.plan}, утверждённый методическим объединением района"
    return t.get_origin_display()


def refusal(t: Transfer) -> str | None:
    """Why the transfer prints no act, or None. Nothing moved in a cancelled transfer,
    and a transfer whose postings were reversed (сторно) is undone: an act of either kind
    would be a paper for a movement that did not happen."""
    if t.status == Transfer.Status.CANCELLED:
        return "Передача отменена: акт приёма-передачи не формируется."
    if t.writeoff_id and FundDocument.objects.filter(reverses_id=t.writeoff_id).exists():
        return "Списание по этой передаче сторнировано: акт приёма-передачи не формируется."
    return None


def _approve(doc: DocxDocument, t: Transfer) -> None:
    """«УТВЕРЖДАЮ» of both directors, the giver's on the left, the taker's on the right,
    as the form has it."""
    table = doc.add_table(rows=1, cols=2)
    for cell, (role, school) in zip(
        table.rows[0].cells,
        [("учреждения-отправителя", t.giver), ("учреждения-получателя", t.taker)],
        strict=True,
    ):
        cell.text = ""
        head = cell.paragraphs[0]
        head.add_run("УТВЕРЖДАЮ").bold = True
        cell.add_paragraph(f"Руководитель {role}")
        cell.add_paragraph(f"____________ {school.director or '____________________'}")
        cell.add_paragraph("(подпись)      (расшифровка подписи)").runs[0].font.size = Pt(8)
        cell.add_paragraph("«___» ____________ 20___ г.")
    docs.set_widths(table, [8.2, 8.3])


def act(t: Transfer) -> bytes:
    lines = list(t.lines.select_related("entry"))
    day = t.received_on or t.shipped_on or t.created_at.date()
    price = prices(t)
    doc = docs.a4_document(11)
    permanent = t.kind == Transfer.Kind.PERMANENT

    if permanent:
        _approve(doc, t)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(6)
    heading = (
        "о приеме-передаче объектов нефинансовых активов"
        if permanent
        else ("приёма-передачи учебников во временное пользование")
    )
    run = title.add_run(f"АКТ № {t.number or t.pk}\n{heading}")
    run.bold = True
    run.font.size = Pt(13)
    codes = doc.add_table(rows=8, cols=2)
    codes.style = "Table Grid"
    codes.alignment = WD_TABLE_ALIGNMENT.RIGHT
    for row, (label, value) in zip(
        codes.rows,
        [("", "Коды"), ("Форма по ОКУД", "0504101" if permanent else ""),
         ("Дата", f"{day:%d.%m.%Y}"),
         ("Отправитель: по ОКПО", t.giver.okpo), ("Отправитель: ИНН", t.giver.inn),
         ("Получатель: по ОКПО", t.taker.okpo), ("Получатель: ИНН", t.taker.inn),
         ("Единица измерения: руб., по ОКЕИ", "383")],
        strict=True,
    ):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    docs.set_widths(codes, [5.5, 3.0])

    doc.add_paragraph(
        f"Учреждение-отправитель (передающая сторона): {_quoted(t.giver.full_name)}, "
        f"ИНН {t.giver.inn or '—'}."
    )
    doc.add_paragraph(
        f"Учреждение-получатель (принимающая сторона): {_quoted(t.taker.full_name)}, "
        f"ИНН {t.taker.inn or '—'}."
    )
    # The form asks for the founder's order (number and date): the plan is the district's
    # own, a school's request needs the founder's order written in by hand.
    order = "" if t.plan_id else "; распоряжение учредителя № ______ от ______________"
    doc.add_paragraph(f"Основание: {basis(t)}{order}.")
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
    headers = list(HEADER)
    if received:
        headers.append("Принято, экз.")
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    total_sum = Decimal("0.00")
    for n, line in enumerate(lines, 1):
        each = price.get(line.entry_id)
        amount = each * line.copies if each is not None else None
        total_sum += amount or 0
        values = [
            str(n),
            line.entry.number,
            f"{line.entry.authors.rstrip('.')}. {line.entry.title}".lstrip(". "),
            line.entry.grades,
            str(line.copies),
            docs.money(each) if each is not None else "нет цены",
            docs.money(amount) if amount is not None else "нет цены",
        ]
        if received:
            values.append(str(line.received if line.received is not None else ""))
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    copies = sum(ln.copies for ln in lines)
    total = ["", "", "Итого", "", str(copies), "", docs.money(total_sum)]
    if received:
        total.append(str(sum(ln.received or 0 for ln in lines)))
    for cell, text in zip(table.add_row().cells, total, strict=True):
        cell.text = text
    docs.set_widths(table, [0.8, 2.6, 4.6, 1.5, 1.8, 1.8, 2.1, 1.8][: len(headers)])
    doc.add_paragraph(
        f"Всего передано {copies} экз. на сумму {docs.money(total_sum)} руб. "
        f"({docs.rubles_in_words(total_sum)})."
    )
    if any(ln.entry_id not in price for ln in lines):
        doc.add_paragraph(
            "У части учебников нет цены поступления: передающей школе нужно её указать, "
            "чтобы принимающая поставила учебники на учёт с их стоимостью."
        )
    if t.discrepancy:
        doc.add_paragraph(f"Расхождения при приёмке: {t.discrepancy}")
    doc.add_paragraph()
    for role, school in (("Передал", t.giver), ("Принял", t.taker)):
        name = _librarian(school.pk)
        doc.add_paragraph(f"{role}: {_quoted(school.short_name)}")
        doc.add_paragraph(f"Директор ____________ {school.director or '____________________'}")
        doc.add_paragraph(f"Библиотекарь ____________ {name or '____________________'}")
        doc.add_paragraph("(подпись)      (расшифровка подписи)").runs[0].font.size = Pt(8)
        doc.add_paragraph("М. П.")
    return docs.to_bytes(doc)


def act_response(t: Transfer, fmt: str = "docx") -> HttpResponse:
    """The act as DOCX, or as PDF through the one LibreOffice conversion of every act."""
    return files.docx_or_pdf(act(t), f"Акт приёма-передачи № {t.number or t.pk}", fmt)
