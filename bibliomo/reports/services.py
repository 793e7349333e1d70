"""Storing what the head writes in the analysis and carrying next year's tasks into the
next plan's draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District
from bibliomo.lib import history, years
from bibliomo.plans.models import WorkPlan
from bibliomo.plans.services import copy_plan
from bibliomo.reports.models import SectionNote, YearAnalysis


def analysis_for(district: District, start_year: int) -> YearAnalysis | None:
    return (
        YearAnalysis.objects.filter(district=district, year__start_year=start_year)
        .prefetch_related("notes")
        .first()
    )


def notes_of(analysis: YearAnalysis | None) -> dict[str, SectionNote]:
    return {note.key: note for note in analysis.notes.all()} if analysis else {}


@transaction.atomic
def save_notes(
    district: District,
    start_year: int,
    notes: dict[str, tuple[str, str]],
    conclusion: str,
    user: User | None = None,
) -> YearAnalysis:
    """notes: {section key: (conclusions, tasks)}."""
    analysis, _ = YearAnalysis.objects.get_or_create(
        district=district, year=AcademicYear.open(start_year)
    )
    analysis.conclusion = conclusion
    analysis.updated_by = user if getattr(user, "pk", None) else None
    history.record_by(analysis, user)
    analysis.save()
    existing = notes_of(analysis)
    for key, (conclusions, tasks) in notes.items():
        note = existing.get(key) or SectionNote(analysis=analysis, key=key)
        if note.pk is None and not conclusions.strip() and not tasks.strip():
            continue
        note.conclusions, note.tasks = conclusions, tasks
        history.record_by(note, user)
        note.save()
    return analysis


def all_tasks(analysis: YearAnalysis) -> list[str]:
    seen: list[str] = []
    for note in analysis.notes.order_by("pk"):
        for task in note.task_list:
            if task not in seen:
                seen.append(task)
    return seen


@transaction.atomic
def carry_tasks(analysis: YearAnalysis, user: User | None = None) -> tuple[WorkPlan, int]:
    """Next year's tasks go into the next year's plan: added to its draft, or — when there
    is no plan yet — into a draft copied from this year's plan. Returns the plan and how
    many tasks were added."""
    tasks = all_tasks(analysis)
    if not tasks:
        raise ValidationError("В анализе не записано ни одной задачи на следующий год.")
    start = analysis.year.start_year
    next_year = AcademicYear.open(start + 1)
    plan = WorkPlan.objects.filter(district=analysis.district, year=next_year).first()
    if plan is None:
        current = WorkPlan.objects.filter(
            district=analysis.district, year__start_year=start
        ).first()
        if current is not None:
            plan = copy_plan(current, next_year, user)
            plan.tasks = ""
        else:
            plan = WorkPlan(
                district=analysis.district,
                year=next_year,
                title=f"План работы ММО на {years.label(start + 1, 'acc')}",
            )
    elif not plan.is_editable:
        raise ValidationError(
            f"План на {next_year.label('acc')} уже утверждён или на утверждении: "
            "верните его в черновик, чтобы добавить задачи."
        )
    present = plan.task_list
    added = [t for t in tasks if t not in present]
    plan.tasks = "\n".join(present + added)
    history.record_by(plan, user)
    plan.save()
    analysis.tasks_carried_at = timezone.now()
    history.record_by(analysis, user)
    analysis.save(update_fields=["tasks_carried_at", "updated_at"])
    return plan, len(added)
