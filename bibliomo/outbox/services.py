"""The outbox: every e-mail of the system is queued here and delivered later.

``render_mail`` writes a letter's text from its template (``templates/<app>/email_*.txt``:
every app's letters are templates, none is an f-string in the code); ``queue_mail`` stores
the message in the database (inside the caller's transaction, so a rolled-back action
sends nothing); ``send_queued`` delivers through Django's mail framework, retrying
failures with a growing pause and never dropping a message.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import Context, Engine
from django.utils import timezone

from bibliomo.outbox.models import OutgoingMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/octet-stream"


def render_mail(template: str, context: Mapping[str, object]) -> str:
    """The plain text of a letter from its template. A text letter is not HTML: names
    such as «Школа № 1 "Радуга"» must reach the reader as written, so nothing is escaped.
    The blank lines that ``{% if %}`` blocks leave are folded into one."""
    letter = Engine.get_default().get_template(template)
    rendered = letter.render(Context(dict(context), autoescape=False))
    text = "\n".join(line.rstrip() for line in rendered.strip().splitlines())
    return re.sub(r"\n{3,}", "\n\n", text) + "\n"


def queue_mail(
    to: str | Sequence[str],
    subject: str,
    body: str,
    *,
    html: str = "",
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> OutgoingMessage | None:
    recipients = [to] if isinstance(to, str) else [r for r in to if r]
    if not recipients:
        return None
    message = OutgoingMessage.objects.create(
        to=list(recipients),
        subject=subject[:300],
        body=body,
        html=html,
        headers=headers or {},
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content_b64": base64.b64encode(a.content).decode(),
            }
            for a in attachments
        ],
    )
    if settings.OUTBOX_DELIVERY == "commit":
        transaction.on_commit(lambda: send_queued(ids=[message.pk]))
    elif settings.OUTBOX_DELIVERY == "sync":
        send_queued(ids=[message.pk])
    return message


def _build(message: OutgoingMessage, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.to,
        headers=message.headers or None,
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for item in message.attachments:
        email.attach(item["filename"], base64.b64decode(item["content_b64"]), item["mimetype"])
    return email


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2**attempts, 24 * 60))


def send_queued(limit: int = 200, ids: Sequence[int] | None = None) -> tuple[int, int]:
    """Deliver due messages; returns (sent, failed this run)."""
    now = timezone.now()
    due = OutgoingMessage.objects.filter(status=OutgoingMessage.Status.QUEUED)
    if ids is not None:
        due = due.filter(pk__in=ids)
    else:
        due = due.exclude(next_attempt_at__gt=now)
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    for message in due.order_by("created_at")[:limit]:
        try:
            _build(message, connection).send()
        except Exception as exc:  # any transport error: keep the message and retry later
            failed += 1
            message.attempts += 1
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutgoingMessage.Status.FAILED
            message.next_attempt_at = now + _retry_delay(message.attempts)
            log.warning("outbox: message %s not sent: %s", message.pk, message.last_error)
        else:
            sent += 1
            message.attempts += 1
            message.status = OutgoingMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(
            update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"]
        )
    return sent, failed
