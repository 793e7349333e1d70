"""Who may do what with plans, built on the shared predicates of ``accounts.access``.

Everyone of the district reads the plan; ``head`` writes it while it is a draft or
returned; ``department`` approves, returns or reopens; ``head`` and the people linked as
responsible for an item record its execution.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.plans.models import PlanItem, PlanItemExecution, PlanSection, WorkPlan


def can_manage_plans(user: Visitor, district_id: int | None) -> bool:
    return access.is_head_of(user, district_id)


def can_edit(user: Visitor, plan: WorkPlan) -> bool:
    return plan.is_editable and can_manage_plans(user, plan.district_id)


def can_decide(user: Visitor, district_id: int | None) -> bool:
    """Approve, return or reopen: the education department (or an administrator)."""
    return access.is_department_of(user, district_id) or (
        access.is_admin(user) and access.in_district(user, district_id)
    )


def can_record(user: Visitor, item: PlanItem, district_id: int) -> bool:
    if can_manage_plans(user, district_id):
        return True
    return access.in_district(user, district_id) and any(
        p.pk == user.pk for p in item.responsible_people.all()
    )


def plan_for(user: Visitor, pk: int, *, edit: bool = False) -> WorkPlan:
    plan = get_object_or_404(WorkPlan.objects.select_related("district", "year"), pk=pk)
    if not access.in_district(user, plan.district_id):
        raise Http404("План не найден")
    if edit:
        check_edit(user, plan)
    return plan


def check_edit(user: Visitor, plan: WorkPlan) -> None:
    if not can_manage_plans(user, plan.district_id):
        raise PermissionDenied("Изменять план может руководитель ММО.")
    if not plan.is_editable:
        raise PermissionDenied(
            "План утверждён или ждёт утверждения: изменить его можно после возврата "
            "или повторного открытия."
        )


def section_for(user: Visitor, pk: int, *, edit: bool = False) -> PlanSection:
    section = get_object_or_404(
        PlanSection.objects.select_related("plan", "plan__district", "plan__year"), pk=pk
    )
    if not access.in_district(user, section.plan.district_id):
        raise Http404("Раздел не найден")
    if edit:
        check_edit(user, section.plan)
    return section


def item_for(user: Visitor, pk: int, *, edit: bool = False) -> PlanItem:
    item: PlanItem = get_object_or_404(
        PlanItem.objects.select_related(
            "section", "section__plan", "section__plan__district", "section__plan__year", "parent"
        ),
        pk=pk,
    )
    if not access.in_district(user, item.section.plan.district_id):
        raise Http404("Пункт плана не найден")
    if edit:
        check_edit(user, item.section.plan)
    return item


def execution_for(user: Visitor, pk: int) -> PlanItemExecution:
    """An execution record (and its evidence file), read by everyone of the district."""
    record: PlanItemExecution = get_object_or_404(
        PlanItemExecution.objects.select_related("item__section__plan"), pk=pk
    )
    if not access.in_district(user, record.item.section.plan.district_id):
        raise Http404("Запись об исполнении не найдена")
    return record
