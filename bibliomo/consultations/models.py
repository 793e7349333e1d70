"""Consultations on request: a librarian's question, the head's answer, the FAQ."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.consultations import workdays
from bibliomo.lib import search, uploads


class Category(models.TextChoices):
    FUND = "fund", "Учёт и инвентаризация фонда"
    WRITEOFF = "writeoff", "Списание"
    ORDER = "order", "Заказ учебников"
    EXCHANGE = "exchange", "Обменный фонд"
    REGULATIONS = "regulations", "Нормативные документы"
    FGOS = "fgos", "ФГОС и программы"
    READERS = "readers", "Работа с читателями"
    OTHER = "other", "Другое"


class Channel(models.TextChoices):
    WEB = "web", "Через сайт"
    EMAIL = "email", "По электронной почте"
    PHONE = "phone", "По телефону"
    PERSON = "person", "Лично"


class ConsultationQuerySet(models.QuerySet):
    def search(self, query: str):
        return search.filter_words(self, query)

    def open(self) -> ConsultationQuerySet:
        return self.filter(status__in=[Consultation.Status.NEW, Consultation.Status.IN_WORK])


class Consultation(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "Новый"
        IN_WORK = "in_work", "В работе"
        ANSWERED = "answered", "Ответ дан"
        CLOSED = "closed", "Закрыт"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="район",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="кто спрашивает",
    )
    school = models.ForeignKey(
        "directory.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name="школа",
    )
    category = models.CharField("тема", max_length=20, choices=Category.choices)
    channel = models.CharField(
        "как поступил", max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    subject = models.CharField("кратко", max_length=300)
    question = models.TextField("вопрос")
    attachment = models.FileField(
        "файл к вопросу",
        upload_to="consultations/%Y/",
        storage=uploads.private_storage_callable,
        validators=[uploads.UploadValidator()],
        blank=True,
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField("поступил", default=timezone.now)
    # The answer is owed from this moment: the question, or the librarian's latest reply.
    waiting_since = models.DateTimeField("ждёт ответа с", default=timezone.now)
    answered_at = models.DateTimeField("ответ дан", null=True, blank=True)
    closed_at = models.DateTimeField("закрыт", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="записал",
    )
    is_published = models.BooleanField("в вопросах и ответах", default=False)
    faq_question = models.TextField("вопрос для публикации", blank=True)
    faq_answer = models.TextField("ответ для публикации", blank=True)
    search_text = models.TextField(editable=False, default="")

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "консультация"
        verbose_name_plural = "консультации"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["district", "status", "created_at"]),
            models.Index(fields=["district", "is_published"]),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("consultation_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        if self.author_id and not self.school_id:
            self.school_id = self.author.school_id
        self.search_text = (
            search.normalize(self.subject, self.faq_question, self.faq_answer)
            if self.is_published
            else ""
        )
        super().save(*args, **kwargs)

    @property
    def due_date(self) -> dt.date:
        asked = timezone.localtime(self.waiting_since).date()
        return workdays.add_working_days(asked, settings.CONSULTATION_ANSWER_DAYS)

    def is_overdue(self, today: dt.date | None = None) -> bool:
        if self.status not in (self.Status.NEW, self.Status.IN_WORK):
            return False
        return (today or timezone.localdate()) > self.due_date

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.IN_WORK)


class Message(models.Model):
    """The answer, or a reply of either side; may carry a file."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="messages", verbose_name="консультация"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="автор"
    )
    text = models.TextField("текст")
    attachment = models.FileField(
        "файл",
        upload_to="consultations/%Y/",
        storage=uploads.private_storage_callable,
        validators=[uploads.UploadValidator()],
        blank=True,
    )
    is_answer = models.BooleanField("ответ руководителя", default=False)
    created_at = models.DateTimeField("когда", default=timezone.now)

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering = ["consultation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]
