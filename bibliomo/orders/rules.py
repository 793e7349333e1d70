"""Who may do what in an order campaign: one set of rules for the pages, their templates
and the API.

- everyone of the district sees the list of campaigns; a librarian opens their school's
  order, edits it while it is a draft or returned, submits it and records deliveries;
- ``head`` and ``department`` open campaigns, follow the schools' progress, send
  reminders, load price lists, get the consolidated order and the monitoring forms;
- ``department`` (or an administrator) approves or returns submitted orders; ``head``
  or ``department`` gives an order back to the school or allows it after the deadline.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.orders.models import OrderCampaign, SchoolOrder


def runs_campaigns(user: Visitor, district_id: int | None) -> bool:
    return access.is_head_of(user, district_id) or access.is_department_of(user, district_id)


def sees_all_orders(user: Visitor, district_id: int | None) -> bool:
    """Every school's order of the district and the consolidated figures."""
    return access.oversees(user, district_id)


def visible_orders(user: Visitor, campaign: OrderCampaign) -> QuerySet[SchoolOrder]:
    """A campaign's orders the user may list: all of them, or her school's and its
    branches'."""
    orders = campaign.orders.all()
    if sees_all_orders(user, campaign.district_id):
        return orders
    school_id = getattr(user, "school_id", None)
    return orders.filter(Q(school_id=school_id) | Q(school__parent_id=school_id))


def approves(user: Visitor, district_id: int | None) -> bool:
    return access.is_department_of(user, district_id) or (
        access.is_admin(user) and access.in_district(user, district_id)
    )


def can_edit(user: Visitor, order: SchoolOrder) -> bool:
    return access.can_edit_school_data(user, order.school) and order.is_editable


def can_submit(user: Visitor, order: SchoolOrder) -> bool:
    return can_edit(user, order) and order.may_submit_now()


def can_approve(user: Visitor, order: SchoolOrder) -> bool:
    """Approve or return: a submitted order, by the education department."""
    return (
        approves(user, order.campaign.district_id) and order.status == SchoolOrder.Status.SUBMITTED
    )


def can_reopen(user: Visitor, order: SchoolOrder) -> bool:
    """Head (or the department) may give an order back to the school or allow it late."""
    campaign = order.campaign
    return (
        (access.is_head_of(user, campaign.district_id) or approves(user, campaign.district_id))
        and campaign.is_open
        and (campaign.deadline_passed or order.status != SchoolOrder.Status.DRAFT)
        and not (order.reopened and order.status == SchoolOrder.Status.RETURNED)
    )


def can_ask_reopen(user: Visitor, order: SchoolOrder) -> bool:
    """The school asks to change a submitted or approved order (once at a time)."""
    return (
        access.can_edit_school_data(user, order.school)
        and order.campaign.is_open
        and order.status in (SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED)
        and not order.reopen_request
    )


def can_receive(user: Visitor, order: SchoolOrder) -> bool:
    return (
        access.can_edit_school_data(user, order.school)
        and order.status == SchoolOrder.Status.APPROVED
    )


def campaign_for(user: Visitor, pk: int, *, consolidated: bool = True) -> OrderCampaign:
    """A campaign of the user's district (404 otherwise). Its consolidated figures
    (``consolidated=True``) are for those who oversee the district (403 otherwise)."""
    campaign = get_object_or_404(
        OrderCampaign.objects.select_related("district", "target_year"), pk=pk
    )
    if not access.in_district(user, campaign.district_id):
        raise Http404("Кампания не найдена.")
    if consolidated and not sees_all_orders(user, campaign.district_id):
        raise PermissionDenied("Сводные данные кампании видят руководитель ММО и Управление.")
    return campaign


def order_for(user: Visitor, pk: int, *, edit: bool = False) -> SchoolOrder:
    """A school's order: 404 outside the district; 403 for another school's order (or, with
    ``edit``, for one the user may only read)."""
    order = get_object_or_404(
        SchoolOrder.objects.select_related("school", "campaign__district", "campaign__target_year"),
        pk=pk,
    )
    school = access.school_for(user, order.school_id, edit=edit)
    if not access.can_view_school_data(user, school):
        raise PermissionDenied("Заказ школы видят её библиотекарь, руководитель ММО и Управление.")
    return order
