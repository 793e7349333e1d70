"""The Federal list of textbooks (ФПУ) and each school's curriculum (перечень учебников)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import AcademicYear, School
from bibliomo.lib import search

GRADE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(11)]


class FederalListEdition(models.Model):
    """One order of the ministry that (re)published the list, e.g. «Приказ № 858 от 21.09.2022»."""

    title = models.CharField("приказ", max_length=300, unique=True)
    order_date = models.DateField("дата приказа", null=True, blank=True)
    imported_at = models.DateTimeField("загружен", auto_now_add=True)
    entry_count = models.PositiveIntegerField("учебников в редакции", default=0)

    class Meta:
        verbose_name = "редакция федерального перечня"
        verbose_name_plural = "редакции федерального перечня"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.title


def number_key(number: str) -> str:
    """«2.1.2.4.2.5.1.» and «2.1.2.4.2.5.1» are the same entry: publishers add a dot."""
    return number.strip().rstrip(".").replace(" ", "")


class EntryQuerySet(models.QuerySet):
    def search(self, query: str):
        return search.filter_words(self, query)


class FederalListEntry(models.Model):
    class Status(models.TextChoices):
        INCLUDED = "included", "в перечне"
        EXCLUDED = "excluded", "исключён"

    class Level(models.TextChoices):
        BASIC = "basic", "базовый"
        ADVANCED = "advanced", "углублённый"

    class Kind(models.TextChoices):
        # The КСУ and ОО-1 (lines 02 and 03) count these two apart.
        TEXTBOOK = "textbook", "учебник"
        STUDY_AID = "study_aid", "учебное пособие"

    number = models.CharField("порядковый номер", max_length=40)
    key = models.CharField("ключ номера", max_length=40, unique=True, editable=False)
    subject = models.CharField("предмет", max_length=200, blank=True)
    title = models.CharField("наименование", max_length=500)
    authors = models.CharField("автор / авторский коллектив", max_length=500, blank=True)
    grades = models.CharField("класс", max_length=20, help_text="Класс или диапазон: 5, 10-11")
    grade_from = models.PositiveSmallIntegerField("с класса", null=True, blank=True)
    grade_to = models.PositiveSmallIntegerField("по класс", null=True, blank=True)
    publisher = models.CharField("издатель", max_length=300, blank=True)
    level = models.CharField("уровень", max_length=10, choices=Level.choices, default=Level.BASIC)
    parts = models.PositiveSmallIntegerField("частей в комплекте", default=1)
    kind = models.CharField(
        "вид издания", max_length=10, choices=Kind.choices, default=Kind.TEXTBOOK
    )
    is_unified = models.BooleanField(
        "ЕГУ",
        default=False,
        help_text="Единый государственный учебник (мониторинг, формы 2.1 и 2.2).",
    )
    isbn = models.CharField("ISBN", max_length=200, blank=True)
    price = models.DecimalField(
        "цена, руб.", max_digits=10, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        "статус", max_length=10, choices=Status.choices, default=Status.INCLUDED
    )
    excluded_by = models.CharField("исключён приказом", max_length=300, blank=True)
    use_until = models.DateField(
        "предельный срок использования",
        null=True,
        blank=True,
        help_text="Как указано в приказе; не вычисляется.",
    )
    edition = models.ForeignKey(
        FederalListEdition,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name="последняя редакция с этим учебником",
        null=True,
        blank=True,
    )
    search_text = models.TextField(editable=False, default="")

    objects = EntryQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = "учебник федерального перечня"
        verbose_name_plural = "учебники федерального перечня"
        ordering = ["key"]
        indexes = [models.Index(fields=["status", "key"])]

    def __str__(self) -> str:
        return f"{self.number} {self.citation}"

    @property
    def citation(self) -> str:
        """«Авторы. Название, 5 кл.» — without a doubled dot after «и др.»."""
        authors = self.authors.strip()
        if authors and not authors.endswith("."):
            authors += "."
        return f"{authors} {self.title}, {self.grades} кл.".strip()

    @property
    def short_title(self) -> str:
        return f"{self.title} ({self.grades} кл.)"

    def fill_search_text(self) -> None:
        """The one recipe of the searchable text (also for bulk writes that skip save)."""
        self.search_text = search.normalize(
            self.number, self.title, self.authors, self.publisher, self.subject
        )

    def save(self, *args, **kwargs) -> None:
        self.key = number_key(self.number)
        self.fill_search_text()
        super().save(*args, **kwargs)


class Curriculum(models.Model):
    """Перечень учебников школы: which entry a grade uses for a subject in a year."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="curriculum", verbose_name="школа"
    )
    # to_field: the column holds the start year itself (2021), readable without a join.
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    grade = models.PositiveSmallIntegerField("класс", validators=GRADE_VALIDATORS)
    subject = models.CharField("предмет", max_length=200)
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    copies_per_student = models.PositiveSmallIntegerField(
        "экземпляров на ученика",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Учебник из нескольких частей считается одним комплектом.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "учебник в перечне школы"
        verbose_name_plural = "перечень учебников школы"
        ordering = ["grade", "subject"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "grade", "subject", "entry"],
                name="curriculum_unique_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grade} кл., {self.subject}: {self.entry.short_title}"
