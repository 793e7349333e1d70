from __future__ import annotations

import datetime as dt
import io
import socket

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bibliomo.events import services
from bibliomo.events.minutes import minutes_docx
from bibliomo.events.models import FeedToken, Minutes
from bibliomo.outbox.models import OutgoingMessage


def _reminder_setup(world, meeting):
    meeting.starts_at = timezone.now().replace(microsecond=0) + dt.timedelta(hours=30)
    meeting.reminder_hours = 24
    meeting.save()
    services.register(meeting, world.librarian_b)
    services.register(meeting, world.head)
    return meeting


def test_reminder_is_queued_at_the_chosen_time_and_only_once(world, meeting):
    event = _reminder_setup(world, meeting)
    due = event.starts_at - dt.timedelta(hours=24)
    assert services.send_due_reminders(now=due - dt.timedelta(minutes=1)) == (0, 0)
    assert not mail.outbox
    # registered (librarian_b, head) and the speaker (librarian) — each once
    assert services.send_due_reminders(now=due) == (1, 3)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.librarian.email, world.librarian_b.email, world.head.email]
    )
    assert services.send_due_reminders(now=due + dt.timedelta(hours=1)) == (0, 0)
    assert len(mail.outbox) == 3


def test_no_reminder_for_cancelled_or_started_events(world, meeting):
    event = _reminder_setup(world, meeting)
    assert services.send_due_reminders(now=event.starts_at + dt.timedelta(minutes=5)) == (0, 0)
    event.status = event.Status.CANCELLED
    event.save()
    assert services.send_due_reminders(now=event.starts_at - dt.timedelta(hours=1)) == (0, 0)


def test_reminder_carries_the_agenda_and_a_parsable_ics(world, meeting):
    event = _reminder_setup(world, meeting)
    services.send_due_reminders(now=event.starts_at - dt.timedelta(hours=2))
    message = mail.outbox[0]
    assert "1. Квест- как форма работы по продвижению чтения. — Кузнецова Т." in message.body
    name, content, mimetype = message.attachments[0]
    assert name == "event.ics" and mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(content)
    (vevent,) = cal.walk("VEVENT")
    assert vevent.decoded("dtstart") == event.starts_at
    assert str(vevent["summary"]) == "Заседание ММО"  # the kind is not doubled
    assert "Современные формы работы БИЦ. — Иванова Мария Петровна" in str(vevent["description"])
    assert str(vevent["location"]) == "Гимназия, библиотека"


def test_the_command_sends_through_the_outbox(world, meeting, settings):
    settings.OUTBOX_DELIVERY = "cron"
    event = _reminder_setup(world, meeting)
    event.starts_at = timezone.now() + dt.timedelta(hours=2)
    event.save()
    out = io.StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "писем 3" in out.getvalue()
    assert OutgoingMessage.objects.filter(status="queued").count() == 3
    event.refresh_from_db()
    assert event.reminder_sent_at is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_reminder_through_a_real_smtp_server(world, meeting, settings):
    from aiosmtpd.controller import Controller

    class Collect:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    handler = Collect()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.OUTBOX_DELIVERY = "cron"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        event = _reminder_setup(world, meeting)
        services.send_due_reminders(now=event.starts_at - dt.timedelta(hours=1))
        call_command("send_queued_mail", stdout=io.StringIO())
    finally:
        controller.stop()
    assert sorted(m.rcpt_tos[0] for m in handler.messages) == sorted(
        [world.librarian.email, world.librarian_b.email, world.head.email]
    )
    import email

    parsed = email.message_from_bytes(handler.messages[0].content)
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    cal = icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))
    assert cal.walk("VEVENT")[0].decoded("dtstart") == event.starts_at


