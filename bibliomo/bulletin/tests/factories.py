"""Bulletin objects for tests: one of each kind in the world's first district, owned by
the librarian of school A where an object has an author."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bibliomo.bulletin.models import Document, Material, News, Newsletter, Partner, Publication


@dataclass
class BulletinObjects:
    news: News
    document: Document
    newsletter: Newsletter
    publication: Publication
    material: Material
    partner: Partner


def bulletin_objects(world: Any) -> BulletinObjects:
    """Created once per world (the access matrix asks for them many times)."""
    cached = getattr(world, "_bulletin", None)
    if cached is not None:
        return cached
    district = world.district
    objects = BulletinObjects(
        news=News.objects.create(
            district=district, kind=News.Kind.WEBINAR, title="Вебинар АКИПКРО", author=world.head
        ),
        document=Document.objects.create(
            district=district,
            kind=Document.Kind.LAW,
            number="78-ФЗ",
            date=dt.date(1994, 12, 29),
            title="О библиотечном деле",
            url="http://pravo.gov.ru/",
        ),
        newsletter=Newsletter.objects.create(
            district=district, subject="Новости ММО", body="Текст", created_by=world.head
        ),
        publication=Publication.objects.create(
            district=district,
            author=world.librarian,
            title="Квест в школьной библиотеке",
            venue_kind=Publication.Venue.SITE,
            venue="Сайт АКИПКРО",
            date=dt.date.today(),
            url="https://example.org/quest",
        ),
        material=Material.objects.create(
            district=district,
            author=world.librarian,
            kind=Material.Kind.QUEST,
            title="Квест «Тайна старой книги»",
            description="Описание",
        ),
        partner=Partner.objects.create(
            district=district, kind=Partner.Kind.MUSEUM, name="Краеведческий музей"
        ),
    )
    world._bulletin = objects
    return objects
