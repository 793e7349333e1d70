"""The association's year-end analysis: generated from stored records each time it is
opened; only what the head writes — conclusions and next year's tasks per section — is
stored here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class YearAnalysis(models.Model):
    district = models.ForeignKey(
        "directory.District",
        on_delete=models.CASCADE,
        related_name="year_analyses",
        verbose_name="район",
    )
    year = models.ForeignKey(
        "directory.AcademicYear",
        on_delete=models.PROTECT,
        related_name="year_analyses",
        verbose_name="учебный год",
    )
    conclusion = models.TextField("общие выводы", blank=True)
    tasks_carried_at = models.DateTimeField("задачи перенесены в план", null=True, blank=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="изменил",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "анализ работы ММО"
        verbose_name_plural = "анализы работы ММО"
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="analysis_unique_year")
        ]

    def __str__(self) -> str:
        return f"Анализ работы ММО за {self.year.label('acc')}"

    def get_absolute_url(self) -> str:
        return reverse("analysis_detail", args=[self.year.start_year])


class SectionNote(models.Model):
    """The head's conclusions and next year's tasks for one section of the analysis."""

    analysis = models.ForeignKey(
        YearAnalysis, on_delete=models.CASCADE, related_name="notes", verbose_name="анализ"
    )
    key = models.CharField("раздел", max_length=30)
    conclusions = models.TextField("выводы", blank=True)
    tasks = models.TextField(
        "задачи на следующий год", blank=True, help_text="Каждая задача — с новой строки."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "выводы по разделу"
        verbose_name_plural = "выводы по разделам"
        constraints = [
            models.UniqueConstraint(fields=["analysis", "key"], name="section_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.analysis}: {self.key}"

    @property
    def task_list(self) -> list[str]:
        return [line.strip(" -–•\t") for line in self.tasks.splitlines() if line.strip(" -–•\t")]
