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


def _campaign(w):
    import datetime as dt

    from bibliomo.orders.models import OrderCampaign
    from bibliomo.orders.services import open_campaign

    found = OrderCampaign.objects.filter(district=w.district).first()
    return found or open_campaign(w.district, 2030, dt.date(2099, 3, 1), user=w.head)


def _order_a(w):
    return _campaign(w).orders.get(school=w.school_a)


def overseers_only(outsider: int = 404) -> dict[str, int]:
    return {**managers_only(outsider=outsider), "department": 200}


def school_a_data(edit: bool = False, ok: int = 200) -> dict[str, int]:
    codes = {"anon": 302, "admin": ok, "head": ok, "department": 200, "librarian": ok,
             "librarian_b": 403, "outsider": 404}  # fmt: skip
    if edit:
        codes["department"] = 403
    return codes


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
    ("orders:campaigns", none, everyone_in_district()),
    ("orders:campaign_create", none, overseers_only(outsider=403)),
    ("orders:prices", none, overseers_only(outsider=403)),
    ("orders:campaign", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:consolidated", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:consolidated_xlsx", lambda w: [_campaign(w).pk], overseers_only()),
    ("orders:district_form", lambda w: [_campaign(w).pk, 3], overseers_only()),
    ("orders:order", lambda w: [_order_a(w).pk], school_a_data()),
    ("orders:order_xlsx", lambda w: [_order_a(w).pk], school_a_data()),
    ("orders:school_form", lambda w: [_order_a(w).pk, 1], school_a_data()),
    ("orders:delivery", lambda w: [_order_a(w).pk], school_a_data(edit=True, ok=302)),
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
