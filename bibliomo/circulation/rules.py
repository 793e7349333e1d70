"""Who sees what of the circulation desk. Pupils are minors (152-ФЗ): their names are
seen only by the librarian of their school (and the administrator); the head of the
association and the department see counts, never names."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from bibliomo.accounts import access
from bibliomo.directory.models import School


def can_see_pupils(user: Any, school: School) -> bool:
    return access.can_edit_school_data(user, school)


def can_see_counts(user: Any, school: School) -> bool:
    return access.can_view_school_data(user, school)


def school_for_pupils(user: Any, pk: int) -> School:
    """The school whose pupils' names the user may see and change (404 / 403 otherwise)."""
    school = access.school_for(user, pk)
    if not can_see_pupils(user, school):
        raise PermissionDenied("Списки учащихся видит только библиотекарь школы.")
    return school


def school_for_counts(user: Any, pk: int) -> School:
    school = access.school_for(user, pk)
    if not can_see_counts(user, school):
        raise PermissionDenied(
            "Выдачу учебников школы видят её библиотекарь, руководитель ММО и Управление "
            "образования."
        )
    return school
