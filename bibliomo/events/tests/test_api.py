from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bibliomo.accounts.models import ApiToken
from bibliomo.events import services
from bibliomo.events.models import Minutes


def _api(client, user):
    _, key = ApiToken.issue(user, "test")
    return lambda method, url, **kw: getattr(client, method)(
        "/api" + url, HTTP_AUTHORIZATION=f"Bearer {key}", content_type="application/json", **kw
    )


def test_events_flow_through_the_api(world, client, meeting):
    head = _api(client, world.head)
    response = head(
        "post",
        "/events",
        data={
            "kind": "webinar",
            "title": "Вебинар АКИПКРО",
            "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
            "organiser": "akipkro",
            "capacity": 1,
        },
    )
    assert response.status_code == 201, response.content
    event_id = response.json()["id"]
    response = head(
        "post", f"/events/{event_id}/agenda", data={"topic": "Чтение", "speaker_name": "Петров"}
    )
    assert response.status_code == 201
    librarian = _api(client, world.librarian)
    assert librarian("post", f"/events/{event_id}/registration").json()["status"] == "registered"
    librarian_b = _api(client, world.librarian_b)
    assert librarian_b("post", f"/events/{event_id}/registration").json()["status"] == "waiting"
    assert librarian("delete", f"/events/{event_id}/registration").status_code == 204
    rows = head("get", f"/events/{event_id}/registrations").json()
    assert [(r["person_id"], r["status"]) for r in rows] == [(world.librarian_b.pk, "registered")]
    assert librarian("get", f"/events/{event_id}/registrations").status_code == 403
    assert (
        librarian("put", f"/events/{event_id}/attendance", data={"present": []}).status_code == 403
    )
    response = head(
        "put", f"/events/{event_id}/attendance", data={"present": [world.librarian_b.pk]}
    )
    assert response.json() == {"participants": 1}
    detail = librarian("get", f"/events/{event_id}").json()
    assert detail["status"] == "held"
    assert detail["agenda"][0]["speaker"] == "Петров"


def test_event_api_permissions(world, client, meeting):
    outsider = _api(client, world.outsider)
    assert outsider("get", f"/events/{meeting.pk}").status_code == 404
    assert outsider("post", f"/events/{meeting.pk}/registration").status_code == 404
    assert [e["id"] for e in outsider("get", "/events").json()["items"]] == []
    librarian = _api(client, world.librarian)
    response = librarian("post", "/events", data={"title": "x", "starts_at": "2030-01-01T10:00"})
    assert response.status_code == 403
    assert client.get("/api/events").status_code == 401


def test_minutes_api_follows_publication(world, client, meeting):
    services.register(meeting, world.librarian)
    services.mark_attendance(meeting, [world.librarian.pk])
    minutes = Minutes.objects.create(
        event=meeting, number="1", date=meeting.starts_at.date(), chair=world.head
    )
    librarian = _api(client, world.librarian)
    # As on the page: the unpublished minutes exist, but not for her yet.
    assert librarian("get", f"/events/{meeting.pk}/minutes").status_code == 403
    department = _api(client, world.department)
    data = department("get", f"/events/{meeting.pk}/minutes").json()
    assert data["present"] == 1
    assert data["items"][0]["decision"] == "Провести квест во всех школах."
    minutes.is_published = True
    minutes.save()
    assert librarian("get", f"/events/{meeting.pk}/minutes").status_code == 200


def test_api_links_an_event_only_to_own_district_plan_items(world, client):
    from bibliomo.plans.tests.factories import make_item, make_plan, make_section

    own = make_item(make_section(make_plan(world.district)), "Заседания")
    other = make_item(make_section(make_plan(world.other_district)), "Чужой пункт")
    head = _api(client, world.head)
    data = {"title": "Заседание", "starts_at": "2030-03-24T10:00:00+07:00"}
    assert head("post", "/events", data={**data, "plan_item_id": other.pk}).status_code == 422
    response = head("post", "/events", data={**data, "plan_item_id": own.pk})
    assert response.status_code == 201
    assert response.json()["plan_item_id"] == own.pk
