"""The association's annual work plan (план работы ММО): sections, items and what was done.

A plan belongs to a district and an academic year. Items keep the number as printed
(real plans skip numbers), a structured timing (``timing.py``) and an optional measurable
indicator. Execution records say what was done for an item; other apps (events,
consultations, publications) attach themselves as a record's ``source``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.lib import uploads
from bibliomo.plans import timing as tm


class WorkPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        SUBMITTED = "submitted", "На утверждении"
        APPROVED = "approved", "Утверждён"
        RETURNED = "returned", "Возвращён на доработку"

    district = models.ForeignKey(
        "directory.District", on_delete=models.PROTECT, related_name="plans", verbose_name="район"
    )
    year = models.ForeignKey(
        "directory.AcademicYear",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name="учебный год",
    )
    title = models.TextField(
        "заголовок",
        help_text="Как в документе: «План деятельности муниципального методического "
        "объединения … на 2021-2022 учебный год».",
    )
    theme = models.TextField("тема", blank=True)
    goal = models.TextField("цель деятельности ММО", blank=True)
    tasks = models.TextField(
        "задачи деятельности ММО", blank=True, help_text="Каждая задача — с новой строки."
    )
    status = models.CharField("статус", max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_comment = models.TextField("комментарий при возврате", blank=True)
    submitted_at = models.DateTimeField("направлен на утверждение", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="утвердил",
    )
    approved_on = models.DateField("дата утверждения", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "план работы ММО"
        verbose_name_plural = "планы работы ММО"
        ordering = ["district", "-year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="plan_unique_district_year")
        ]

    def __str__(self) -> str:
        return f"План работы ММО на {self.year.label('acc')}"

    def get_absolute_url(self) -> str:
        return reverse("plan_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Content may change only before approval (approved plans are reopened first)."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class PlanSection(models.Model):
    class Layout(models.TextChoices):
        # The seed's main table: № п/п, Содержание, Ответственный, Сроки, Место проведения,
        # Ожидаемый результат / показатель выполнения.
        FULL = "full", "Содержание деятельности (шесть граф)"
        # «Участие библиотекарей … в методической работе»: №, Мероприятия, Сроки.
        PARTICIPATION = "participation", "Участие в методической работе (три графы)"

    plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="sections", verbose_name="план"
    )
    order = models.PositiveIntegerField("порядок", default=0)
    number = models.CharField(
        "номер раздела", max_length=20, blank=True, help_text="Как напечатан, например «2.»"
    )
    title = models.CharField("название раздела", max_length=500)
    layout = models.CharField(
        "вид таблицы", max_length=20, choices=Layout.choices, default=Layout.FULL
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "раздел плана"
        verbose_name_plural = "разделы плана"
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}".strip()


class PlanItemQuerySet(models.QuerySet):
    def of_district_year(self, district_id: int, start_year: int):
        return self.filter(
            section__plan__district_id=district_id, section__plan__year__start_year=start_year
        )


class PlanItem(models.Model):
    class Indicator(models.TextChoices):
        PUBLICATIONS = "publications", "Количество публикаций"
        PARTICIPANTS = "participants", "Количество участников"
        CONSULTATIONS = "consultations", "Количество консультаций"
        EVENTS = "events", "Количество мероприятий"

    class FedBy(models.TextChoices):
        """Which records of the bulletin count as this item's execution: the head chooses,
        so that rewording an item never silently cuts it off."""

        INFORMING = "informing", "Новости о вебинарах и конкурсах и рассылки о них"
        DOCUMENTS = "documents", "Рассылки об официальных документах"
        PARTNERSHIP = "partnership", "Совместные мероприятия с партнёрами"
        STOCKTAKE = "stocktake", "Ход инвентаризации учебного фонда и консультации по ней"

    section = models.ForeignKey(
        PlanSection, on_delete=models.CASCADE, related_name="items", verbose_name="раздел"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="пункт верхнего уровня",
        help_text="Для подпунктов, например тем выступлений на заседании.",
    )
    order = models.PositiveIntegerField("порядок", default=0)
    number = models.CharField(
        "№ п/п", max_length=20, blank=True, help_text="Как напечатан в плане (с пропусками)."
    )
    content = models.TextField("содержание")
    subitems_title = models.CharField(
        "заголовок подпунктов",
        max_length=200,
        blank=True,
        help_text="Например «Тема выступления» — графа вложенной таблицы подпунктов.",
    )
    responsible = models.TextField("ответственный", blank=True)
    responsible_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="plan_items",
        verbose_name="ответственные участники",
        help_text="Они смогут отмечать выполнение пункта.",
    )
    timing_kind = models.CharField(
        "сроки", max_length=10, choices=tm.KINDS, default=tm.NONE, blank=True
    )
    month_from = models.PositiveSmallIntegerField("с месяца", null=True, blank=True)
    month_to = models.PositiveSmallIntegerField("по месяц", null=True, blank=True)
    date = models.DateField("дата", null=True, blank=True)
    place = models.TextField("место проведения", blank=True)
    expected_result = models.TextField("ожидаемый результат / показатель выполнения", blank=True)
    indicator = models.CharField(
        "измеримый показатель", max_length=20, choices=Indicator.choices, blank=True
    )
    fed_by = models.CharField(
        "выполнение отмечается само",
        max_length=20,
        choices=FedBy.choices,
        blank=True,
        help_text="Какие записи системы засчитываются как выполнение пункта.",
    )
    review_note = models.CharField(
        "проверить после копирования",
        max_length=300,
        blank=True,
        help_text="Пункт скопирован из плана прошлого года и называет прошлые даты.",
    )

    objects = PlanItemQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[responsible_people])

    class Meta:
        verbose_name = "пункт плана"
        verbose_name_plural = "пункты плана"
        ordering = ["section", "order", "pk"]
        indexes = [models.Index(fields=["indicator"])]

    def __str__(self) -> str:
        text = self.content if len(self.content) <= 80 else self.content[:79] + "…"
        return f"{self.number} {text}".strip()

    def get_absolute_url(self) -> str:
        return reverse("plan_item", args=[self.pk])

    @property
    def timing(self) -> tm.Timing:
        return tm.Timing(self.timing_kind, self.month_from, self.month_to, self.date)

    @timing.setter
    def timing(self, value: tm.Timing) -> None:
        self.timing_kind, self.month_from = value.kind, value.month_from
        self.month_to, self.date = value.month_to, value.date

    @property
    def timing_text(self) -> str:
        return tm.render(self.timing)

    def clean(self) -> None:
        errors = {}
        if self.timing_kind == tm.MONTHS:
            if not self.month_from:
                errors["month_from"] = "Укажите месяц."
            for field in ("month_from", "month_to"):
                value = getattr(self, field)
                if value is not None and not 1 <= value <= 12:
                    errors[field] = "Месяц — число от 1 до 12."
        if self.timing_kind == tm.DATE and not self.date:
            errors["date"] = "Укажите дату."
        parent = PlanItem.objects.filter(pk=self.parent_id).first() if self.parent_id else None
        if parent and parent.section_id != self.section_id:
            errors["parent"] = "Подпункт должен быть в том же разделе."
        elif parent and parent.parent_id:
            errors["parent"] = "Подпункты бывают только одного уровня."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # Keep the unused timing fields empty, so that a changed kind leaves no stale data.
        if self.timing_kind != tm.MONTHS:
            self.month_from = self.month_to = None
        if self.timing_kind != tm.DATE:
            self.date = None
        super().save(*args, **kwargs)

    def due_by(self, day: dt.date, start_year: int) -> bool:
        starts = tm.starts_on(self.timing, start_year)
        return starts is not None and starts <= day


class ExecutionStatus(models.TextChoices):
    PLANNED = "planned", "Запланировано"
    IN_PROGRESS = "in_progress", "Выполняется"
    DONE = "done", "Выполнено"
    NOT_DONE = "not_done", "Не выполнено"
    POSTPONED = "postponed", "Перенесено"


class PlanItemExecution(models.Model):
    """What was done for a plan item, on a date; evidence is a link, a file or a linked
    object of another app (an event, a consultation, a publication) as ``source``."""

    item = models.ForeignKey(
        PlanItem, on_delete=models.CASCADE, related_name="executions", verbose_name="пункт плана"
    )
    date = models.DateField("дата", default=timezone.localdate)
    status = models.CharField(
        "статус", max_length=20, choices=ExecutionStatus.choices, default=ExecutionStatus.DONE
    )
    note = models.TextField("что сделано", blank=True)
    indicator_value = models.PositiveIntegerField("значение показателя", null=True, blank=True)
    evidence_url = models.URLField("ссылка на подтверждение", max_length=500, blank=True)
    evidence_file = models.FileField(
        "файл-подтверждение",
        upload_to="plans/evidence/%Y/",
        storage=uploads.private_storage_callable,
        blank=True,
        validators=[uploads.UploadValidator(uploads.ANY_MATERIAL)],
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="отметил",
    )
    created_at = models.DateTimeField("отмечено", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "отметка о выполнении"
        verbose_name_plural = "отметки о выполнении"
        ordering = ["item", "-date", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "source_type", "source_id"],
                condition=models.Q(source_type__isnull=False),
                name="execution_unique_item_source",
            )
        ]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} — {self.get_status_display()}"
