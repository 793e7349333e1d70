import socket

import pytest
from django.core import mail

from bibliomo.outbox.models import OutgoingMessage
from bibliomo.outbox.services import Attachment, queue_mail, send_queued


def test_queue_then_send(db, settings):
    settings.OUTBOX_DELIVERY = "cron"
    message = queue_mail(
        ["a@example.org"],
        "Тема",
        "Текст",
        attachments=[Attachment("x.ics", b"BEGIN", "text/calendar")],
    )
    assert message.status == OutgoingMessage.Status.QUEUED
    assert len(mail.outbox) == 0
    assert send_queued() == (1, 0)
    message.refresh_from_db()
    assert message.status == OutgoingMessage.Status.SENT
    assert message.sent_at is not None
    assert mail.outbox[0].subject == "Тема"
    assert mail.outbox[0].attachments[0][0] == "x.ics"
    assert send_queued() == (0, 0)  # nothing is sent twice


def test_failure_is_kept_and_retried(db, settings):
    settings.OUTBOX_DELIVERY = "cron"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    queue_mail("a@example.org", "Тема", "Текст")
    assert send_queued() == (0, 1)
    message = OutgoingMessage.objects.get()
    assert message.status == OutgoingMessage.Status.QUEUED
    assert message.attempts == 1
    assert message.last_error
    assert message.next_attempt_at
    assert send_queued() == (0, 0)  # not due yet


def test_queued_mail_is_dropped_with_a_rolled_back_transaction(db):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_mail("a@example.org", "Тема", "Текст")
        raise RuntimeError
    assert not OutgoingMessage.objects.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_delivery_through_a_real_smtp_server(db, settings):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    class Collect(Sink):
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
        queue_mail("librarian@example.org", "Проверка", "Письмо через SMTP")
        assert send_queued() == (1, 0)
    finally:
        controller.stop()
    assert handler.messages[0].rcpt_tos == ["librarian@example.org"]
    assert (
        "Письмо через SMTP".encode() in handler.messages[0].content
        or b"utf-8" in handler.messages[0].content.lower()
    )


def test_send_queued_mail_command(db, settings, capsys):
    from django.core.management import call_command

    settings.OUTBOX_DELIVERY = "cron"
    queue_mail("a@example.org", "Т", "Т")
    call_command("send_queued_mail")
    assert "Отправлено: 1" in capsys.readouterr().out
