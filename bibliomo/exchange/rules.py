"""Who may do what in the district's exchange fund: one set of rules for the pages, their
templates and the API.

- a school's librarian adjusts her school's offer and asks another school for copies;
- a transfer is seen by its two schools and by those who oversee the district; its
  steps (``actions``) follow its status: the giver agrees, declines, ships and marks the
  return, the taker receives, either side (or the head) cancels and closes;
- the redistribution plan is read by the head and the department and computed, edited
  and turned into transfers by the head.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.directory.models import School
from bibliomo.exchange.models import ExchangePlan, PlanLine, Transfer

S = Transfer.Status
STEPS = ("agree", "decline", "cancel", "ship", "receive", "return", "close")


def can_read_plans(user: Visitor, district_id: int | None) -> bool:
    return access.oversees(user, district_id)


def can_compute_plan(user: Visitor, district_id: int | None) -> bool:
    return access.is_head_of(user, district_id)


def can_edit_plan(user: Visitor, plan: ExchangePlan) -> bool:
    """Change its lines or turn it into transfers: the head, while it is a draft."""
    return can_compute_plan(user, plan.district_id)


def can_request(user: Visitor) -> bool:
    """Ask another school for copies: the librarian of a school."""
    u = access.member(user)
    return u is not None and u.school is not None and access.can_edit_school_data(u, u.school)


def can_view(user: Visitor, t: Transfer) -> bool:
    return access.oversees(user, t.district_id) or any(
        access.can_edit_school_data(user, s) for s in (t.giver, t.taker)
    )


def visible(user: Visitor, district_id: int) -> QuerySet[Transfer]:
    """The district's transfers ``user`` may see: all for those who oversee the district,
    otherwise those of the user's school (and its branches)."""
    qs = Transfer.objects.filter(district_id=district_id)
    if access.oversees(user, district_id):
        return qs
    u = access.member(user)
    if u is None or u.school_id is None:
        return qs.none()
    mine = School.objects.filter(Q(pk=u.school_id) | Q(parent_id=u.school_id))
    return qs.filter(Q(giver__in=mine) | Q(taker__in=mine))


def actions(user: Visitor, t: Transfer) -> list[str]:
    """The steps ``user`` may take on ``t`` now (the page's buttons)."""
    giver = access.can_edit_school_data(user, t.giver)
    taker = access.can_edit_school_data(user, t.taker)
    head = access.is_head_of(user, t.district_id)
    result = []
    if t.status == S.PROPOSED and giver:
        result += ["agree", "decline"]
    if t.status in (S.PROPOSED, S.AGREED) and (taker or head or giver):
        result.append("cancel")
    if t.status == S.AGREED and giver:
        result.append("ship")
    if t.status == S.SHIPPED and taker:
        result.append("receive")
    if t.status == S.RECEIVED and t.kind == Transfer.Kind.TEMPORARY and giver:
        result.append("return")
    if (
        (t.status == S.RECEIVED and t.kind == Transfer.Kind.PERMANENT) or t.status == S.RETURNED
    ) and (giver or taker or head):
        result.append("close")
    return result


# --- fetching -------------------------------------------------------------------------


def adjustable_school(user: Visitor, pk: int) -> School:
    """The school whose offer the user adjusts: 404 outside the district, 403 otherwise."""
    return access.school_for(user, pk, edit=True)


def requesting_school(user: Visitor) -> School:
    """The user's own school, which asks for copies (403 for anyone without one)."""
    u = access.member(user)
    if u is None or u.school_id is None:
        raise PermissionDenied("Запросить учебники может библиотекарь школы.")
    return access.school_for(u, u.school_id, edit=True)


def check_plans(user: Visitor, district_id: int | None) -> None:
    if not can_read_plans(user, district_id):
        raise PermissionDenied("План перераспределения ведёт руководитель ММО.")


def check_compute(user: Visitor, district_id: int | None) -> None:
    if not can_compute_plan(user, district_id):
        raise PermissionDenied("Рассчитывает план руководитель ММО.")


def plan_for(user: Visitor, pk: int, *, edit: bool = False) -> ExchangePlan:
    plan: ExchangePlan = get_object_or_404(
        ExchangePlan.objects.select_related("district", "year"), pk=pk
    )
    if not access.in_district(user, plan.district_id):
        raise Http404("План не найден.")
    check_plans(user, plan.district_id)
    if edit and not can_edit_plan(user, plan):
        raise PermissionDenied("Изменять план может руководитель ММО.")
    return plan


def plan_line_for(user: Visitor, plan: ExchangePlan, pk: int) -> PlanLine:
    line: PlanLine = get_object_or_404(PlanLine, pk=pk, plan=plan)
    return line


def transfer_for(user: Visitor, pk: int) -> Transfer:
    """A transfer the user may see: 404 outside the district, 403 for other schools'."""
    t: Transfer = get_object_or_404(
        Transfer.objects.select_related(
            "giver", "taker", "district", "plan", "writeoff", "receipt"
        ),
        pk=pk,
    )
    if not access.in_district(user, t.district_id):
        raise Http404("Передача не найдена.")
    if not can_view(user, t):
        raise PermissionDenied("Передачу видят школы-участницы и руководство района.")
    return t


def step_for(user: Visitor, pk: int, action: str) -> Transfer:
    """The transfer on which the user takes ``action`` now (404 for an unknown step, 403
    for one the user may not take)."""
    t = transfer_for(user, pk)
    if action not in STEPS:
        raise Http404("Нет такого действия.")
    if action not in actions(user, t):
        raise PermissionDenied("Это действие с передачей вам сейчас недоступно.")
    return t
