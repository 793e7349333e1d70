"""Plans in the API: read for members of the district, write for ``head`` while the plan
is editable, execution records for ``head`` and the item's responsible people."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.accounts import access
from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear
from bibliomo.plans import rules, services
from bibliomo.plans import timing as tm
from bibliomo.plans.models import ExecutionStatus, PlanItem, PlanSection, WorkPlan

router = Router(tags=["План работы ММО"])


class PlanOut(Schema):
    id: int
    district_id: int
    start_year: int
    year_label: str
    title: str
    theme: str
    goal: str
    tasks: list[str]
    status: str
    return_comment: str
    approved_by_id: int | None
    approved_on: dt.date | None

    @staticmethod
    def resolve_start_year(obj: WorkPlan) -> int:
        return obj.year.start_year

    @staticmethod
    def resolve_year_label(obj: WorkPlan) -> str:
        return obj.year.label()

    @staticmethod
    def resolve_tasks(obj: WorkPlan) -> list[str]:
        return obj.task_list


class ItemOut(Schema):
    id: int
    section_id: int
    parent_id: int | None
    order: int
    number: str
    content: str
    subitems_title: str
    responsible: str
    responsible_people: list[int]
    timing_kind: str
    month_from: int | None
    month_to: int | None
    date: dt.date | None
    timing_text: str
    place: str
    expected_result: str
    indicator: str
    latest_status: str | None = None

    @staticmethod
    def resolve_responsible_people(obj: PlanItem) -> list[int]:
        return [p.pk for p in obj.responsible_people.all()]


class SectionOut(Schema):
    id: int
    order: int
    number: str
    title: str
    layout: str
    items: list[ItemOut]


class PlanDetailOut(PlanOut):
    sections: list[SectionOut]

    @staticmethod
    def resolve_sections(obj: WorkPlan) -> list[dict]:
        return obj.loaded_sections


class PlanIn(Schema):
    start_year: int
    title: str
    theme: str = ""
    goal: str = ""
    tasks: list[str] = []


class PlanPatch(Schema):
    title: str | None = None
    theme: str | None = None
    goal: str | None = None
    tasks: list[str] | None = None


class ActionIn(Schema):
    comment: str = ""


class SectionIn(Schema):
    number: str = ""
    title: str
    layout: str = PlanSection.Layout.FULL


class ItemIn(Schema):
    section_id: int
    parent_id: int | None = None
    number: str = ""
    content: str
    subitems_title: str = ""
    responsible: str = ""
    responsible_people: list[int] = []
    timing_kind: str = tm.NONE
    month_from: int | None = None
    month_to: int | None = None
    date: dt.date | None = None
    place: str = ""
    expected_result: str = ""
    indicator: str = ""


class ItemPatch(Schema):
    number: str | None = None
    content: str | None = None
    subitems_title: str | None = None
    responsible: str | None = None
    responsible_people: list[int] | None = None
    timing_kind: str | None = None
    month_from: int | None = None
    month_to: int | None = None
    date: dt.date | None = None
    place: str | None = None
    expected_result: str | None = None
    indicator: str | None = None
    order: int | None = None


class ExecutionIn(Schema):
    date: dt.date
    status: str = ExecutionStatus.DONE
    note: str = ""
    indicator_value: int | None = None
    evidence_url: str = ""


class ExecutionOut(Schema):
    id: int
    item_id: int
    date: dt.date
    status: str
    note: str
    indicator_value: int | None
    evidence_url: str
    source_type: str | None
    source_id: int | None
    created_by_id: int | None

    @staticmethod
    def resolve_source_type(obj) -> str | None:
        return f"{obj.source_type.app_label}.{obj.source_type.model}" if obj.source_type else None


def _fetch(lookup, request: HttpRequest, pk: int, edit: bool, missing: str):
    """The page rules' lookups, with their 404/403 turned into API errors."""
    try:
        return lookup(request.user, pk, edit=edit)
    except Http404:
        raise HttpError(404, missing) from None
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from None


def _plan(request: HttpRequest, plan_id: int, *, edit: bool = False) -> WorkPlan:
    return _fetch(rules.plan_for, request, plan_id, edit, "План не найден.")


def _item(request: HttpRequest, item_id: int, *, edit: bool = False) -> PlanItem:
    return _fetch(rules.item_for, request, item_id, edit, "Пункт плана не найден.")


def _validate(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HttpError(422, detail) from exc


def _people(plan: WorkPlan, ids: list[int]) -> list[User]:
    people = list(User.objects.filter(pk__in=ids, district_id=plan.district_id))
    if len(people) != len(set(ids)):
        raise HttpError(422, "responsible_people: есть люди не из этого района.")
    return people


@router.get("/plans", response=list[PlanOut], summary="Планы работы ММО района")
def list_plans(request: HttpRequest):
    district = access.current_district(request.user)
    if district is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    return WorkPlan.objects.filter(district=district).select_related("year")


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="План с разделами и пунктами")
def get_plan(request: HttpRequest, plan_id: int):
    plan = _plan(request, plan_id)
    sections = []
    for view in services.load_document(plan).sections:
        items = []
        for row in view.rows:
            row.item.latest_status = row.latest.status if row.latest else None
            items += [row.item, *row.children]
        section = view.section
        sections.append(
            {
                "id": section.pk,
                "order": section.order,
                "number": section.number,
                "title": section.title,
                "layout": section.layout,
                "items": items,
            }
        )
    plan.loaded_sections = sections
    return plan


