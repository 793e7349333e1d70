"""Demo events of Каменский район: the March 2022 meeting of the 2021–2022 plan with the
four talks from the plan (speakers are the demo's fictional members), held, with attendance
and minutes; АКИПКРО webinars with registrations. Idempotent: found by title."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import District
from bibliomo.events import services
from bibliomo.events.models import AgendaItem, Event, Minutes, Registration
from bibliomo.plans.models import PlanItem

MEETINGS_ITEM = "Организация и проведение заседаний районных методических объединений"
WEBINARS_ITEM = "Организация участия членов МО в вебинарах АКИПКРО"

MARCH_MEETING = "Заседание районного методического объединения библиотекарей"

# The four questions of the March 2022 meeting, word for word from the plan; the speakers
# are demo members (by login).
MARCH_TALKS = [
    ("Современные формы работы БИЦ.", "demo-лебедева"),
    ("Квест- как форма работы по продвижению чтения.", "librarian1"),
    ("Формирование заказа учебников 2022-2023 учебный год.", "head"),
    (
        "Школьная библиотека - как информационный и воспитательный ресурс качественного "
        "образования.",
        "librarian3",
    ),
]

MARCH_DECISIONS = [
    "Использовать в работе школьных библиотек современные формы работы "
    "информационно-библиотечного центра; обобщить опыт на следующем заседании.",
    "Рекомендовать библиотекарям провести квест по продвижению чтения в своих школах "
    "до конца учебного года.",
    "Сформировать заказ учебников на 2022/2023 учебный год по федеральному перечню и "
    "представить его в Управление образования в установленный срок.",
    "Информацию принять к сведению; материалы выступления разместить в методической копилке.",
]


def _at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _event(district: District, title: str, **fields) -> tuple[Event, bool]:
    return Event.objects.get_or_create(district=district, title=title, defaults=fields)


def _register(event: Event, people, attended: bool | None = None) -> None:
    for person in people:
        Registration.objects.get_or_create(
            event=event,
            person=person,
            defaults={
                "status": Registration.Status.REGISTERED,
                "attended": attended,
                "created_at": event.starts_at - dt.timedelta(days=5),
            },
        )


@transaction.atomic
def load() -> None:
    district = District.objects.get(name=DISTRICT)
    members = list(
        User.objects.filter(district=district, is_active=True, school__isnull=False).order_by(
            "last_name"
        )
    )
    head = User.objects.get(username="head")
    by_login = {p.username: p for p in User.objects.filter(district=district)}
    plan_items = {
        i.content: i
        for i in PlanItem.objects.of_district_year(district.pk, 2021).filter(
            content__in=[MEETINGS_ITEM, WEBINARS_ITEM]
        )
    }

    meeting, created = _event(
        district,
        MARCH_MEETING,
        kind=Event.Kind.MEETING,
        starts_at=_at(2022, 3, 24),
        ends_at=_at(2022, 3, 24, 13),
        place="г. Камень-на-Оби, МБОУ «Гимназия «Радуга», библиотека",
        organiser=Event.Organiser.DEPARTMENT,
        description="Заседание ММО по плану работы на 2021/2022 учебный год (март).",
        status=Event.Status.HELD,
        reminder_sent_at=_at(2022, 3, 23),
        plan_item=plan_items.get(MEETINGS_ITEM),
        created_by=head,
    )
    if created:
        for order, (topic, login) in enumerate(MARCH_TALKS, 1):
            speaker = by_login[login]
            AgendaItem.objects.create(
                event=meeting,
                order=order,
                topic=topic,
                speaker=speaker,
                duration_minutes=20,
                heard=f"Выступление об опыте работы ({speaker.school.short_name}).",
                discussed="Соколова А. В., Морозова Т. И. поделились опытом своих библиотек."
                if order in (1, 3)
                else "",
                decision=MARCH_DECISIONS[order - 1],
            )
        present = members[:-2]  # two members could not come
        _register(meeting, present, attended=True)
        _register(meeting, members[-2:], attended=False)
        Minutes.objects.create(
            event=meeting,
            number="2",
            date=meeting.starts_at.date(),
            chair=head,
            secretary=by_login["librarian2"],
            invited="Петрова Е. Н., главный специалист Управления образования",
            is_published=True,
        )
        services.record_plan_execution(meeting, services.participants_count(meeting), head)

    webinars = [
        (
            "Вебинар АКИПКРО «Школьный информационно-библиотечный центр: нормативная база»",
            _at(2021, 11, 18, 14),
            True,
        ),
        (
            "Вебинар АКИПКРО «Федеральный перечень учебников: что изменилось»",
            _at(2022, 2, 10, 14),
            True,
        ),
    ]
    # Two webinars ahead of today, so that members can register in the demo.
    today = timezone.localdate()
    ahead = today + dt.timedelta(days=21)
    webinars += [
        (
            "Вебинар АКИПКРО «Продвижение чтения: цифровые форматы»",
            _at(ahead.year, ahead.month, ahead.day, 14),
            False,
        ),
        (
            "Вебинар АКИПКРО «Инвентаризация учебного фонда школьной библиотеки»",
            _at(ahead.year, ahead.month, ahead.day, 14) + dt.timedelta(days=14),
            False,
        ),
    ]
    for n, (title, starts_at, held) in enumerate(webinars):
        event, created = _event(
            district,
            title,
            kind=Event.Kind.WEBINAR,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=1, minutes=30),
            online_url="https://example.org/webinar",
            organiser=Event.Organiser.AKIPKRO,
            description="Краевой вебинар для школьных библиотекарей. Подключение по ссылке.",
            capacity=None if held else 10,
            status=Event.Status.HELD if held else Event.Status.PLANNED,
            reminder_hours=24,
            plan_item=plan_items.get(WEBINARS_ITEM) if held else None,
            created_by=head,
        )
        if created:
            AgendaItem.objects.create(
                event=event,
                order=1,
                topic=title.split("«", 1)[1].rstrip("»"),
                speaker_name="Методист АКИПКРО",
                speaker_org="АКИПКРО",
                duration_minutes=90,
            )
            chosen = members[n % 3 :: 2][:7]
            _register(event, chosen, attended=True if held else None)
            if held:
                services.record_plan_execution(event, len(chosen), head)
