"""Who may do what in a stocktake (инвентаризация): one set of rules for the pages, their
templates and the API.

- the head of the association and the department announce a campaign, follow the
  schools' progress and send reminders; the head accepts, returns and closes;
- a school's librarian counts, uploads the sheet and submits her school's stocktake;
  those who oversee the district read it;
- in a blind stocktake the counter does not see the book balance until it is handed in.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.stocktake.models import Campaign, CountLine, Stocktake


def runs_campaigns(user: Visitor, district_id: int | None) -> bool:
    return access.is_head_of(user, district_id) or access.is_department_of(user, district_id)


def accepts(user: Visitor, district_id: int | None) -> bool:
    """Accept or return a school's stocktake, close the campaign: the head."""
    return access.is_head_of(user, district_id)


def can_count(user: Visitor, stocktake: Stocktake) -> bool:
    return access.can_edit_school_data(user, stocktake.school) and stocktake.is_countable


def can_accept(user: Visitor, stocktake: Stocktake) -> bool:
    return (
        accepts(user, stocktake.campaign.district_id)
        and stocktake.status == Stocktake.Status.SUBMITTED
    )


def shows_books(user: Visitor, stocktake: Stocktake) -> bool:
    """In a blind stocktake the counter sees the book balance only once it is handed in."""
    if not stocktake.campaign.is_blind or not stocktake.is_countable:
        return True
    return access.oversees(user, stocktake.campaign.district_id) and not (
        access.can_edit_school_data(user, stocktake.school) and not access.is_admin(user)
    )


def campaign_for(user: Visitor, pk: int) -> Campaign:
    """A campaign's progress across the district: 404 outside it, 403 for a librarian."""
    campaign: Campaign = get_object_or_404(Campaign.objects.select_related("district"), pk=pk)
    if not access.in_district(user, campaign.district_id):
        raise Http404("Инвентаризация не найдена.")
    if not access.oversees(user, campaign.district_id):
        raise PermissionDenied("Ход инвентаризации по району видят руководитель ММО и Управление.")
    return campaign


def check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def stocktake_for(user: Visitor, pk: int, *, edit: bool = False) -> Stocktake:
    """A school's stocktake: 404 outside the district; 403 for another school's (or, with
    ``edit``, for one the user may only read)."""
    stocktake: Stocktake = get_object_or_404(
        Stocktake.objects.select_related("school", "campaign__district", "writeoff", "receipt"),
        pk=pk,
    )
    school = access.school_for(user, stocktake.school_id, edit=edit)
    if not access.can_view_school_data(user, school):
        raise PermissionDenied("Инвентаризацию школы видят её библиотекарь и руководство района.")
    return stocktake


def line_for(user: Visitor, stocktake: Stocktake, pk: int) -> CountLine:
    line: CountLine = get_object_or_404(CountLine, pk=pk, stocktake=stocktake)
    return line
