"""Who may do what with the district's directory (its schools and its people): one set
of rules for the pages, their templates and the API.

Every member of the district reads the directory; the association's head (or an
administrator) keeps it. An administrator's account is changed only by an administrator,
and nobody switches their own account off.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.accounts.models import User
from bibliomo.directory.models import School


def can_manage(user: Visitor, district_id: int | None) -> bool:
    """Add, change and close the district's schools and people."""
    return access.can_manage_directory(user, district_id)


def can_view_person(user: Visitor, person: User) -> bool:
    return access.can_view_person_contacts(user, person)


def can_edit_person(editor: Visitor, person: User) -> bool:
    if not can_manage(editor, person.district_id):
        return False
    return not person.is_admin or access.is_admin(editor)


def can_toggle_person(editor: Visitor, person: User) -> bool:
    return can_edit_person(editor, person) and editor.pk != person.pk


def check_manage(user: Visitor, district_id: int | None) -> None:
    if not can_manage(user, district_id):
        raise PermissionDenied("Изменять справочник района может руководитель ММО.")


def school_for(user: Visitor, pk: int, *, edit: bool = False) -> School:
    """A school of the user's district (404 for another district's); with ``edit``, one
    the user may change (403 otherwise)."""
    school = access.school_for(user, pk)
    if edit:
        check_manage(user, school.district_id)
    return school


def person_for(user: Visitor, pk: int, *, edit: bool = False) -> User:
    """A person of the user's district (404 for another district's); with ``edit``, one
    the user may change (403 otherwise)."""
    person: User = get_object_or_404(User.objects.select_related("school", "district"), pk=pk)
    if not can_view_person(user, person):
        raise Http404("Человек не найден.")
    if edit:
        check_manage(user, person.district_id)
        if not can_edit_person(user, person):
            raise PermissionDenied(
                "Учётную запись администратора может менять только администратор."
            )
    return person
