import datetime as dt

from bibliomo.accounts.models import ApiToken
from bibliomo.bulletin.models import Document, News, Publication
from bibliomo.bulletin.tests.factories import bulletin_objects


def _client(client, user):
    _, key = ApiToken.issue(user, "test")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_schema_lists_the_bulletin(world, client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/news",
        "/api/documents",
        "/api/newsletters",
        "/api/publications",
        "/api/publications/stats",
        "/api/materials",
        "/api/partners",
    ):
        assert path in paths, path


def test_members_read_their_district_only(world, client):
    objects = bulletin_objects(world)
    api = _client(client, world.librarian_b)
    assert [n["title"] for n in api.get("/api/news").json()["items"]] == [objects.news.title]
    assert api.get(f"/api/documents/{objects.document.pk}").json()["reference"] == (
        "Федеральный закон от 29.12.1994 № 78-ФЗ"
    )
    assert api.get("/api/materials").json()["count"] == 1
    assert api.get("/api/partners").json()["items"][0]["name"] == "Краеведческий музей"
    outsider = _client(client, world.outsider)
    assert outsider.get("/api/news").json()["count"] == 0
    assert outsider.get(f"/api/news/{objects.news.pk}").status_code == 404
    assert outsider.get(f"/api/documents/{objects.document.pk}").status_code == 404
    assert client.get("/api/news", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_document_search_and_in_force_filter(world, client):
    objects = bulletin_objects(world)
    Document.objects.create(
        district=world.district,
        kind="order",
        number="254",
        date=dt.date(2020, 5, 20),
        title="О федеральном перечне учебников",
        status="replaced",
        replaced_by=objects.document,
    )
    api = _client(client, world.librarian)
    assert api.get("/api/documents", {"q": "ПЕРЕЧНЕ"}).json()["items"][0]["number"] == "254"
    assert [d["number"] for d in api.get("/api/documents", {"in_force": True}).json()["items"]] == [
        "78-ФЗ"
    ]


def test_only_head_publishes_news_and_sees_newsletters(world, client):
    bulletin_objects(world)
    librarian = _client(client, world.librarian)
    assert (
        librarian.post("/api/news", {"title": "x"}, content_type="application/json").status_code
        == 403
    )
    assert librarian.get("/api/newsletters").status_code == 403
    head = _client(client, world.head)
    created = head.post(
        "/api/news",
        {
            "title": "Конкурс",
            "kind": "competition",
            "deadline": "2030-05-01",
            "body": "<p>Условия<script>alert(1)</script></p>",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["body"] == "<p>Условия</p>"
    assert News.objects.get(title="Конкурс").author == world.head
    bad = head.post(
        "/api/news", {"title": "y", "deadline": "2030-05-01"}, content_type="application/json"
    )
    assert bad.status_code == 422
    assert "конкурса" in bad.json()["detail"]
    assert head.get("/api/newsletters").json()["count"] == 1


def test_publications_own_for_librarians_all_for_overseers(world, client):
    objects = bulletin_objects(world)
    other = _client(client, world.librarian_b)
    assert other.get("/api/publications").json()["count"] == 0
    created = other.post(
        "/api/publications",
        {
            "title": "Моя статья",
            "venue_kind": "journal",
            "venue": "«Школьная библиотека»",
            "date": dt.date.today().isoformat(),
            "url": "https://example.org/s",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert Publication.objects.get(title="Моя статья").author == world.librarian_b
    assert [p["title"] for p in other.get("/api/publications").json()["items"]] == ["Моя статья"]
    assert other.get("/api/publications/stats", {"year": 2021}).status_code == 403
    no_link = other.post(
        "/api/publications",
        {
            "title": "Без ссылки",
            "venue_kind": "site",
            "venue": "Сайт",
            "date": "2022-01-01",
            "url": "",
        },
        content_type="application/json",
    )
    assert no_link.status_code == 422
    department = _client(client, world.department)
    assert department.get("/api/publications").json()["count"] == 2
    year = (
        objects.publication.date.year
        if objects.publication.date.month >= 9
        else (objects.publication.date.year - 1)
    )
    stats = department.get("/api/publications/stats", {"year": year}).json()
    assert stats["total"] == 2
    assert {a["count"] for a in stats["by_author"]} == {1}


def test_head_prepares_and_sends_a_newsletter(world, client):
    from django.core import mail

    objects = bulletin_objects(world)
    head = _client(client, world.head)
    created = head.post(
        "/api/newsletters",
        {
            "subject": "Документы",
            "body": "Новое",
            "audience": "librarian",
            "news_ids": [objects.news.pk],
            "document_ids": [objects.document.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["counts"] is None
    newsletter_id = created.json()["id"]
    sent = head.post(f"/api/newsletters/{newsletter_id}/send")
    assert sent.json() == {"queued": 2, "skipped": 0}
    assert len(mail.outbox) == 2
    assert head.post(f"/api/newsletters/{newsletter_id}/send").status_code == 409
    librarian = _client(client, world.librarian)
    assert librarian.post(f"/api/newsletters/{newsletter_id}/send").status_code == 403


def test_create_documents_materials_partners(world, client):
    from bibliomo.bulletin.models import Material, Partner

    objects = bulletin_objects(world)
    head = _client(client, world.head)
    doc = head.post(
        "/api/documents",
        {
            "kind": "order",
            "number": "254",
            "date": "2020-05-20",
            "title": "О перечне",
            "url": "https://example.org/254",
            "status": "replaced",
            "replaced_by_id": objects.document.pk,
            "tags": "ФПУ",
        },
        content_type="application/json",
    )
    assert doc.status_code == 201
    assert doc.json()["tags"] == ["ФПУ"]
    invalid = head.post(
        "/api/documents",
        {
            "kind": "order",
            "date": "2020-05-20",
            "title": "x",
            "url": "https://e.org",
            "status": "replaced",
        },
        content_type="application/json",
    )
    assert invalid.status_code == 422
    partner = head.post(
        "/api/partners",
        {"kind": "culture", "name": "Дом культуры"},
        content_type="application/json",
    )
    assert partner.status_code == 201
    assert Partner.objects.get(name="Дом культуры").district == world.district
    librarian = _client(client, world.librarian_b)
    assert (
        librarian.post(
            "/api/partners", {"kind": "museum", "name": "Музей"}, content_type="application/json"
        ).status_code
        == 403
    )
    material = librarian.post(
        "/api/materials",
        {
            "kind": "leaflet",
            "title": "Памятка",
            "description": "<p>Текст<script>x</script></p>",
            "grade_from": 1,
            "grade_to": 4,
        },
        content_type="application/json",
    )
    assert material.status_code == 201
    assert material.json()["description"] == "<p>Текст</p>"
    assert Material.objects.get(title="Памятка").author == world.librarian_b
