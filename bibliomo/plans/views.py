from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import uploads, years
from bibliomo.plans import exports, importer, rules, services
from bibliomo.plans import timing as tm
from bibliomo.plans.forms import (
    ExecutionForm,
    ImportForm,
    PlanCreateForm,
    PlanItemForm,
    ReturnForm,
    SectionForm,
    WorkPlanForm,
    YearForm,
)
from bibliomo.plans.models import PlanItem, PlanItemExecution, PlanSection, WorkPlan


def _current_start_year() -> int:
    return years.start_year_for(timezone.localdate())


@access.member_required
def plan_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    plans = WorkPlan.objects.filter(district=district).select_related("year", "approved_by")
    return render(
        request,
        "plans/plan_list.html",
        {
            "district": district,
            "plans": plans.order_by("-year__start_year"),
            "can_manage": rules.can_manage_plans(request.user, district.pk),
            "current_start_year": _current_start_year(),
        },
    )


@access.member_required
def plan_current(request: HttpRequest) -> HttpResponse:
    """The plan of the current academic year, or the list when there is none yet."""
    district = access.district_or_404(request)
    plan = WorkPlan.objects.filter(
        district=district, year__start_year=_current_start_year()
    ).first()
    return redirect(plan or "plan_list")


@access.member_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk)
    document = services.load_document(plan)
    user = request.user
    district_id = plan.district_id
    manage = rules.can_manage_plans(user, district_id)
    recordable = {i.pk for i in document.items if rules.can_record(user, i, district_id)}
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "doc": document,
            "can_edit": rules.can_edit(user, plan),
            "can_manage": manage,
            "can_decide": rules.can_decide(user, district_id),
            "recordable": recordable,
            "return_form": ReturnForm(),
            "copy_form": YearForm(
                around=plan.year.start_year + 1, initial={"start_year": plan.year.start_year + 1}
            ),
        },
    )


@access.require(rules.can_manage_plans)
def plan_create(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    current = _current_start_year()
    form = PlanCreateForm(
        request.POST or None,
        around=current,
        initial={
            "start_year": current,
            "title": f"План деятельности ММО на {current}-{current + 1} учебный год",
        },
    )
    if request.method == "POST" and form.is_valid():
        year = AcademicYear.open(form.cleaned_data["start_year"])
        if WorkPlan.objects.filter(district=district, year=year).exists():
            form.add_error("start_year", f"План на {year.label('acc')} уже есть.")
        else:
            plan = form.save(commit=False)
            plan.district, plan.year = district, year
            plan.save()
            messages.success(request, f"Создан {plan}.")
            return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None})


@access.member_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk, edit=True)
    form = WorkPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Заголовок, тема, цель и задачи сохранены.")
        return redirect(plan)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan})


