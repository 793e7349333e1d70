"""Another district's objects are not found: a survey of every URL pattern of the site.

The access matrix (tests/test_access_matrix.py) checks chosen pages role by role; this test
walks the resolver instead, so that a new page is surveyed without anyone adding a row.
The demo district is loaded, and the staff of a second district — a librarian, the head
of its association and its department — ask every page that names an object, with GET and
with POST. Wherever an administrator finds the object, they must get 404 (or 405 where the
view takes no such method) and nothing may change; only a public page (one an anonymous
visitor may read too) may answer them.

Runs once, on SQLite: the demo gives every table's first row the id 1 there, which is what
lets one survey fill every ``<int:…>`` of every pattern.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bibliomo.accounts.models import Role, User
from conftest import make_user

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="один раз, на SQLite",
)

# Values for the patterns' string parts: each one a page that exists.
STRINGS = {
    "fmt": "docx",
    "action": "approve",
    "kind": "item",
    "direction": "up",
}
STRINGS_BY_NAME = {
    "plan_export": {"fmt": "docx"},
    "fund_document_create": {"kind": "receipt"},
    "exchange_transfer_action": {"action": "agree"},
    "circulation_vedomost": {"fmt": "xlsx"},
    "stocktake:act": {"fmt": "docx"},
    "analysis_file": {"fmt": "docx"},
}
# Pages that name no district object, or that others' staff may rightly use.
SKIP_PREFIXES = ("admin:", "api:")
SKIP = {
    "password_reset_confirm",  # a token, not an object
    "unsubscribe",  # a token: anyone holding the link
    "calendar_feed",  # a personal key
    "stats_chart",  # the user's own district's chart
    "news_rss",  # public feeds of any district
    "news_atom",
}
# Public pages of another district whose POST is open to every signed-in librarian.
PUBLIC_POSTS = {"event_register", "event_cancel"}


def _patterns(resolver=None, ns: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern) and p.name:
            yield ns + p.name, p


def _kwargs(name: str, pattern: URLPattern, start_year: int) -> dict[str, object] | None:
    values: dict[str, object] = {}
    for key, converter in pattern.pattern.converters.items():
        if type(converter).__name__ == "IntConverter":
            values[key] = start_year if "year" in key else 1
        elif key in STRINGS_BY_NAME.get(name, {}):
            values[key] = STRINGS_BY_NAME[name][key]
        elif key in STRINGS:
            values[key] = STRINGS[key]
        else:
            return None
    return values


def _snapshot() -> dict[str, int]:
    from django.apps import apps

    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in ("sessions", "axes", "admin")
    }


def test_other_districts_staff_find_no_object(db, client, settings):
    settings.AXES_ENABLED = False
    call_command("load_demo", verbosity=0)
    from bibliomo.directory.models import AcademicYear, District, School

    home = District.objects.get(pk=1)
    other = District.objects.create(region=home.region, name="Другой район", association_name="ММО")
    school = School.objects.create(district=other, full_name="МБОУ «Школа»", short_name="Школа")
    strangers = [
        make_user("x_librarian", Role.LIBRARIAN, other, school),
        make_user("x_head", Role.HEAD, other, school),
        make_user("x_department", Role.DEPARTMENT, other),
    ]
    admin = User.objects.create_superuser("x_admin", "x_admin@example.org", "x")
    start_year = AcademicYear.objects.current().start_year

    surveyed, absent, failures = 0, [], []
    for name, pattern in _patterns():
        if name.startswith(SKIP_PREFIXES) or name in SKIP or not pattern.pattern.converters:
            continue
        ints = [
            k for k, c in pattern.pattern.converters.items() if type(c).__name__ == "IntConverter"
        ]
        if all("year" in key for key in ints):
            continue  # a year of the user's own district, not another district's object
        kwargs = _kwargs(name, pattern, start_year)
        if kwargs is None:
            failures.append(f"{name}: нет образца для {pattern.pattern}")
            continue
        url = reverse(name, kwargs=kwargs)
        client.force_login(admin)
        if client.get(url).status_code == 404:
            absent.append(name)
            continue
        surveyed += 1
        client.logout()
        public = client.get(url).status_code == 200
        for user in strangers:
            client.force_login(user)
            got = client.get(url).status_code
            if got not in (404, 405) and not (public and got == 200):
                failures.append(f"GET {url} ({name}) as {user.role}: {got}")
            before = _snapshot()
            got = client.post(url, {}).status_code
            if got not in (404, 405) and not (public and name in PUBLIC_POSTS):
                failures.append(f"POST {url} ({name}) as {user.role}: {got}")
            if _snapshot() != before and name not in PUBLIC_POSTS:
                failures.append(f"POST {url} ({name}) as {user.role} changed data")
    print(f"surveyed {surveyed} patterns × {len(strangers)} roles; no object id 1: {absent}")
    assert surveyed > 80, f"the survey reached only {surveyed} patterns"
    assert not failures, "\n".join(failures)
