"""The menu's addresses are reversed once per process but still follow the site's prefix
and the user: the cache holds addresses only, never who sees what."""

from django.test import RequestFactory
from django.urls import set_script_prefix

from bibliomo.lib import menu, templatetags


def _menu(user, path="/events/"):
    request = RequestFactory().get(path)
    request.user = user
    return menu.for_request(request)


def _urls(entries):
    return [c["url"] for e in entries for c in e.get("children", [e])]


def test_menu_follows_the_script_prefix(world):
    assert "/events/" in _urls(_menu(world.librarian))
    set_script_prefix("/bmo/")
    try:
        urls = _urls(_menu(world.librarian))
    finally:
        set_script_prefix("/")
    assert "/bmo/events/" in urls
    assert all(url.startswith("/bmo/") for url in urls)


def test_menu_items_stay_per_user(world):
    head = [c["title"] for e in _menu(world.head) for c in e.get("children", [e])]
    librarian = [c["title"] for e in _menu(world.librarian) for c in e.get("children", [e])]
    assert "Анализ работы за год" in head
    assert "Анализ работы за год" not in librarian


def test_menu_marks_the_current_section(world):
    entries = _menu(world.librarian, "/events/")
    association = next(e for e in entries if e["title"] == menu.ASSOCIATION)
    assert association["active"]
    assert [c["title"] for c in association["children"] if c["active"]] == ["Мероприятия"]


def test_icon_points_at_the_sprite(settings):
    assert 'href="/static/img/icons.svg#check-lg"' in templatetags.icon("check-lg")
    settings.STATIC_URL = "/assets/"
    assert 'href="/assets/img/icons.svg#check-lg"' in templatetags.icon("check-lg")