@require_POST
@access.require(rules.can_manage_plans, owner=(WorkPlan, "district_id"))
def plan_copy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk)
    form = YearForm(request.POST, around=plan.year.start_year + 1)
    if not form.is_valid():
        messages.error(request, "Выберите учебный год.")
        return redirect(plan)
    try:
        copy = services.copy_plan(
            plan, AcademicYear.open(form.cleaned_data["start_year"]), request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(plan)
    messages.success(request, f"План скопирован: {copy} (черновик).")
    stale = PlanItem.objects.filter(section__plan=copy).exclude(review_note="").count()
    if stale:
        messages.warning(
            request,
            ngettext(
                "%(count)s пункт называет даты прошлого года — он отмечен для проверки.",
                "%(count)s пункта называют даты прошлого года — они отмечены для проверки.",
                stale,
            )
            % {"count": stale},
        )
    return redirect(copy)


ACTIONS = {
    "submit": (rules.can_manage_plans, "План направлен на утверждение."),
    "approve": (rules.can_decide, "План утверждён."),
    "return": (rules.can_decide, "План возвращён на доработку."),
    "reopen": (rules.can_decide, "План открыт для изменений."),
}


@require_POST
@access.member_required
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = rules.plan_for(request.user, pk)
    if action not in ACTIONS:
        raise Http404("Нет такого действия")
    allowed, done = ACTIONS[action]
    if not allowed(request.user, plan.district_id):
        raise PermissionDenied("Недостаточно прав для этого действия.")
    try:
        if action == "submit":
            services.submit(plan, request.user)
        elif action == "approve":
            services.approve(plan, request.user)
        elif action == "reopen":
            services.reopen(plan, request.user)
        else:
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Напишите, что нужно исправить.")
            services.return_for_revision(plan, request.user, form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(plan)


# --- sections and items -----------------------------------------------------------------


def _next_order(queryset) -> int:
    return (queryset.aggregate(m=Max("order"))["m"] or 0) + 1


@access.member_required
def section_form(request: HttpRequest, plan_pk: int | None = None, pk: int | None = None):
    if pk:
        section = rules.section_for(request.user, pk, edit=True)
        plan = section.plan
    else:
        plan = rules.plan_for(request.user, plan_pk, edit=True)
        section = PlanSection(plan=plan, order=_next_order(plan.sections))
    form = SectionForm(request.POST or None, instance=section)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Раздел «{saved.heading}» сохранён.")
        return redirect(f"{plan.get_absolute_url()}#section-{saved.pk}")
    return render(
        request, "plans/section_form.html", {"form": form, "plan": plan, "section": section}
    )


@access.member_required
def item_form(request: HttpRequest, section_pk: int | None = None, pk: int | None = None):
    if pk:
        item = rules.item_for(request.user, pk, edit=True)
        section = item.section
    else:
        section = rules.section_for(request.user, section_pk, edit=True)
        parent = None
        if request.GET.get("parent") or request.POST.get("parent"):
            parent_pk = request.GET.get("parent") or request.POST.get("parent")
            parent = get_object_or_404(PlanItem, pk=parent_pk, section=section, parent=None)
        siblings = section.items.filter(parent=parent)
        item = PlanItem(
            section=section,
            parent=parent,
            order=_next_order(siblings),
            number=str(siblings.count() + 1),
        )
    plan = section.plan
    form = PlanItemForm(
        request.POST or None,
        instance=item,
        district=plan.district,
        is_subitem=item.parent_id is not None,
    )
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Пункт {saved.number} сохранён.")
        return redirect(f"{plan.get_absolute_url()}#section-{section.pk}")
    return render(
        request,
        "plans/item_form.html",
        {"form": form, "plan": plan, "section": section, "item": item},
    )


KINDS = ("section", "item")


def _editable_object(request: HttpRequest, kind: str, pk: int) -> PlanSection | PlanItem:
    if kind == "section":
        return rules.section_for(request.user, pk, edit=True)
    if kind == "item":
        return rules.item_for(request.user, pk, edit=True)
    raise Http404("Нет такого объекта")


@require_POST
@access.member_required
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = _editable_object(request, kind, pk)
    if isinstance(obj, PlanSection):
        plan = obj.plan
        executions = PlanItemExecution.objects.filter(item__section=obj)
    else:
        plan = obj.section.plan
        executions = PlanItemExecution.objects.filter(item__in=[obj, *obj.children.all()])
    if executions.exists():
        messages.error(request, "Есть отметки о выполнении — удалить нельзя.")
        return redirect(plan)
    obj.delete()
    messages.success(request, "Удалено.")
    return redirect(plan)


@require_POST
@access.member_required
def move(request: HttpRequest, kind: str, pk: int, direction: str) -> HttpResponse:
    """Swap with the neighbour above or below (orders are renumbered 1…n first)."""
    if direction not in ("up", "down"):
        raise Http404("Нет такого направления")
    obj = _editable_object(request, kind, pk)
    if isinstance(obj, PlanSection):
        plan, siblings, anchor = obj.plan, obj.plan.sections.all(), obj.pk
    else:
        plan, anchor = obj.section.plan, obj.section_id
        siblings = obj.section.items.filter(parent_id=obj.parent_id)
    with transaction.atomic():
        ordered = list(siblings.order_by("order", "pk"))
        index = next(i for i, o in enumerate(ordered) if o.pk == obj.pk)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(ordered):
            ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, sibling in enumerate(ordered, start=1):
            if sibling.order != position:
                sibling.order = position
                sibling.save(update_fields=["order"])
    return redirect(f"{plan.get_absolute_url()}#section-{anchor}")


# --- execution ----------------------------------------------------------------------------


# The item's own columns whose changes the history lists by name.
HISTORY_FIELDS = [
    "number", "content", "subitems_title", "responsible", "timing_kind", "month_from",
    "month_to", "date", "place", "expected_result", "indicator", "order",
]  # fmt: skip


@access.member_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = rules.item_for(request.user, pk)
    plan = item.section.plan
    may_record = rules.can_record(request.user, item, plan.district_id)
    form = None
    if may_record:
        form = ExecutionForm(
            request.POST or None,
            request.FILES or None,
            item=item,
            initial={"date": timezone.localdate(), "status": "done"},
        )
        if request.method == "POST" and form.is_valid():
            record = form.save(commit=False)
            record.item = item
            record.created_by = request.user
            record.save()
            messages.success(
                request, f"Пункт {item.number}: отмечено «{record.get_status_display()}»."
            )
            return redirect(f"{plan.get_absolute_url()}#section-{item.section_id}")
    elif request.method == "POST":
        raise PermissionDenied("Отмечать выполнение может руководитель ММО или ответственный.")
    executions = item.executions.select_related("created_by", "source_type").prefetch_related(
        "source"
    )
    records = list(item.history.select_related("history_user").order_by("-history_date")[:51])
    history = []
    for record, older in zip(records[:50], [*records[1:], None], strict=False):
        changed = []
        if older is not None and record.history_type == "~":
            delta = record.diff_against(older, included_fields=HISTORY_FIELDS)
            changed = [str(PlanItem._meta.get_field(c.field).verbose_name) for c in delta.changes]
        history.append({"record": record, "changed": changed})
    return render(
        request,
        "plans/item_detail.html",
        {
            "item": item,
            "plan": plan,
            "form": form,
            "executions": executions,
            "history": history,
            "people": item.responsible_people.all(),
            "can_edit": rules.can_edit(request.user, plan),
        },
    )


@access.member_required
def execution_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = rules.execution_for(request.user, pk)
    return uploads.serve(record.evidence_file)


# --- calendar, files ------------------------------------------------------------------


@access.member_required
def plan_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk)
    document = services.load_document(plan)
    start = plan.year.start_year
    months = [dt.date(start if m >= 9 else start + 1, m, 1) for m in tm.ACADEMIC_MONTHS]
    by_month: dict[dt.date, list] = {m: [] for m in months}
    whole_year, on_request = [], []
    for section in document.sections:
        for row in section.rows:
            kind = row.item.timing_kind
            if kind == tm.YEAR:
                whole_year.append(row)
            elif kind == tm.ON_REQUEST:
                on_request.append(row)
            for first in tm.month_dates(row.item.timing, start):
                by_month[first].append(row)
    today = timezone.localdate().replace(day=1)
    return render(
        request,
        "plans/plan_calendar.html",
        {
            "plan": plan,
            "months": [
                {
                    "date": m,
                    "name": tm.MONTH_NAMES[m.month - 1],
                    "rows": by_month[m],
                    "current": m == today,
                }
                for m in months
            ],
            "whole_year": whole_year,
            "on_request": on_request,
        },
    )


@access.member_required
def plan_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    plan = rules.plan_for(request.user, pk)
    if fmt not in exports.FORMATS:
        raise Http404("Нет такого формата")
    return exports.response(services.load_document(plan), fmt)


@access.require(rules.can_manage_plans)
def plan_import(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    current = _current_start_year()
    form = ImportForm(
        request.POST or None, request.FILES or None, around=current,
        initial={"start_year": current},
    )  # fmt: skip
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        year = AcademicYear.open(form.cleaned_data["start_year"])
        try:
            plan = importer.import_docx(form.cleaned_data["file"], district, year, request.user)
        except importer.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(request, f"План загружен: {plan} (черновик).")
            return redirect(plan)
    return render(request, "plans/plan_import.html", {"form": form, "errors": errors})


def dashboard_context(request: HttpRequest, district) -> dict:
    """The dashboard's «Что запланировано на этот месяц» (current year's plan)."""
    today = timezone.localdate()
    plan = (
        WorkPlan.objects.filter(district=district, year__start_year=years.start_year_for(today))
        .select_related("year")
        .first()
    )
    return {
        "month_plan": plan,
        "month_name": tm.MONTH_NAMES[today.month - 1],
        "month_items": services.month_items(plan, today) if plan else [],
        "plans_url": reverse("plan_list"),
    }
