"""Middleware of the project's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bibliomo.lib.years import YearError


class YearErrorMiddleware:
    """A page asked for a year the district does not have (``?year=0``, ``?year=9999``)
    answers a plain page saying so, with the way back, instead of a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, YearError):
            return render(
                request,
                "year_error.html",
                {"message": str(exception), "path": request.path},
                status=400,
            )
        return None
