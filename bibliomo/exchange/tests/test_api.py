from __future__ import annotations

from bibliomo.accounts.models import ApiToken
from bibliomo.exchange import transfers
from bibliomo.exchange.models import ExchangePlan, Transfer
from bibliomo.exchange.tests.conftest import YEAR
from bibliomo.fund.models import Holding


def auth(user) -> dict:
    _, key = ApiToken.issue(user, "t")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, payload, user):
    return client.post(url, payload, content_type="application/json", **auth(user))


def test_rows_of_own_district(world, district_fund, client):
    f = district_fund
    items = client.get("/api/exchange/rows", {"year": YEAR}, **auth(world.librarian_b)).json()[
        "items"
    ]
    by_key = {(i["school_id"], i["entry_id"]): i for i in items}
    assert by_key[world.school_a.pk, f.math5.pk]["offered"] == 10
    assert by_key[world.school_b.pk, f.math5.pk]["shortage"] == 15
    assert world.school_other.pk not in {i["school_id"] for i in items}
    mine = client.get(
        "/api/exchange/rows", {"year": YEAR, "school_id": world.school_b.pk}, **auth(world.outsider)
    ).json()["items"]
    assert mine == []  # the other district's data never shows


def test_plans_follow_page_permissions(world, district_fund, client):
    payload = {"year": YEAR, "max_km": None}
    assert post(client, "/api/exchange/plans", payload, world.department).status_code == 403
    assert (
        post(client, "/api/exchange/plans", {"year": YEAR, "max_km": -1}, world.head).status_code
        == 422
    )
    created = post(client, "/api/exchange/plans", payload, world.head)
    assert created.status_code == 201
    body = created.json()
    assert (body["covered"], body["uncovered"], body["shipments"]) == (10, 11, 1)
    assert body["lines"][0]["copies"] == 10
    assert body["year"] == YEAR
    plan_url = f"/api/exchange/plans/{body['id']}"
    assert client.get(plan_url, **auth(world.department)).status_code == 200
    assert client.get(plan_url, **auth(world.librarian)).status_code == 403
    assert client.get(plan_url, **auth(world.outsider)).status_code == 404
    assert client.get("/api/exchange/plans", **auth(world.librarian)).status_code == 403
    assert len(client.get("/api/exchange/plans", **auth(world.head)).json()["items"]) == 1
    assert ExchangePlan.objects.get().created_by == world.head


def test_request_and_steps_through_the_api(world, district_fund, client):
    f = district_fund
    created = post(
        client,
        "/api/exchange/transfers",
        {"giver_id": world.school_a.pk, "lines": [{"entry_id": f.math5.pk, "copies": 4}]},
        world.librarian_b,
    )
    assert created.status_code == 201, created.content
    t = created.json()
    url = f"/api/exchange/transfers/{t['id']}"
    assert post(client, f"{url}/agree", {}, world.librarian_b).status_code == 403
    assert post(client, f"{url}/agree", {}, world.librarian).json()["status"] == "agreed"
    assert post(client, f"{url}/ship", {}, world.librarian).json()["status"] == "shipped"
    line = t["lines"][0]["id"]
    short = post(client, f"{url}/receive", {"copies": {str(line): 3}}, world.librarian_b)
    assert short.status_code == 422
    assert "расхождение" in short.json()["detail"]
    done = post(
        client,
        f"{url}/receive",
        {"copies": {str(line): 3}, "discrepancy": "одного нет"},
        world.librarian_b,
    ).json()
    assert done["status"] == "received"
    assert done["lines"][0]["received"] == 3
    assert done["writeoff_id"]
    assert done["receipt_id"]
    assert (
        sum(
            Holding.objects.filter(school=world.school_b, entry=f.math5).values_list(
                "copies", flat=True
            )
        )
        == 13
    )
    assert client.get(url, **auth(world.outsider)).status_code == 404
    listed = client.get("/api/exchange/transfers", **auth(world.librarian)).json()["items"]
    assert [x["id"] for x in listed] == [t["id"]]


def test_bad_requests_are_refused(world, district_fund, client):
    f = district_fund
    other = post(
        client,
        "/api/exchange/transfers",
        {"giver_id": world.school_other.pk, "lines": [{"entry_id": f.math5.pk, "copies": 1}]},
        world.librarian_b,
    )
    assert other.status_code == 422
    unknown = post(
        client,
        "/api/exchange/transfers",
        {"giver_id": world.school_a.pk, "lines": [{"entry_id": 999999, "copies": 1}]},
        world.librarian_b,
    )
    assert unknown.status_code == 422
    assert "999999" in unknown.json()["detail"]
    no_school = post(
        client,
        "/api/exchange/transfers",
        {"giver_id": world.school_a.pk, "lines": [{"entry_id": f.math5.pk, "copies": 1}]},
        world.department,
    )
    assert no_school.status_code == 403
    assert Transfer.objects.count() == 0
    t = transfers.create(world.school_a, world.school_b, [(f.math5.pk, 40)], user=None)
    too_many = post(client, f"/api/exchange/transfers/{t.pk}/agree", {}, world.librarian)
    assert too_many.status_code == 422
    assert "свободно 30 экз." in too_many.json()["detail"]
