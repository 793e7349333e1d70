import pytest

from bibliomo.accounts.models import ApiToken
from bibliomo.directory.models import AcademicYear
from bibliomo.plans import demo
from bibliomo.plans.models import PlanItem, PlanItemExecution

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def plan(world):
    return demo.build(world.district, AcademicYear.open(2021))


def test_members_read_the_plan_with_sections_and_items(world, client, plan):
    response = client.get(f"/api/plans/{plan.pk}", **bearer(world.librarian_b))
    assert response.status_code == 200
    data = response.json()
    assert data["year_label"] == "2021/2022 учебный год"
    assert len(data["tasks"]) == 5
    assert [s["number"] for s in data["sections"]] == ["", "", "2.", ""]
    methodical = data["sections"][1]["items"]
    assert [i["number"] for i in methodical] == ["1", "4", "6", "7", "9"]
    assert methodical[0]["timing_text"] == "Май–сентябрь"
    meeting = data["sections"][3]["items"]
    assert [i["parent_id"] is not None for i in meeting] == [False, False, True, True, True, True]
    listed = client.get("/api/plans", **bearer(world.department)).json()
    assert [p["id"] for p in listed] == [plan.pk]
    items = client.get(
        f"/api/plans/{plan.pk}/items?indicator=publications", **bearer(world.librarian)
    ).json()
    assert [i["number"] for i in items] == ["9"]


def test_other_district_gets_404(world, client, plan):
    headers = bearer(world.outsider)
    item = PlanItem.objects.filter(section__plan=plan).first()
    assert client.get(f"/api/plans/{plan.pk}", **headers).status_code == 404
    assert client.get(f"/api/plan-items/{item.pk}/executions", **headers).status_code == 404
    assert client.get("/api/plans", **headers).json() == []


def test_head_writes_others_may_not(world, client, plan):
    section = plan.sections.first()
    payload = {"section_id": section.pk, "number": "3", "content": "Новый пункт",
               "timing_kind": "months", "month_from": 3, "month_to": 3,
               "responsible_people": [world.librarian.pk]}  # fmt: skip
    for user in (world.librarian, world.department):
        response = client.post(
            f"/api/plans/{plan.pk}/items", payload, content_type="application/json",
            **bearer(user),
        )  # fmt: skip
        assert response.status_code == 403
    # The demo plan is a draft here: head may write.
    response = client.post(
        f"/api/plans/{plan.pk}/items", payload, content_type="application/json",
        **bearer(world.head),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["timing_text"] == "Март"
    assert created["responsible_people"] == [world.librarian.pk]
    patch = client.patch(
        f"/api/plan-items/{created['id']}", {"content": "Изменённый"},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert patch.json()["content"] == "Изменённый"
    bad = client.patch(
        f"/api/plan-items/{created['id']}", {"timing_kind": "date"},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert bad.status_code == 422
    assert "Укажите дату" in bad.json()["detail"]
    foreign = client.patch(
        f"/api/plan-items/{created['id']}", {"responsible_people": [world.outsider.pk]},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert foreign.status_code == 422
    other_section = plan.sections.last()
    misplaced = client.post(
        f"/api/plans/{plan.pk}/items",
        {**payload, "section_id": other_section.pk, "parent_id": created["id"]},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert misplaced.status_code == 422
    assert "том же разделе" in misplaced.json()["detail"]
    missing = client.post(
        f"/api/plans/{plan.pk}/items", {**payload, "parent_id": 999999},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert missing.status_code == 422
    plan.status = "approved"
    plan.save()
    locked = client.patch(
        f"/api/plan-items/{created['id']}", {"content": "ещё"},
        content_type="application/json", **bearer(world.head),
    )  # fmt: skip
    assert locked.status_code == 403
    assert PlanItem.objects.get(pk=created["id"]).content == "Изменённый"


def test_executions_through_the_api(world, client, plan):
    item = PlanItem.objects.get(section__plan=plan, number="9")
    body = {"date": "2022-02-01", "status": "done", "indicator_value": 3, "note": "3 статьи"}
    url = f"/api/plan-items/{item.pk}/executions"
    denied = client.post(url, body, content_type="application/json", **bearer(world.librarian))
    assert denied.status_code == 403
    response = client.post(url, body, content_type="application/json", **bearer(world.head))
    assert response.status_code == 201
    assert response.json()["indicator_value"] == 3
    wrong = client.post(
        url, {**body, "status": "finished"}, content_type="application/json",
        **bearer(world.head),
    )  # fmt: skip
    assert wrong.status_code == 422
    listed = client.get(url, **bearer(world.librarian)).json()
    assert [r["note"] for r in listed] == ["3 статьи"]
    assert PlanItemExecution.objects.get().created_by == world.head


def test_plan_header_and_workflow_through_the_api(world, client):
    headers = {"content_type": "application/json"}
    body = {"start_year": 2023, "title": "План на 2023-2024", "tasks": ["первая", "вторая"]}
    assert client.post("/api/plans", body, **headers, **bearer(world.librarian)).status_code == 403
    created = client.post("/api/plans", body, **headers, **bearer(world.head))
    assert created.status_code == 201
    assert created.json()["tasks"] == ["первая", "вторая"]
    plan_id = created.json()["id"]
    again = client.post("/api/plans", body, **headers, **bearer(world.head))
    assert again.status_code == 409
    patched = client.patch(
        f"/api/plans/{plan_id}", {"theme": "Чтение"}, **headers, **bearer(world.head)
    )
    assert patched.json()["theme"] == "Чтение"

    def act(name, user, comment=""):
        return client.post(
            f"/api/plans/{plan_id}/actions/{name}", {"comment": comment}, **headers,
            **bearer(user),
        )  # fmt: skip

    assert act("approve", world.department).status_code == 409  # not submitted yet
    assert act("submit", world.librarian).status_code == 403
    assert act("submit", world.head).json()["status"] == "submitted"
    assert act("approve", world.head).status_code == 403
    assert act("return", world.department).status_code == 409  # a comment is required
    returned = act("return", world.department, "Добавьте сроки").json()
    assert (returned["status"], returned["return_comment"]) == ("returned", "Добавьте сроки")
    act("submit", world.head)
    approved = act("approve", world.department).json()
    assert approved["status"] == "approved"
    assert approved["approved_by_id"] == world.department.pk
    locked = client.patch(f"/api/plans/{plan_id}", {"theme": "x"}, **headers, **bearer(world.head))
    assert locked.status_code == 403
    assert act("reopen", world.department).json()["status"] == "draft"
    assert act("fly", world.department).status_code == 404
    assert act("submit", world.outsider).status_code == 404
