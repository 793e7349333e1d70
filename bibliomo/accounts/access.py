"""Who may do what: the permission rules in one place.

Views, templates (through the ``access`` template library) and the API all ask these
predicates; no view compares ids by hand. The rules (DESIGN §1):

- an administrator acts everywhere;
- everyone else belongs to one district and sees only its data;
- ``head`` manages the district's directory and its association work;
- ``department`` reads everything of the district and approves;
- a librarian edits only their own school's data (and its branches').
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from bibliomo.accounts.models import Role, User

if TYPE_CHECKING:
    from bibliomo.directory.models import District, School


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_admin(user: Any) -> bool:
    return _authenticated(user) and (user.is_superuser or user.role == Role.ADMIN)


def district_id_of(user: Any) -> int | None:
    if not _authenticated(user):
        return None
    return user.district_id


def in_district(user: Any, district_id: int | None) -> bool:
    """May ``user`` see the members-only data of this district?"""
    if district_id is None or not _authenticated(user):
        return False
    return is_admin(user) or user.district_id == district_id


def is_head_of(user: Any, district_id: int | None) -> bool:
    return in_district(user, district_id) and (is_admin(user) or user.role == Role.HEAD)


def is_department_of(user: Any, district_id: int | None) -> bool:
    return in_district(user, district_id) and user.role == Role.DEPARTMENT


def oversees(user: Any, district_id: int | None) -> bool:
    """Head, department or admin: sees every school's data of the district."""
    return in_district(user, district_id) and (
        is_admin(user) or user.role in (Role.HEAD, Role.DEPARTMENT)
    )


def can_manage_directory(user: Any, district_id: int | None) -> bool:
    return is_head_of(user, district_id)


def can_view_person_contacts(user: Any, person: User) -> bool:
    return in_district(user, person.district_id)


def can_edit_school_data(user: Any, school: School) -> bool:
    """Fund, enrolment, orders and the like: the school's own librarian (or admin)."""
    if not in_district(user, school.district_id):
        return False
    if is_admin(user):
        return True
    # The head of the association is a school librarian too and keeps her own school.
    return (
        user.role in (Role.LIBRARIAN, Role.HEAD)
        and user.school_id is not None
        and (user.school_id in (school.pk, school.parent_id))
    )


def can_view_school_data(user: Any, school: School) -> bool:
    """Non-public data of a school: its librarian and those who oversee the district."""
    return can_edit_school_data(user, school) or oversees(user, school.district_id)


# --- helpers for views ---------------------------------------------------------------


def current_district(user: Any) -> District | None:
    """The district a person works in; an administrator without one gets the first."""
    from bibliomo.directory.models import District

    if not _authenticated(user):
        return None
    if user.district_id:
        return user.district
    if is_admin(user):
        return District.objects.order_by("pk").first()
    return None


def district_or_404(request: HttpRequest) -> District:
    district = current_district(request.user)
    if district is None:
        raise Http404("Пользователь не привязан к району")
    return district


def school_for(user: Any, pk: int, *, edit: bool = False) -> School:
    """A school the user may look at (404 outside their district) or edit (403)."""
    from bibliomo.directory.models import School

    school = get_object_or_404(School.objects.select_related("district", "parent"), pk=pk)
    if not in_district(user, school.district_id):
        raise Http404("Школа не найдена")
    if edit and not can_edit_school_data(user, school):
        raise PermissionDenied("Изменять данные этой школы может только её библиотекарь.")
    return school


def require(predicate: Callable[[Any, int | None], bool]) -> Callable:
    """Decorator: the view's user must satisfy ``predicate(user, district_id)`` for
    their own district; otherwise 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            district = current_district(request.user)
            if not predicate(request.user, district.pk if district else None):
                raise PermissionDenied("Недостаточно прав для этого действия.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and attached to a district."""
    return require(in_district)(view)
