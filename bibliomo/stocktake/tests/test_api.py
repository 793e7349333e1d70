from __future__ import annotations

from bibliomo.stocktake.models import Stocktake
from bibliomo.stocktake.tests.conftest import count_all


def test_api_lines_and_counts_with_versions(st_a, world, login):
    client = login(world.librarian)
    lines = client.get(f"/api/stocktakes/school/{st_a.pk}/lines").json()
    assert len(lines) == 3
    assert lines[0]["version"] == 0
    url = f"/api/stocktakes/school/{st_a.pk}/lines/{lines[0]['id']}"
    ok = client.put(url, {"counted": 4, "version": 0}, content_type="application/json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 1
    stale = client.put(url, {"counted": 6, "version": 0}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["counted"] == 4
    bad = client.put(url, {"counted": -3, "version": 1}, content_type="application/json")
    assert bad.status_code == 422
    other = login(world.librarian_b)
    assert (
        other.put(url, {"counted": 1, "version": 1}, content_type="application/json").status_code
        == 403
    )
    assert login(world.outsider).get(f"/api/stocktakes/school/{st_a.pk}/lines").status_code == 404


def test_api_workflow(st_a, world, login, campaign):
    count_all(st_a, {("Математика", 2023): 19}, world.librarian)
    st_a.commission = "Петрова А. А."
    st_a.save()
    client = login(world.librarian)
    assert client.post(f"/api/stocktakes/school/{st_a.pk}/submit").json()["shortage_copies"] == 1
    assert (
        client.post(
            f"/api/stocktakes/school/{st_a.pk}/accept", {}, content_type="application/json"
        ).status_code
        == 403
    )
    head = login(world.head)
    done = head.post(f"/api/stocktakes/school/{st_a.pk}/accept", {"act_number": "5"},
                     content_type="application/json")  # fmt: skip
    assert done.status_code == 200
    assert done.json()["writeoff_id"]
    assert Stocktake.objects.get(pk=st_a.pk).status == "accepted"
    schools = head.get(f"/api/stocktakes/{campaign.pk}/schools").json()
    row = next(r for r in schools if r["id"] == st_a.pk)
    assert row["counted"] == row["lines"] == 3
    assert login(world.librarian).get(f"/api/stocktakes/{campaign.pk}/schools").status_code == 403


def test_api_opens_a_campaign(world, books, login):
    data = {"name": "API", "order_number": "1", "order_date": "2026-01-10",
            "deadline": "2099-01-01", "subjects": ["История"]}  # fmt: skip
    assert (
        login(world.librarian)
        .post("/api/stocktakes", data, content_type="application/json")
        .status_code
        == 403
    )
    response = login(world.head).post("/api/stocktakes", data, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["subjects"] == ["История"]
    assert [c["name"] for c in login(world.librarian).get("/api/stocktakes").json()] == ["API"]
    assert login(world.outsider).get("/api/stocktakes").json() == []
