"""Who may do what with a school's textbook fund: one set of rules for the pages, their
templates and the API.

A school's fund data (stock, curriculum, enrolment, documents, reports) is read by its
librarian and by those who oversee the district (the head, the department); only the
school's own librarian (or an administrator) changes it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.directory.models import School
from bibliomo.fund.models import Document, DocumentLine
from bibliomo.textbooks.models import Curriculum


def can_view(user: Visitor, school: School) -> bool:
    return access.can_view_school_data(user, school)


def can_edit(user: Visitor, school: School) -> bool:
    return access.can_edit_school_data(user, school)


def can_change_document(user: Visitor, doc: Document) -> bool:
    """Add or delete lines, delete the draft: a draft, by the school's librarian."""
    return can_edit(user, doc.school) and not doc.is_posted


def sees_district(user: Visitor, district_id: int | None) -> bool:
    """Every school's fund and provision, and the district's defaults for the forecast."""
    return access.oversees(user, district_id)


def can_print_act(doc: Document) -> bool:
    # A reversal undoes a posting; it is not a write-off and prints no act.
    return not doc.is_receipt and not doc.reverses_id


def school_for(user: Visitor, pk: int, *, edit: bool = False) -> School:
    """A school whose fund the user may read (or, with ``edit``, change): 404 outside the
    district, 403 for another school's data."""
    school = access.school_for(user, pk, edit=edit)
    if not can_view(user, school):
        raise PermissionDenied(
            "Данные фонда школы видит её библиотекарь, руководитель ММО и Управление образования."
        )
    return school


def check_edit(user: Visitor, school: School, message: str) -> None:
    if not can_edit(user, school):
        raise PermissionDenied(message)


def document_for(user: Visitor, pk: int, *, edit: bool = False) -> Document:
    doc: Document = get_object_or_404(
        Document.objects.select_related("school", "posted_by", "counterparty", "reverses"), pk=pk
    )
    school_for(user, doc.school_id, edit=edit)
    return doc


def line_for(user: Visitor, doc: Document, pk: int) -> DocumentLine:
    line: DocumentLine = get_object_or_404(DocumentLine, pk=pk, document=doc)
    return line


def curriculum_row_for(user: Visitor, school: School, pk: int) -> Curriculum:
    row: Curriculum = get_object_or_404(Curriculum, pk=pk, school=school)
    return row
