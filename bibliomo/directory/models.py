from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bibliomo.lib import search, years


class Region(models.Model):
    name = models.CharField("наименование", max_length=200, unique=True)

    class Meta:
        verbose_name = "субъект РФ"
        verbose_name_plural = "субъекты РФ"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name="субъект РФ"
    )
    name = models.CharField("наименование", max_length=200, help_text="Например: Каменский район")
    association_name = models.CharField(
        "наименование ММО",
        max_length=300,
        help_text="Муниципальное методическое объединение библиотекарей района",
    )
    education_department = models.CharField(
        "орган управления образованием", max_length=300, blank=True
    )
    lat = models.FloatField("широта центра", null=True, blank=True)
    lon = models.FloatField("долгота центра", null=True, blank=True)
    # A textbook usable until a summer day serves the school year that ends before it.
    lessons_end_day = models.PositiveSmallIntegerField(
        "окончание учебных занятий: день",
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    lessons_end_month = models.PositiveSmallIntegerField(
        "окончание учебных занятий: месяц",
        default=5,
        validators=[MinValueValidator(5), MaxValueValidator(8)],
        help_text="Учебник со сроком использования до этого дня ещё служит весь учебный год.",
    )
    # Used for the cohort forecast where a school has neither its own share nor last year's
    # actual 9th and 10th grades.
    stay_in_10th_default = models.DecimalField(
        "доля девятиклассников, переходящих в 10 класс (по району)",
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="От 0 до 1; применяется, если у школы нет своей доли и данных прошлого года.",
    )

    class Meta:
        verbose_name = "район"
        verbose_name_plural = "районы"
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="district_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lessons_end(self) -> tuple[int, int]:
        """(month, day) of the end of lessons, for ``years.use_cutoff``."""
        return (self.lessons_end_month, self.lessons_end_day)


class AcademicYearQuerySet(models.QuerySet):
    # Reading a year never creates one: a GET must not write. Years are opened by the
    # people who plan or enter data for them (``AcademicYear.open``) or by the
    # ``open_year`` management command.

    def current(self) -> AcademicYear:
        """The academic year of today; an unsaved instance if nobody has opened it yet."""
        start = years.start_year_for(timezone.localdate())
        return self.filter(start_year=start).first() or AcademicYear(start_year=start)

    def known(self) -> set[int]:
        """The years a page or an API call may ask for: the opened ones, the current, the
        previous (the year being reported on) and the next (the one being planned)."""
        current = years.start_year_for(timezone.localdate())
        return {*self.values_list("start_year", flat=True), current - 1, current, current + 1}

    def parse(self, raw: object, default: int | None = None) -> int:
        """The start year in ``?year=``; ``default`` (else the current year) when absent.
        Raises ``years.YearError`` (a clear page or a 400 answer) for any other year."""
        if default is None:
            default = years.start_year_for(timezone.localdate())
        return years.parse(raw, self.known(), default)

    def parse_calendar(self, raw: object) -> int:
        """A calendar year in ``?year=`` (the КСУ, the event calendar): one that the
        known academic years cover; this year when absent."""
        return years.parse(raw, self.calendar_years(), timezone.localdate().year)

    def calendar_years(self) -> set[int]:
        return {y for start in self.known() for y in (start, start + 1)}


class AcademicYear(models.Model):
    """Учебный год: 1 September of ``start_year`` – 31 August of the next year."""

    start_year = models.PositiveSmallIntegerField("год начала", unique=True)

    objects = AcademicYearQuerySet.as_manager()

    class Meta:
        verbose_name = "учебный год"
        verbose_name_plural = "учебные годы"
        ordering = ["-start_year"]

    def __str__(self) -> str:
        return years.label(self.start_year)

    def label(self, case: str = "nom") -> str:
        return years.label(self.start_year, case)

    @property
    def short_label(self) -> str:
        return years.short_label(self.start_year)

    @property
    def start_date(self) -> dt.date:
        return years.bounds(self.start_year)[0]

    @property
    def end_date(self) -> dt.date:
        return years.bounds(self.start_year)[1]

    # A sane range: no school year before the system's records or centuries ahead.
    FIRST, LAST = 1990, 2100

    @classmethod
    def valid_start_year(cls, start_year: int) -> int:
        """``start_year`` if it is within the sane range, else a Russian ValidationError."""
        if not isinstance(start_year, int) or not cls.FIRST <= start_year <= cls.LAST:
            raise ValidationError(
                f"Учебный год указывается годом начала от {cls.FIRST} до {cls.LAST}, "
                f"например 2025 для 2025/2026; получено «{start_year}»."
            )
        return start_year

    @classmethod
    def get(cls, start_year: int) -> AcademicYear:
        """An opened academic year (``DoesNotExist`` if nobody has opened it)."""
        return cls.objects.get(start_year=start_year)

    @classmethod
    def open(cls, start_year: int) -> AcademicYear:
        """The academic year, created if this is its first use: called by the operations
        that enter data for a year (a POST, an import, a command), never by a page read."""
        year, _ = cls.objects.get_or_create(start_year=cls.valid_start_year(start_year))
        return year


inn_validator = RegexValidator(r"^\d{10}$", "ИНН организации — 10 цифр.")


class SchoolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, query: str):
        return search.filter_words(self, query)


