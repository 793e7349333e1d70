"""Who may do what with the library statistics and the records of professional
development: one set of rules for the pages, their templates and the API.

A school's report is read by its librarian and by those who oversee the district, and
filled in by the school's own librarian until it is submitted; the overseers return a
report for correction and see the district's tables. A librarian's qualification and
courses are read by herself and the overseers, changed by herself and the head.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.accounts.models import User
from bibliomo.directory.models import School
from bibliomo.stats.models import Course, LibraryReport


def can_view_report(user: Visitor, school: School) -> bool:
    return access.can_view_school_data(user, school)


def can_edit_report(user: Visitor, school: School, report: LibraryReport) -> bool:
    # A submitted report is the district's figure: it is changed only after a return.
    return access.can_edit_school_data(user, school) and not report.is_submitted


def can_reopen(user: Visitor, school: School, report: LibraryReport) -> bool:
    return report.pk is not None and access.oversees(user, school.district_id)


def can_see_district(user: Visitor, district_id: int | None) -> bool:
    """The district's tables and charts (of statistics and of training)."""
    return access.oversees(user, district_id)


def can_view_training(user: Visitor, person: User) -> bool:
    return user.pk == person.pk or access.oversees(user, person.district_id)


def can_edit_training(user: Visitor, person: User) -> bool:
    return user.pk == person.pk or access.is_head_of(user, person.district_id)


def school_for(user: Visitor, pk: int, *, edit: bool = False) -> School:
    """A school whose report the user may read (or, with ``edit``, fill in): 404 outside
    the district, 403 for another school's report."""
    school = access.school_for(user, pk, edit=edit)
    if not can_view_report(user, school):
        raise PermissionDenied("Статистику школы видят её библиотекарь и руководители района.")
    return school


def person_for(user: Visitor, pk: int, *, edit: bool = False) -> User:
    """A librarian whose training record the user may read (or, with ``edit``, change):
    404 outside the district, 403 otherwise."""
    person: User = get_object_or_404(User.objects.select_related("school"), pk=pk)
    if not access.in_district(user, person.district_id):
        raise Http404("Человек не найден.")
    if edit and not can_edit_training(user, person):
        raise PermissionDenied("Изменять эти сведения может сам библиотекарь или руководитель.")
    if not can_view_training(user, person):
        raise PermissionDenied("Сведения о квалификации видят сам библиотекарь и руководители.")
    return person


def course_for(user: Visitor, pk: int) -> Course:
    """A course of a librarian whose record the user may read (404, 403 as ``person_for``)."""
    course: Course = get_object_or_404(Course.objects.select_related("person"), pk=pk)
    course.person = person_for(user, course.person_id)
    return course


def check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
