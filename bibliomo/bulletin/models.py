"""Informing the members: news, official documents, newsletters, publications, the
materials library (методическая копилка) and social partners.

Everything belongs to a district; members of the district see it, the association's
head manages it. Text with formatting is sanitised on save (``lib.richtext``); files
live in private storage and are served only after an access check.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.lib import richtext, search, uploads


class Tagged(models.Model):
    """Tags as people write them («ФПУ, учебники») and a normalised copy to filter by
    (SQLite cannot compare Cyrillic case-insensitively)."""

    tags = models.CharField(
        "метки", max_length=300, blank=True, help_text="Через запятую, например: учебники, ФПУ"
    )
    tag_keys = models.CharField(max_length=300, editable=False, default="")

    class Meta:
        abstract = True

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(", ") if t]

    def normalise_tags(self) -> None:
        shown: list[str] = []
        keys: list[str] = []
        for raw in self.tags.replace(";", ",").split(","):
            key = search.normalize(raw)
            if key and key not in keys:
                keys.append(key)
                shown.append(" ".join(raw.split()))
        self.tags = ", ".join(shown)
        # Delimited on both sides so that one tag is found whole: «|фпу|учебники|».
        self.tag_keys = f"|{'|'.join(keys)}|" if keys else ""


def tag_filter(queryset, tag: str):
    """Rows carrying this tag, in any case and with ё or е."""
    key = search.normalize(tag)
    return queryset.filter(tag_keys__contains=f"|{key}|") if key else queryset


# --- news --------------------------------------------------------------------------


class News(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", "Новость"
        WEBINAR = "webinar", "Анонс вебинара"
        COMPETITION = "competition", "Конкурс"
        OTHER = "other", "Другое"

    district = models.ForeignKey(
        "directory.District", on_delete=models.CASCADE, related_name="news", verbose_name="район"
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField("заголовок", max_length=300)
    body = models.TextField(
        "текст",
        blank=True,
        help_text="Можно выделять полужирным и курсивом, делать списки и ссылки.",
    )
    event_date = models.DateField(
        "дата события", null=True, blank=True, help_text="Для вебинара — дата его проведения"
    )
    deadline = models.DateField(
        "приём заявок до", null=True, blank=True, help_text="Для конкурса — срок подачи заявок"
    )
    link = models.URLField("ссылка", blank=True, max_length=500)
    participants = models.PositiveIntegerField(
        "количество участников",
        null=True,
        blank=True,
        help_text="Сколько библиотекарей района приняли участие (когда известно)",
    )
    is_public = models.BooleanField(
        "показывать в RSS-ленте", default=True, help_text="Лента доступна без входа в систему"
    )
    published_at = models.DateTimeField("опубликовано", default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="автор",
    )
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "новость"
        verbose_name_plural = "новости и объявления"
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["district", "kind", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news_detail", args=[self.pk])

    def clean(self) -> None:
        if self.deadline and self.kind != self.Kind.COMPETITION:
            raise ValidationError({"deadline": "Срок подачи заявок указывается для конкурса."})

    def save(self, *args, **kwargs) -> None:
        self.body = richtext.clean(self.body)
        self.search_text = search.normalize(self.title, richtext.to_plain(self.body))
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.deadline is None or self.deadline >= timezone.localdate()


# --- official documents ---------------------------------------------------------------


class Document(Tagged):
    """A reference to an official document: what it is and what it means for a school
    library. The text itself stays with its publisher (a link or an uploaded copy)."""

    class Kind(models.TextChoices):
        LAW = "law", "Федеральный закон"
        ORDER = "order", "Приказ"
        LETTER = "letter", "Письмо"
        REGULATION = "regulation", "Положение"
        GUIDELINES = "guidelines", "Методические рекомендации"
        STANDARD = "standard", "ГОСТ"
        LOCAL = "local", "Локальный акт"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "В силе"
        EXPIRED = "expired", "Утратил силу"
        REPLACED = "replaced", "Заменён"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name="район",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    number = models.CharField("номер", max_length=100, blank=True)
    date = models.DateField("дата")
    issuer = models.CharField("орган, принявший документ", max_length=300, blank=True)
    title = models.CharField("название", max_length=1000)
    summary = models.TextField("что это значит для школьной библиотеки", blank=True)
    url = models.URLField("ссылка на официальный текст", blank=True, max_length=500)
    file = models.FileField(
        "файл",
        upload_to="bulletin/documents/%Y/",
        storage=uploads.private_storage_callable,
        blank=True,
        validators=[uploads.UploadValidator(uploads.DOCUMENTS)],
    )
    status = models.CharField(
        "статус", max_length=20, choices=Status.choices, default=Status.IN_FORCE
    )
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name="заменён документом",
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name="вносит изменения в",
    )
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "документ"
        verbose_name_plural = "нормативные документы"
        ordering = ["-date", "number"]
        indexes = [models.Index(fields=["district", "status", "-date"])]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """«Приказ Минкультуры России от 08.10.2012 № 1077»."""
        head = self.get_kind_display()
        if self.kind == self.Kind.STANDARD:
            return f"ГОСТ {self.number}".strip()
        if self.issuer and self.kind != self.Kind.LAW:
            head = f"{head} {self.issuer}"
        number = f" № {self.number}" if self.number else ""
        return f"{head} от {self.date:%d.%m.%Y}{number}"

    def clean(self) -> None:
        errors = {}
        if self.status == self.Status.REPLACED and not self.replaced_by_id:
            errors["replaced_by"] = "Укажите документ, которым заменён этот."
        if self.replaced_by_id and self.status != self.Status.REPLACED:
            errors["status"] = "Документ, у которого указана замена, должен иметь статус «Заменён»."
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            errors["replaced_by"] = "Документ не может заменять сам себя."
        if self.amends_id and self.amends_id == self.pk:
            errors["amends"] = "Документ не может изменять сам себя."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.normalise_tags()
        # The number is searched with and without its «-ФЗ»/«№» decoration.
        self.search_text = search.normalize(
            self.get_kind_display(), self.number, self.issuer, self.title, self.tags
        )
        super().save(*args, **kwargs)


# --- newsletters ---------------------------------------------------------------------


class Newsletter(models.Model):
    class Audience(models.TextChoices):
        ALL = "all", "Все участники района"
        LIBRARIAN = "librarian", "Библиотекари"
        HEAD = "head", "Руководитель ММО"
        DEPARTMENT = "department", "Управление образования"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="newsletters",
        verbose_name="район",
    )
    subject = models.CharField("тема письма", max_length=250)
    body = models.TextField("текст", help_text="Можно выделять текст, делать списки и ссылки.")
    audience = models.CharField(
        "кому", max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    news = models.ManyToManyField(News, blank=True, verbose_name="новости", related_name="+")
    documents = models.ManyToManyField(
        Document, blank=True, verbose_name="документы", related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="автор",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    skipped = models.PositiveIntegerField("не отправлено (отписались раньше)", default=0)
    history = HistoricalRecords(excluded_fields=["skipped"])

    class Meta:
        verbose_name = "рассылка"
        verbose_name_plural = "рассылки"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter_detail", args=[self.pk])

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None

    def save(self, *args, **kwargs) -> None:
        self.body = richtext.clean(self.body)
        super().save(*args, **kwargs)


class Delivery(models.Model):
    """One recipient of one newsletter and what became of the letter."""

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.CASCADE, related_name="deliveries", verbose_name="рассылка"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="кому"
    )
    message = models.ForeignKey(
        "outbox.OutgoingMessage",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="письмо",
    )
    unsubscribed_at = models.DateTimeField("отписался по ссылке", null=True, blank=True)

    class Meta:
        verbose_name = "доставка рассылки"
        verbose_name_plural = "доставки рассылок"
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "user"], name="delivery_unique_user")
        ]

    def __str__(self) -> str:
        return f"{self.newsletter} → {self.user}"


class Unsubscription(models.Model):
    """The person receives no newsletters (service mail such as password reset still goes)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unsubscription",
        verbose_name="кто",
    )
    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="по ссылке из рассылки",
    )
    created_at = models.DateTimeField("когда", auto_now_add=True)

    class Meta:
        verbose_name = "отписка от рассылок"
        verbose_name_plural = "отписки от рассылок"

    def __str__(self) -> str:
        return str(self.user)


