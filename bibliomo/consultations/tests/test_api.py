"""The consultations API: the same rules as the pages (``consultations.rules``)."""

from __future__ import annotations

from bibliomo.accounts.models import ApiToken
from bibliomo.consultations import services
from bibliomo.consultations.models import Consultation


def _api(client, user):
    _, key = ApiToken.issue(user, "test")
    return lambda method, url, **kw: getattr(client, method)(
        "/api" + url, HTTP_AUTHORIZATION=f"Bearer {key}", content_type="application/json", **kw
    )


def _question(world, author=None) -> Consultation:
    return services.ask(
        Consultation(
            district=world.district,
            author=author or world.librarian,
            category="writeoff",
            subject="Списание",
            question="Как списать?",
        )
    )


def test_consultations_api_shows_a_librarian_only_their_own(world, client):
    librarian = _api(client, world.librarian)
    response = librarian(
        "post",
        "/consultations",
        data={"category": "writeoff", "subject": "Списание", "question": "Как списать?"},
    )
    assert response.status_code == 201
    own_id = response.json()["id"]
    other = services.ask(
        Consultation(
            district=world.district,
            author=world.librarian_b,
            category="order",
            subject="Заказ",
            question="Сколько?",
        )
    )
    ids = [c["id"] for c in librarian("get", "/consultations").json()["items"]]
    assert ids == [own_id]
    assert librarian("get", f"/consultations/{other.pk}").status_code == 403
    assert _api(client, world.outsider)("get", f"/consultations/{own_id}").status_code == 404
    head = _api(client, world.head)
    assert len(head("get", "/consultations").json()["items"]) == 2
    assert (
        librarian("post", f"/consultations/{other.pk}/messages", data={"text": "x"}).status_code
        == 403
    )
    response = head("post", f"/consultations/{own_id}/messages", data={"text": "Составьте акт"})
    assert response.json()["status"] == "answered"
    # published questions are visible to everyone through the FAQ, without personal details
    services.publish(
        Consultation.objects.get(pk=own_id), "Как списать?", "Составьте акт", world.head
    )
    faq = _api(client, world.librarian_b)("get", "/consultations/faq?q=СПИСАНИЕ").json()["items"]
    assert [f["answer"] for f in faq] == ["Составьте акт"]
    assert "author_id" not in faq[0]
    bad = librarian(
        "post", "/consultations", data={"category": "x", "subject": "a", "question": "b"}
    )
    assert bad.status_code == 422


def test_take_and_close_through_the_api_follow_the_rules(world, client):
    question = _question(world)
    librarian = _api(client, world.librarian)
    head = _api(client, world.head)
    refused = librarian("post", f"/consultations/{question.pk}/take")
    assert refused.status_code == 403
    assert "руководитель ММО" in refused.json()["detail"]
    assert head("post", f"/consultations/{question.pk}/take").json()["status"] == "in_work"
    # Taken once: a second take is refused, the question stays in work.
    assert head("post", f"/consultations/{question.pk}/take").status_code == 403
    assert librarian("post", f"/consultations/{question.pk}/close").json()["status"] == "closed"
    assert (
        _api(client, world.outsider)("post", f"/consultations/{question.pk}/close").status_code
        == 404
    )


def test_take_never_reopens_a_closed_question(world, login):
    """Before, take() set «в работе» on any question, a closed one too."""
    import pytest
    from django.core.exceptions import PermissionDenied
    from django.urls import reverse

    question = _question(world)
    services.close(question, world.librarian)
    with pytest.raises(PermissionDenied):
        services.take(question, world.head)
    question.refresh_from_db()
    assert question.status == Consultation.Status.CLOSED
    response = login(world.head).post(reverse("consultation_take", args=[question.pk]))
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == Consultation.Status.CLOSED


def test_the_page_shows_only_the_allowed_buttons(world, login):
    from django.urls import reverse

    question = _question(world)
    page = (
        login(world.head).get(reverse("consultation_detail", args=[question.pk])).content.decode()
    )
    assert reverse("consultation_take", args=[question.pk]) in page
    page = login(world.librarian).get(reverse("consultation_detail", args=[question.pk]))
    html = page.content.decode()
    assert reverse("consultation_take", args=[question.pk]) not in html
    assert reverse("consultation_close", args=[question.pk]) in html
    services.close(question, world.librarian)
    html = (
        login(world.head).get(reverse("consultation_detail", args=[question.pk])).content.decode()
    )
    assert reverse("consultation_close", args=[question.pk]) not in html
    assert reverse("consultation_take", args=[question.pk]) not in html