_KIND_SHORT = {"sosh": "СОШ", "oosh": "ООШ", "nosh": "НОШ"}
# The last grade a school of a kind teaches; every other kind teaches up to the 11th.
_LAST_GRADE = {"oosh": 9, "nosh": 4}


class School(models.Model):
    class Kind(models.TextChoices):
        SOSH = "sosh", "Средняя общеобразовательная школа"
        OOSH = "oosh", "Основная общеобразовательная школа"
        NOSH = "nosh", "Начальная общеобразовательная школа"
        GYMNASIUM = "gymnasium", "Гимназия"
        LYCEUM = "lyceum", "Лицей"
        BOARDING = "boarding", "Школа-интернат"
        OTHER = "other", "Другое"

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="schools", verbose_name="район"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
        verbose_name="головная школа",
        help_text="Заполняется только для филиала.",
    )
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200)
    kind = models.CharField("тип", max_length=20, choices=Kind.choices, default=Kind.SOSH)
    inn = models.CharField("ИНН", max_length=10, blank=True, validators=[inn_validator])
    okpo = models.CharField(
        "код по ОКПО",
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{8}(\d{2})?$", "Код ОКПО — 8 или 10 цифр.")],
    )
    director = models.CharField(
        "директор (Фамилия И. О.)",
        max_length=150,
        blank=True,
        help_text="Подписывает акты: «УТВЕРЖДАЮ», акт приёма-передачи.",
    )
    address = models.CharField("адрес", max_length=500, blank=True)
    lat = models.FloatField("широта", null=True, blank=True)
    lon = models.FloatField("долгота", null=True, blank=True)
    phone = models.CharField("телефон", max_length=100, blank=True)
    email = models.EmailField("e-mail", blank=True)
    website = models.URLField("сайт", blank=True)
    is_active = models.BooleanField("действует", default=True)
    stay_in_10th = models.DecimalField(
        "доля девятиклассников, переходящих в 10 класс",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text="От 0 до 1. Пусто — по данным прошлого года, иначе по району.",
    )
    search_text = models.TextField(editable=False, default="")

    objects = SchoolQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"
        ordering = ["short_name"]
        indexes = [models.Index(fields=["district", "is_active", "short_name"])]

    def __str__(self) -> str:
        return self.short_name

    @property
    def kind_short(self) -> str:
        return _KIND_SHORT.get(self.kind, self.get_kind_display())

    @staticmethod
    def last_grade_of(kind: str) -> int:
        """The last grade taught: 4 at a primary school (НОШ), 9 at a basic one (ООШ)."""
        return _LAST_GRADE.get(kind, 11)

    @property
    def last_grade(self) -> int:
        return self.last_grade_of(self.kind)

    @property
    def grades(self) -> range:
        return range(1, self.last_grade + 1)

    def get_absolute_url(self) -> str:
        return reverse("school_detail", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "Школа не может быть филиалом самой себя."})
        parent = School.objects.filter(pk=self.parent_id).first()
        if parent is None:
            return  # the field's own check reports a school that does not exist
        if parent.parent_id is not None:
            raise ValidationError({"parent": "Филиал не может быть головной школой."})
        if self.district_id and parent.district_id != self.district_id:
            raise ValidationError({"parent": "Головная школа должна быть в том же районе."})

    def fill_search_text(self) -> None:
        """The one recipe of the searchable text (also for bulk writes that skip save)."""
        self.search_text = search.normalize(self.short_name, self.full_name, self.address)

    def save(self, *args, **kwargs) -> None:
        self.fill_search_text()
        super().save(*args, **kwargs)
