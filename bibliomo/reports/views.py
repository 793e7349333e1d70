"""The year-end analysis pages: the list of years, the generated document with the
head's conclusions, its DOCX and PDF, and carrying the tasks into the next plan."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import years
from bibliomo.plans.models import WorkPlan
from bibliomo.reports import builder, documents, rules, services
from bibliomo.reports.forms import ConclusionForm, NoteForm


def _start_year(start_year: int) -> int:
    """A year the system knows; any other answers the plain «no such year» page."""
    return years.parse(str(start_year), AcademicYear.objects.known(), start_year)


@access.member_required
def analysis_list(request: HttpRequest) -> HttpResponse:
    district = rules.district_for(request.user)
    current = years.start_year_for(timezone.localdate())
    plan_years = set(
        WorkPlan.objects.filter(district=district).values_list("year__start_year", flat=True)
    )
    choices = sorted(plan_years | {current, current - 1}, reverse=True)
    written = set(district.year_analyses.values_list("year__start_year", flat=True))
    return render(
        request,
        "reports/analysis_list.html",
        {"choices": [(y, y in plan_years, y in written) for y in choices]},
    )


@access.member_required
def analysis_detail(request: HttpRequest, start_year: int) -> HttpResponse:
    district = rules.district_for(request.user)
    start_year = _start_year(start_year)
    analysis = builder.build(district, start_year)
    stored = services.analysis_for(district, start_year)
    notes = services.notes_of(stored)
    can_edit = rules.can_edit(request.user, district.pk)
    if request.method == "POST":
        rules.district_for(request.user, edit=True)
        forms = {s.key: NoteForm(request.POST, prefix=s.key) for s in analysis.sections}
        general = ConclusionForm(request.POST)
        if all(f.is_valid() for f in forms.values()) and general.is_valid():
            services.save_notes(
                district,
                start_year,
                {
                    k: (f.cleaned_data["conclusions"], f.cleaned_data["tasks"])
                    for k, f in forms.items()
                },
                general.cleaned_data["conclusion"],
                request.user,
            )
            messages.success(request, "Выводы сохранены.")
            return redirect("analysis_detail", start_year)
    else:
        forms = {
            s.key: NoteForm(
                prefix=s.key,
                initial={
                    "conclusions": notes[s.key].conclusions if s.key in notes else "",
                    "tasks": notes[s.key].tasks if s.key in notes else "",
                },
            )
            for s in analysis.sections
        }
        general = ConclusionForm(initial={"conclusion": stored.conclusion if stored else ""})
    sections = [(s, forms[s.key], notes.get(s.key)) for s in analysis.sections]
    return render(
        request,
        "reports/analysis_detail.html",
        {
            "analysis": analysis,
            "stored": stored,
            "sections": sections,
            "general": general,
            "can_edit": can_edit,
            "next_year": start_year + 1,
        },
    )


def _head_name(district) -> str:
    head = User.objects.filter(district=district, role=Role.HEAD, is_active=True).first()
    return head.short_name if head else ""


@access.member_required
def analysis_file(request: HttpRequest, start_year: int, fmt: str) -> HttpResponse:
    if fmt not in ("docx", "pdf"):
        raise Http404("Нет такого формата")
    district = rules.district_for(request.user)
    start_year = _start_year(start_year)
    analysis = builder.build(district, start_year)
    stored = services.analysis_for(district, start_year)
    data = documents.build_docx(
        analysis,
        services.notes_of(stored),
        stored.conclusion if stored else "",
        _head_name(district),
    )
    return documents.response(analysis, data, fmt)


@require_POST
@access.member_required
def analysis_carry(request: HttpRequest, start_year: int) -> HttpResponse:
    district = rules.district_for(request.user, edit=True)
    stored = services.analysis_for(district, _start_year(start_year))
    if stored is None:
        messages.error(request, "Сначала запишите задачи на следующий год и сохраните выводы.")
        return redirect("analysis_detail", start_year)
    try:
        plan, added = services.carry_tasks(stored, request.user)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return redirect("analysis_detail", start_year)
    messages.success(
        request,
        f"В план на {years.label(start_year + 1, 'acc')} добавлено: "
        f"{builder.n(added, 'задача', 'задачи')}.",
    )
    return redirect(plan.get_absolute_url())
