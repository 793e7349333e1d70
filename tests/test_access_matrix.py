"""Every page for every role: who gets it (200) and who does not (302 to login, 403, 404).

A new page joins by adding a row to PAGES: (url name, a function of the world giving the
URL's arguments, and the expected status per role). Roles: anon, admin, head,
department, librarian (school A), librarian_b (school B), outsider (another district).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from bibliomo.bulletin.tests.factories import bulletin_objects

ROLES = ["anon", "admin", "head", "department", "librarian", "librarian_b", "outsider"]


def everyone_in_district(anon: int = 302, outsider: int = 200) -> dict[str, int]:
    codes = dict.fromkeys(ROLES, 200)
    codes.update(anon=anon, outsider=outsider)
    return codes


def managers_only(outsider: int = 403) -> dict[str, int]:
    return {
        "anon": 302,
        "admin": 200,
        "head": 200,
        "department": 403,
        "librarian": 403,
        "librarian_b": 403,
        "outsider": outsider,
    }


def none(w) -> list[Any]:
    return []


def bulletin(name: str) -> Callable[[Any], list[Any]]:
    return lambda w: [getattr(bulletin_objects(w), name).pk]


PAGES: list[tuple[str, Callable[[Any], list[Any]], dict[str, int]]] = [
    ("dashboard", none, everyone_in_district()),
    ("school_list", none, everyone_in_district()),
    ("school_detail", lambda w: [w.school_a.pk], everyone_in_district(outsider=404)),
    ("school_create", none, managers_only()),
    ("school_edit", lambda w: [w.school_a.pk], managers_only()),
    ("school_export", none, everyone_in_district()),
    ("person_list", none, everyone_in_district()),
    ("person_export", none, everyone_in_district()),
    ("person_detail", lambda w: [w.librarian.pk], everyone_in_district(outsider=404)),
    ("person_create", none, managers_only()),
    ("person_edit", lambda w: [w.librarian.pk], managers_only()),
    ("profile", none, everyone_in_district()),
    ("password_change", none, everyone_in_district()),
    ("login", none, {**dict.fromkeys(ROLES, 302), "anon": 200}),
    ("password_reset", none, dict.fromkeys(ROLES, 200)),
    ("news_list", none, everyone_in_district()),
    ("news_detail", bulletin("news"), everyone_in_district(outsider=404)),
    ("news_create", none, managers_only()),
    ("news_edit", bulletin("news"), managers_only()),
    ("news_rss", lambda w: [w.district.pk], dict.fromkeys(ROLES, 200)),
    ("news_atom", lambda w: [w.district.pk], dict.fromkeys(ROLES, 200)),
    ("document_list", none, everyone_in_district()),
    (
        "document_detail",
        bulletin("document"),
        everyone_in_district(outsider=404),
    ),
    ("document_create", none, managers_only()),
    ("document_edit", bulletin("document"), managers_only()),
    ("newsletter_list", none, managers_only()),
    ("newsletter_create", none, managers_only()),
    ("newsletter_detail", bulletin("newsletter"), managers_only()),
    ("newsletter_edit", bulletin("newsletter"), managers_only()),
    ("publication_list", none, everyone_in_district()),
    ("publication_create", none, everyone_in_district()),
    (
        "publication_edit",
        bulletin("publication"),
        {**managers_only(outsider=404), "librarian": 200},
    ),
    ("material_list", none, everyone_in_district()),
    ("material_create", none, everyone_in_district()),
    (
        "material_detail",
        bulletin("material"),
        everyone_in_district(outsider=404),
    ),
    (
        "material_edit",
        bulletin("material"),
        {**managers_only(outsider=404), "librarian": 200},
    ),
    ("partner_list", none, everyone_in_district()),
    ("partner_create", none, managers_only()),
    (
        "partner_detail",
        bulletin("partner"),
        everyone_in_district(outsider=404),
    ),
    ("partner_edit", bulletin("partner"), managers_only()),
]


@pytest.mark.parametrize(("url_name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("role", ROLES)
def test_page_access(world, login, url_name, args, expected, role):
    client = login(world.user(role))
    response = client.get(reverse(url_name, args=args(world)))
    assert response.status_code == expected[role], (
        f"{url_name} as {role}: {response.status_code}, expected {expected[role]}"
    )
    if expected[role] == 200 and response.get("Content-Type", "").startswith("text/html"):
        assert 'lang="ru"' in response.content.decode()
