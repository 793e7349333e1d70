from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear
from bibliomo.events import rules, services
from bibliomo.events.forms import (
    AgendaItemForm,
    EventForm,
    MinutesForm,
    MinutesItemForm,
    plan_items,
)
from bibliomo.events.minutes import minutes_docx
from bibliomo.events.models import AgendaItem, Event, FeedToken, Minutes, Registration
from bibliomo.lib import files, uploads
from bibliomo.lib.http import paginate, query_string_without_page

MONTHS = [
    "",
    "Январь",
    "Февраль",
    "Март",
    "Апрель",
    "Май",
    "Июнь",
    "Июль",
    "Август",
    "Сентябрь",
    "Октябрь",
    "Ноябрь",
    "Декабрь",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@access.member_required
def event_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    now = timezone.now()
    kind = request.GET.get("kind", "")
    past = request.GET.get("past") == "1"
    events = services.registration_counts(Event.objects.filter(district=district))
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    events = (
        events.filter(starts_at__lt=now).order_by("-starts_at")
        if past
        else events.filter(starts_at__gte=now).order_by("starts_at")
    )
    mine = set(
        Registration.objects.filter(person=request.user, event__district=district)
        .exclude(status=Registration.Status.CANCELLED)
        .values_list("event_id", flat=True)
    )
    return render(
        request,
        "events/event_list.html",
        {
            "page": paginate(request, events),
            "past": past,
            "kind": kind,
            "kinds": Event.Kind.choices,
            "mine": mine,
            "can_manage": rules.can_manage(request.user, district.pk),
            "qs": query_string_without_page(request),
        },
    )


@access.member_required
def event_calendar(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    today = timezone.localdate()
    year = AcademicYear.objects.parse_calendar(request.GET.get("year"))
    try:
        month = int(request.GET.get("month", today.month))
        first = dt.date(year, month, 1)
    except ValueError:
        raise Http404("Неверный месяц") from None
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    events = Event.objects.filter(
        district=district, starts_at__date__gte=first, starts_at__date__lte=last
    ).order_by("starts_at")
    by_day: dict[dt.date, list[Event]] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    weeks = [
        [(day, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    # No arrows beyond the years the district has: those pages would only say so.
    shown = AcademicYear.objects.calendar_years()
    previous: dt.date | None = first - dt.timedelta(days=1)
    following: dt.date | None = last + dt.timedelta(days=1)
    if previous and previous.year not in shown:
        previous = None
    if following and following.year not in shown:
        following = None
    return render(
        request,
        "events/event_calendar.html",
        {
            "weeks": weeks,
            "month": first,
            "month_name": MONTHS[month],
            "today": today,
            "previous": previous,
            "following": following,
            "weekdays": ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"],
        },
    )


@access.member_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    agenda = event.agenda.select_related("speaker__school")
    mine = Registration.objects.filter(event=event, person=request.user).first()
    counts = services.registration_counts(Event.objects.filter(pk=event.pk)).get()
    minutes = Minutes.objects.filter(event=event).first()
    can = rules.actions(request.user, event)
    if minutes and not rules.can_read_minutes(request.user, minutes, event):
        minutes = None
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "agenda": agenda,
            "mine": mine if mine and mine.status != Registration.Status.CANCELLED else None,
            "registered_count": counts.registered_count,
            "waiting_count": counts.waiting_count,
            "open": event.registration_open(),
            "minutes": (
                minutes
                if minutes and rules.can_read_minutes(request.user, minutes, event)
                else None
            ),
            "can": can,
            "can_manage": can["manage"],
            "overseer": can["registrations"],
            "participants": services.participants_count(event) if event.is_held else None,
            "plan_record": services.plan_record(event),
        },
    )


@access.require(rules.can_manage, owner=(Event, "district_id"))
def event_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    district = access.district_or_404(request)
    event = rules.event_for(request.user, pk) if pk else None
    form = EventForm(request.POST or None, instance=event, district=district)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if event is None:
            saved.created_by = request.user
        saved.save()
        services.promote_waiting(saved)
        messages.success(request, "Мероприятие сохранено.")
        return redirect(saved)
    return render(request, "events/event_form.html", {"form": form, "event": event})


@access.require(rules.can_manage, owner=(Event, "district_id"))
def agenda_form(request: HttpRequest, pk: int, item_pk: int | None = None) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    item = rules.agenda_item_for(request.user, event, item_pk) if item_pk else None
    if item is None:
        item = AgendaItem(event=event, order=event.agenda.count() + 1)
    form = AgendaItemForm(
        request.POST or None, request.FILES or None, instance=item, district=event.district
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Вопрос повестки сохранён.")
        return redirect(event)
    return render(request, "events/agenda_form.html", {"form": form, "event": event, "item": item})


@require_POST
@access.require(rules.can_manage, owner=(Event, "district_id"))
def agenda_delete(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    rules.agenda_item_for(request.user, event, item_pk).delete()
    messages.success(request, "Вопрос удалён из повестки.")
    return redirect(event)


@access.member_required
def agenda_material(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    item = rules.agenda_item_for(request.user, event, item_pk)
    return uploads.serve(item.material)


@require_POST
@access.member_required
def event_register(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    try:
        registration = services.register(event, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == Registration.Status.WAITING:
            messages.info(
                request, "Мест нет — вы в листе ожидания; письмо придёт, если место освободится."
            )
        else:
            messages.success(request, "Вы записаны на мероприятие.")
    return redirect(event)


@require_POST
@access.member_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    try:
        services.cancel(event, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Запись отменена.")
    return redirect(event)


@access.member_required
def event_registrations(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.registrations_of(request.user, pk)
    can_mark = rules.can_manage(request.user, event.district_id)
    if request.method == "POST":
        rules.managed_event_for(request.user, pk)
        present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
        count = services.mark_attendance(event, present, request.user)
        messages.success(request, f"Присутствие отмечено: {count} чел.")
        return redirect("event_registrations", pk=event.pk)
    registrations = (
        event.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("person__school")
        .order_by("status", "person__last_name", "person__first_name")
    )
    return render(
        request,
        "events/event_registrations.html",
        {"event": event, "registrations": registrations, "can_mark": can_mark},
    )


@access.member_required
def event_participants_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.registrations_of(request.user, pk)
    filename = (
        f"Участники — {event.title[:60]} — {timezone.localtime(event.starts_at):%d.%m.%Y}.xlsx"
    )
    return files.download(services.participants_xlsx(event), filename, XLSX)


@access.member_required
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    response = HttpResponse(
        services.calendar_for([event], event.title), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="event.ics"'
    return response


@access.member_required
def calendar_subscribe(request: HttpRequest) -> HttpResponse:
    renew = request.method == "POST" and "renew" in request.POST
    token = FeedToken.for_user(request.user, renew=renew)
    if renew:
        messages.success(request, "Создан новый адрес; старый больше не работает.")
        return redirect("calendar_subscribe")
    url = settings.SITE_URL + reverse("calendar_feed", args=[token.key])
    return render(request, "events/calendar_subscribe.html", {"url": url})


def calendar_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The private feed a calendar app subscribes to: no login, the key is the secret."""
    token = get_object_or_404(FeedToken.objects.select_related("user"), key=key)
    user = token.user
    if not user.is_active or not user.district_id:
        raise Http404("Календарь не найден")
    events = services.feed_events(user.district_id)
    body = services.calendar_for(events, f"Мероприятия ММО — {user.district.name}")
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- minutes ---------------------------------------------------------------------------


@access.member_required
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    minutes = rules.minutes_for(request.user, event)
    return render(
        request,
        "events/minutes_detail.html",
        {
            "event": event,
            "minutes": minutes,
            "agenda": event.agenda.select_related(
                "speaker__school", "decision_plan_item__section__plan__year"
            ),
            "present": services.participants_count(event),
            "can_manage": rules.can_manage(request.user, event.district_id),
            "pdf_available": files.libreoffice() is not None,
        },
    )


@access.require(rules.can_manage, owner=(Event, "district_id"))
def minutes_form(request: HttpRequest, pk: int) -> HttpResponse:
    event = rules.event_for(request.user, pk)
    minutes = Minutes.objects.filter(event=event).first()
    if minutes is None:
        held = Minutes.objects.filter(
            event__district=event.district,
            event__starts_at__year=timezone.localtime(event.starts_at).year,
        ).count()
        minutes = Minutes(
            event=event,
            number=str(held + 1),
            date=timezone.localtime(event.starts_at).date(),
            chair=request.user,
        )
    form = MinutesForm(request.POST or None, instance=minutes, district=event.district)
    agenda = list(event.agenda.all())
    choices = plan_items(event.district)
    item_forms = [
        MinutesItemForm(
            request.POST or None, instance=item, prefix=f"item{item.pk}", plan_choices=choices
        )
        for item in agenda
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in item_forms):
        form.save()
        for item_form in item_forms:
            item_form.save()
        messages.success(request, "Протокол сохранён.")
        return redirect("minutes_detail", pk=event.pk)
    return render(
        request,
        "events/minutes_form.html",
        {"form": form, "event": event, "item_forms": item_forms},
    )


def _minutes_filename(minutes: Minutes, ext: str) -> str:
    return f"Протокол № {minutes.number} от {minutes.date:%d.%m.%Y}.{ext}"


@access.member_required
def minutes_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = rules.minutes_for(request.user, rules.event_for(request.user, pk))
    return files.download(minutes_docx(minutes), _minutes_filename(minutes, "docx"), DOCX)


@access.member_required
def minutes_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = rules.minutes_for(request.user, rules.event_for(request.user, pk))
    try:
        pdf = files.docx_to_pdf(minutes_docx(minutes))
    except files.ConversionUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("minutes_detail", pk=pk)
    return files.download(pdf, _minutes_filename(minutes, "pdf"), "application/pdf")
