from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.textbooks.models import FederalListEntry


def adjusted_surplus(usable: int, surplus: int, shortage: int, hold_back: int, extra: int) -> int:
    """What a school offers: the computed surplus less what it holds back, plus the extra
    it offers, never more than it holds (a school short of an entry offers none of it)."""
    if shortage > 0:
        return 0
    return max(0, min(usable, surplus - hold_back + extra))


class Adjustment(models.Model):
    """A librarian's correction of the computed surplus of one entry for a target year:
    copies held back as the school's own reserve, or extra copies offered."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="exchange_adjustments", verbose_name="школа"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    # to_field: the column holds the start year itself (2022), as in the fund's tables.
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    hold_back = models.PositiveIntegerField("оставить в резерве школы, экз.", default=0)
    offer_extra = models.PositiveIntegerField("предложить дополнительно, экз.", default=0)
    comment = models.TextField("комментарий", blank=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "поправка к излишку"
        verbose_name_plural = "поправки к излишкам"
        constraints = [
            models.UniqueConstraint(
                fields=["school", "entry", "year"], name="exchange_adjustment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.entry}"

    def adjusted_surplus(self, usable: int, surplus: int, shortage: int) -> int:
        return adjusted_surplus(usable, surplus, shortage, self.hold_back, self.offer_extra)

    def clean(self) -> None:
        if self.hold_back and self.offer_extra:
            raise ValidationError(
                "Укажите либо резерв школы, либо дополнительное предложение, но не оба сразу."
            )


class ExchangePlan(models.Model):
    """A computed redistribution proposal for a district's target year; the head edits
    its lines before turning them into transfers."""

    class Status(models.TextChoices):
        DRAFT = "draft", "проект"
        APPLIED = "applied", "оформлен передачами"

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="exchange_plans", verbose_name="район"
    )
    # to_field: the column holds the start year itself (2022), as in the fund's tables.
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    max_km = models.FloatField("наибольшее расстояние, км", null=True, blank=True)
    excluded_schools = models.ManyToManyField(
        School, blank=True, related_name="+", verbose_name="школы не участвуют"
    )
    excluded_entries = models.ManyToManyField(
        FederalListEntry, blank=True, related_name="+", verbose_name="учебники не участвуют"
    )
    shortage = models.PositiveIntegerField("недостаток всего, экз.", default=0)
    covered = models.PositiveIntegerField("покрыто, экз.", default=0)
    solver_ms = models.PositiveIntegerField("время расчёта, мс", default=0)
    note = models.TextField("примечание", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="рассчитал",
    )
    created_at = models.DateTimeField("рассчитан", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "план перераспределения"
        verbose_name_plural = "планы перераспределения"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "year", "-created_at"])]

    def __str__(self) -> str:
        return f"План перераспределения № {self.pk} ({self.district}, {self.year})"

    @property
    def uncovered(self) -> int:
        return self.shortage - self.covered


class PlanLine(models.Model):
    # A region's plan writes seventy thousand lines at once and reads them by plan: no
    # index of their own for the schools and the entry (schools and entries are deleted
    # rarely enough to look their lines up by scanning).
    plan = models.ForeignKey(
        ExchangePlan, on_delete=models.CASCADE, related_name="lines", verbose_name="план"
    )
    giver = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="передаёт",
        db_index=False,
    )
    taker = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="получает",
        db_index=False,
    )
    entry = models.ForeignKey(
        FederalListEntry,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебник",
        db_index=False,
    )
    copies = models.PositiveIntegerField("экземпляров")
    km = models.FloatField("расстояние, км")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "строка плана перераспределения"
        verbose_name_plural = "строки плана перераспределения"
        ordering = ["plan", "entry__number", "giver__short_name", "taker__short_name"]

    def __str__(self) -> str:
        return f"{self.giver} → {self.taker}: {self.entry}, {self.copies} экз."


class Transfer(models.Model):
    """Textbooks passed from one school to another, from the plan or from a request."""

    class Kind(models.TextChoices):
        TEMPORARY = "temporary", "во временное пользование"
        PERMANENT = "permanent", "безвозмездная передача"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "предложена"
        AGREED = "agreed", "согласована передающей школой"
        SHIPPED = "shipped", "отправлена"
        RECEIVED = "received", "получена"
        RETURNED = "returned", "возвращена"
        CLOSED = "closed", "закрыта"
        CANCELLED = "cancelled", "отменена"

    class Origin(models.TextChoices):
        PLAN = "plan", "по плану перераспределения"
        REQUEST = "request", "по запросу школы"

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="transfers", verbose_name="район"
    )
    number = models.CharField("номер", max_length=30, blank=True)
    giver = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="transfers_out", verbose_name="передаёт"
    )
    taker = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="transfers_in", verbose_name="получает"
    )
    kind = models.CharField("вид", max_length=10, choices=Kind.choices, default=Kind.PERMANENT)
    return_date = models.DateField("вернуть до", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    origin = models.CharField("основание", max_length=10, choices=Origin.choices)
    plan = models.ForeignKey(
        ExchangePlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transfers",
        verbose_name="план",
    )
    comment = models.TextField("комментарий", blank=True)
    discrepancy = models.TextField("расхождения при получении", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="создал",
    )
    created_at = models.DateTimeField("создана", auto_now_add=True)
    changed_at = models.DateTimeField("изменена", auto_now=True)
    shipped_on = models.DateField("дата отправки", null=True, blank=True)
    received_on = models.DateField("дата получения", null=True, blank=True)
    writeoff = models.ForeignKey(
        "fund.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="списание у передающей школы",
    )
    receipt = models.ForeignKey(
        "fund.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="поступление у получающей школы",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "передача учебников"
        verbose_name_plural = "передачи учебников"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["district", "status", "-created_at"]),
            models.Index(fields=["giver", "status"]),
            models.Index(fields=["taker", "status"]),
        ]

    def __str__(self) -> str:
        return f"Передача № {self.number or self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("exchange_transfer", args=[self.pk])

    def clean(self) -> None:
        if self.giver_id and self.giver_id == self.taker_id:
            raise ValidationError("Школа не может передать учебники самой себе.")
        if self.kind == self.Kind.TEMPORARY and not self.return_date:
            raise ValidationError(
                {"return_date": "Для временного пользования укажите срок возврата."}
            )
        if self.kind == self.Kind.PERMANENT:
            self.return_date = None

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.CLOSED, self.Status.CANCELLED, self.Status.RETURNED)


class TransferLine(models.Model):
    transfer = models.ForeignKey(
        Transfer, on_delete=models.CASCADE, related_name="lines", verbose_name="передача"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    copies = models.PositiveIntegerField("экземпляров", validators=[MinValueValidator(1)])
    received = models.PositiveIntegerField("получено", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "строка передачи"
        verbose_name_plural = "строки передачи"
        ordering = ["transfer", "entry__number"]
        constraints = [
            models.UniqueConstraint(fields=["transfer", "entry"], name="transfer_line_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry}: {self.copies} экз."
