"""The REST API (django-ninja): /api/, schema at /api/openapi.json, docs at /api/docs.

Authentication: a personal token (``Authorization: Bearer <key>``, created on the profile
page) or the site's session (with CSRF). Permissions are the pages' own
(``bibliomo.accounts.access``).
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, SessionAuth

from bibliomo.accounts.models import ApiToken
from bibliomo.lib.years import YearError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SiteSession(SessionAuth):
    """The site's session. Without a logged-in user there is nothing to protect from
    cross-site requests, so an anonymous call gets a 401 «Требуется вход» rather than
    the CSRF check's English 403."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# Every operation may answer these; each answer is {"detail": "…по-русски"}.
ERRORS = {
    "400": "Тело запроса не читается (не JSON)",
    "401": "Требуется вход: токен API или сеанс сайта",
    "403": "Недостаточно прав",
    "404": "Не найдено (или принадлежит другому району)",
    "409": "Конфликт с текущим состоянием (например, документ уже проведён)",
    "422": "Неверные данные: сообщение называет поле и ошибку",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "title": "Сообщение"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
    "required": ["detail"],
}


class BiblioAPI(NinjaAPI):
    """The schema declares the error answers on every operation. It depends on the code
    alone, so each process builds it once: building it walks every operation's models
    and takes a good part of a second."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None) -> Any:
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in cache:
            cache[path_prefix] = self._with_errors(
                super().get_openapi_schema(path_prefix=path_prefix)
            )
        return cache[path_prefix]

    @staticmethod
    def _with_errors(schema: Any) -> Any:
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        ref = {"$ref": "#/components/schemas/Error"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERRORS.items():
                    responses.setdefault(
                        code,
                        {"description": text, "content": {"application/json": {"schema": ref}}},
                    )
        return schema


_MESSAGES = {
    "missing": "обязательное поле",
    "int_parsing": "нужно целое число",
    "int_type": "нужно целое число",
    "int_from_float": "нужно целое число",
    "float_parsing": "нужно число",
    "decimal_parsing": "нужно число",
    "bool_parsing": "нужно true или false",
    "string_type": "нужна строка",
    "date_parsing": "нужна дата ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "нужна дата ГГГГ-ММ-ДД",
    "datetime_parsing": "нужны дата и время",
    "json_invalid": "тело запроса не является JSON",
    "enum": "нет такого значения",
    "literal_error": "нет такого значения",
    "list_type": "нужен список",
    "dict_type": "нужен объект",
    "model_attributes_type": "нужен объект",
}


def _russian(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        return f"значение должно быть не меньше {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"значение должно быть не больше {ctx.get('le', ctx.get('lt'))}"
    if kind == "string_too_long":
        return f"не длиннее {ctx.get('max_length')} знаков"
    if kind == "string_too_short":
        return f"не короче {ctx.get('min_length')} знаков"
    if kind in ("decimal_max_digits", "decimal_max_places", "decimal_whole_digits"):
        return "слишком много цифр"
    return _MESSAGES.get(kind, "неверное значение")


def _docs_decorator(view):
    # Swagger UI styles itself inline; the rest of the site keeps the strict policy.
    return csp_update({"style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]})(
        view
    )


api = BiblioAPI(
    title="BiblioMO API",
    version="1",
    description="API системы ММО библиотекарей: справочник школ и людей района.",
    auth=[TokenAuth(), SiteSession()],
    docs_decorator=_docs_decorator,
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def _unauthorized(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(
        request, {"detail": "Требуется вход: токен API или сеанс сайта."}, status=401
    )


# The apps' rules modules raise Django's own exceptions, so that a page and an API call
# refuse alike: 404 outside the district, 403 inside it but not allowed.
@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404):
    message = str(exc) if exc.args and _is_russian(str(exc)) else "Не найдено."
    return api.create_response(request, {"detail": message}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist):
    # A lookup that escaped its view (an academic year nobody opened, …) is a 404 too.
    return api.create_response(request, {"detail": "Не найдено."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied):
    message = str(exc) or "Нет доступа."
    return api.create_response(request, {"detail": message}, status=403)


def _is_russian(text: str) -> bool:
    # get_object_or_404's own message is English («No School matches…»).
    return any("а" <= ch.lower() <= "я" for ch in text)


@api.exception_handler(YearError)
def _unknown_year(request: HttpRequest, exc: YearError):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(RequestValidationError)
def _invalid_request(request: HttpRequest, exc: RequestValidationError):
    errors = []
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        errors.append({"field": ".".join(loc), "message": _russian(error)})
    detail = "Неверные данные запроса: " + "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def _invalid_data(request: HttpRequest, exc: DjangoValidationError):
    """A model's or a service's own check, in Russian already."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": field, "message": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        errors = [{"field": "", "message": m} for m in exc.messages]
    detail = "; ".join(
        f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
    )
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception):
    # A number beyond what the database holds (an id past 64 bits and the like).
    return api.create_response(request, {"detail": "Число вне допустимого диапазона."}, status=422)


api.add_router("/", "bibliomo.accounts.api.router")
api.add_router("/", "bibliomo.directory.api.router")
api.add_router("/", "bibliomo.plans.api.router")
api.add_router("/", "bibliomo.textbooks.api.router")
api.add_router("/", "bibliomo.fund.api.router")
api.add_router("/", "bibliomo.exchange.api.router")
api.add_router("/", "bibliomo.events.api.router")
api.add_router("/", "bibliomo.consultations.api.router")
api.add_router("/", "bibliomo.bulletin.api.router")
api.add_router("/", "bibliomo.orders.api.router")
api.add_router("/", "bibliomo.circulation.api.router")
api.add_router("/", "bibliomo.stocktake.api.router")
api.add_router("/", "bibliomo.stats.api.router")
api.add_router("/", "bibliomo.reports.api.router")
