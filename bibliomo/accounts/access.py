"""Who may do what: the permission rules in one place.

Views, templates (through the ``access`` template library) and the API all ask these
predicates; no view compares ids by hand. The rules (ARCHITECTURE §3):

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
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from bibliomo.accounts.models import Role, User

if TYPE_CHECKING:
    from bibliomo.directory.models import District, School

# Whoever makes the request: a user of the system or an anonymous visitor.
Visitor = User | AnonymousUser


def member(user: Visitor | None) -> User | None:
    """The signed-in, active user behind ``user``; None for an anonymous visitor."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def is_admin(user: Visitor | None) -> bool:
    u = member(user)
    return u is not None and (u.is_superuser or u.role == Role.ADMIN)


def district_id_of(user: Visitor | None) -> int | None:
    u = member(user)
    return u.district_id if u is not None else None


def in_district(user: Visitor | None, district_id: int | None) -> bool:
    """May ``user`` see the members-only data of this district?"""
    u = member(user)
    if district_id is None or u is None:
        return False
    return is_admin(u) or u.district_id == district_id


def _role(user: Visitor | None) -> str | None:
    u = member(user)
    return u.role if u is not None else None


def is_head_of(user: Visitor | None, district_id: int | None) -> bool:
    return in_district(user, district_id) and (is_admin(user) or _role(user) == Role.HEAD)


def is_department_of(user: Visitor | None, district_id: int | None) -> bool:
    return in_district(user, district_id) and _role(user) == Role.DEPARTMENT


def oversees(user: Visitor | None, district_id: int | None) -> bool:
    """Head, department or admin: sees every school's data of the district."""
    return in_district(user, district_id) and (
        is_admin(user) or _role(user) in (Role.HEAD, Role.DEPARTMENT)
    )


def can_manage_directory(user: Visitor | None, district_id: int | None) -> bool:
    return is_head_of(user, district_id)


def can_view_person_contacts(user: Visitor | None, person: User) -> bool:
    return in_district(user, person.district_id)


def can_edit_school_data(user: Visitor | None, school: School) -> bool:
    """Fund, enrolment, orders and the like: the school's own librarian (or admin)."""
    u = member(user)
    if u is None or not in_district(u, school.district_id):
        return False
    if is_admin(u):
        return True
    # The head of the association is a school librarian too and keeps her own school.
    return (
        u.role in (Role.LIBRARIAN, Role.HEAD)
        and u.school_id is not None
        and (u.school_id in (school.pk, school.parent_id))
    )


def can_view_school_data(user: Visitor | None, school: School) -> bool:
    """Non-public data of a school: its librarian and those who oversee the district."""
    return can_edit_school_data(user, school) or oversees(user, school.district_id)


# --- helpers for views ---------------------------------------------------------------


def current_district(user: Visitor | None) -> District | None:
    """The district a person works in; an administrator without one gets the first."""
    from bibliomo.directory.models import District

    u = member(user)
    if u is None:
        return None
    if u.district_id:
        return u.district
    if is_admin(u):
        return District.objects.order_by("pk").first()
    return None


def district_or_404(request: HttpRequest) -> District:
    district = current_district(request.user)
    if district is None:
        raise Http404("Пользователь не привязан к району")
    return district


def school_for(user: Visitor | None, pk: int, *, edit: bool = False) -> School:
    """A school the user may look at (404 outside their district) or edit (403)."""
    from bibliomo.directory.models import School

    school: School = get_object_or_404(School.objects.select_related("district", "parent"), pk=pk)
    if not in_district(user, school.district_id):
        raise Http404("Школа не найдена")
    if edit and not can_edit_school_data(user, school):
        raise PermissionDenied("Изменять данные этой школы может только её библиотекарь.")
    return school


ViewFunc = Callable[..., HttpResponse]


def require(
    predicate: Callable[[Any, int | None], bool],
    *,
    owner: tuple[type[Model], str] | None = None,
) -> Callable[[ViewFunc], ViewFunc]:
    """Decorator: the view's user must satisfy ``predicate(user, district_id)`` for
    their own district; otherwise 403.

    ``owner`` is (model, path to its district id) of the object the URL's ``pk`` names:
    an object of another district is not found (404) before any role is checked, so that
    a page answers strangers as the rest of the site does and tells them nothing."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if owner is not None and kwargs.get("pk") is not None:
                model, path = owner
                found = model._default_manager.filter(pk=kwargs["pk"]).values_list(path, flat=True)
                if not found or not in_district(request.user, found[0]):
                    raise Http404("Не найдено")
            district = current_district(request.user)
            if not predicate(request.user, district.pk if district else None):
                raise PermissionDenied("Недостаточно прав для этого действия.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and attached to a district."""
    return require(in_district)(view)
