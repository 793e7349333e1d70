"""Small helpers shared by views."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse


def paginate(request: HttpRequest, queryset, per_page: int = 50) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_string_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def health(request: HttpRequest) -> HttpResponse:
    """«Alive»: for a load balancer's checks, and the bare view that load benchmarks
    compare the pages with (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")
