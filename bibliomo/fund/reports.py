"""The fund's ledgers as reports: the summary ledger (КСУ) and the per-title card.

The КСУ follows the three parts of the accounting rules (Порядок учета документов,
Приказ Минкультуры России от 08.10.2012 № 1077): 1 — receipts with the accompanying
document and the split by kind (учебники / учебные пособия), 2 — disposals by reason,
3 — totals of movement by kind, from which form ОО-1 (lines 02 and 03) is read.

A reversal (сторно) is booked as accountants book a red storno: a negative record in
the part of the document it undoes, so a receipt entered by mistake and reversed in the
same year counts as neither received nor disposed.

A fixed number of queries per report, whatever the number of documents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import Coalesce

from bibliomo.directory.models import School
from bibliomo.fund.models import Document, DocumentLine, Reason
from bibliomo.textbooks.models import FederalListEntry

_ZERO = Decimal("0.00")
_AMOUNT = ExpressionWrapper(
    F("copies") * F("price"), output_field=DecimalField(max_digits=14, decimal_places=2)
)
KINDS = list(FederalListEntry.Kind)  # учебники, учебные пособия — the columns «в т.ч.»
# Part 2's columns «в т.ч. по причинам выбытия»; a reason not named goes to «иное».
REASON_COLUMNS = [
    ("worn", "ветхость"),
    ("defective", "дефектность"),
    ("outdated", "устарелость"),
    ("lost", "утрата"),
    ("expired", "истечение срока"),
    ("transfer", "передача"),
    ("other", "иное"),
]
# Copies not found at a stocktake are a loss (Form 4 counts them so too).
_REASON_COLUMN = {Reason.NOT_FOUND: "lost"} | {key: key for key, _label in REASON_COLUMNS}


def reason_column(reason: str) -> str:
    return _REASON_COLUMN.get(reason, "other")


@dataclass
class Totals:
    copies: int = 0
    amount: Decimal = _ZERO

    def add(self, copies: int, amount: Decimal) -> None:
        self.copies += copies
        self.amount += amount


def _by_kind() -> dict[str, Totals]:
    return {kind.value: Totals() for kind in KINDS}


@dataclass
class LedgerLine:
    """One record of part 1 or 2: a posted document (negative for a reversal)."""

    number: int  # № записи, from 1 in each part of each year
    document: Document
    copies: int
    amount: Decimal
    by_kind: dict[str, Totals] = field(default_factory=_by_kind)

    @property
    def is_reversal(self) -> bool:
        return self.document.reverses_id is not None

    @property
    def source_label(self) -> str:
        if self.is_reversal:
            return f"сторно записи: {self.document.reverses}"
        return self.document.get_source_display()

    @property
    def reason(self) -> str:
        """The reason of the disposal (of the undone act for a reversal)."""
        doc = self.document.reverses if self.is_reversal else self.document
        return doc.reason if doc is not None else ""

    @property
    def reason_label(self) -> str:
        if self.is_reversal:
            return f"сторно записи: {self.document.reverses}"
        return self.document.get_reason_display()

    @property
    def by_reason(self) -> list[int | None]:
        """Copies in the columns of ``REASON_COLUMNS`` (only the line's own is filled)."""
        column = reason_column(self.reason)
        return [self.copies if key == column else None for key, _label in REASON_COLUMNS]


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
    start_by_kind: dict[str, Totals] = field(default_factory=_by_kind)
    received_by_kind: dict[str, Totals] = field(default_factory=_by_kind)
    disposed_by_kind: dict[str, Totals] = field(default_factory=_by_kind)

    @property
    def end(self) -> Totals:
        return _end(self.start, self.received, self.disposed)

    @property
    def end_by_kind(self) -> dict[str, Totals]:
        return {
            kind: _end(self.start_by_kind[kind], self.received_by_kind[kind], totals)
            for kind, totals in self.disposed_by_kind.items()
        }

    @property
    def disposed_by_reason(self) -> list[int]:
        """Part 2's totals in the columns of ``REASON_COLUMNS``."""
        return [
            sum(ln.by_reason[i] or 0 for ln in self.disposals) for i in range(len(REASON_COLUMNS))
        ]

    def movement(self) -> list[tuple[str, Totals, dict[str, Totals]]]:
        """Part 3 as rows: (what, all kinds, by kind)."""
        return [
            (f"Состояло на 1 января {self.year} г.", self.start, self.start_by_kind),
            ("Поступило за год", self.received, self.received_by_kind),
            ("Выбыло за год", self.disposed, self.disposed_by_kind),
            (f"Состоит на 1 января {self.year + 1} г.", self.end, self.end_by_kind),
        ]


def _end(start: Totals, received: Totals, disposed: Totals) -> Totals:
    return Totals(
        start.copies + received.copies - disposed.copies,
        start.amount + received.amount - disposed.amount,
    )


def _posted_lines(school: School):
    return DocumentLine.objects.filter(
        document__school=school, document__status=Document.Status.POSTED
    )


def _is_receipt_record(doc: Document) -> bool:
    """Part 1 holds the receipts; a reversal sits in the part of the document it undoes
    (the mirror of a write-off is a receipt, yet its record is a negative disposal)."""
    return doc.is_receipt != (doc.reverses_id is not None)


def ksu(school: School, year: int) -> Ksu:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    report = Ksu(school=school, year=year)
    before = (
        _posted_lines(school)
        .filter(document__date__lt=first)
        .values("entry__kind")
        .annotate(
            rin=Coalesce(Sum("copies", filter=Q(document__kind="receipt")), 0),
            rout=Coalesce(Sum("copies", filter=Q(document__kind="writeoff")), 0),
            ain=Coalesce(Sum(_AMOUNT, filter=Q(document__kind="receipt")), _ZERO),
            aout=Coalesce(Sum(_AMOUNT, filter=Q(document__kind="writeoff")), _ZERO),
        )
        .order_by()
    )
    for row in before:
        copies, amount = row["rin"] - row["rout"], row["ain"] - row["aout"]
        report.start.add(copies, amount)
        report.start_by_kind.setdefault(row["entry__kind"], Totals()).add(copies, amount)
    per_doc: dict[int, list[dict]] = {}
    for row in (
        _posted_lines(school)
        .filter(document__date__range=(first, last))
        .values("document", "entry__kind")
        .annotate(copies_sum=Sum("copies"), amount=Sum(_AMOUNT))
        .order_by()
    ):
        per_doc.setdefault(row["document"], []).append(row)
    documents = (
        Document.objects.filter(pk__in=per_doc)
        .select_related("reverses")
        .order_by("date", "posted_at", "pk")
    )
    for doc in documents:
        sign = -1 if doc.reverses_id is not None else 1
        receipt = _is_receipt_record(doc)
        part = report.receipts if receipt else report.disposals
        totals = report.received if receipt else report.disposed
        by_kind = report.received_by_kind if receipt else report.disposed_by_kind
        line = LedgerLine(len(part) + 1, doc, 0, _ZERO)
        for row in per_doc[doc.pk]:
            copies, amount = sign * row["copies_sum"], sign * (row["amount"] or _ZERO)
            line.copies += copies
            line.amount += amount
            line.by_kind.setdefault(row["entry__kind"], Totals()).add(copies, amount)
            by_kind.setdefault(row["entry__kind"], Totals()).add(copies, amount)
        totals.add(line.copies, line.amount)
        part.append(line)
    return report


def record_numbers(school: School, years: Iterable[int]) -> dict[int, int]:
    """Document id → its record number in the КСУ (part 1 or 2 of its calendar year),
    numbered as :func:`ksu` numbers them."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    docs = (
        Document.objects.filter(
            school=school,
            status=Document.Status.POSTED,
            date__year__in=wanted,
            lines__isnull=False,
        )
        .distinct()
        .order_by("date", "posted_at", "pk")
        .values_list("pk", "date", "kind", "reverses_id")
    )
    counters: dict[tuple[int, bool], int] = {}
    numbers: dict[int, int] = {}
    for pk, day, kind, reverses_id in docs:
        key = (day.year, (kind == Document.Kind.RECEIPT) != (reverses_id is not None))
        counters[key] = counters.get(key, 0) + 1
        numbers[pk] = counters[key]
    return numbers


@dataclass
class CardLine:
    date: dt.date
    document: Document
    receipt_year: int | None
    received: int
    disposed: int
    balance: int
    price: Decimal = _ZERO
    ksu_number: int | None = None  # № записи в КСУ (часть 1 — поступление, 2 — выбытие)

    @property
    def amount(self) -> Decimal:
        return self.price * (self.received or self.disposed)

    @property
    def ksu_label(self) -> str:
        """«ч. 1, № 3 / 2025»: the part, the record and the ledger's year."""
        if self.ksu_number is None:
            return ""
        part = 1 if _is_receipt_record(self.document) else 2
        return f"ч. {part}, № {self.ksu_number} / {self.date.year}"


def card(school: School, entry: FederalListEntry) -> list[CardLine]:
    """Учётная карточка: every posted movement of the entry with the running balance, its
    price and the record of the КСУ it went into."""
    lines = list(
        _posted_lines(school)
        .filter(entry=entry)
        .select_related("document")
        .order_by("document__date", "document__posted_at", "pk")
    )
    numbers = record_numbers(school, {ln.document.date.year for ln in lines})
    result, balance = [], 0
    for line in lines:
        doc = line.document
        received = line.copies if doc.is_receipt else 0
        disposed = 0 if doc.is_receipt else line.copies
        balance += received - disposed
        result.append(
            CardLine(
                doc.date, doc, line.receipt_year, received, disposed, balance,
                price=line.price, ksu_number=numbers.get(doc.pk),
            )
        )  # fmt: skip
    return result
