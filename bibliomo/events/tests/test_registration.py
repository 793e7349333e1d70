from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bibliomo.events import services
from bibliomo.events.models import Event, Registration
from conftest import make_user

Status = Registration.Status


def test_waiting_list_moves_up_when_a_seat_is_freed(world, make_event):
    event = make_event(capacity=2)
    third = make_user("third", "librarian", world.district, world.school_b)
    first = services.register(event, world.librarian)
    second = services.register(event, world.librarian_b)
    waiting = services.register(event, third)
    assert (first.status, second.status, waiting.status) == (
        Status.REGISTERED,
        Status.REGISTERED,
        Status.WAITING,
    )
    mail.outbox.clear()
    services.cancel(event, world.librarian)
    waiting.refresh_from_db()
    assert waiting.status == Status.REGISTERED
    assert Registration.objects.get(person=world.librarian).status == Status.CANCELLED
    assert [m.to for m in mail.outbox] == [[third.email]]
    assert "Освободилось место" in mail.outbox[0].subject


def test_raising_capacity_promotes_in_order(world, make_event):
    event = make_event(capacity=1)
    services.register(event, world.librarian)
    services.register(event, world.librarian_b)
    services.register(event, world.head)
    # As the event form does: the head raises the capacity, the waiting list moves up.
    event.capacity = 2
    event.save()
    services.promote_waiting(event)
    statuses = dict(event.registrations.values_list("person__username", "status"))
    assert statuses == {
        "librarian": Status.REGISTERED,
        "librarian_b": Status.REGISTERED,
        "head": Status.WAITING,
    }


def test_registering_twice_keeps_one_row_and_re_registering_after_cancel(world, make_event):
    event = make_event()
    services.register(event, world.librarian)
    services.register(event, world.librarian)
    assert event.registrations.count() == 1
    services.cancel(event, world.librarian)
    again = services.register(event, world.librarian)
    assert again.status == Status.REGISTERED
    assert event.registrations.count() == 1


def test_no_registration_or_cancel_after_the_deadline(world, make_event):
    event = make_event(registration_deadline=timezone.now() + dt.timedelta(days=1))
    services.register(event, world.librarian)
    later = timezone.now() + dt.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.register(event, world.librarian_b, now=later)
    with pytest.raises(ValidationError):
        services.cancel(event, world.librarian, now=later)
    assert event.registrations.get().status == Status.REGISTERED


def test_deadline_after_start_is_rejected(world, make_event):
    event = make_event()
    event.registration_deadline = event.starts_at + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "registration_deadline" in exc.value.message_dict


def test_register_and_cancel_through_the_page(world, login, make_event):
    event = make_event()
    client = login(world.librarian)
    response = client.post(reverse("event_register", args=[event.pk]), follow=True)
    assert "Вы записаны" in response.content.decode()
    assert event.registrations.get().person == world.librarian
    client.post(reverse("event_cancel", args=[event.pk]))
    assert event.registrations.get().status == Status.CANCELLED


def test_outsider_cannot_register_for_another_districts_event(world, login, make_event):
    event = make_event()
    response = login(world.outsider).post(reverse("event_register", args=[event.pk]))
    assert response.status_code == 404
    assert not event.registrations.exists()


def test_attendance_checklist_marks_held_and_counts(world, login, make_event):
    event = make_event()
    for person in (world.librarian, world.librarian_b, world.head):
        services.register(event, person)
    url = reverse("event_registrations", args=[event.pk])
    response = login(world.head).post(url, {"present": [world.librarian.pk, world.head.pk]})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    assert services.participants_count(event) == 2
    assert event.registrations.get(person=world.librarian_b).attended is False
    # the history records who marked it
    record = event.registrations.get(person=world.librarian).history.first()
    assert record.history_user == world.head


@pytest.mark.parametrize("role", ["department", "librarian"])
def test_only_the_head_marks_attendance(world, login, make_event, role):
    event = make_event()
    services.register(event, world.librarian)
    url = reverse("event_registrations", args=[event.pk])
    response = login(world.user(role)).post(url, {"present": [world.librarian.pk]})
    assert response.status_code == 403
    assert event.registrations.get().attended is None


def test_participants_xlsx_opens_back(world, login, make_event):
    from io import BytesIO

    from openpyxl import load_workbook

    event = make_event()
    services.register(event, world.librarian)
    services.register(event, world.librarian_b)
    services.mark_attendance(event, [world.librarian.pk])
    response = login(world.department).get(reverse("event_participants_xlsx", args=[event.pk]))
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    cells = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(cells) if r[0] == "№")
    assert list(cells[at]) == services.PARTICIPANTS_HEADER
    assert cells[0][0] == event.title and "Дата печати" in cells[at - 2][0]
    assert ws.print_title_rows == f"${at + 1}:${at + 1}"  # the header on every printed page
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1
    rows = cells[at + 1 :]
    assert [(r[1], r[3], r[6]) for r in rows] == [
        ("Librarian_b Тест", "Луговская СОШ", "отсутствовал"),
        ("Кузнецова Тест", "Каменская СОШ № 1", "присутствовал"),
    ]
    assert (
        login(world.librarian).get(reverse("event_participants_xlsx", args=[event.pk])).status_code
        == 403
    )


def test_event_list_query_count_is_bounded(world, login, make_event, django_assert_max_num_queries):
    for n in range(40):
        event = make_event(title=f"Вебинар {n}", capacity=5)
        services.register(event, world.librarian)
    client = login(world.librarian)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("event_list"))
    assert response.status_code == 200
    assert response.content.decode().count("вы записаны") == 40


def test_registrations_page_query_count_is_bounded(
    world, login, make_event, django_assert_max_num_queries
):
    event = make_event()
    for n in range(60):
        services.register(event, make_user(f"u{n}", "librarian", world.district, world.school_b))
    client = login(world.head)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("event_registrations", args=[event.pk]))
    assert response.content.decode().count('name="present"') == 60


def test_head_creates_event_and_agenda_with_material(world, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(world.head)
    response = client.post(
        reverse("event_create"),
        {
            "kind": "meeting",
            "title": "Заседание ММО",
            "starts_at": "2030-03-24T10:00",
            "organiser": "mmo",
            "reminder_hours": 24,
            "status": "planned",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert event.created_by == world.head
    pdf = SimpleUploadedFile("доклад.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", "application/pdf")
    response = client.post(
        reverse("agenda_create", args=[event.pk]),
        {"order": 1, "topic": "Квест", "speaker": world.librarian.pk, "duration_minutes": 15,
         "material": pdf},
    )  # fmt: skip
    assert response.status_code == 302
    item = event.agenda.get()
    served = login(world.librarian_b).get(reverse("agenda_material", args=[event.pk, item.pk]))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert (
        login(world.outsider).get(reverse("agenda_material", args=[event.pk, item.pk])).status_code
        == 404
    )


def test_material_with_a_false_extension_is_rejected(world, login, make_event, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    event = make_event()
    fake = SimpleUploadedFile("доклад.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = login(world.head).post(
        reverse("agenda_create", args=[event.pk]),
        {"order": 1, "topic": "Квест", "speaker": world.librarian.pk, "duration_minutes": 15,
         "material": fake},
    )  # fmt: skip
    assert response.status_code == 200
    assert "не соответствует расширению" in response.content.decode()
    assert not event.agenda.exists()


def test_agenda_needs_a_speaker(world, login, make_event):
    event = make_event()
    response = login(world.head).post(
        reverse("agenda_create", args=[event.pk]),
        {"order": 1, "topic": "Квест", "duration_minutes": 15},
    )
    assert "Укажите докладчика" in response.content.decode()
