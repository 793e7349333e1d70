"""Who may do what with the association's events: one set of rules for the pages, their
templates and the API.

Everyone of the district sees the events and signs up for them; ``head`` creates and
edits them, their agenda and minutes and marks who came; the head and the education
department see who signed up and read the minutes before they are published.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.events.models import AgendaItem, Event, Minutes


def can_manage(user: Visitor, district_id: int | None) -> bool:
    """Create and edit events, their agenda and minutes, mark attendance."""
    return access.is_head_of(user, district_id)


def can_see_registrations(user: Visitor, event: Event) -> bool:
    return access.oversees(user, event.district_id)


def can_read_minutes(user: Visitor, minutes: Minutes, event: Event) -> bool:
    return minutes.is_published or access.oversees(user, event.district_id)


def actions(user: Visitor, event: Event) -> dict[str, bool]:
    """What the event's page shows (``{% if can.manage %}``)."""
    return {
        "manage": can_manage(user, event.district_id),
        "registrations": can_see_registrations(user, event),
    }


def event_for(user: Visitor, pk: int) -> Event:
    """An event of the user's district (404 otherwise)."""
    event: Event = get_object_or_404(
        Event.objects.select_related("district", "plan_item__section__plan__year"), pk=pk
    )
    if not access.in_district(user, event.district_id):
        raise Http404("Мероприятие не найдено.")
    return event


def managed_event_for(user: Visitor, pk: int) -> Event:
    event = event_for(user, pk)
    if not can_manage(user, event.district_id):
        raise PermissionDenied("Это может сделать руководитель ММО.")
    return event


def registrations_of(user: Visitor, pk: int) -> Event:
    """The event whose participants the user may see (404 outside the district, 403)."""
    event = event_for(user, pk)
    if not can_see_registrations(user, event):
        raise PermissionDenied("Список участников видят руководитель ММО и Управление образования.")
    return event


def agenda_item_for(user: Visitor, event: Event, pk: int) -> AgendaItem:
    item: AgendaItem = get_object_or_404(AgendaItem, pk=pk, event=event)
    return item


def minutes_for(user: Visitor, event: Event) -> Minutes:
    """The event's minutes: 404 if none, 403 while unpublished for all but the overseers."""
    minutes: Minutes | None = (
        Minutes.objects.select_related("chair", "secretary", "event__district")
        .filter(event=event)
        .first()
    )
    if minutes is None:
        raise Http404("Протокол не найден.")
    if not can_read_minutes(user, minutes, event):
        raise PermissionDenied("Протокол ещё не опубликован.")
    return minutes
