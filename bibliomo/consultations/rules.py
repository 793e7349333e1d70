"""Who may do what with a consultation: one set of rules for the pages, their templates
and the API.

A librarian sees her own questions; the head of the association and the education
department see all of the district's. The head takes a new question into work and
publishes answered ones; the head or the author writes in the thread and closes it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.models import User
from bibliomo.consultations.models import Consultation

Status = Consultation.Status


def sees_all(user: User, district_id: int | None) -> bool:
    """The district's questions and their figures, not only one's own."""
    return access.oversees(user, district_id)


def can_record(user: User, district_id: int | None) -> bool:
    """Enter a question asked by phone or at a meeting, on the librarian's behalf."""
    return access.is_head_of(user, district_id)


def visible(user: User, district_id: int) -> QuerySet[Consultation]:
    """The district's questions the user may list: all of them or her own."""
    rows = Consultation.objects.filter(district_id=district_id)
    return rows if sees_all(user, district_id) else rows.filter(author=user)


def can_view(user: User, c: Consultation) -> bool:
    return access.oversees(user, c.district_id) or (
        access.in_district(user, c.district_id) and c.author_id == user.pk
    )


def is_party(user: User, c: Consultation) -> bool:
    """The head of the association or the author: the two sides of the thread."""
    return access.is_head_of(user, c.district_id) or c.author_id == user.pk


def answers(user: User, c: Consultation) -> bool:
    """The head answers the question; the author adds to it."""
    return access.is_head_of(user, c.district_id)


def can_write(user: User, c: Consultation) -> bool:
    return is_party(user, c) and c.status != Status.CLOSED


def can_take(user: User, c: Consultation) -> bool:
    return access.is_head_of(user, c.district_id) and c.status == Status.NEW


def can_close(user: User, c: Consultation) -> bool:
    return is_party(user, c) and c.status != Status.CLOSED


def can_publish(user: User, c: Consultation) -> bool:
    return access.is_head_of(user, c.district_id)


def actions(user: User, c: Consultation) -> dict[str, bool]:
    """What the page shows as buttons (``{% if can.take %}``)."""
    return {
        "write": can_write(user, c),
        "take": can_take(user, c),
        "close": can_close(user, c),
        "publish": can_publish(user, c) and c.answered_at is not None,
    }


def consultation_for(user: User, pk: int) -> Consultation:
    """The consultation, if ``user`` may read it: 404 outside the district, 403 for
    another librarian's question."""
    consultation: Consultation = get_object_or_404(
        Consultation.objects.select_related("author", "school", "district"), pk=pk
    )
    if not access.in_district(user, consultation.district_id):
        raise Http404("Консультация не найдена.")
    if not can_view(user, consultation):
        raise PermissionDenied("Это вопрос другого библиотекаря.")
    return consultation


def check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
