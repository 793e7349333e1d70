from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bibliomo.accounts.models import User
from bibliomo.outbox.services import queue_mail, render_mail


def send_invitation(person: User, invited_by: User) -> None:
    """A letter with a link where the person sets their password (the reset mechanism)."""
    link = settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
    )
    body = render_mail(
        "accounts/invitation_email.txt",
        {"person": person, "invited_by": invited_by, "link": link, "site_url": settings.SITE_URL},
    )
    queue_mail(person.email, "Приглашение в BiblioMO", body)
