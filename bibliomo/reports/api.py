"""API of the year-end analysis: the generated sections with their summaries, tables and
figures, and the head's notes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.directory.models import AcademicYear
from bibliomo.lib import apihelpers, years
from bibliomo.reports import builder, rules, services

router = Router(tags=["Анализ работы ММО"])


class TableOut(Schema):
    caption: str
    header: list[str]
    rows: list[list[str]]


class AnalysisSectionOut(Schema):
    key: str
    title: str
    available: bool
    summary: list[str]
    figures: dict[str, float | int | None]
    tables: list[TableOut]
    conclusions: str
    tasks: list[str]


class AnalysisOut(Schema):
    title: str
    start_year: apihelpers.Year
    conclusion: str
    sections: list[AnalysisSectionOut]


@router.get("/analysis/{start_year}", response=AnalysisOut)
def analysis(request: HttpRequest, start_year: apihelpers.Year):
    district = rules.district_for(request.user)
    years.parse(str(start_year), AcademicYear.objects.known(), start_year)
    built = builder.build(district, start_year)
    stored = services.analysis_for(district, start_year)
    notes = services.notes_of(stored)
    return {
        "title": built.title,
        "start_year": start_year,
        "conclusion": stored.conclusion if stored else "",
        "sections": [
            {
                "key": s.key,
                "title": s.title,
                "available": s.available,
                "summary": s.summary,
                "figures": s.figures,
                "tables": [
                    {"caption": t.caption, "header": t.header, "rows": t.rows} for t in s.tables
                ],
                "conclusions": notes[s.key].conclusions if s.key in notes else "",
                "tasks": notes[s.key].task_list if s.key in notes else [],
            }
            for s in built.sections
        ],
    }


class NoteIn(Schema):
    conclusions: str = ""
    tasks: list[str] = []


class NotesIn(Schema):
    conclusion: str = ""
    sections: dict[str, NoteIn] = {}


class CarryOut(Schema):
    plan_id: int
    added: int
    tasks: list[str]


def _head_district(request: HttpRequest, start_year: apihelpers.Year):
    district = rules.district_for(request.user, edit=True)
    years.parse(str(start_year), AcademicYear.objects.known(), start_year)
    return district


@router.put("/analysis/{start_year}/notes", response=AnalysisOut)
def put_notes(request: HttpRequest, start_year: apihelpers.Year, payload: NotesIn):
    """The head's conclusions and next year's tasks, per section key."""
    district = _head_district(request, start_year)
    keys = {s.key for s in builder.build(district, start_year).sections}
    unknown = set(payload.sections) - keys
    if unknown:
        raise HttpError(422, f"Нет таких разделов: {', '.join(sorted(unknown))}.")
    services.save_notes(
        district,
        start_year,
        {k: (n.conclusions, "\n".join(n.tasks)) for k, n in payload.sections.items()},
        payload.conclusion,
        request.user,
    )
    return analysis(request, start_year)


@router.post("/analysis/{start_year}/carry", response=CarryOut)
def carry(request: HttpRequest, start_year: apihelpers.Year):
    """Next year's tasks into the next year's plan draft."""
    district = _head_district(request, start_year)
    stored = services.analysis_for(district, start_year)
    if stored is None:
        raise HttpError(409, "В анализе ещё нет задач на следующий год.")
    try:
        plan, added = services.carry_tasks(stored, request.user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return {"plan_id": plan.pk, "added": added, "tasks": plan.task_list}
