"""Events of the association: meetings, seminars, webinars; their agendas, registrations,
attendance and minutes."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.lib import uploads


class Event(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Заседание ММО"
        SEMINAR = "seminar", "Семинар"
        WEBINAR = "webinar", "Вебинар"
        MASTERCLASS = "masterclass", "Мастер-класс"
        CONTEST = "contest", "Конкурс"
        ROUND_TABLE = "round_table", "Круглый стол"

    class Organiser(models.TextChoices):
        MMO = "mmo", "ММО"
        DEPARTMENT = "department", "Управление образования"
        AKIPKRO = "akipkro", "АКИПКРО"
        UMO = "umo", "Краевое УМО"
        OTHER = "other", "Другое"

    class Status(models.TextChoices):
        PLANNED = "planned", "Запланировано"
        HELD = "held", "Проведено"
        CANCELLED = "cancelled", "Отменено"

    district = models.ForeignKey(
        "directory.District", on_delete=models.PROTECT, related_name="events", verbose_name="район"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField("название", max_length=500)
    starts_at = models.DateTimeField("начало")
    ends_at = models.DateTimeField("окончание", null=True, blank=True)
    place = models.CharField("место проведения", max_length=500, blank=True)
    online_url = models.URLField("ссылка для подключения", blank=True)
    organiser = models.CharField(
        "организатор", max_length=20, choices=Organiser.choices, default=Organiser.MMO
    )
    description = models.TextField("описание", blank=True)
    plan_item = models.ForeignKey(
        "plans.PlanItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="пункт плана",
        help_text="Когда мероприятие проведено, пункт плана получает отметку о выполнении "
        "с числом участников.",
    )
    capacity = models.PositiveIntegerField(
        "число мест",
        null=True,
        blank=True,
        help_text="Пусто — без ограничения. Сверх мест участники попадают в лист ожидания.",
    )
    registration_deadline = models.DateTimeField(
        "запись и отмена до",
        null=True,
        blank=True,
        help_text="Пусто — до начала мероприятия.",
    )
    reminder_hours = models.PositiveSmallIntegerField(
        "напоминание за, часов",
        default=24,
        help_text="Письмо с повесткой и файлом .ics участникам и докладчикам.",
    )
    reminder_sent_at = models.DateTimeField("напоминание отправлено", null=True, blank=True)
    status = models.CharField(
        "состояние", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="создал",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "мероприятие"
        verbose_name_plural = "мероприятия"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["district", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("event_detail", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = "Окончание не может быть раньше начала."
        if (
            self.registration_deadline
            and self.starts_at
            and self.registration_deadline > self.starts_at
        ):
            errors["registration_deadline"] = "Запись должна закончиться не позже начала."
        if errors:
            raise ValidationError(errors)

    @property
    def labelled_title(self) -> str:
        """«Семинар: Электронные ресурсы», but «Вебинар АКИПКРО…» without a doubled word."""
        kind = self.get_kind_display()
        if self.title.lower().startswith(kind.lower()):
            return self.title
        return f"{kind}: {self.title}"

    @property
    def deadline(self) -> dt.datetime:
        return self.registration_deadline or self.starts_at

    def registration_open(self, now: dt.datetime | None = None) -> bool:
        return self.status == self.Status.PLANNED and (now or timezone.now()) < self.deadline

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def reminder_due_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(hours=self.reminder_hours)


class AgendaItem(models.Model):
    """A talk of the agenda; for the minutes also «слушали — выступили — решили»."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="agenda", verbose_name="мероприятие"
    )
    order = models.PositiveSmallIntegerField("№", default=1)
    topic = models.CharField("тема выступления", max_length=500)
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name="докладчик (участник ММО)",
    )
    speaker_name = models.CharField(
        "докладчик со стороны: ФИО",
        max_length=300,
        blank=True,
        help_text="Если докладчик не из числа участников ММО.",
    )
    speaker_org = models.CharField("организация докладчика", max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField("продолжительность, мин", default=15)
    material_url = models.URLField("ссылка на материалы", blank=True)
    material = models.FileField(
        "файл материалов",
        upload_to="events/materials/%Y/",
        storage=uploads.private_storage_callable,
        validators=[uploads.UploadValidator()],
        blank=True,
    )
    heard = models.TextField("слушали", blank=True)
    discussed = models.TextField("выступили", blank=True)
    decision = models.TextField("решили", blank=True)
    decision_plan_item = models.ForeignKey(
        "plans.PlanItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name="решение относится к пункту плана",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "вопрос повестки"
        verbose_name_plural = "повестка"
        ordering = ["event", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.order}. {self.topic}"

    def clean(self) -> None:
        if not self.speaker_id and not self.speaker_name.strip():
            raise ValidationError({"speaker": "Укажите докладчика: участника ММО или ФИО."})

    @property
    def speaker_short(self) -> str:
        if self.speaker_id:
            return self.speaker.short_name
        return self.speaker_name

    @property
    def speaker_full(self) -> str:
        if self.speaker_id:
            person = self.speaker
            place = person.position + (f", {person.school.short_name}" if person.school_id else "")
            return f"{person.full_name}" + (f", {place.strip(', ')}" if place.strip() else "")
        return ", ".join(p for p in (self.speaker_name, self.speaker_org) if p)


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", "Записан"
        WAITING = "waiting", "В листе ожидания"
        CANCELLED = "cancelled", "Отменил запись"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name="мероприятие"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name="участник",
    )
    status = models.CharField("запись", max_length=20, choices=Status.choices)
    created_at = models.DateTimeField("записан", default=timezone.now)
    attended = models.BooleanField("присутствовал", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "запись на мероприятие"
        verbose_name_plural = "записи на мероприятия"
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="registration_unique")
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.event}"


class Minutes(models.Model):
    """Протокол заседания."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="minutes", verbose_name="мероприятие"
    )
    number = models.CharField("номер протокола", max_length=20)
    date = models.DateField("дата")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="председатель",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="секретарь",
    )
    invited = models.TextField("приглашённые", blank=True)
    is_published = models.BooleanField(
        "опубликован", default=False, help_text="Опубликованный протокол видят все участники ММО."
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "протокол"
        verbose_name_plural = "протоколы"

    def __str__(self) -> str:
        return f"Протокол № {self.number} от {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return reverse("minutes_detail", args=[self.event_id])


class FeedToken(models.Model):
    """The secret part of a person's private iCal feed URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_feed_token"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ключ календаря"
        verbose_name_plural = "ключи календаря"

    def __str__(self) -> str:
        return f"{self.user} ({self.key[:6]}…)"

    @classmethod
    def for_user(cls, user, *, renew: bool = False) -> FeedToken:
        token = cls.objects.filter(user=user).first()
        if token is None:
            return cls.objects.create(user=user, key=secrets.token_urlsafe(32))
        if renew:
            token.key = secrets.token_urlsafe(32)
            token.save(update_fields=["key"])
        return token
