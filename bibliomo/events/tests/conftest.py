from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bibliomo.events.models import AgendaItem, Event


@pytest.fixture
def make_event(world):
    def _make(**fields) -> Event:
        defaults = {
            "district": world.district,
            "kind": Event.Kind.WEBINAR,
            "title": "Вебинар АКИПКРО «Продвижение чтения»",
            "starts_at": timezone.now() + dt.timedelta(days=7),
            "organiser": Event.Organiser.AKIPKRO,
            "online_url": "https://example.org/webinar",
        }
        defaults.update(fields)
        return Event.objects.create(**defaults)

    return _make


@pytest.fixture
def meeting(world, make_event):
    event = make_event(
        kind=Event.Kind.MEETING,
        title="Заседание ММО",
        place="Гимназия, библиотека",
        organiser=Event.Organiser.MMO,
    )
    AgendaItem.objects.create(
        event=event,
        order=1,
        topic="Квест- как форма работы по продвижению чтения.",
        speaker=world.librarian,
        heard="Опыт проведения квеста.",
        decision="Провести квест во всех школах.",
    )
    AgendaItem.objects.create(
        event=event,
        order=2,
        topic="Современные формы работы БИЦ.",
        speaker_name="Иванова Мария Петровна",
        speaker_org="АКИПКРО",
    )
    return event
