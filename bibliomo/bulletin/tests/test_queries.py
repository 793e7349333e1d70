"""List pages run a bounded number of queries however many rows they show."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bibliomo.bulletin.models import (
    Attachment,
    Document,
    JointEvent,
    Material,
    News,
    Partner,
    Publication,
)


@pytest.fixture
def many(world):
    today = dt.date.today()
    for i in range(40):
        news = News.objects.create(district=world.district, kind="news", title=f"Новость {i}")
        Attachment.objects.create(news=news, file=ContentFile(b"x", name="a.txt"), name="a.txt")
        material = Material.objects.create(
            district=world.district,
            author=world.librarian,
            kind="quest",
            title=f"Квест {i}",
            description="d",
            tags="чтение, квест",
        )
        Attachment.objects.create(
            material=material, file=ContentFile(b"x", name="b.txt"), name="b.txt"
        )
        old = Document.objects.create(
            district=world.district,
            kind="order",
            number=str(i),
            date=dt.date(2020, 1, 1),
            title=f"Приказ {i}",
        )
        Document.objects.create(
            district=world.district,
            kind="order",
            number=f"{i}-н",
            date=dt.date(2021, 1, 1),
            title=f"Новый {i}",
            tags="учебники",
        )
        Document.objects.filter(pk=old.pk).update(status="replaced")
        author = world.librarian if i % 2 else world.librarian_b
        Publication.objects.create(
            district=world.district,
            author=author,
            title=f"Статья {i}",
            venue_kind="site",
            venue=f"Сайт {i % 5}",
            date=today,
            url="https://e.org",
        )
        partner = Partner.objects.create(district=world.district, kind="museum", name=f"Музей {i}")
        JointEvent.objects.create(partner=partner, date=today, title="Урок")
    return world


@pytest.mark.parametrize(
    "url_name",
    [
        "news_list",
        "document_list",
        "material_list",
        "publication_list",
        "partner_list",
        "newsletter_list",
        "dashboard",
    ],
)
def test_list_pages_query_count_is_bounded(many, login, django_assert_max_num_queries, url_name):
    page = login(many.head)
    # The home page also builds the head's to-do list (bounded on its own in
    # directory/tests/test_todo.py); the lists stay within ten.
    with django_assert_max_num_queries(30 if url_name == "dashboard" else 10):
        response = page.get(reverse(url_name))
    assert response.status_code == 200
