"""The bulletin through the API, with the pages' permissions: members of the district
read; the head publishes news and documents and sees newsletters; a member records
their own publications (the head and the department see everyone's)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from bibliomo.accounts import access
from bibliomo.bulletin import indicators, services
from bibliomo.bulletin.models import (
    Document,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
    tag_filter,
)
from bibliomo.lib import search

router = Router(tags=["Информирование"])


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class NewsOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    event_date: dt.date | None
    deadline: dt.date | None
    link: str
    participants: int | None
    published_at: dt.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())


class NewsIn(Schema):
    kind: str = News.Kind.NEWS
    title: str
    body: str = ""
    event_date: dt.date | None = None
    deadline: dt.date | None = None
    link: str = ""
    participants: int | None = None
    is_public: bool = True


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    date: dt.date
    issuer: str
    title: str
    reference: str
    summary: str
    url: str
    status: str
    replaced_by_id: int | None
    amends_id: int | None
    tags: list[str]
    has_file: bool

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class NewsletterOut(Schema):
    id: int
    subject: str
    audience: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    counts: dict[str, int] | None

    @staticmethod
    def resolve_counts(obj) -> dict[str, int] | None:
        return services.delivery_counts(obj) if obj.sent_at else None


class PublicationOut(Schema):
    id: int
    author_id: int
    author: str
    title: str
    venue_kind: str
    venue: str
    date: dt.date
    url: str
    has_file: bool

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.short_name

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class PublicationIn(Schema):
    title: str
    venue_kind: str
    venue: str
    date: dt.date
    url: str


class PublicationStatsOut(Schema):
    start_year: int
    total: int
    by_author: list[dict]
    by_venue: list[dict]


class MaterialOut(Schema):
    id: int
    kind: str
    title: str
    description: str
    grade_from: int | None
    grade_to: int | None
    tags: list[str]
    author: str
    downloads: int
    files: list[AttachmentOut]

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author.short_name

    @staticmethod
    def resolve_files(obj) -> list:
        return list(obj.files.all())


class JointEventOut(Schema):
    date: dt.date
    title: str
    school_id: int | None
    participants: int | None
    link: str


class PartnerOut(Schema):
    id: int
    kind: str
    name: str
    address: str
    contact_person: str
    phone: str
    email: str
    website: str
    notes: str
    events: list[JointEventOut]

    @staticmethod
    def resolve_events(obj) -> list:
        return list(obj.events.all())


def _district_id(request: HttpRequest) -> int:
    district = access.current_district(request.user)
    if district is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    return district.pk


def _one(request: HttpRequest, queryset, pk: int):
    obj = get_object_or_404(queryset, pk=pk)
    if not access.in_district(request.user, obj.district_id):
        raise HttpError(404, "Не найдено.")
    return obj


def _require_head(request: HttpRequest) -> int:
    district_id = _district_id(request)
    if not access.is_head_of(request.user, district_id):
        raise HttpError(403, "Это может делать руководитель ММО.")
    return district_id


def _full_clean(obj) -> None:
    try:
        obj.full_clean()
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HttpError(422, detail) from exc


# --- news ---


@router.get("/news", response=list[NewsOut], summary="Новости и объявления района")
@paginate(PageNumberPagination, page_size=50)
def list_news(request: HttpRequest, q: str = "", kind: str = ""):
    items = News.objects.filter(district_id=_district_id(request)).prefetch_related("attachments")
    if kind:
        items = items.filter(kind=kind)
    return search.filter_words(items, q)


@router.get("/news/{news_id}", response=NewsOut, summary="Новость")
def get_news(request: HttpRequest, news_id: int):
    return _one(request, News, news_id)


@router.post("/news", response={201: NewsOut}, summary="Опубликовать новость")
def create_news(request: HttpRequest, payload: NewsIn):
    district_id = _require_head(request)
    news = News(district_id=district_id, author=request.user, **payload.dict())
    _full_clean(news)
    with transaction.atomic():
        news.save()
        indicators.news_saved(news, request.user)
    return 201, news


# --- documents ---


@router.get("/documents", response=list[DocumentOut], summary="Реестр нормативных документов")
@paginate(PageNumberPagination, page_size=100)
def list_documents(
    request: HttpRequest, q: str = "", kind: str = "", in_force: bool = False, tag: str = ""
):
    items = Document.objects.filter(district_id=_district_id(request))
    if kind:
        items = items.filter(kind=kind)
    if in_force:
        items = items.filter(status=Document.Status.IN_FORCE)
    return search.filter_words(tag_filter(items, tag), q)


@router.get("/documents/{document_id}", response=DocumentOut, summary="Документ")
def get_document(request: HttpRequest, document_id: int):
    return _one(request, Document, document_id)


# --- newsletters ---


@router.get("/newsletters", response=list[NewsletterOut], summary="Рассылки (руководитель ММО)")
@paginate(PageNumberPagination, page_size=50)
def list_newsletters(request: HttpRequest):
    return Newsletter.objects.filter(district_id=_require_head(request))


# --- publications ---


def _publications_visible(request: HttpRequest, district_id: int):
    items = Publication.objects.filter(district_id=district_id).select_related("author")
    if not access.oversees(request.user, district_id):
        items = items.filter(author=request.user)
    return items


@router.get(
    "/publications",
    response=list[PublicationOut],
    summary="Публикации (свои; руководителю и Управлению образования — все)",
)
@paginate(PageNumberPagination, page_size=100)
def list_publications(request: HttpRequest, year: int | None = None):
    district_id = _district_id(request)
    items = _publications_visible(request, district_id)
    if year is not None:
        items = items.filter(pk__in=services.publications_of_year(district_id, year))
    return items


@router.get(
    "/publications/stats",
    response=PublicationStatsOut,
    summary="Количество публикаций за учебный год по участникам и изданиям",
)
def publication_stats(request: HttpRequest, year: int):
    district_id = _district_id(request)
    if not access.oversees(request.user, district_id):
        raise HttpError(403, "Сводку видят руководитель ММО и Управление образования.")
    stats = services.publication_stats(district_id, year)
    return {
        "start_year": stats.start_year,
        "total": stats.total,
        "by_author": [
            {"author_id": p.pk, "author": p.short_name, "count": n} for p, n in stats.by_author
        ],
        "by_venue": [{"venue": v, "count": n} for v, n in stats.by_venue],
    }


@router.post("/publications", response={201: PublicationOut}, summary="Добавить свою публикацию")
def create_publication(request: HttpRequest, payload: PublicationIn):
    publication = Publication(
        district_id=_district_id(request), author=request.user, **payload.dict()
    )
    _full_clean(publication)
    with transaction.atomic():
        publication.save()
        indicators.publication_changed(publication, request.user)
    return 201, publication


# --- materials and partners ---


@router.get("/materials", response=list[MaterialOut], summary="Методическая копилка")
@paginate(PageNumberPagination, page_size=50)
def list_materials(request: HttpRequest, q: str = "", kind: str = "", grade: int | None = None):
    items = (
        Material.objects.filter(district_id=_district_id(request))
        .select_related("author")
        .prefetch_related("files")
    )
    if kind:
        items = items.filter(kind=kind)
    if grade is not None:
        items = items.exclude(grade_from__gt=grade).exclude(grade_to__lt=grade)
    return search.filter_words(items, q)


@router.get("/materials/{material_id}", response=MaterialOut, summary="Материал")
def get_material(request: HttpRequest, material_id: int):
    return _one(request, Material.objects.select_related("author"), material_id)


@router.get("/partners", response=list[PartnerOut], summary="Социальные партнёры")
@paginate(PageNumberPagination, page_size=100)
def list_partners(request: HttpRequest, q: str = ""):
    items = Partner.objects.filter(district_id=_district_id(request)).prefetch_related("events")
    return search.filter_words(items, q)
