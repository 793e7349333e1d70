"""Textbooks in the pupils' hands: classes of a school year, pupils and loans.

A loan (выдача) is one entry × copies handed to a pupil, a teacher or a classroom
(кабинетный фонд). Issued copies stay on the school's balance: the balance of an entry is
«на полке + выдано», so the fund's ledger does not move when a book is issued or
returned; only a loss settled by an act (write-off «утрата», perhaps with a receipt
«взамен утерянных») posts fund documents. Pupils are minors: their names are seen only by
their school's librarian (:func:`bibliomo.circulation.rules.can_see_pupils`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund.models import Document
from bibliomo.textbooks.models import FederalListEntry

# The day textbooks are due back, in the calendar year the academic year ends (check:
# schools set their own; the class keeps its date and the librarian may change it).
RETURN_BY = (6, 15)


def default_return_by(start_year: int) -> dt.date:
    return dt.date(start_year + 1, *RETURN_BY)


class Classroom(models.Model):
    """«5 А» of one school in one academic year."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="classrooms", verbose_name="школа"
    )
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    grade = models.PositiveSmallIntegerField(
        "параллель", validators=[MinValueValidator(1), MaxValueValidator(11)]
    )
    letter = models.CharField("литера", max_length=5, blank=True)
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="классный руководитель (из списка)",
    )
    teacher_name = models.CharField(
        "или ФИО классного руководителя",
        max_length=200,
        blank=True,
        help_text="Фамилия, имя, отчество, если учителя нет в списке людей системы.",
    )
    size = models.PositiveSmallIntegerField(
        "учащихся по списку",
        null=True,
        blank=True,
        help_text="Если список учеников ещё не загружен.",
    )
    return_by = models.DateField("срок сдачи учебников", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "класс"
        verbose_name_plural = "классы"
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "grade", "letter"], name="classroom_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.grade} {self.letter}".strip()

    @property
    def teacher_label(self) -> str:
        if self.teacher_id:
            return self.teacher.get_full_name()
        return self.teacher_name

    def get_absolute_url(self) -> str:
        return reverse("circulation_class", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.letter = self.letter.strip().upper()
        if self.return_by is None:
            self.return_by = default_return_by(self.year_id)
        super().save(*args, **kwargs)


class Pupil(models.Model):
    """A pupil: the minimum a library needs (152-ФЗ) — name, class, optional number."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="pupils", verbose_name="школа"
    )
    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pupils",
        verbose_name="класс",
    )
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    number = models.CharField(
        "личный номер", max_length=30, blank=True, help_text="Номер личного дела или билета."
    )
    left_on = models.DateField("выбыл", null=True, blank=True)

    # No history table: a minor's name should not outlive its record (152-ФЗ).

    class Meta:
        verbose_name = "учащийся"
        verbose_name_plural = "учащиеся"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [models.Index(fields=["school", "classroom"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.last_name} {self.first_name}".strip()


class Loan(models.Model):
    """Copies of one entry handed out, and how they came back."""

    class Kind(models.TextChoices):
        PUPIL = "pupil", "учащемуся"
        TEACHER = "teacher", "учителю"
        CABINET = "cabinet", "в кабинет"

    class Status(models.TextChoices):
        ISSUED = "issued", "на руках"
        RETURNED = "returned", "сдан"
        LOST = "lost", "утерян, ждёт акта"
        SETTLED = "settled", "утрата оформлена"
        CANCELLED = "cancelled", "не взял"

    class Condition(models.TextChoices):
        GOOD = "good", "хорошее"
        WORN = "worn", "изношен"
        DAMAGED = "damaged", "испорчен"
        LOST = "lost", "утерян"

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="loans", verbose_name="школа"
    )
    year = models.ForeignKey(
        AcademicYear,
        to_field="start_year",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="учебный год",
    )
    entry = models.ForeignKey(
        FederalListEntry, on_delete=models.PROTECT, related_name="+", verbose_name="учебник"
    )
    copies = models.PositiveSmallIntegerField("экземпляров", default=1)
    kind = models.CharField("кому", max_length=10, choices=Kind.choices, default=Kind.PUPIL)
    pupil = models.ForeignKey(
        Pupil,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name="учащийся",
    )
    # The class at the time of issue: the pupil may move on, the record stays with it.
    classroom = models.ForeignKey(
        Classroom,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="loans",
        verbose_name="класс",
    )
    holder = models.CharField(
        "учитель или кабинет", max_length=200, blank=True, help_text="Для выдачи не учащемуся."
    )
    status = models.CharField(
        "состояние", max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    condition = models.CharField("при сдаче", max_length=10, choices=Condition.choices, blank=True)
    issued_on = models.DateField("выдан")
    due_on = models.DateField("вернуть до")
    returned_on = models.DateField("сдан", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="выдал",
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="принял",
    )
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="акт списания утраты",
    )

    class Meta:
        verbose_name = "выдача учебника"
        verbose_name_plural = "выдача учебников"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["school", "status", "entry"]),
            models.Index(fields=["classroom", "status"]),
            models.Index(fields=["school", "year", "status"]),
            # Whether a class got its set this year (the home page's to-do list): without
            # it SQLite's planner walks every loan of the year once per class.
            models.Index(fields=["classroom", "year"]),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(copies__gt=0), name="loan_copies")]

    def __str__(self) -> str:
        return f"{self.entry.short_title}: {self.copies} экз. ({self.get_status_display()})"

    @property
    def holder_label(self) -> str:
        if self.pupil_id:
            return self.pupil.name
        return self.holder or self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.ISSUED

    def is_overdue(self, today: dt.date) -> bool:
        return self.is_open and self.due_on < today


# Loans whose copies are off the shelf: in someone's hands, or lost and not yet written off.
OUT_OF_SHELF = (Loan.Status.ISSUED, Loan.Status.LOST)
