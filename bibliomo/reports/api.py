"""API of the year-end analysis: the generated sections with their summaries, tables and
figures, and the head's notes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.accounts import access
from bibliomo.lib import apihelpers
from bibliomo.reports import builder, services

router = Router(tags=["Анализ работы ММО"])


class TableOut(Schema):
    caption: str
    header: list[str]
    rows: list[list[str]]


class SectionOut(Schema):
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
    start_year: int
    conclusion: str
    sections: list[SectionOut]


@router.get("/analysis/{start_year}", response=AnalysisOut)
def analysis(request: HttpRequest, start_year: int):
    district = apihelpers.district(request)
    if not access.oversees(request.user, district.pk):
        raise HttpError(403, "Анализ работы видят руководитель ММО и Управление.")
    if not 2000 <= start_year <= 2100:
        raise HttpError(404, "Неверный год.")
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
