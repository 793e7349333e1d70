from __future__ import annotations

import datetime as dt
import zoneinfo

from django.urls import reverse

from bibliomo.consultations import services as consultation_services
from bibliomo.consultations.models import Consultation
from bibliomo.events import services
from bibliomo.plans.models import PlanItem, PlanItemExecution
from bibliomo.plans.tests.factories import make_item, make_plan, make_section

TZ = zoneinfo.ZoneInfo("Asia/Barnaul")


def _plan_item(world, indicator: str, start_year: int = 2021) -> PlanItem:
    section = make_section(make_plan(world.district, start_year))
    return make_item(section, "Организация и проведение заседаний", indicator=indicator)


def test_holding_a_linked_event_records_execution_once(world, login, make_event):
    item = _plan_item(world, PlanItem.Indicator.PARTICIPANTS)
    event = make_event(plan_item=item, starts_at=dt.datetime(2022, 3, 24, 10, tzinfo=TZ))
    for person in (world.librarian, world.librarian_b, world.head):
        event.registrations.create(person=person, status="registered")
    url = reverse("event_registrations", args=[event.pk])
    client = login(world.head)
    client.post(url, {"present": [world.librarian.pk, world.librarian_b.pk]})
    record = PlanItemExecution.objects.get(item=item)
    assert (record.date, record.status, record.indicator_value) == (
        dt.date(2022, 3, 24),
        "done",
        2,
    )
    assert record.source == event
    assert record.created_by == world.head
    assert record.evidence_url.endswith(event.get_absolute_url())
    # marking again corrects the same record, never adds a second one
    client.post(url, {"present": [world.librarian.pk, world.librarian_b.pk, world.head.pk]})
    record = PlanItemExecution.objects.get(item=item)
    assert record.indicator_value == 3
    page = client.get(reverse("event_detail", args=[event.pk])).content.decode()
    assert "data-plan-indicator>3<" in page


def test_unlinked_event_records_nothing(world, make_event):
    _plan_item(world, PlanItem.Indicator.PARTICIPANTS)
    event = make_event()
    services.mark_attendance(event, [])
    assert not PlanItemExecution.objects.exists()


def test_event_form_offers_only_own_district_plan_items(world, login):
    own = _plan_item(world, PlanItem.Indicator.EVENTS)
    other = make_item(make_section(make_plan(world.other_district)), "Чужой пункт")
    page = login(world.head).get(reverse("event_create")).content.decode()
    assert f'value="{own.pk}"' in page
    assert f'value="{other.pk}"' not in page
    response = login(world.head).post(
        reverse("event_create"),
        {
            "kind": "meeting",
            "title": "Заседание",
            "starts_at": "2022-03-24T10:00",
            "organiser": "mmo",
            "reminder_hours": 24,
            "status": "planned",
            "plan_item": other.pk,
        },
    )
    assert response.status_code == 200
    assert "plan_item" in response.context["form"].errors


def test_consultation_counts_feed_the_plan_indicator(world, settings):
    item = _plan_item(world, PlanItem.Indicator.CONSULTATIONS, start_year=2021)
    for n, day in enumerate([dt.datetime(2021, 10, 1, 12), dt.datetime(2022, 2, 1, 12)]):
        c = Consultation(
            district=world.district,
            author=world.librarian,
            category="writeoff" if n else "order",
            subject=f"Вопрос {n}",
            question="?",
        )
        consultation_services.ask(c)
        Consultation.objects.filter(pk=c.pk).update(created_at=day.replace(tzinfo=TZ))
    records = consultation_services.update_plan_indicator(world.district.pk, dt.date(2022, 1, 1))
    assert len(records) == 1
    record = PlanItemExecution.objects.get(item=item)
    assert record.indicator_value == 2
    assert record.status == "done"
    assert "списание — 1" in record.note
    assert "заказ учебников — 1" in record.note


def test_a_decision_is_linked_to_a_plan_item(world, login, meeting):
    item = _plan_item(world, PlanItem.Indicator.EVENTS)
    agenda = meeting.agenda.first()
    response = login(world.head).post(
        reverse("minutes_edit", args=[meeting.pk]),
        {
            "number": "1",
            "date": "2030-03-24",
            "chair": world.head.pk,
            "is_published": "on",
            f"item{agenda.pk}-decision": "Провести квест",
            f"item{agenda.pk}-decision_plan_item": item.pk,
        },
    )
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert agenda.decision_plan_item == item
    page = login(world.librarian).get(reverse("minutes_detail", args=[meeting.pk]))
    assert "Организация и проведение заседаний" in page.content.decode()