def test_private_feed_lists_district_events_and_follows_renewal(world, login, meeting, make_event):
    other = make_event(district=world.other_district, title="Чужой вебинар")
    client = login(world.librarian)
    page = client.get(reverse("calendar_subscribe"))
    token = FeedToken.objects.get(user=world.librarian)
    assert token.key in page.content.decode()
    client.logout()
    feed = client.get(reverse("calendar_feed", args=[token.key]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(feed.content)
    summaries = [str(e["summary"]) for e in cal.walk("VEVENT")]
    assert summaries == ["Заседание ММО"]
    assert other.title not in feed.content.decode()
    old = token.key
    login(world.librarian).post(reverse("calendar_subscribe"), {"renew": "1"})
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    world.librarian.is_active = False
    world.librarian.save()
    new = FeedToken.objects.get(user=world.librarian).key
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 404


def _minutes(world, meeting, published=False) -> Minutes:
    services.register(meeting, world.librarian)
    services.register(meeting, world.librarian_b)
    services.register(meeting, world.head)
    services.mark_attendance(meeting, [world.librarian.pk, world.head.pk])
    world.head.first_name, world.head.patronymic = "Анна", "Викторовна"
    world.head.save()
    return Minutes.objects.create(
        event=meeting,
        number="3",
        date=meeting.starts_at.date(),
        chair=world.head,
        secretary=world.librarian_b,
        is_published=published,
    )


def test_minutes_docx_reads_back(world, meeting):
    from docx import Document

    minutes = _minutes(world, meeting)
    doc = Document(io.BytesIO(minutes_docx(minutes)))
    text = [p.text for p in doc.paragraphs]
    assert "ПРОТОКОЛ" in text
    assert any(t.startswith(f"{minutes.date:%d.%m.%Y}") and t.endswith("№ 3") for t in text)
    assert "Председатель — Head Анна Викторовна" in text
    assert "Присутствовали: 2 чел." in text
    assert "1. СЛУШАЛИ:" in text and "2. СЛУШАЛИ:" in text
    assert "Провести квест во всех школах." in text
    assert "Информацию принять к сведению." in text  # the item without a decision
    assert any("«Квест- как форма работы по продвижению чтения»" in t for t in text)
    assert any(t.endswith("А. В. Head") for t in text)


def test_minutes_visibility(world, login, meeting):
    minutes = _minutes(world, meeting)
    url = reverse("minutes_docx", args=[meeting.pk])
    assert login(world.librarian).get(url).status_code == 403
    assert login(world.department).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
    minutes.is_published = True
    minutes.save()
    response = login(world.librarian).get(url)
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_head_writes_the_minutes(world, login, meeting):
    services.mark_attendance(meeting, [])
    item = meeting.agenda.first()
    response = login(world.head).post(
        reverse("minutes_edit", args=[meeting.pk]),
        {
            "number": "1",
            "date": "2030-03-24",
            "chair": world.head.pk,
            "secretary": world.librarian.pk,
            "is_published": "on",
            f"item{item.pk}-heard": "Слушали доклад",
            f"item{item.pk}-decision": "Одобрить",
        },
    )
    assert response.status_code == 302
    minutes = Minutes.objects.get(event=meeting)
    assert minutes.is_published and minutes.secretary == world.librarian
    item.refresh_from_db()
    assert item.decision == "Одобрить"
    page = login(world.librarian_b).get(reverse("minutes_detail", args=[meeting.pk]))
    assert "Одобрить" in page.content.decode()


def test_minutes_pdf(world, login, meeting):
    if services.soffice() is None:
        pytest.skip("LibreOffice (soffice) не установлен: проверка PDF пропущена")
    _minutes(world, meeting, published=True)
    response = login(world.librarian).get(reverse("minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert b"/Type /Page" in response.content or b"/Type/Page" in response.content
    from urllib.parse import quote

    assert quote("Протокол № 3 от") in response["Content-Disposition"]


def test_feed_query_count_is_bounded(world, client, make_event, django_assert_max_num_queries):
    from bibliomo.events.models import AgendaItem

    for n in range(30):
        event = make_event(title=f"Вебинар {n}")
        AgendaItem.objects.create(event=event, topic="Тема", speaker=world.librarian)
    key = FeedToken.for_user(world.librarian_b).key
    with django_assert_max_num_queries(6):
        response = client.get(reverse("calendar_feed", args=[key]))
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 30