# --- publications ---------------------------------------------------------------------


class Publication(models.Model):
    class Venue(models.TextChoices):
        SITE = "site", "Сайт"
        JOURNAL = "journal", "Журнал"
        COLLECTION = "collection", "Сборник"
        NEWSPAPER = "newspaper", "Газета"
        OTHER = "other", "Другое"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="publications",
        verbose_name="район",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="publications",
        verbose_name="автор",
    )
    title = models.CharField("название", max_length=500)
    venue_kind = models.CharField("где", max_length=20, choices=Venue.choices)
    venue = models.CharField(
        "издание или сайт",
        max_length=300,
        help_text="Например: сайт АКИПКРО, журнал «Школьная библиотека», «Первое сентября»",
    )
    date = models.DateField("дата публикации")
    url = models.URLField("ссылка", blank=True, max_length=500)
    file = models.FileField(
        "файл",
        upload_to="bulletin/publications/%Y/",
        storage=uploads.private_storage_callable,
        blank=True,
        validators=[uploads.UploadValidator(uploads.DOCUMENTS | uploads.IMAGES)],
    )
    created_at = models.DateTimeField("добавлено", auto_now_add=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "публикация"
        verbose_name_plural = "публикации"
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["district", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publication_list") + f"#publication-{self.pk}"

    def clean(self) -> None:
        if not self.url and not self.file:
            raise ValidationError("Укажите ссылку на публикацию или приложите файл.")
        if self.date and self.date > timezone.localdate() + dt.timedelta(days=366):
            raise ValidationError({"date": "Дата публикации слишком далеко в будущем."})

    def save(self, *args, **kwargs) -> None:
        self.search_text = search.normalize(self.title, self.venue)
        super().save(*args, **kwargs)


# --- materials library ----------------------------------------------------------------


class Material(Tagged):
    class Kind(models.TextChoices):
        SCENARIO = "scenario", "Сценарий мероприятия"
        QUEST = "quest", "Квест"
        PRESENTATION = "presentation", "Презентация"
        METHODICAL = "methodical", "Методическая разработка"
        LEAFLET = "leaflet", "Памятка"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name="район",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name="автор",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    title = models.CharField("название", max_length=300)
    description = models.TextField("описание", help_text="Для кого, цель, ход, что понадобится.")
    grade_from = models.PositiveSmallIntegerField("с класса", null=True, blank=True)
    grade_to = models.PositiveSmallIntegerField("по класс", null=True, blank=True)
    created_at = models.DateTimeField("добавлено", default=timezone.now)
    downloads = models.PositiveIntegerField("скачиваний", default=0, editable=False)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "материал"
        verbose_name_plural = "методическая копилка"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["district", "kind", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("material_detail", args=[self.pk])

    @property
    def grades(self) -> str:
        if self.grade_from and self.grade_to:
            if self.grade_from == self.grade_to:
                return f"{self.grade_from} класс"
            return f"{self.grade_from}–{self.grade_to} классы"
        if self.grade_from:
            return f"с {self.grade_from} класса"
        if self.grade_to:
            return f"до {self.grade_to} класса"
        return ""

    def clean(self) -> None:
        errors = {}
        for name in ("grade_from", "grade_to"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= 11:
                errors[name] = "Класс — число от 1 до 11."
        if not errors and self.grade_from and self.grade_to and self.grade_from > self.grade_to:
            errors["grade_to"] = "Последний класс не может быть меньше первого."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        self.description = richtext.clean(self.description)
        self.normalise_tags()
        self.search_text = search.normalize(
            self.title, richtext.to_plain(self.description), self.tags
        )
        super().save(*args, **kwargs)


class Attachment(models.Model):
    """A file attached to a news item or to a material."""

    news = models.ForeignKey(
        News, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(
        "файл",
        upload_to="bulletin/files/%Y/%m/",
        storage=uploads.private_storage_callable,
        validators=[uploads.UploadValidator()],
    )
    name = models.CharField("имя файла", max_length=255)
    size = models.PositiveIntegerField("размер, байт", default=0)
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    class Meta:
        verbose_name = "вложение"
        verbose_name_plural = "вложения"
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(news__isnull=False, material__isnull=True)
                | models.Q(news__isnull=True, material__isnull=False),
                name="attachment_has_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district_id(self) -> int:
        owner = self.news if self.news_id else self.material
        return owner.district_id

    def get_absolute_url(self) -> str:
        return reverse("attachment_download", args=[self.pk])


# --- partners -------------------------------------------------------------------------


class Partner(models.Model):
    class Kind(models.TextChoices):
        LIBRARY = "library", "Публичная библиотека"
        MUSEUM = "museum", "Музей"
        NEWSPAPER = "newspaper", "Газета"
        CULTURE = "culture", "Дом культуры"
        OTHER = "other", "Другая организация"

    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name="район",
    )
    kind = models.CharField("вид", max_length=20, choices=Kind.choices)
    name = models.CharField("наименование", max_length=300)
    address = models.CharField("адрес", max_length=300, blank=True)
    contact_person = models.CharField("контактное лицо", max_length=200, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("сайт", blank=True)
    notes = models.TextField("направления сотрудничества", blank=True)
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "партнёр"
        verbose_name_plural = "социальные партнёры"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="partner_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partner_detail", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.search_text = search.normalize(self.name, self.address, self.contact_person)
        super().save(*args, **kwargs)


class JointEvent(models.Model):
    partner = models.ForeignKey(
        Partner, on_delete=models.CASCADE, related_name="events", verbose_name="партнёр"
    )
    date = models.DateField("дата")
    title = models.CharField("мероприятие", max_length=300)
    school = models.ForeignKey(
        "directory.School",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="школа",
    )
    participants = models.PositiveIntegerField("участников", null=True, blank=True)
    link = models.URLField(
        "ссылка на мероприятие", blank=True, help_text="Страница мероприятия в системе или на сайте"
    )

    class Meta:
        verbose_name = "совместное мероприятие"
        verbose_name_plural = "совместные мероприятия"
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.title}"
