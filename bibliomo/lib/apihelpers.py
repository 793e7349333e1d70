"""Helpers shared by the apps' API routers (django-ninja)."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema
from ninja import pagination as ninja_pagination
from ninja.errors import HttpError

from bibliomo.accounts import access

MAX_PAGE = 1_000_000
# An academic year in a path (/analysis/{start_year}): its start year, within the sane
# range of AcademicYear (1990–2100); anything else is a 422 before the view runs.
Year = Annotated[int, Field(ge=1990, le=2100)]


def district(request: HttpRequest) -> Any:
    """The caller's district; 404 for an account attached to none."""
    found = access.current_district(request.user)
    if found is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    return found


def district_id(request: HttpRequest) -> int:
    return int(district(request).pk)


def full_clean(obj: Any) -> None:
    """Validate a model instance; errors become a 422 with the fields' Russian messages."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HttpError(422, detail) from exc


class PageNumberPagination(ninja_pagination.PageNumberPagination):
    """ninja's page numbers, bounded: a page past 64 bits would reach the database as an
    OFFSET it cannot hold."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
