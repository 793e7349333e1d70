"""Who sees what of the circulation desk: one set of rules for the pages, their templates
and the API. Pupils are minors (152-ФЗ): their names are
seen only by the librarian of their school (and the administrator); the head of the
association and the department see counts, never names."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.circulation.models import Classroom, Loan, Pupil
from bibliomo.directory.models import School


def can_see_pupils(user: Visitor, school: School) -> bool:
    return access.can_edit_school_data(user, school)


def sees_district(user: Visitor, district_id: int | None) -> bool:
    """The district's counts of every school (the head, the department)."""
    return access.oversees(user, district_id)


def can_see_counts(user: Visitor, school: School) -> bool:
    return access.can_view_school_data(user, school)


def school_for_pupils(user: Visitor, pk: int) -> School:
    """The school whose pupils' names the user may see and change (404 / 403 otherwise)."""
    school = access.school_for(user, pk)
    if not can_see_pupils(user, school):
        raise PermissionDenied("Списки учащихся видит только библиотекарь школы.")
    return school


def school_for_counts(user: Visitor, pk: int) -> School:
    school = access.school_for(user, pk)
    if not can_see_counts(user, school):
        raise PermissionDenied(
            "Выдачу учебников школы видят её библиотекарь, руководитель ММО и Управление "
            "образования."
        )
    return school


def classroom_for(user: Visitor, pk: int) -> Classroom:
    """A class with its pupils' names: for the school's librarian (404 outside the
    district, 403 otherwise)."""
    classroom: Classroom = get_object_or_404(
        Classroom.objects.select_related("school", "school__district", "teacher"), pk=pk
    )
    school_for_pupils(user, classroom.school_id)
    return classroom


def loan_for(user: Visitor, pk: int) -> Loan:
    loan: Loan = get_object_or_404(
        Loan.objects.select_related("pupil", "classroom", "entry"), pk=pk
    )
    school_for_pupils(user, loan.school_id)
    return loan


def pupil_for(user: Visitor, school: School, pk: int) -> Pupil:
    """A pupil of a school the caller already may see the names of."""
    pupil: Pupil = get_object_or_404(
        Pupil.objects.select_related("classroom"), pk=pk, school=school
    )
    return pupil


def check_pupils(user: Visitor, school: School, message: str) -> None:
    if not can_see_pupils(user, school):
        raise PermissionDenied(message)