@router.post("/plans", response={201: PlanOut}, summary="Создать план (черновик)")
def create_plan(request: HttpRequest, payload: PlanIn):
    district = access.current_district(request.user)
    if district is None or not rules.can_manage_plans(request.user, district.pk):
        raise HttpError(403, "Создавать план может руководитель ММО.")
    year = AcademicYear.open(payload.start_year)
    if WorkPlan.objects.filter(district=district, year=year).exists():
        raise HttpError(409, f"План на {year.label('acc')} уже есть.")
    plan = WorkPlan(
        district=district,
        year=year,
        title=payload.title,
        theme=payload.theme,
        goal=payload.goal,
        tasks="\n".join(payload.tasks),
    )
    _validate(plan)
    plan.save()
    return 201, plan


@router.patch(
    "/plans/{plan_id}", response=PlanOut, summary="Изменить заголовок, тему, цель, задачи"
)
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch):
    plan = _plan(request, plan_id, edit=True)
    data = payload.dict(exclude_unset=True)
    if "tasks" in data:
        data["tasks"] = "\n".join(data["tasks"] or [])
    for field, value in data.items():
        setattr(plan, field, value)
    _validate(plan)
    plan.save()
    return plan


_ACTIONS = {
    "submit": (rules.can_manage_plans, lambda plan, user, comment: services.submit(plan, user)),
    "approve": (rules.can_decide, lambda plan, user, comment: services.approve(plan, user)),
    "return": (rules.can_decide, services.return_for_revision),
    "reopen": (rules.can_decide, lambda plan, user, comment: services.reopen(plan, user)),
}


@router.post(
    "/plans/{plan_id}/actions/{action}",
    response=PlanOut,
    summary="Ход утверждения: submit, approve, return (с comment), reopen",
)
def plan_action(request: HttpRequest, plan_id: int, action: str, payload: ActionIn):
    plan = _plan(request, plan_id)
    if action not in _ACTIONS:
        raise HttpError(404, "Нет такого действия.")
    allowed, perform = _ACTIONS[action]
    if not allowed(request.user, plan.district_id):
        raise HttpError(403, "Недостаточно прав для этого действия.")
    try:
        perform(plan, request.user, payload.comment)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return plan


@router.get("/plans/{plan_id}/items", response=list[ItemOut], summary="Пункты плана")
def list_items(request: HttpRequest, plan_id: int, indicator: str = ""):
    plan = _plan(request, plan_id)
    items = PlanItem.objects.filter(section__plan=plan).prefetch_related("responsible_people")
    if indicator:
        items = items.filter(indicator=indicator)
    return items.order_by("section__order", "section__pk", "order", "pk")


@router.post("/plans/{plan_id}/sections", response={201: SectionOut}, summary="Добавить раздел")
def create_section(request: HttpRequest, plan_id: int, payload: SectionIn):
    plan = _plan(request, plan_id, edit=True)
    section = PlanSection(plan=plan, order=plan.sections.count(), **payload.dict())
    _validate(section)
    section.save()
    return 201, {**payload.dict(), "id": section.pk, "order": section.order, "items": []}


@router.post("/plans/{plan_id}/items", response={201: ItemOut}, summary="Добавить пункт")
def create_item(request: HttpRequest, plan_id: int, payload: ItemIn):
    plan = _plan(request, plan_id, edit=True)
    data = payload.dict()
    people = _people(plan, data.pop("responsible_people"))
    if not plan.sections.filter(pk=data["section_id"]).exists():
        raise HttpError(422, "section_id: раздел не из этого плана.")
    item = PlanItem(**data)
    item.order = PlanItem.objects.filter(
        section_id=item.section_id, parent_id=item.parent_id
    ).count()
    _validate(item)
    item.save()
    item.responsible_people.set(people)
    return 201, item


@router.patch("/plan-items/{item_id}", response=ItemOut, summary="Изменить пункт")
def update_item(request: HttpRequest, item_id: int, payload: ItemPatch):
    item = _item(request, item_id, edit=True)
    data = payload.dict(exclude_unset=True)
    people = data.pop("responsible_people", None)
    for field, value in data.items():
        setattr(item, field, value)
    _validate(item)
    item.save()
    if people is not None:
        item.responsible_people.set(_people(item.section.plan, people))
    return item


@router.delete("/plan-items/{item_id}", response={204: None}, summary="Удалить пункт")
def delete_item(request: HttpRequest, item_id: int):
    item = _item(request, item_id, edit=True)
    if item.executions.exists():
        raise HttpError(409, "У пункта есть отметки о выполнении — его нельзя удалить.")
    item.delete()
    return 204, None


@router.get(
    "/plan-items/{item_id}/executions", response=list[ExecutionOut], summary="Отметки пункта"
)
def list_executions(request: HttpRequest, item_id: int):
    return _item(request, item_id).executions.select_related("source_type")


@router.post(
    "/plan-items/{item_id}/executions",
    response={201: ExecutionOut},
    summary="Отметить выполнение пункта",
)
def create_execution(request: HttpRequest, item_id: int, payload: ExecutionIn):
    item = _item(request, item_id)
    if not rules.can_record(request.user, item, item.section.plan.district_id):
        raise HttpError(403, "Отмечать выполнение может руководитель ММО или ответственный.")
    try:
        record = services.record_execution(item, user=request.user, **payload.dict())
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return 201, record
