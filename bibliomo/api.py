"""The REST API (django-ninja): /api/, schema at /api/openapi.json, docs at /api/docs.

Authentication: a personal token (``Authorization: Bearer <key>``, created on the profile
page) or the site's session (with CSRF). Permissions are the pages' own
(``bibliomo.accounts.access``).
"""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from bibliomo.accounts.models import ApiToken


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


api = NinjaAPI(
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
api.add_router("/", "bibliomo.stats.api.router")
api.add_router("/", "bibliomo.reports.api.router")
