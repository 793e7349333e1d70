import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from bibliomo.accounts.models import Role
from bibliomo.bulletin import selectors, services
from bibliomo.bulletin.models import Delivery, Document, News, Newsletter, Unsubscription
from bibliomo.outbox.models import OutgoingMessage
from conftest import make_user


@pytest.fixture
def newsletter(world):
    news = News.objects.create(
        district=world.district, kind=News.Kind.WEBINAR, title="Вебинар АКИПКРО"
    )
    doc = Document.objects.create(
        district=world.district,
        kind=Document.Kind.LAW,
        number="78-ФЗ",
        date="1994-12-29",
        title="О библиотечном деле",
    )
    letter = Newsletter.objects.create(
        district=world.district,
        subject="Анонс вебинара",
        body="<p>Коллеги, <b>приглашаем</b>!</p><script>x()</script>",
        created_by=world.head,
    )
    letter.news.add(news)
    letter.documents.add(doc)
    return letter


def _link(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>")


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_send_to_every_member_with_one_click_headers(world, newsletter):
    result = services.send_newsletter(newsletter)
    # Everyone of the district with an e-mail; not the other district's librarian.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        u.email
        for u in (
            world.admin,
            world.head,
            world.department,
            world.librarian,
            world.librarian_b,
        )
    )
    assert result.queued == 5
    assert result.skipped == 0
    letter = next(m for m in mail.outbox if m.to == [world.librarian.email])
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = _link(letter)
    assert link.startswith("http")
    assert "/unsubscribe/" in link
    assert link in letter.body  # the plain part carries the same link
    html = letter.alternatives[0][0]
    assert "<b>приглашаем</b>" in html
    assert "<script" not in html
    assert "Вебинар АКИПКРО" in letter.body
    assert "№ 78-ФЗ" in letter.body
    # Each recipient gets their own link.
    assert len({_link(m) for m in mail.outbox}) == 5
    # Sending again does nothing.
    assert services.send_newsletter(newsletter).queued == 0
    assert len(mail.outbox) == 5


def test_audience_by_role(world, newsletter):
    newsletter.audience = Newsletter.Audience.LIBRARIAN
    newsletter.save()
    services.send_newsletter(newsletter)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.librarian.email, world.librarian_b.email]
    )


def test_unsubscribe_link_works_without_login_and_only_for_its_owner(world, newsletter):
    services.send_newsletter(newsletter)
    letter = next(m for m in mail.outbox if m.to == [world.librarian.email])
    path = _path(_link(letter))
    anonymous = Client(enforce_csrf_checks=True)
    # A GET (a mail scanner following the link) only asks.
    page = anonymous.get(path)
    assert page.status_code == 200
    assert "Отписаться" in page.content.decode()
    assert not Unsubscription.objects.exists()
    # The one-click POST of RFC 8058 comes without a CSRF token.
    done = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "больше не получает" in done.content.decode()
    assert list(Unsubscription.objects.values_list("user", flat=True)) == [world.librarian.pk]
    assert Delivery.objects.get(user=world.librarian).unsubscribed_at is not None
    assert selectors.delivery_counts(newsletter)["unsubscribed"] == 1


def test_token_cannot_be_altered_to_unsubscribe_someone_else(world, newsletter):
    token = services.unsubscribe_token(world.librarian, newsletter)
    payload = token.split(":")[0]
    forged_payload = signing.b64_encode(
        signing.JSONSerializer().dumps({"u": world.librarian_b.pk, "n": newsletter.pk})
    ).decode()
    forged = token.replace(payload, forged_payload)
    client = Client()
    for bad in (forged, "garbage", token[:-2] + "xx"):
        response = client.post(reverse("unsubscribe", args=[bad]))
        assert response.status_code == 404
    # A token signed for another purpose is refused too.
    other_salt = signing.dumps({"u": world.librarian_b.pk, "n": None})
    assert client.post(reverse("unsubscribe", args=[other_salt])).status_code == 404
    assert not Unsubscription.objects.exists()


def test_unsubscribed_members_are_skipped_and_may_resubscribe(world, newsletter, login):
    services.unsubscribe(world.librarian)
    result = services.send_newsletter(newsletter)
    assert result.skipped == 1
    assert world.librarian.email not in [m.to[0] for m in mail.outbox]
    assert selectors.delivery_counts(newsletter)["skipped"] == 1
    page = login(world.librarian)
    profile = page.get(reverse("profile")).content.decode()
    assert "Вы отписаны от рассылок" in profile
    page.post(reverse("subscription"), {"subscribe": "1"})
    assert selectors.is_subscribed(world.librarian)
    assert "Вы получаете электронные рассылки" in page.get(reverse("profile")).content.decode()
    page.post(reverse("subscription"), {"subscribe": "0"})
    assert not selectors.is_subscribed(world.librarian)


def test_newsletter_page_counts_sent_failed_and_unsubscribed(world, newsletter, login):
    services.send_newsletter(newsletter)
    deliveries = list(Delivery.objects.filter(newsletter=newsletter).order_by("pk"))
    OutgoingMessage.objects.filter(pk=deliveries[0].message_id).update(
        status=OutgoingMessage.Status.FAILED
    )
    services.unsubscribe(deliveries[1].user, newsletter.pk)
    html = login(world.head).get(reverse("newsletter_detail", args=[newsletter.pk]))
    counts = html.context["counts"]
    assert (counts["sent"], counts["failed"], counts["unsubscribed"]) == (4, 1, 1)
    assert 'id="counts"' in html.content.decode()


def test_head_writes_previews_and_sends(world, login):
    page = login(world.head)
    response = page.post(
        reverse("newsletter_create"),
        {"subject": "Новые документы", "body": "Текст письма", "audience": "all"},
    )
    letter = Newsletter.objects.get(subject="Новые документы")
    assert response.status_code == 302
    assert letter.created_by == world.head
    preview = page.get(reverse("newsletter_detail", args=[letter.pk])).content.decode()
    assert "Текст письма" in preview
    assert "5 участников с e-mail" in preview
    page.post(reverse("newsletter_send", args=[letter.pk]))
    assert len(mail.outbox) == 5
    # A sent newsletter is not edited any more.
    page.post(reverse("newsletter_edit", args=[letter.pk]), {"subject": "x", "body": "y"})
    letter.refresh_from_db()
    assert letter.subject == "Новые документы"


def test_librarian_cannot_send(world, newsletter, login):
    response = login(world.librarian).post(reverse("newsletter_send", args=[newsletter.pk]))
    assert response.status_code == 403
    assert not mail.outbox
    outsider_head = make_user("head2", Role.HEAD, world.other_district)
    response = login(outsider_head).post(reverse("newsletter_send", args=[newsletter.pk]))
    assert response.status_code == 404
    assert not mail.outbox


def test_profile_subscription_form_carries_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.librarian, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    html = client.get(reverse("profile")).content.decode()
    card = html.split('id="subscription"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', card).group(1)
    response = client.post(
        reverse("subscription"), {"subscribe": "0", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert not selectors.is_subscribed(world.librarian)
