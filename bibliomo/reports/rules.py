"""Who may do what with the year-end analysis: one set of rules for the pages, their
templates and the API.

The analysis is the district's own: the head of the association and the education
department read it; the head writes the conclusions and carries the tasks into the
next year's plan.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.directory.models import District


def can_view(user: Visitor, district_id: int | None) -> bool:
    return access.oversees(user, district_id)


def can_edit(user: Visitor, district_id: int | None) -> bool:
    """Write the conclusions and carry the tasks into the next plan."""
    return access.is_head_of(user, district_id)


def district_for(user: Visitor, *, edit: bool = False) -> District:
    """The district whose analysis the user may read (or, with ``edit``, write): 404 for
    an account attached to none, 403 for a librarian (or, with ``edit``, the department).

    An analysis is found by its district and year, never by an id, so another district's
    is out of reach by construction."""
    district = access.current_district(user)
    if district is None:
        raise Http404("Пользователь не привязан к району.")
    if edit and not can_edit(user, district.pk):
        raise PermissionDenied("Выводы пишет руководитель ММО.")
    if not can_view(user, district.pk):
        raise PermissionDenied("Анализ работы видят руководитель ММО и Управление.")
    return district
