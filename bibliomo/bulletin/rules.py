"""Who may do what with the district's news, documents, newsletters, publications,
materials and partners: one set of rules for the pages, their templates and the API.

Everyone of the district reads the news, the documents, the materials and the partners;
the head of the association publishes news and documents, keeps the partners and sends
the newsletters. A publication is seen by its author and by those who oversee the
district; a publication or a material is changed by its author or the head.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor
from bibliomo.bulletin.models import (
    Attachment,
    Document,
    JointEvent,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
)

M = TypeVar("M", bound=Model)

HEAD_ONLY = "Это может делать руководитель ММО."


def can_manage(user: Visitor, district_id: int | None) -> bool:
    """Publish news and documents, keep the partners, prepare and send newsletters."""
    return access.is_head_of(user, district_id)


def can_see_all_publications(user: Visitor, district_id: int | None) -> bool:
    """Every member's publications and their yearly summary (others see their own)."""
    return access.oversees(user, district_id)


def can_view_publication(user: Visitor, publication: Publication) -> bool:
    return publication.author_id == user.pk or can_see_all_publications(
        user, publication.district_id
    )


def can_edit_authored(user: Visitor, obj: Publication | Material) -> bool:
    """A publication or a material: its author or the head."""
    return obj.author_id == user.pk or can_manage(user, obj.district_id)


def can_delete_attachment(user: Visitor, attachment: Attachment) -> bool:
    owner = attachment.news or attachment.material
    return can_manage(user, attachment.district_id) or (
        getattr(owner, "author_id", None) == user.pk
    )


def _of_district(user: Visitor, queryset: QuerySet[M] | type[M], pk: int, what: str) -> M:
    """An object of the user's district; anything else is «not found»."""
    obj: M = get_object_or_404(queryset, pk=pk)
    if not access.in_district(user, obj.district_id):  # type: ignore[attr-defined]
        raise Http404(what)
    return obj


def _managed(user: Visitor, obj: M, edit: bool) -> M:
    if edit and not can_manage(user, obj.district_id):  # type: ignore[attr-defined]
        raise PermissionDenied(HEAD_ONLY)
    return obj


def news_for(user: Visitor, pk: int, *, edit: bool = False) -> News:
    news = _of_district(user, News.objects.select_related("author"), pk, "Новость не найдена.")
    return _managed(user, news, edit)


def document_for(user: Visitor, pk: int, *, edit: bool = False) -> Document:
    document = _of_district(
        user, Document.objects.select_related("replaced_by", "amends"), pk, "Документ не найден."
    )
    return _managed(user, document, edit)


def newsletter_for(user: Visitor, pk: int) -> Newsletter:
    """A newsletter is the head's working draft: nobody else reads it either."""
    return _managed(user, _of_district(user, Newsletter, pk, "Рассылка не найдена."), True)


def publication_for(user: Visitor, pk: int, *, edit: bool = False) -> Publication:
    publication = _of_district(
        user, Publication.objects.select_related("author"), pk, "Публикация не найдена."
    )
    if edit and not can_edit_authored(user, publication):
        raise PermissionDenied("Изменять публикацию может её автор или руководитель ММО.")
    if not can_view_publication(user, publication):
        raise PermissionDenied("Файл публикации видят автор и руководитель ММО.")
    return publication


def material_for(user: Visitor, pk: int, *, edit: bool = False) -> Material:
    material = _of_district(
        user, Material.objects.select_related("author"), pk, "Материал не найден."
    )
    if edit and not can_edit_authored(user, material):
        raise PermissionDenied("Изменять материал может его автор или руководитель ММО.")
    return material


def partner_for(user: Visitor, pk: int, *, edit: bool = False) -> Partner:
    return _managed(user, _of_district(user, Partner, pk, "Партнёр не найден."), edit)


def joint_event_for(user: Visitor, pk: int) -> JointEvent:
    """A joint event, to delete it: the head's."""
    event: JointEvent = get_object_or_404(JointEvent.objects.select_related("partner"), pk=pk)
    if not access.in_district(user, event.partner.district_id):
        raise Http404("Мероприятие не найдено.")
    if not can_manage(user, event.partner.district_id):
        raise PermissionDenied(HEAD_ONLY)
    return event


def attachment_for(user: Visitor, pk: int, *, edit: bool = False) -> Attachment:
    attachment: Attachment = get_object_or_404(
        Attachment.objects.select_related("news", "material"), pk=pk
    )
    if not access.in_district(user, attachment.district_id):
        raise Http404("Файл не найден")
    if edit and not can_delete_attachment(user, attachment):
        raise PermissionDenied("Удалить файл может автор или руководитель ММО.")
    return attachment


def check(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)
