"""The fund's ledgers as reports: the summary ledger (КСУ) and the per-title card.

A fixed number of queries per report, whatever the number of documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from bibliomo.directory.models import School
from bibliomo.fund.models import Document, DocumentLine
from bibliomo.textbooks.models import FederalListEntry

_ZERO = Decimal("0.00")
_AMOUNT = ExpressionWrapper(
    F("copies") * F("price"), output_field=DecimalField(max_digits=14, decimal_places=2)
)


@dataclass
class Totals:
    copies: int = 0
    amount: Decimal = _ZERO


@dataclass
class LedgerLine:
    document: Document
    copies: int
    amount: Decimal


@dataclass
class Ksu:
    """Книга суммарного учёта учебного фонда for a calendar year, in its three parts."""

    school: School
    year: int
    receipts: list[LedgerLine] = field(default_factory=list)  # часть 1
    disposals: list[LedgerLine] = field(default_factory=list)  # часть 2
    start: Totals = field(default_factory=Totals)  # часть 3
    received: Totals = field(default_factory=Totals)
    disposed: Totals = field(default_factory=Totals)

    @property
    def end(self) -> Totals:
        return Totals(
            self.start.copies + self.received.copies - self.disposed.copies,
            self.start.amount + self.received.amount - self.disposed.amount,
        )


def _posted_lines(school: School):
    return DocumentLine.objects.filter(
        document__school=school, document__status=Document.Status.POSTED
    )


def ksu(school: School, year: int) -> Ksu:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    report = Ksu(school=school, year=year)
    before = (
        _posted_lines(school)
        .filter(document__date__lt=first)
        .aggregate(
            rin=Coalesce(Sum("copies", filter=Q(document__kind="receipt")), 0),
            rout=Coalesce(Sum("copies", filter=Q(document__kind="writeoff")), 0),
            ain=Coalesce(Sum(_AMOUNT, filter=Q(document__kind="receipt")), _ZERO),
            aout=Coalesce(Sum(_AMOUNT, filter=Q(document__kind="writeoff")), _ZERO),
        )
    )
    report.start = Totals(before["rin"] - before["rout"], before["ain"] - before["aout"])
    per_doc = {
        row["document"]: row
        for row in _posted_lines(school)
        .filter(document__date__range=(first, last))
        .values("document")
        .annotate(copies_sum=Sum("copies"), amount=Sum(_AMOUNT))
        .order_by()
    }
    documents = Document.objects.filter(pk__in=per_doc).order_by("date", "pk")
    for doc in documents:
        row = per_doc[doc.pk]
        line = LedgerLine(doc, row["copies_sum"], row["amount"] or _ZERO)
        part, totals = (
            (report.receipts, report.received)
            if doc.is_receipt
            else (report.disposals, report.disposed)
        )
        part.append(line)
        totals.copies += line.copies
        totals.amount += line.amount
    return report


@dataclass
class CardLine:
    date: dt.date
    document: Document
    receipt_year: int | None
    received: int
    disposed: int
    balance: int


def card(school: School, entry: FederalListEntry) -> list[CardLine]:
    """Учётная карточка: every posted movement of the entry with the running balance."""
    lines = (
        _posted_lines(school)
        .filter(entry=entry)
        .select_related("document")
        .order_by("document__date", "document__posted_at", "pk")
    )
    result, balance = [], 0
    for line in lines:
        doc = line.document
        received = line.copies if doc.is_receipt else 0
        disposed = 0 if doc.is_receipt else line.copies
        balance += received - disposed
        result.append(CardLine(doc.date, doc, line.receipt_year, received, disposed, balance))
    return result
