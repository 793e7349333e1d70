"""Operations of the bulletin that span models or send mail: newsletters and their
unsubscribe links, the counts of publications for the year."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.bulletin import indicators, selectors
from bibliomo.bulletin.models import Delivery, Newsletter, Unsubscription
from bibliomo.lib import richtext
from bibliomo.outbox.services import queue_mail, render_mail

_SALT = "bibliomo.bulletin.unsubscribe"


# --- unsubscribe tokens ------------------------------------------------------------------


def unsubscribe_token(user: User, newsletter: Newsletter | None = None) -> str:
    """A signed token naming one person: the link works without a login and cannot be
    altered to unsubscribe anybody else."""
    return signing.dumps({"u": user.pk, "n": newsletter.pk if newsletter else None}, salt=_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, int | None] | None:
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    return data["u"], data.get("n")


def unsubscribe_url(user: User, newsletter: Newsletter | None = None) -> str:
    return settings.SITE_URL + reverse("unsubscribe", args=[unsubscribe_token(user, newsletter)])


@transaction.atomic
def unsubscribe(user: User, newsletter_id: int | None = None) -> bool:
    """Returns False when the person had already unsubscribed."""
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first() if newsletter_id else None
    _, created = Unsubscription.objects.get_or_create(
        user=user, defaults={"newsletter": newsletter}
    )
    if created and newsletter is not None:
        Delivery.objects.filter(newsletter=newsletter, user=user).update(
            unsubscribed_at=timezone.now()
        )
    return created


def resubscribe(user: User) -> None:
    Unsubscription.objects.filter(user=user).delete()


# --- newsletters -----------------------------------------------------------------------


def render_letter(newsletter: Newsletter, user: User | None) -> tuple[str, str]:
    """(plain text, HTML) of the letter as this person receives it."""
    context = {
        "newsletter": newsletter,
        "body_text": richtext.to_plain(newsletter.body),
        "news": list(newsletter.news.all()),
        "documents": list(newsletter.documents.all()),
        "site_url": settings.SITE_URL,
        "unsubscribe_url": unsubscribe_url(user, newsletter) if user else "#",
        "recipient": user,
    }
    return (
        render_mail("bulletin/newsletter_email.txt", context),
        render_to_string("bulletin/newsletter_email.html", context),
    )


@dataclass(frozen=True)
class SendResult:
    queued: int
    skipped: int


@transaction.atomic
def send_newsletter(newsletter: Newsletter, user: User | None = None) -> SendResult:
    """Queue one letter per recipient, each with its own unsubscribe link
    (RFC 2369 List-Unsubscribe and RFC 8058 one-click). Sending twice does nothing."""
    locked = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
    if locked.sent_at is not None:
        return SendResult(0, 0)
    people = list(selectors.audience(locked))
    unsubscribed = set(
        Unsubscription.objects.filter(user__in=people).values_list("user_id", flat=True)
    )
    queued = 0
    for person in people:
        if person.pk in unsubscribed:
            continue
        text, html = render_letter(locked, person)
        link = unsubscribe_url(person, locked)
        delivery = Delivery.objects.create(newsletter=locked, user=person)
        delivery.message = queue_mail(
            person.email,
            locked.subject,
            text,
            html=html,
            headers={
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "List-Id": f"<district-{locked.district_id}.{_list_host()}>",
            },
        )
        delivery.save(update_fields=["message"])
        queued += 1
    locked.sent_at = timezone.now()
    locked.skipped = len(unsubscribed)
    locked.save(update_fields=["sent_at", "skipped"])
    newsletter.sent_at, newsletter.skipped = locked.sent_at, locked.skipped
    indicators.newsletter_sent(locked, queued, user)
    return SendResult(queued, len(unsubscribed))


def _list_host() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "bibliomo.local"
