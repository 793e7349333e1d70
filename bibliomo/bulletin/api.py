"""The bulletin through the API, with the pages' permissions: members of the district
read; the head publishes news and documents and sees newsletters; a member records
their own publications (the head and the department see everyone's)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from bibliomo.bulletin import indicators, rules, selectors, services
from bibliomo.bulletin.models import (
    Document,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
    tag_filter,
)
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import apihelpers, search
from bibliomo.lib.apihelpers import PageNumberPagination

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


class DocumentIn(Schema):
    kind: str
    number: str = ""
    date: dt.date
    issuer: str = ""
    title: str
    summary: str = ""
    url: str
    status: str = Document.Status.IN_FORCE
    replaced_by_id: int | None = None
    amends_id: int | None = None
    tags: str = ""


class NewsletterIn(Schema):
    subject: str
    body: str
    audience: str = Newsletter.Audience.ALL
    news_ids: list[int] = []
    document_ids: list[int] = []


class SendOut(Schema):
    queued: int
    skipped: int


class NewsletterOut(Schema):
    id: int
    subject: str
    audience: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    counts: dict[str, int] | None

    @staticmethod
    def resolve_counts(obj) -> dict[str, int] | None:
        return selectors.delivery_counts(obj) if obj.sent_at else None


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


class MaterialIn(Schema):
    kind: str
    title: str
    description: str
    grade_from: int | None = None
    grade_to: int | None = None
    tags: str = ""


class PartnerIn(Schema):
    kind: str
    name: str
    address: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    notes: str = ""


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
    event_id: int | None
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


def _require_head(request: HttpRequest) -> int:
    district_id = apihelpers.district_id(request)
    rules.check(rules.can_manage(request.user, district_id), rules.HEAD_ONLY)
    return district_id


# --- news ---


@router.get("/news", response=list[NewsOut], summary="Новости и объявления района")
@paginate(PageNumberPagination, page_size=50)
def list_news(request: HttpRequest, q: str = "", kind: str = ""):
    items = News.objects.filter(district_id=apihelpers.district_id(request)).prefetch_related(
        "attachments"
    )
    if kind:
        items = items.filter(kind=kind)
    return search.filter_words(items, q)


@router.get("/news/{news_id}", response=NewsOut, summary="Новость")
def get_news(request: HttpRequest, news_id: int):
    return rules.news_for(request.user, news_id)


@router.post("/news", response={201: NewsOut}, summary="Опубликовать новость")
def create_news(request: HttpRequest, payload: NewsIn):
    district_id = _require_head(request)
    news = News(district_id=district_id, author=request.user, **payload.dict())
    apihelpers.full_clean(news)
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
    items = Document.objects.filter(district_id=apihelpers.district_id(request))
    if kind:
        items = items.filter(kind=kind)
    if in_force:
        items = items.filter(status=Document.Status.IN_FORCE)
    return search.filter_words(tag_filter(items, tag), q)


@router.get("/documents/{document_id}", response=DocumentOut, summary="Документ")
def get_document(request: HttpRequest, document_id: int):
    return rules.document_for(request.user, document_id)


@router.post("/documents", response={201: DocumentOut}, summary="Добавить документ в реестр")
def create_document(request: HttpRequest, payload: DocumentIn):
    district_id = _require_head(request)
    data = payload.dict()
    for name in ("replaced_by_id", "amends_id"):
        if data[name] is not None:
            get_object_or_404(Document, district_id=district_id, pk=data[name])
    if not data["url"]:
        raise HttpError(422, "url: укажите ссылку на официальный текст документа.")
    document = Document(district_id=district_id, **data)
    apihelpers.full_clean(document)
    document.save()
    return 201, document


# --- newsletters ---


@router.get("/newsletters", response=list[NewsletterOut], summary="Рассылки (руководитель ММО)")
@paginate(PageNumberPagination, page_size=50)
def list_newsletters(request: HttpRequest):
    return Newsletter.objects.filter(district_id=_require_head(request))


@router.post("/newsletters", response={201: NewsletterOut}, summary="Подготовить рассылку")
def create_newsletter(request: HttpRequest, payload: NewsletterIn):
    district_id = _require_head(request)
    data = payload.dict()
    news = list(News.objects.filter(district_id=district_id, pk__in=data.pop("news_ids")))
    documents = list(
        Document.objects.filter(district_id=district_id, pk__in=data.pop("document_ids"))
    )
    if len(news) != len(set(payload.news_ids)) or len(documents) != len(set(payload.document_ids)):
        raise HttpError(422, "Новости и документы должны быть из реестра вашего района.")
    newsletter = Newsletter(district_id=district_id, created_by=request.user, **data)
    apihelpers.full_clean(newsletter)
    with transaction.atomic():
        newsletter.save()
        newsletter.news.set(news)
        newsletter.documents.set(documents)
    return 201, newsletter


@router.post("/newsletters/{newsletter_id}/send", response=SendOut, summary="Отправить рассылку")
def send_newsletter(request: HttpRequest, newsletter_id: int):
    newsletter = rules.newsletter_for(request.user, newsletter_id)
    if newsletter.is_sent:
        raise HttpError(409, "Эта рассылка уже отправлена.")
    result = services.send_newsletter(newsletter, request.user)
    return {"queued": result.queued, "skipped": result.skipped}


# --- publications ---


def _publications_visible(request: HttpRequest, district_id: int):
    items = Publication.objects.filter(district_id=district_id).select_related("author")
    if not rules.can_see_all_publications(request.user, district_id):
        items = items.filter(author=request.user)
    return items


@router.get(
    "/publications",
    response=list[PublicationOut],
    summary="Публикации (свои; руководителю и Управлению образования — все)",
)
@paginate(PageNumberPagination, page_size=100)
def list_publications(request: HttpRequest, year: int | None = None):
    district_id = apihelpers.district_id(request)
    items = _publications_visible(request, district_id)
    if year is not None:
        start_year = AcademicYear.objects.parse(year)
        items = items.filter(pk__in=selectors.publications_of_year(district_id, start_year))
    return items


@router.get(
    "/publications/stats",
    response=PublicationStatsOut,
    summary="Количество публикаций за учебный год по участникам и изданиям",
)
def publication_stats(request: HttpRequest, year: int):
    district_id = apihelpers.district_id(request)
    rules.check(
        rules.can_see_all_publications(request.user, district_id),
        "Сводку видят руководитель ММО и Управление образования.",
    )
    stats = selectors.publication_stats(district_id, AcademicYear.objects.parse(year))
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
        district_id=apihelpers.district_id(request), author=request.user, **payload.dict()
    )
    apihelpers.full_clean(publication)
    with transaction.atomic():
        publication.save()
        indicators.publication_changed(publication, request.user)
    return 201, publication


# --- materials and partners ---


@router.get("/materials", response=list[MaterialOut], summary="Методическая копилка")
@paginate(PageNumberPagination, page_size=50)
def list_materials(request: HttpRequest, q: str = "", kind: str = "", grade: int | None = None):
    items = (
        Material.objects.filter(district_id=apihelpers.district_id(request))
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
    return rules.material_for(request.user, material_id)


@router.post("/materials", response={201: MaterialOut}, summary="Поделиться материалом")
def create_material(request: HttpRequest, payload: MaterialIn):
    material = Material(
        district_id=apihelpers.district_id(request), author=request.user, **payload.dict()
    )
    apihelpers.full_clean(material)
    material.save()
    return 201, material


@router.post("/partners", response={201: PartnerOut}, summary="Добавить партнёра")
def create_partner(request: HttpRequest, payload: PartnerIn):
    partner = Partner(district_id=_require_head(request), **payload.dict())
    apihelpers.full_clean(partner)
    partner.save()
    return 201, partner


@router.get("/partners", response=list[PartnerOut], summary="Социальные партнёры")
@paginate(PageNumberPagination, page_size=100)
def list_partners(request: HttpRequest, q: str = ""):
    items = Partner.objects.filter(district_id=apihelpers.district_id(request)).prefetch_related(
        "events"
    )
    return search.filter_words(items, q)
