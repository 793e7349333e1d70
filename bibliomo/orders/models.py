"""The textbook order campaign: a district's campaign for a target year, each school's
order pre-filled from its need, stock and the exchange, and the deliveries that follow.

Statuses of a school's order: draft → submitted → approved, or submitted → returned (with
the department's comment) → submitted again. Every change is kept in the history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.fund.models import Document
from bibliomo.orders import calc
from bibliomo.textbooks.models import FederalListEntry


class Reason(models.TextChoices):
    GROWTH = calc.GROWTH, "рост контингента"
    EXPIRED = calc.EXPIRED, "истечение предельного срока использования"
    LOST = calc.LOST, "утрата"
    DEFECTIVE = calc.DEFECTIVE, "дефектность"
    CHANGE = calc.CHANGE, "смена учебника"
    OTHER = calc.OTHER, "иное"


class OrderCampaign(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="order_campaigns", verbose_name="район"
    )
    target_year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="на учебный год",
    )
    deadline = models.DateField("срок подачи заказов")
    reserve_percent = models.DecimalField(
        "резерв, %",
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text="Дополнительно к потребности, округляется вверх до целого экземпляра.",
    )
    note = models.TextField("примечание", blank=True)
    is_open = models.BooleanField("открыта", default=True)
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
        verbose_name = "кампания заказа учебников"
        verbose_name_plural = "кампании заказа учебников"
        ordering = ["-target_year_id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "target_year"], name="campaign_unique_year")
        ]

    def __str__(self) -> str:
        return f"Заказ учебников на {self.target_year.label('acc')}"

    def get_absolute_url(self) -> str:
        return reverse("orders:campaign", args=[self.pk])

    @property
    def deadline_passed(self) -> bool:
        return timezone.localdate() > self.deadline


class SchoolOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "подан"
        RETURNED = "returned", "возвращён на доработку"
        APPROVED = "approved", "утверждён"

    campaign = models.ForeignKey(
        OrderCampaign, on_delete=models.CASCADE, related_name="orders", verbose_name="кампания"
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="textbook_orders", verbose_name="школа"
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    started_at = models.DateTimeField("начат", null=True, blank=True)
    submitted_at = models.DateTimeField("подан", null=True, blank=True)
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    comment = models.TextField("комментарий к возврату", blank=True)
    reopened = models.BooleanField(
        "подача разрешена после срока",
        default=False,
        help_text="Руководитель ММО разрешил подать заказ после срока.",
    )
    reminded_on = models.DateField("последнее напоминание", null=True, blank=True)
    reopen_request = models.TextField(
        "просьба школы вернуть заказ",
        blank=True,
        help_text="Что и почему школа хочет изменить в поданном или утверждённом заказе.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "заказ школы"
        verbose_name_plural = "заказы школ"
        ordering = ["school__short_name"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "school"], name="order_unique_school")
        ]
        indexes = [models.Index(fields=["campaign", "status"])]

    def __str__(self) -> str:
        return f"Заказ «{self.school.short_name}» на {self.campaign.target_year.label('acc')}"

    def get_absolute_url(self) -> str:
        return reverse("orders:order", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.campaign.is_open and self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def progress(self) -> str:
        """For the campaign page: не начат / черновик / подан / возвращён / утверждён."""
        if self.status == self.Status.DRAFT and self.started_at is None:
            return "not_started"
        return self.status

    def may_submit_now(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_editable and (today <= self.campaign.deadline or self.reopened)


class OrderLine(models.Model):
    order = models.ForeignKey(
        SchoolOrder, on_delete=models.CASCADE, related_name="lines", verbose_name="заказ"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    grades = models.CharField("классы", max_length=40, blank=True)
    students = models.PositiveIntegerField("обучающихся (прогноз)", default=0)
    copies_per_student = models.PositiveSmallIntegerField("экз. на ученика", default=1)
    need = models.PositiveIntegerField("потребность", default=0)
    reserve = models.PositiveIntegerField("резерв", default=0)
    usable = models.PositiveIntegerField("в фонде (пригодно)", default=0)
    incoming = models.PositiveIntegerField("поступит по обмену", default=0)
    promised = models.PositiveIntegerField("обещано другим школам", default=0)
    computed = models.PositiveIntegerField("расчётное количество", default=0)
    quantity = models.PositiveIntegerField("к заказу", default=0)
    reason = models.CharField("причина", max_length=20, choices=Reason.choices, blank=True)
    note = models.CharField(
        "пояснение", max_length=300, blank=True, help_text="Обязательно, если количество изменено."
    )
    price = models.DecimalField(
        "цена, руб.", max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_typed = models.BooleanField("цена введена вручную", default=False)
    is_manual = models.BooleanField("добавлен вручную", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "строка заказа"
        verbose_name_plural = "строки заказа"
        ordering = ["entry__key"]
        constraints = [
            models.UniqueConstraint(fields=["order", "entry"], name="order_line_unique_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entry.number}: {self.quantity} экз."

    @property
    def total(self) -> Decimal | None:
        return None if self.price is None else self.price * self.quantity

    @property
    def is_changed(self) -> bool:
        return self.quantity != self.computed


class PriceList(models.Model):
    """A publisher's price list, imported from XLSX: entry number or ISBN → price."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="price_lists", verbose_name="район"
    )
    title = models.CharField("прайс-лист", max_length=300)
    file_name = models.CharField("файл", max_length=300, blank=True)
    imported_at = models.DateTimeField("загружен", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="загрузил",
    )

    class Meta:
        verbose_name = "прайс-лист издателя"
        verbose_name_plural = "прайс-листы издателей"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PriceItem(models.Model):
    price_list = models.ForeignKey(
        PriceList, on_delete=models.CASCADE, related_name="items", verbose_name="прайс-лист"
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.CASCADE, related_name="+", verbose_name="учебник"
    )
    price = models.DecimalField("цена, руб.", max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = "цена учебника"
        verbose_name_plural = "цены учебников"
        constraints = [
            models.UniqueConstraint(fields=["price_list", "entry"], name="price_unique_entry")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.price}"


class Delivery(models.Model):
    """A receipt of the fund made from an approved order (one per delivery)."""

    order = models.ForeignKey(
        SchoolOrder, on_delete=models.PROTECT, related_name="deliveries", verbose_name="заказ"
    )
    document = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        related_name="order_delivery",
        verbose_name="поступление",
    )

    class Meta:
        verbose_name = "поставка по заказу"
        verbose_name_plural = "поставки по заказу"
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.document)
