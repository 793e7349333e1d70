"""Heavy read-only reports on a PostgreSQL read replica (``DATABASE_REPLICA_URL``).

Everything goes to the primary (``default``) except the reads of a view marked with
:func:`report`, and even those only when

- a replica is configured;
- the request is a GET or HEAD;
- the browser has not changed anything in the last ``REPLICA_PIN_SECONDS`` seconds — a
  change sets a short-lived cookie (:class:`PinAfterWriteMiddleware`), so a user who has
  just posted a document sees it, whatever the replica's lag;
- no transaction is open on the primary (its own writes must be read back from it).

Without ``DATABASE_REPLICA_URL`` nothing here changes anything.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "bmo_primary"
_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("on_replica", default=False)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_reports() -> Iterator[None]:
    """Reads inside go to the replica (if one is configured)."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


def pinned(request: HttpRequest) -> bool:
    return PIN_COOKIE in request.COOKIES


def report(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a read-only report view whose reads may be served by the replica."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not configured() or request.method not in ("GET", "HEAD") or pinned(request):
            return view(request, *args, **kwargs)
        with reading_reports():
            return view(request, *args, **kwargs)

    wrapper.reads_replica = True  # type: ignore[attr-defined]
    return wrapper


class ReplicaRouter:
    """Reads of reports to the replica, everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _on_replica.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class PinAfterWriteMiddleware:
    """After a change (any method but GET/HEAD/OPTIONS) the browser reads from the primary
    for ``REPLICA_PIN_SECONDS``: longer than the replica's lag, short enough not to keep
    reports off the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if configured() and request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
