"""The REST API (django-ninja): /api/, schema at /api/openapi.json, docs at /api/docs.

Authentication: a personal token (``Authorization: Bearer <key>``, created on the profile
page) or the site's session (with CSRF). Permissions are the pages' own
(``bibliomo.accounts.access``).
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from bibliomo.accounts.models import ApiToken
from bibliomo.lib.years import YearError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


def _docs_decorator(view):
    # Swagger UI styles itself inline; the rest of the site keeps the strict policy.
    return csp_update({"style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:"]})(
        view
    )


class API(NinjaAPI):
    """The schema depends on the code alone, so each process builds it once: building it
    walks every operation's models and takes a good part of a second."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        cache = self.__dict__.setdefault("_schemas", {})
        if path_prefix not in cache:
            cache[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return cache[path_prefix]


api = API(
    title="BiblioMO API",
    version="1",
    description="API системы ММО библиотекарей: справочник школ и людей района.",
    auth=[TokenAuth(), django_auth],
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
