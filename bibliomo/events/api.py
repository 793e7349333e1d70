from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from bibliomo.accounts import access
from bibliomo.events import forms as event_forms
from bibliomo.events import rules, services
from bibliomo.events.models import AgendaItem, Event, Registration
from bibliomo.lib import apihelpers
from bibliomo.lib.apihelpers import PageNumberPagination

router = Router(tags=["Мероприятия"])


class AgendaItemOut(Schema):
    id: int
    order: int
    topic: str
    speaker_id: int | None
    speaker: str
    speaker_org: str
    duration_minutes: int
    material_url: str
    has_material: bool

    @staticmethod
    def resolve_speaker(obj: AgendaItem) -> str:
        return obj.speaker_short

    @staticmethod
    def resolve_has_material(obj: AgendaItem) -> bool:
        return bool(obj.material)


class EventOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    online_url: str
    organiser: str
    description: str
    capacity: int | None
    registration_deadline: dt.datetime | None
    status: str
    plan_item_id: int | None


class EventDetailOut(EventOut):
    agenda: list[AgendaItemOut]

    @staticmethod
    def resolve_agenda(obj: Event):
        return list(obj.agenda.select_related("speaker"))


class EventIn(Schema):
    kind: str = Event.Kind.MEETING
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None = None
    place: str = ""
    online_url: str = ""
    organiser: str = Event.Organiser.MMO
    description: str = ""
    capacity: int | None = None
    registration_deadline: dt.datetime | None = None
    reminder_hours: int = 24
    plan_item_id: int | None = None


class AgendaItemIn(Schema):
    order: int = 1
    topic: str
    speaker_id: int | None = None
    speaker_name: str = ""
    speaker_org: str = ""
    duration_minutes: int = 15
    material_url: str = ""


class RegistrationOut(Schema):
    person_id: int
    person: str
    school: str
    status: str
    attended: bool | None

    @staticmethod
    def resolve_person(obj: Registration) -> str:
        return obj.person.short_name

    @staticmethod
    def resolve_school(obj: Registration) -> str:
        return obj.person.school.short_name if obj.person.school_id else ""


class AttendanceIn(Schema):
    present: list[int]


class AttendanceOut(Schema):
    participants: int


class MinutesItemOut(Schema):
    order: int
    topic: str
    speaker: str
    heard: str
    discussed: str
    decision: str

    @staticmethod
    def resolve_speaker(obj: AgendaItem) -> str:
        return obj.speaker_full


class MinutesOut(Schema):
    number: str
    date: dt.date
    chair: str
    secretary: str
    present: int
    is_published: bool
    items: list[MinutesItemOut]


@router.get("/events", response=list[EventOut], summary="Мероприятия района")
@paginate(PageNumberPagination, page_size=100)
def list_events(request: HttpRequest, upcoming: bool = False, kind: str = ""):
    district = access.current_district(request.user)
    if district is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    events = Event.objects.filter(district=district).order_by("starts_at")
    if upcoming:
        events = events.filter(starts_at__gte=timezone.now())
    return events.filter(kind=kind) if kind else events


@router.get("/events/{event_id}", response=EventDetailOut, summary="Мероприятие с повесткой")
def get_event(request: HttpRequest, event_id: int):
    return rules.event_for(request.user, event_id)


@router.post("/events", response={201: EventOut}, summary="Создать мероприятие")
def create_event(request: HttpRequest, payload: EventIn):
    district = access.current_district(request.user)
    if district is None or not rules.can_manage(request.user, district.pk):
        raise HttpError(403, "Создавать мероприятия может руководитель ММО.")
    event = Event(district=district, created_by=request.user, **payload.dict())
    if event.plan_item_id and not event_forms.plan_items(district).filter(pk=event.plan_item_id):
        raise HttpError(422, "plan_item_id: пункт плана не найден в планах района.")
    apihelpers.full_clean(event)
    event.save()
    return 201, event


@router.post(
    "/events/{event_id}/agenda", response={201: AgendaItemOut}, summary="Добавить вопрос повестки"
)
def add_agenda_item(request: HttpRequest, event_id: int, payload: AgendaItemIn):
    event = rules.managed_event_for(request.user, event_id)
    item = AgendaItem(event=event, **payload.dict())
    if item.speaker_id and not access.in_district(item.speaker, event.district_id):
        raise HttpError(422, "speaker_id: докладчик должен быть из района.")
    apihelpers.full_clean(item)
    item.save()
    return 201, item


@router.post(
    "/events/{event_id}/registration", response=RegistrationOut, summary="Записаться (себя)"
)
def register(request: HttpRequest, event_id: int):
    event = rules.event_for(request.user, event_id)
    try:
        return services.register(event, request.user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


@router.delete("/events/{event_id}/registration", response={204: None}, summary="Отменить запись")
def cancel(request: HttpRequest, event_id: int):
    event = rules.event_for(request.user, event_id)
    try:
        services.cancel(event, request.user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return 204, None


@router.get(
    "/events/{event_id}/registrations", response=list[RegistrationOut], summary="Записавшиеся"
)
def list_registrations(request: HttpRequest, event_id: int):
    event = rules.registrations_of(request.user, event_id)
    return (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person__school")
        .order_by("created_at")
    )


@router.put("/events/{event_id}/attendance", response=AttendanceOut, summary="Отметить присутствие")
def mark_attendance(request: HttpRequest, event_id: int, payload: AttendanceIn):
    event = rules.managed_event_for(request.user, event_id)
    return {"participants": services.mark_attendance(event, payload.present, request.user)}


@router.get("/events/{event_id}/minutes", response=MinutesOut, summary="Протокол")
def get_minutes(request: HttpRequest, event_id: int):
    event = rules.event_for(request.user, event_id)
    minutes = rules.minutes_for(request.user, event)
    return {
        "number": minutes.number,
        "date": minutes.date,
        "chair": minutes.chair.full_name if minutes.chair else "",
        "secretary": minutes.secretary.full_name if minutes.secretary else "",
        "present": services.participants_count(event),
        "is_published": minutes.is_published,
        "items": list(event.agenda.select_related("speaker__school")),
    }
