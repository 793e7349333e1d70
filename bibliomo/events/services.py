"""Operations on events that span models or do I/O: registration with a waiting list,
attendance, reminders with .ics, the iCal feed, minutes and participant exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.events.models import AgendaItem, Event, Registration
from bibliomo.lib import history, tables
from bibliomo.outbox.services import Attachment, queue_mail, render_mail

Status = Registration.Status


# --- registration ----------------------------------------------------------------------


def _locked(event: Event) -> Event:
    # Serialises registrations of one event, so two people never take the last seat.
    return Event.objects.select_for_update().get(pk=event.pk)


def register(event: Event, person: User, *, now: dt.datetime | None = None) -> Registration:
    """Register ``person``; beyond the capacity they join the waiting list."""
    with transaction.atomic():
        event = _locked(event)
        if not event.registration_open(now):
            raise ValidationError("Запись на это мероприятие закрыта.")
        existing = Registration.objects.filter(event=event, person=person).first()
        if existing and existing.status != Status.CANCELLED:
            return existing
        taken = event.registrations.filter(status=Status.REGISTERED).count()
        status = (
            Status.WAITING
            if event.capacity is not None and taken >= event.capacity
            else Status.REGISTERED
        )
        if existing:
            existing.status, existing.created_at = status, timezone.now()
            existing.save(update_fields=["status", "created_at"])
            return existing
        return Registration.objects.create(event=event, person=person, status=status)


def cancel(event: Event, person: User, *, now: dt.datetime | None = None) -> Registration | None:
    """Cancel a registration; the first on the waiting list takes the freed seat."""
    with transaction.atomic():
        event = _locked(event)
        if not event.registration_open(now):
            raise ValidationError("Срок отмены записи истёк.")
        registration = Registration.objects.filter(
            event=event, person=person, status__in=[Status.REGISTERED, Status.WAITING]
        ).first()
        if registration is None:
            return None
        registration.status = Status.CANCELLED
        registration.save(update_fields=["status"])
        promote_waiting(event)
        return registration


def promote_waiting(event: Event) -> list[Registration]:
    """Move people up from the waiting list while there are free seats; tells them so."""
    waiting = event.registrations.filter(status=Status.WAITING).select_related("person")
    if event.capacity is None:
        free = None
    else:
        free = max(0, event.capacity - event.registrations.filter(status=Status.REGISTERED).count())
    moved = list(waiting.order_by("created_at", "pk")[:free] if free is not None else waiting)
    for registration in moved:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status"])
        if registration.person.email:
            queue_mail(
                registration.person.email,
                f"Освободилось место: {event.title}",
                render_mail(
                    "events/email_promoted.txt", {"event": event, "person": registration.person}
                ),
            )
    return moved


# --- attendance ------------------------------------------------------------------------


def participants_count(event: Event) -> int:
    return event.registrations.filter(attended=True).count()


def mark_attendance(event: Event, present_ids: Iterable[int], user: User | None = None) -> int:
    """Record who came (one checklist for the whole list); the event becomes held."""
    present = set(present_ids)
    with transaction.atomic():
        for registration in event.registrations.exclude(status=Status.CANCELLED):
            attended = registration.person_id in present
            if registration.attended != attended:
                registration.attended = attended
                history.record_by(registration, user)
                registration.save(update_fields=["attended"])
        if event.status != Event.Status.HELD:
            event.status = Event.Status.HELD
            history.record_by(event, user)
            event.save(update_fields=["status"])
        count = participants_count(event)
        record_plan_execution(event, count, user)
    return count


def record_plan_execution(event: Event, count: int, user: User | None) -> None:
    """The linked plan item gets (or updates) its execution record: one per event."""
    item = event.plan_item if event.plan_item_id else None
    if item is None:
        return
    from bibliomo.plans.models import ExecutionStatus
    from bibliomo.plans.services import record_execution

    record_execution(
        item,
        date=timezone.localtime(event.starts_at).date(),
        status=ExecutionStatus.DONE,
        note=f"{event.labelled_title}. Присутствовали: {count} чел.",
        indicator_value=count,
        evidence_url=settings.SITE_URL + event.get_absolute_url(),
        source=event,
        user=user,
    )


def plan_record(event: Event):
    """The execution record this event gave its plan item, if any."""
    if not event.plan_item_id:
        return None
    from django.contrib.contenttypes.models import ContentType

    from bibliomo.plans.models import PlanItemExecution

    return PlanItemExecution.objects.filter(
        item_id=event.plan_item_id,
        source_type=ContentType.objects.get_for_model(Event),
        source_id=event.pk,
    ).first()


# --- .ics ------------------------------------------------------------------------------


def _vevent(event: Event, agenda: list[AgendaItem]) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@bibliomo")
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or event.starts_at + dt.timedelta(hours=2))
    item.add("summary", event.labelled_title)
    lines = [event.description.strip()] if event.description.strip() else []
    if agenda:
        lines.append("Повестка:")
        lines += [f"{a.order}. {a.topic} — {a.speaker_short}" for a in agenda]
    if event.online_url:
        lines.append(f"Подключение: {event.online_url}")
    item.add("description", "\n".join(lines))
    item.add("location", event.place or event.online_url)
    item.add("url", settings.SITE_URL + event.get_absolute_url())
    if event.status == Event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    return item


def calendar_for(events: Iterable[Event], name: str) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//BiblioMO//Мероприятия ММО//RU")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_vevent(event, list(event.agenda.all())))
    return cal.to_ical()


def feed_events(district_id: int):
    return (
        Event.objects.filter(district_id=district_id)
        .select_related("district")
        .prefetch_related("agenda__speaker")
        .order_by("starts_at")
    )


# --- reminders -------------------------------------------------------------------------


def reminder_recipients(event: Event) -> list[str]:
    emails = [
        r.person.email
        for r in event.registrations.filter(status=Status.REGISTERED).select_related("person")
    ]
    agenda = event.agenda.select_related("speaker")
    emails += [a.speaker.email for a in agenda if a.speaker is not None]
    return sorted({e for e in emails if e})


def send_reminder(event: Event) -> int:
    recipients = reminder_recipients(event)
    agenda = list(event.agenda.select_related("speaker"))
    ics = calendar_for([event], event.title)
    for email in recipients:
        queue_mail(
            email,
            f"Напоминание: {event.title}, {timezone.localtime(event.starts_at):%d.%m.%Y %H:%M}",
            render_mail(
                "events/email_reminder.txt",
                {"event": event, "agenda": agenda, "site_url": settings.SITE_URL},
            ),
            attachments=[Attachment("event.ics", ics, "text/calendar")],
        )
    return len(recipients)


def due_reminders(now: dt.datetime | None = None):
    """Planned events whose reminder time has come and whose start has not passed."""
    now = now or timezone.now()
    events = Event.objects.filter(
        status=Event.Status.PLANNED, reminder_sent_at__isnull=True, starts_at__gt=now
    )
    return [e for e in events.order_by("starts_at") if e.reminder_due_at <= now]


def send_due_reminders(now: dt.datetime | None = None) -> tuple[int, int]:
    """Returns (events, letters)."""
    now = now or timezone.now()
    letters = 0
    events = due_reminders(now)
    for event in events:
        with transaction.atomic():
            letters += send_reminder(event)
            Event.objects.filter(pk=event.pk).update(reminder_sent_at=now)
    return len(events), letters


# --- exports ---------------------------------------------------------------------------


PARTICIPANTS_HEADER = ["№", "ФИО", "Должность", "Школа", "E-mail", "Запись", "Присутствие"]


def participants_xlsx(event: Event) -> bytes:
    """The list of participants through the one XLSX writer (A4, header on every page,
    borders, the district, the year and the date of printing above the table)."""
    rows = event.registrations.exclude(status=Status.CANCELLED).select_related("person__school")
    data = []
    for n, r in enumerate(rows.order_by("person__last_name", "person__first_name"), 1):
        p = r.person
        mark = "—" if r.attended is None else "присутствовал" if r.attended else "отсутствовал"
        school = p.school.short_name if p.school is not None else ""
        data.append([n, p.full_name, p.position, school, p.email, r.get_status_display(), mark])
    caption = [
        event.title,
        f"{event.get_kind_display()}, {timezone.localtime(event.starts_at):%d.%m.%Y %H:%M}",
        event.district.association_name,
    ]
    sheet = tables.Sheet(
        "Участники", PARTICIPANTS_HEADER, data, caption, [5, 36, 26, 28, 28, 20, 16]
    )
    return tables.book_bytes(tables.workbook([sheet]))


def registration_counts(events):
    return events.annotate(
        registered_count=Count("registrations", filter=Q(registrations__status=Status.REGISTERED)),
        waiting_count=Count("registrations", filter=Q(registrations__status=Status.WAITING)),
    )
