"""A school library's annual statistics (form ОО-1 § 2.6 and the library's indicators) and
the librarians' professional development (courses, category, education, service)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.lib import uploads
from bibliomo.stats import oo1


class LibraryReport(models.Model):
    """Статистика библиотеки школы за учебный год.

    Section 2.6 covers the calendar year that ends inside the academic year (for
    2021/2022 — the year 2021, «на конец года» is 31.12.2021), the way the КСУ sums up
    the movement of the fund year by year.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        SUBMITTED = "submitted", "Сдан"

    school = models.ForeignKey(
        "directory.School",
        on_delete=models.PROTECT,
        related_name="library_reports",
        verbose_name="школа",
    )
    year = models.ForeignKey(
        "directory.AcademicYear",
        on_delete=models.PROTECT,
        related_name="library_reports",
        verbose_name="учебный год",
    )
    status = models.CharField("состояние", max_length=20, choices=Status.choices, default="draft")
    readers_primary = models.PositiveIntegerField("читатели: обучающиеся 1–4 классов", default=0)
    readers_basic = models.PositiveIntegerField("читатели: обучающиеся 5–9 классов", default=0)
    readers_senior = models.PositiveIntegerField("читатели: обучающиеся 10–11 классов", default=0)
    readers_teachers = models.PositiveIntegerField("читатели: педагоги", default=0)
    readers_others = models.PositiveIntegerField(
        "читатели: другие", default=0, help_text="Родители, сотрудники школы и другие."
    )
    visits = models.PositiveIntegerField("посещений за год", default=0)
    loans = models.PositiveIntegerField(
        "книговыдача за год", default=0, help_text="Сколько экземпляров выдано за год."
    )
    events_held = models.PositiveIntegerField("проведено массовых мероприятий", default=0)
    working_days = models.PositiveIntegerField(
        "рабочих дней библиотеки", default=0, help_text="Для средней посещаемости в день."
    )
    note = models.TextField("примечание", blank=True)
    submitted_at = models.DateTimeField("сдан", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="сдал",
    )
    updated_at = models.DateTimeField("изменён", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "статистика библиотеки за год"
        verbose_name_plural = "статистика библиотек"
        ordering = ["school__short_name", "-year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="library_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school} — {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("stats_report", args=[self.school_id, self.year.start_year])

    @property
    def ledger_year(self) -> int:
        return self.year.start_year

    @property
    def readers(self) -> int:
        return (
            self.readers_primary
            + self.readers_basic
            + self.readers_senior
            + self.readers_teachers
            + self.readers_others
        )

    @property
    def pupils(self) -> int:
        return self.readers_primary + self.readers_basic + self.readers_senior

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def fund_values(self) -> dict[str, dict[str, int]]:
        """{line: {received, disposed, held}} for every line, zeros where nothing is stored."""
        values = {code: dict.fromkeys(oo1.COLUMN_FIELDS, 0) for code in oo1.LINE_CODES}
        for line in self.fund_lines.all():
            values[line.line] = {name: getattr(line, name) for name in oo1.COLUMN_FIELDS}
        return values

    def indicators(self, values: dict[str, dict[str, int]] | None = None) -> list[oo1.Indicator]:
        values = values or self.fund_values()
        return oo1.indicators(
            readers=self.readers,
            visits=self.visits,
            loans=self.loans,
            fund=values["01"]["held"],
            received=values["01"]["received"],
            working_days=self.working_days,
        )


class FundLine(models.Model):
    """One line of section 2.6: copies received, disposed and held."""

    report = models.ForeignKey(
        LibraryReport, on_delete=models.CASCADE, related_name="fund_lines", verbose_name="отчёт"
    )
    line = models.CharField("строка", max_length=2, choices=oo1.LINES)
    received = models.PositiveIntegerField("поступило", default=0)
    disposed = models.PositiveIntegerField("выбыло", default=0)
    held = models.PositiveIntegerField("состоит на конец года", default=0)
    from_ledger = models.BooleanField("из книги суммарного учёта", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "строка раздела 2.6"
        verbose_name_plural = "строки раздела 2.6"
        ordering = ["report", "line"]
        constraints = [models.UniqueConstraint(fields=["report", "line"], name="fund_line_unique")]

    def __str__(self) -> str:
        return f"{self.report}: строка {self.line}"


# --- professional development ------------------------------------------------------------


class Education(models.TextChoices):
    HIGHER_LIBRARY = "higher_library", "Высшее библиотечное"
    HIGHER_PEDAGOGY = "higher_pedagogy", "Высшее педагогическое"
    HIGHER_OTHER = "higher_other", "Высшее (другое)"
    VOCATIONAL_LIBRARY = "vocational_library", "Среднее профессиональное библиотечное"
    VOCATIONAL_OTHER = "vocational_other", "Среднее профессиональное (другое)"
    GENERAL = "general", "Среднее общее"


class Category(models.TextChoices):
    NONE = "none", "Без категории"
    COMPLIANCE = "compliance", "Соответствие занимаемой должности"
    FIRST = "first", "Первая"
    HIGHEST = "highest", "Высшая"


class Qualification(models.Model):
    """A librarian's education, certification category and length of service."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualification",
        verbose_name="библиотекарь",
    )
    education = models.CharField(
        "образование", max_length=30, choices=Education.choices, blank=True
    )
    education_note = models.CharField(
        "учебное заведение, специальность", max_length=300, blank=True
    )
    category = models.CharField(
        "квалификационная категория", max_length=20, choices=Category.choices, default="none"
    )
    category_date = models.DateField("дата присвоения категории", null=True, blank=True)
    service_since = models.DateField(
        "работает в школьной библиотеке с",
        null=True,
        blank=True,
        help_text="По этой дате считается стаж работы.",
    )
    service_before_years = models.PositiveSmallIntegerField(
        "стаж до этого, лет", default=0, help_text="Стаж библиотечной работы на прежних местах."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "сведения о квалификации"
        verbose_name_plural = "сведения о квалификации"

    def __str__(self) -> str:
        return str(self.person)

    def service_years(self, today: dt.date | None = None) -> int | None:
        if self.service_since is None:
            return None
        today = today or timezone.localdate()
        years = today.year - self.service_since.year
        if (today.month, today.day) < (self.service_since.month, self.service_since.day):
            years -= 1
        return max(0, years) + self.service_before_years


class Course(models.Model):
    class Document(models.TextChoices):
        CERTIFICATE_PK = "pk", "Удостоверение о повышении квалификации"
        CERTIFICATE = "certificate", "Сертификат"
        DIPLOMA = "diploma", "Диплом о профессиональной переподготовке"
        NONE = "none", "Без документа"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="courses",
        verbose_name="библиотекарь",
    )
    title = models.CharField("название курсов", max_length=500)
    organisation = models.CharField("организация", max_length=300, help_text="Например: АКИПКРО.")
    hours = models.PositiveSmallIntegerField("часов")
    date_from = models.DateField("начало")
    date_to = models.DateField("окончание")
    document = models.CharField(
        "документ", max_length=20, choices=Document.choices, default=Document.CERTIFICATE_PK
    )
    document_number = models.CharField("номер документа", max_length=100, blank=True)
    file = models.FileField(
        "скан документа",
        upload_to="training/%Y/",
        storage=uploads.private_storage_callable,
        blank=True,
        validators=[uploads.UploadValidator(uploads.DOCUMENTS | uploads.IMAGES)],
    )
    created_at = models.DateTimeField("добавлено", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "курсы повышения квалификации"
        verbose_name_plural = "курсы повышения квалификации"
        ordering = ["person", "-date_to"]
        indexes = [models.Index(fields=["person", "date_to"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date_to:%d.%m.%Y})"

    def clean(self) -> None:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": "Окончание не может быть раньше начала."})
        if self.hours is not None and self.hours == 0:
            raise ValidationError({"hours": "Укажите число часов."})
