from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from bibliomo.lib import names, search


class Role(models.TextChoices):
    ADMIN = "admin", "Администратор системы"
    HEAD = "head", "Руководитель ММО"
    DEPARTMENT = "department", "Специалист Управления образования"
    LIBRARIAN = "librarian", "Библиотекарь"


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        return search.filter_words(self, query)


class PersonManager(UserManager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A person of the district; with a password, also an account that logs in."""

    email = models.EmailField("e-mail", blank=True)
    patronymic = models.CharField("отчество", max_length=150, blank=True)
    position = models.CharField(
        "должность", max_length=200, blank=True, help_text="Например: педагог-библиотекарь"
    )
    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.LIBRARIAN)
    district = models.ForeignKey(
        "directory.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="район",
    )
    school = models.ForeignKey(
        "directory.School",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="школа",
    )
    phone = models.CharField("телефон", max_length=100, blank=True)
    pd_consent = models.BooleanField(
        "согласие на обработку персональных данных",
        default=False,
        help_text="Согласие по Федеральному закону № 152-ФЗ «О персональных данных».",
    )
    pd_consent_at = models.DateTimeField("дата согласия", null=True, blank=True)
    uses_api = models.BooleanField(
        "подключаю другие программы (API)",
        default=False,
        help_text="Показывает в меню описание API и токены доступа для программ. "
        "Для обычной работы не нужно.",
    )
    search_text = models.TextField(editable=False, default="")

    objects = PersonManager()

    class Meta:
        verbose_name = "человек"
        verbose_name_plural = "люди"
        ordering = ["last_name", "first_name", "patronymic"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_unique_email_ci",
                violation_error_message="Этот e-mail уже указан у другого человека.",
            )
        ]
        indexes = [models.Index(fields=["district", "is_active", "last_name"])]

    def __str__(self) -> str:
        return self.short_name or self.username

    @property
    def full_name(self) -> str:
        return names.full_name(self.last_name, self.first_name, self.patronymic)

    @property
    def short_name(self) -> str:
        return names.short_name(self.last_name, self.first_name, self.patronymic)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.short_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role == Role.ADMIN

    @property
    def is_head(self) -> bool:
        return self.role == Role.HEAD

    @property
    def is_department(self) -> bool:
        return self.role == Role.DEPARTMENT

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role == Role.LIBRARIAN and not self.school_id:
            errors["school"] = "Для библиотекаря укажите школу."
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            errors["school"] = "Школа должна быть в районе этого человека."
        if self.role in (Role.HEAD, Role.DEPARTMENT) and not (self.district_id or self.school_id):
            errors["district"] = "Укажите район."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        if self.school_id and not self.district_id:
            self.district_id = self.school.district_id
        if self.pd_consent and self.pd_consent_at is None:
            self.pd_consent_at = timezone.now()
        if not self.pd_consent:
            self.pd_consent_at = None
        self.email = self.email.strip()
        self.search_text = search.normalize(
            self.last_name, self.first_name, self.patronymic, self.position, self.email
        )
        super().save(*args, **kwargs)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token; only its hash is stored, the key is shown once."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="пользователь"
    )
    name = models.CharField("название", max_length=100)
    prefix = models.CharField("начало ключа", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    last_used_at = models.DateTimeField("последнее использование", null=True, blank=True)

    class Meta:
        verbose_name = "API-токен"
        verbose_name_plural = "API-токены"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        key = "bmo_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash(key))
        return token, key

    @classmethod
    def authenticate(cls, key: str) -> User | None:
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=_hash(key), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user


class PersonalDataExport(models.Model):
    """152-ФЗ: every export of people's personal data is logged — who, when, what."""

    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="pd_exports", verbose_name="кто выгрузил"
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)
    what = models.CharField("что выгружено", max_length=200)
    rows = models.PositiveIntegerField("записей")

    class Meta:
        verbose_name = "выгрузка персональных данных"
        verbose_name_plural = "журнал выгрузок персональных данных"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%d.%m.%Y %H:%M} {self.user} — {self.what}"
