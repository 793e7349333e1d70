from __future__ import annotations

import pytest

from bibliomo.fund import services
from bibliomo.fund.models import Document, Holding
from bibliomo.fund.tests.conftest import document


def _receipt(number="Н-1", copies=10, post=True):
    return {
        "kind": "receipt", "number": number, "date": "2025-08-25", "source": "purchase",
        "lines": [{"entry_number": "1.1.2.4.1.1.1", "copies": copies, "price": "400.00"}],
        "post": post,
    }  # fmt: skip


def test_create_and_post_documents_through_the_api(world, entries, login):
    client = login(world.librarian)
    url = f"/api/schools/{world.school_a.pk}/documents"
    response = client.post(url, _receipt(), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "posted"
    writeoff = {**_receipt("А-1", 15), "kind": "writeoff", "source": "", "reason": "lost"}
    response = client.post(url, writeoff, content_type="application/json")
    assert response.status_code == 409
    assert "Нельзя списать 15 экз." in response.json()["detail"]
    assert Document.objects.count() == 1  # the refused act was not kept either
    holdings = client.get(f"/api/schools/{world.school_a.pk}/holdings").json()
    assert holdings == [
        {"entry_id": entries["math5"].pk, "entry_number": "1.1.2.4.1.1.1", "receipt_year": 2025,
         "copies": 10, "worn": 0}
    ]  # fmt: skip
    draft = client.post(url, _receipt("Н-2", 5, post=False), content_type="application/json")
    response = client.post(f"/api/documents/{draft.json()['id']}/post")
    assert response.status_code == 200
    assert response.json()["status"] == "posted"
    assert Holding.objects.get(school=world.school_a, receipt_year=2025).copies == 15


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [("librarian", 200, 201), ("department", 200, 403), ("librarian_b", 403, 403),
     ("outsider", 404, 404)],
)  # fmt: skip
def test_api_permissions(world, entries, login, role, read, write):
    client = login(world.user(role))
    base = f"/api/schools/{world.school_a.pk}"
    for path in ("documents", "holdings", "curriculum", "enrolment", "provision"):
        assert client.get(f"{base}/{path}").status_code == read, path
    response = client.post(f"{base}/documents", _receipt(), content_type="application/json")
    assert response.status_code == write
    doc = document(world.school_a, "receipt", [(entries["math5"], 2)])
    expected = 200 if write == 201 else write
    assert client.post(f"/api/documents/{doc.pk}/post").status_code == expected


def test_curriculum_enrolment_and_provision_api(world, entries, login):
    client = login(world.librarian)
    base = f"/api/schools/{world.school_a.pk}"
    response = client.post(
        f"{base}/curriculum?year=2025",
        {"grade": 5, "subject": "Математика", "entry_number": "1.1.2.4.1.1.1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.put(
        f"{base}/enrolment?year=2025",
        [{"grade": 5, "classes": 1, "students": 20}],
        content_type="application/json",
    )
    assert response.status_code == 200
    services.post(document(world.school_a, "receipt", [(entries["math5"], 15)]))
    data = client.get(f"{base}/provision?year=2025").json()
    assert (data["students"], data["covered"], data["percent"]) == (20, 15, 75.0)
    assert data["pairs"][0]["shortage"] == 5
    district = client.get("/api/provision?year=2025").json()
    assert {
        "school_id": world.school_a.pk,
        "students": 20,
        "covered": 15,
        "percent": 75.0,
    } in district
    found = client.get("/api/textbooks?q=виленкин").json()
    assert [e["number"] for e in found["items"]] == ["1.1.2.4.1.1.1"]
