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


def _event(w) -> list[Any]:
    import datetime as dt

    from django.utils import timezone

    from bibliomo.events.models import Event

    event, _ = Event.objects.get_or_create(
        district=w.district,
        title="Заседание ММО",
        defaults={"starts_at": timezone.now() + dt.timedelta(days=3)},
    )
    return [event.pk]


def _minutes(published: bool) -> Callable[[Any], list[Any]]:
    def args(w) -> list[Any]:
        from bibliomo.events.models import Minutes

        pk = _event(w)[0]
        Minutes.objects.get_or_create(
            event_id=pk, defaults={"number": "1", "date": "2022-03-24", "is_published": published}
        )
        return [pk]

    return args


def _consultation(w) -> list[Any]:
    from bibliomo.consultations.models import Consultation

    c, _ = Consultation.objects.get_or_create(
        district=w.district,
        author=w.librarian,
        defaults={"category": "writeoff", "subject": "Списание", "question": "Как?"},
    )
    return [c.pk]


def head_only(outsider: int = 403) -> dict[str, int]:
    return {**managers_only(outsider), "admin": 200}


def overseers(outsider: int = 403) -> dict[str, int]:
    return {**managers_only(outsider), "department": 200}


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
    ("event_list", none, everyone_in_district()),
    ("event_calendar", none, everyone_in_district()),
    ("calendar_subscribe", none, everyone_in_district()),
    ("event_create", none, head_only()),
    ("event_detail", _event, everyone_in_district(outsider=404)),
    ("event_edit", _event, head_only()),
    ("event_ics", _event, everyone_in_district(outsider=404)),
    ("event_registrations", _event, overseers(outsider=404)),
    ("event_participants_xlsx", _event, overseers(outsider=404)),
    ("agenda_create", _event, head_only()),
    ("minutes_edit", _event, head_only()),
    ("minutes_detail", _minutes(published=False), overseers(outsider=404)),
    ("minutes_docx", _minutes(published=False), overseers(outsider=404)),
    ("minutes_detail", _minutes(published=True), everyone_in_district(outsider=404)),
    ("consultation_list", none, everyone_in_district()),
    ("consultation_create", none, everyone_in_district()),
    ("consultation_faq", none, everyone_in_district()),
    ("consultation_stats", none, overseers()),
    (
        "consultation_detail",
        _consultation,
        {**overseers(outsider=404), "librarian": 200, "librarian_b": 403},
    ),
    ("consultation_publish", _consultation, head_only(outsider=404)),
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
