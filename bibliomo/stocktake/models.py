"""The stocktake of the textbook fund (инвентаризация, проверка наличия по Порядку 1077).

A district campaign (the department's order, a deadline, a scope, blind or not) gives
each school a stocktake: new → counting → submitted → accepted (or returned with the
head's comment, back to counting) → closed when the campaign is closed. The count sheet
has a line per entry × year of receipt: on the books (the ledger's balance when the sheet
was made, refreshed on submission), issued to pupils, counted on the shelf. Nothing
reaches the ledger until the head accepts: then the shortage is written off and the
surplus received, both by posted documents of the fund.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import District, School
from bibliomo.fund.models import Document, Reason
from bibliomo.stocktake import calc
from bibliomo.textbooks.models import FederalListEntry


class Campaign(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="stocktakes", verbose_name="район"
    )
    name = models.CharField("название", max_length=300)
    order_number = models.CharField("номер приказа", max_length=50)
    order_date = models.DateField("дата приказа")
    starts_on = models.DateField("дата начала", default=timezone.localdate)
    deadline = models.DateField("срок завершения")
    subjects = models.JSONField(
        "предметы", default=list, blank=True, help_text="Пусто — весь учебный фонд."
    )
    grades = models.JSONField("классы", default=list, blank=True, help_text="Пусто — все классы.")
    is_blind = models.BooleanField(
        "слепой подсчёт",
        default=False,
        help_text="Считающий не видит учётный остаток, пока опись не подана.",
    )
    note = models.TextField("примечание", blank=True)
    is_open = models.BooleanField("идёт", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="открыл",
    )
    created_at = models.DateTimeField("открыта", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "инвентаризация района"
        verbose_name_plural = "инвентаризации района"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stocktake:campaign", args=[self.pk])

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.deadline

    @property
    def order_label(self) -> str:
        return f"приказ от {self.order_date:%d.%m.%Y} № {self.order_number}"

    @property
    def scope_label(self) -> str:
        if not self.subjects and not self.grades:
            return "весь учебный фонд"
        parts = []
        if self.subjects:
            parts.append(", ".join(self.subjects))
        if self.grades:
            parts.append(", ".join(str(g) for g in self.grades) + " кл.")
        return "; ".join(parts)


class Stocktake(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "не начата"
        COUNTING = "counting", "идёт подсчёт"
        SUBMITTED = "submitted", "подана"
        RETURNED = "returned", "возвращена на пересчёт"
        ACCEPTED = "accepted", "принята"
        CLOSED = "closed", "закрыта"

    class ShortageReason(models.TextChoices):
        NOT_FOUND = Reason.NOT_FOUND.value, Reason.NOT_FOUND.label
        LOST = Reason.LOST.value, Reason.LOST.label

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="schools", verbose_name="инвентаризация"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="stocktakes", verbose_name="школа"
    )
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default="new")
    commission_order = models.CharField(
        "приказ о комиссии", max_length=200, blank=True, help_text="Например: № 15 от 10.01.2026"
    )
    commission = models.TextField(
        "комиссия", blank=True, help_text="Председатель и члены комиссии, по одному в строке."
    )
    comment = models.TextField("замечание руководителя ММО", blank=True)
    started_at = models.DateTimeField("подсчёт начат", null=True, blank=True)
    submitted_at = models.DateTimeField("подана", null=True, blank=True)
    accepted_at = models.DateTimeField("принята", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="принял",
    )
    act_number = models.CharField("номер акта", max_length=50, blank=True)
    act_date = models.DateField("дата акта", null=True, blank=True)
    shortage_reason = models.CharField(
        "причина списания недостачи", max_length=20, choices=ShortageReason.choices, blank=True
    )
    writeoff = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktake_writeoff",
        verbose_name="акт списания недостачи",
    )
    receipt = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stocktake_receipt",
        verbose_name="приход излишков",
    )
    # Totals of the differences, stored on submission for the district's page.
    shortage_copies = models.PositiveIntegerField("недостача, экз.", default=0)
    surplus_copies = models.PositiveIntegerField("излишки, экз.", default=0)
    shortage_sum = models.DecimalField(
        "недостача, руб.", max_digits=14, decimal_places=2, default=0
    )
    surplus_sum = models.DecimalField("излишки, руб.", max_digits=14, decimal_places=2, default=0)
    reminded_on = models.DateField("последнее напоминание", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "инвентаризация школы"
        verbose_name_plural = "инвентаризации школ"
        ordering = ["school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="stocktake_unique_school")
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"Инвентаризация «{self.school.short_name}»"

    def get_absolute_url(self) -> str:
        return reverse("stocktake:stocktake", args=[self.pk])

    @property
    def is_countable(self) -> bool:
        """Counts may be saved: the campaign runs and the sheet is not handed in."""
        return self.campaign.is_open and self.status in (
            self.Status.NEW,
            self.Status.COUNTING,
            self.Status.RETURNED,
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.CLOSED)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return today > self.campaign.deadline and self.status in (
            self.Status.NEW,
            self.Status.COUNTING,
            self.Status.RETURNED,
        )


class CountLine(models.Model):
    """One batch on the count sheet. ``version`` grows with every saved count: a save
    names the version it was made from, and a stale one is refused (see services)."""

    # A region's campaign writes ~1.5 million lines at once: no index of their own for
    # these keys (the unique batch constraint leads with the stocktake; entries and
    # people are deleted rarely enough to look their lines up by scanning).
    stocktake = models.ForeignKey(
        Stocktake,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name="инвентаризация",
        db_index=False,
    )
    entry = models.ForeignKey(
        FederalListEntry,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебник",
        db_index=False,
    )
    receipt_year = models.PositiveSmallIntegerField("год поступления")
    on_books = models.PositiveIntegerField("по учёту", default=0)
    issued = models.PositiveIntegerField("выдано учащимся", null=True, blank=True)
    counted = models.PositiveIntegerField("на полке", null=True, blank=True)
    is_added = models.BooleanField(
        "добавлена при подсчёте", default=False, help_text="Учебник найден, но не числится."
    )
    version = models.PositiveIntegerField("версия", default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="кто записал",
        db_index=False,
    )
    updated_at = models.DateTimeField("когда записано", null=True, blank=True)

    class Meta:
        verbose_name = "строка описи"
        verbose_name_plural = "строки описи"
        constraints = [
            models.UniqueConstraint(
                fields=["stocktake", "entry", "receipt_year"], name="count_line_unique_batch"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} ({self.receipt_year})"

    @property
    def difference(self) -> calc.Difference:
        return calc.difference(self.on_books, self.counted, self.issued)

    @property
    def price(self) -> Decimal:
        return self.entry.price or Decimal("0")


class StocktakeConsultation(models.Model):
    """A consultation a librarian asked from the stocktake page."""

    stocktake = models.ForeignKey(
        Stocktake,
        on_delete=models.CASCADE,
        related_name="consultation_links",
        verbose_name="инвентаризация",
    )
    consultation = models.OneToOneField(
        "consultations.Consultation",
        on_delete=models.CASCADE,
        related_name="stocktake_link",
        verbose_name="консультация",
    )

    class Meta:
        verbose_name = "консультация по инвентаризации"
        verbose_name_plural = "консультации по инвентаризации"

    def __str__(self) -> str:
        return str(self.consultation_id)
