"""The school's textbook fund as a ledger (групповой учёт: counted per title, not per copy).

Every movement is a posted document — a receipt (накладная / акт приёма) or a write-off
(акт списания) — with lines. ``Holding`` (school × entry × year of receipt) is the ledger's
balance: only :mod:`bibliomo.fund.services` changes it, when a document is posted, and
never below zero. A posted document is never edited; a mistake is undone by posting a
reversing document.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import AcademicYear, School
from bibliomo.textbooks.models import FederalListEntry


class Source(models.TextChoices):
    PURCHASE = "purchase", "закупка"
    GIFT = "gift", "дар"
    TRANSFER = "transfer", "передача из другой школы"
    REPLACEMENT = "replacement", "взамен утерянных"
    OPENING = "opening", "ввод остатков"
    REVERSAL = "reversal", "сторно списания"
    STOCKTAKE = "stocktake", "выявлено при инвентаризации"
    OTHER = "other", "иное"


class Reason(models.TextChoices):
    WORN = "worn", "ветхость"
    DEFECTIVE = "defective", "дефектность"
    OUTDATED = "outdated", "устарелость по содержанию"
    LOST = "lost", "утрата"
    NOT_FOUND = "not_found", "не обнаружено при инвентаризации"
    NONCORE = "noncore", "непрофильность"
    EXPIRED = "expired", "истечение предельного срока использования"
    TRANSFER = "transfer", "передача в другую школу"
    REVERSAL = "reversal", "сторно поступления"
    OTHER = "other", "иное"


class Document(models.Model):
    """A receipt or a write-off act (``kind``), with its lines."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "поступление"
        WRITEOFF = "writeoff", "списание"

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        POSTED = "posted", "проведён"

    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="fund_documents", verbose_name="школа"
    )
    kind = models.CharField("вид", max_length=10, choices=Kind.choices)
    number = models.CharField("номер документа", max_length=50)
    date = models.DateField("дата")
    source = models.CharField(
        "источник поступления", max_length=20, choices=Source.choices, blank=True
    )
    reason = models.CharField("причина списания", max_length=20, choices=Reason.choices, blank=True)
    supplier = models.CharField(
        "поставщик / от кого",
        max_length=300,
        blank=True,
        help_text="Поставщик, даритель или школа, передавшая учебники.",
    )
    basis = models.CharField(
        "сопроводительный документ",
        max_length=300,
        blank=True,
        help_text="Накладная, счёт-фактура, реестр; для списания — приказ о комиссии.",
    )
    commission = models.TextField(
        "комиссия", blank=True, help_text="Председатель и члены комиссии, по одному в строке."
    )
    commission_order = models.CharField("приказ о комиссии: номер", max_length=50, blank=True)
    commission_order_date = models.DateField("приказ о комиссии: дата", null=True, blank=True)
    responsible = models.CharField(
        "материально ответственное лицо",
        max_length=150,
        blank=True,
        help_text="Фамилия И. О. библиотекаря, за которым числится фонд.",
    )
    note = models.TextField("примечание", blank=True)
    counterparty = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="другая школа",
        help_text="Для передачи между школами: кто передал или кому передано.",
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name="сторнирует документ",
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    posted_at = models.DateTimeField("проведён", null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="провёл",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ учёта фонда"
        verbose_name_plural = "документы учёта фонда"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "kind", "status", "date"])]

    def __str__(self) -> str:
        if self.kind == self.Kind.RECEIPT and self.source == Source.OPENING:
            # The opening balance has no accompanying document of its own.
            return f"Остаток на начало учёта на {self.date:%d.%m.%Y}"
        title = "Накладная" if self.kind == self.Kind.RECEIPT else "Акт списания"
        return f"{title} № {self.number} от {self.date:%d.%m.%Y}"

    def agree(self, masculine: str, feminine: str) -> str:
        """The word that agrees with the document's name: «накладная проведена», «акт
        проведён»."""
        return feminine if self.kind == self.Kind.RECEIPT else masculine

    def get_absolute_url(self) -> str:
        return reverse("fund_document", args=[self.pk])

    @property
    def is_posted(self) -> bool:
        return self.status == self.Status.POSTED

    @property
    def is_receipt(self) -> bool:
        return self.kind == self.Kind.RECEIPT

    @property
    def cause_label(self) -> str:
        return self.get_source_display() if self.is_receipt else self.get_reason_display()


class DocumentLine(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="lines", verbose_name="документ"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    copies = models.PositiveIntegerField("экземпляров", validators=[MinValueValidator(1)])
    price = models.DecimalField(
        "цена, руб.", max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    # The batch: for a receipt, the year it arrives (the document's year unless the opening
    # balance says otherwise); for a write-off, the batch the copies leave. A write-off line
    # without a year is split over the oldest batches when posted.
    receipt_year = models.PositiveSmallIntegerField(
        "год поступления",
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "строка документа"
        verbose_name_plural = "строки документа"
        ordering = ["pk"]
        constraints = [models.CheckConstraint(condition=models.Q(copies__gt=0), name="line_copies")]

    def __str__(self) -> str:
        return f"{self.entry.number}: {self.copies} экз."

    @property
    def total(self) -> Decimal:
        return self.price * self.copies


class Holding(models.Model):
    """The balance of one batch: school × entry × year of receipt. Derived from postings."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="holdings", verbose_name="школа"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="holdings", verbose_name="учебник"
    )
    receipt_year = models.PositiveSmallIntegerField("год поступления")
    copies = models.PositiveIntegerField("экземпляров", default=0)
    worn = models.PositiveIntegerField(
        "из них изношено", default=0, help_text="Не выдаются, ждут списания."
    )

    class Meta:
        verbose_name = "остаток фонда"
        verbose_name_plural = "остатки фонда"
        ordering = ["entry__key", "receipt_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "entry", "receipt_year"], name="holding_unique_batch"
            ),
            models.CheckConstraint(condition=models.Q(copies__gte=0), name="holding_nonnegative"),
            models.CheckConstraint(
                condition=models.Q(worn__lte=models.F("copies")), name="holding_worn_le_copies"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry.number} ({self.receipt_year}): {self.copies}"


class Stock(models.Model):
    """The sum of an entry's batches at a school, kept beside ``Holding`` by the posting
    service in the same transaction, so that district and region reports read one row
    per school × entry instead of one per batch."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="stock", verbose_name="школа"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    copies = models.PositiveIntegerField("экземпляров", default=0)
    worn = models.PositiveIntegerField("из них изношено", default=0)

    class Meta:
        verbose_name = "фонд по учебнику"
        verbose_name_plural = "фонд по учебникам"
        constraints = [
            models.UniqueConstraint(fields=["school", "entry"], name="stock_unique"),
            models.CheckConstraint(condition=models.Q(copies__gte=0), name="stock_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.copies}"


class Enrolment(models.Model):
    """Контингент: classes and students of a grade in a year (actual or forecast)."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="enrolment", verbose_name="школа"
    )
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    grade = models.PositiveSmallIntegerField(
        "класс", validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    classes = models.PositiveSmallIntegerField("классов", default=1)
    students = models.PositiveIntegerField("обучающихся")
    is_forecast = models.BooleanField("прогноз", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "контингент"
        verbose_name_plural = "контингент"
        ordering = ["grade"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade"], name="enrolment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.grade} кл.: {self.students}"
