"""Helpers shared by the apps' API routers (django-ninja)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja.errors import HttpError

from bibliomo.accounts import access


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
