from django.urls import reverse

from bibliomo.accounts.models import ApiToken


def _bearer(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_openapi_schema_and_docs(world, client, login):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/me" in paths
    assert "/api/schools" in paths
    assert "/api/people" in paths
    docs = login(world.librarian).get("/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.content.decode().lower()


def test_openapi_schema_is_built_once_per_process(client, monkeypatch):
    import ninja.main

    from bibliomo.api import api

    built = []
    real = ninja.main.get_schema
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: built.append(1) or real(**kw))
    monkeypatch.setattr(api, "_schemas", {}, raising=False)
    first = client.get("/api/openapi.json").json()
    second = client.get("/api/openapi.json").json()
    assert built == [1]
    assert first == second
    assert "/api/me" in second["paths"]


def test_api_needs_authentication(world, client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert "Требуется вход" in response.json()["detail"]
    assert client.get("/api/me", **_bearer("bmo_wrong")).status_code == 401


def test_token_lifecycle_on_the_profile_page(world, login, client):
    page = login(world.librarian)
    page.post(reverse("token_create"), {"name": "Excel"})
    html = page.get(reverse("profile")).content.decode()
    key = html.split('id="new-key">')[1].split("<")[0]
    assert key.startswith("bmo_")
    # The key is shown once only.
    assert key not in page.get(reverse("profile")).content.decode()
    page.logout()
    me = client.get("/api/me", **_bearer(key))
    assert me.status_code == 200
    assert me.json()["username"] == "librarian"
    token = ApiToken.objects.get(user=world.librarian)
    assert token.last_used_at is not None
    assert key not in token.key_hash
    page = login(world.librarian)
    page.post(reverse("token_revoke", args=[token.pk]))
    page.logout()
    assert client.get("/api/me", **_bearer(key)).status_code == 401


def test_cannot_revoke_someone_elses_token(world, login):
    token, _ = ApiToken.issue(world.head, "head's")
    assert login(world.librarian).post(reverse("token_revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_api_lists_only_own_district(world, client):
    _, key = ApiToken.issue(world.outsider, "t")
    names = [s["short_name"] for s in client.get("/api/schools", **_bearer(key)).json()["items"]]
    assert names == ["Крутихинская СОШ"]
    assert client.get(f"/api/schools/{world.school_a.pk}", **_bearer(key)).status_code == 404
    assert client.get(f"/api/people/{world.librarian.pk}", **_bearer(key)).status_code == 404
    people = client.get("/api/people", **_bearer(key)).json()["items"]
    assert all(p["district_id"] == world.other_district.pk for p in people)


def test_api_search_in_cyrillic(world, client):
    _, key = ApiToken.issue(world.librarian, "t")
    items = client.get("/api/schools", {"q": "каменская"}, **_bearer(key)).json()["items"]
    assert [s["short_name"] for s in items] == ["Каменская СОШ № 1"]
    people = client.get("/api/people", {"q": "КУЗНЕЦОВА"}, **_bearer(key)).json()["items"]
    assert [p["username"] if "username" in p else p["last_name"] for p in people] == ["Кузнецова"]


def test_api_school_creation_follows_page_permissions(world, client):
    _, lib_key = ApiToken.issue(world.librarian, "t")
    _, head_key = ApiToken.issue(world.head, "t")
    payload = {"full_name": "МБОУ «API СОШ»", "short_name": "API СОШ"}
    assert (
        client.post(
            "/api/schools", payload, content_type="application/json", **_bearer(lib_key)
        ).status_code
        == 403
    )
    created = client.post(
        "/api/schools", payload, content_type="application/json", **_bearer(head_key)
    )
    assert created.status_code == 201
    assert created.json()["district_id"] == world.district.pk
    bad = client.post(
        "/api/schools",
        {**payload, "inn": "12"},
        content_type="application/json",
        **_bearer(head_key),
    )
    assert bad.status_code == 422
    assert "10 цифр" in bad.json()["detail"]


def test_session_auth_needs_csrf_for_writes(world, login):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.head, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    assert strict.get("/api/me").status_code == 200
    response = strict.post(
        "/api/schools", {"full_name": "X", "short_name": "X"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
