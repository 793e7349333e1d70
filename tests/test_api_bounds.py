"""The API answers out-of-range and anonymous requests with a Russian 4xx, never a 500,
and its OpenAPI schema tells the truth about bodies and answers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from bibliomo.accounts.models import ApiToken
from bibliomo.orders.models import OrderCampaign
from bibliomo.orders.services import open_campaign

CYRILLIC = re.compile("[а-яё]{4}", re.IGNORECASE)


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 't')[1]}"}


@pytest.fixture
def schema(client, db):
    return client.get("/api/openapi.json").json()


def _body_ref(schema, path, method="post") -> str:
    content = schema["paths"][path][method]["requestBody"]["content"]["application/json"]
    return content["schema"]["$ref"].rsplit("/", 1)[-1]


def test_schema_classes_of_the_same_name_do_not_overwrite_each_other(schema):
    plan_body = schema["components"]["schemas"][_body_ref(schema, "/api/plans")]
    assert "start_year" in plan_body["properties"]  # the work plan's, not the exchange's
    doc_body = schema["components"]["schemas"][
        _body_ref(schema, "/api/schools/{school_id}/documents")
    ]
    assert "lines" in doc_body["properties"]  # a fund document, not a regulatory one


def test_no_two_api_schema_classes_share_a_name():
    import importlib
    import inspect
    from pathlib import Path

    from ninja import Schema

    names: list[str] = []
    for path in sorted(Path(__file__).resolve().parent.parent.glob("bibliomo/*/api.py")):
        module = importlib.import_module(f"bibliomo.{path.parent.name}.api")
        names += [
            name
            for name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Schema) and cls.__module__ == module.__name__
        ]
    assert len(names) > 20
    duplicates = {n for n in names if names.count(n) > 1}
    assert duplicates == set()


def test_every_operation_declares_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code in ("401", "403", "404", "409", "422"):
                assert code in operation["responses"], (method, path, code)


def test_anonymous_writes_get_a_russian_401(client, world):
    for path in ("/api/plans", "/api/orders/campaigns", "/api/news"):
        response = client.post(path, {}, content_type="application/json")
        assert response.status_code == 401, path
        assert "Требуется вход" in response.json()["detail"]


def test_out_of_range_campaign_fields_get_a_russian_422(client, world):
    auth = bearer(world.head)
    for body in (
        {"target_year": 2030, "deadline": "2030-04-01", "reserve_percent": "-37074984321748576"},
        {"target_year": 2030, "deadline": "2030-04-01", "reserve_percent": "-5"},
        {"target_year": 2030, "deadline": "2030-04-01", "reserve_percent": "101"},
        {"target_year": -5, "deadline": "2030-04-01"},
        {"target_year": 99999, "deadline": "2030-04-01"},
    ):
        response = client.post(
            "/api/orders/campaigns", body, content_type="application/json", **auth
        )
        assert response.status_code == 422, body
        assert CYRILLIC.search(response.json()["detail"]), response.json()
    assert not OrderCampaign.objects.exists()
    assert client.get("/api/orders/campaigns", **auth).status_code == 200


def test_the_model_refuses_a_negative_reserve(world):
    with pytest.raises(ValidationError, match="больше либо равно 0"):
        open_campaign(world.district, 2030, dt.date(2030, 4, 1), reserve_percent=-5)
    with pytest.raises(ValidationError, match="Учебный год"):
        open_campaign(world.district, -5, dt.date(2030, 4, 1))
    assert not OrderCampaign.objects.exists()


def test_ids_and_pages_beyond_64_bits_are_not_server_errors(client, world):
    auth = bearer(world.head)
    huge = 2**70
    for path in (
        f"/api/schools/{huge}",
        f"/api/plans/{huge}",
        f"/api/orders/campaigns/{huge}",
        f"/api/textbooks?page={huge}",
        f"/api/people?page={huge}",
    ):
        response = client.get(path, **auth)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert CYRILLIC.search(response.json()["detail"]), path


def test_a_branch_of_a_school_that_does_not_exist_is_a_422(client, world):
    response = client.post(
        "/api/schools",
        {"short_name": "Филиал", "full_name": "Филиал школы", "parent_id": 999999},
        content_type="application/json",
        **bearer(world.head),
    )
    assert response.status_code == 422
    assert CYRILLIC.search(response.json()["detail"])


def test_years_in_paths_and_unknown_schools_in_bodies_get_a_422(client, world):
    auth = bearer(world.head)
    for path in ("/api/training/district/1", "/api/analysis/99999", "/api/stats/district/-5"):
        response = client.get(path, **auth)
        assert response.status_code == 422, path
        assert CYRILLIC.search(response.json()["detail"]), path
    body = {
        "name": "Инвентаризация",
        "order_number": "12",
        "order_date": "2026-01-10",
        "starts_on": "2026-01-15",
        "deadline": "2026-02-15",
        "school_ids": [-5, world.school_a.pk],
    }
    response = client.post("/api/stocktakes", body, content_type="application/json", **auth)
    assert response.status_code == 422
    assert CYRILLIC.search(response.json()["detail"])
