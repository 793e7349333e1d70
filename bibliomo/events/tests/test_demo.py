from __future__ import annotations

import io

from django.core.management import call_command

from bibliomo.consultations.models import Consultation
from bibliomo.events import services
from bibliomo.events.demo import MARCH_MEETING, MARCH_TALKS
from bibliomo.events.models import Event, Minutes, Registration
from bibliomo.plans.models import PlanItemExecution


def test_demo_holds_the_march_2022_meeting_linked_to_the_plan(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = (
        Event.objects.count(),
        Registration.objects.count(),
        Consultation.objects.count(),
        PlanItemExecution.objects.count(),
    )
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert counts == (
        Event.objects.count(),
        Registration.objects.count(),
        Consultation.objects.count(),
        PlanItemExecution.objects.count(),
    )
    meeting = Event.objects.get(title=MARCH_MEETING)
    assert meeting.status == Event.Status.HELD
    assert f"{meeting.starts_at:%Y-%m}" == "2022-03"
    assert [a.topic for a in meeting.agenda.all()] == [t for t, _ in MARCH_TALKS]
    assert all(a.speaker_id for a in meeting.agenda.all())
    assert Minutes.objects.get(event=meeting).is_published
    present = services.participants_count(meeting)
    assert present > 5
    assert meeting.plan_item.content.startswith("Организация и проведение заседаний")
    record = services.plan_record(meeting)
    assert record.indicator_value == present
    webinars = Event.objects.filter(kind=Event.Kind.WEBINAR, organiser=Event.Organiser.AKIPKRO)
    assert webinars.count() >= 3
    assert all(w.registrations.exists() for w in webinars)
    assert set(Consultation.objects.values_list("status", flat=True)) == {
        "new",
        "in_work",
        "answered",
        "closed",
    }
    assert Consultation.objects.filter(is_published=True).exists()
