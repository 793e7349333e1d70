"""The main menu: one list, so that it shows only sections that exist.

Each app that adds a section adds one line here, under its group (the menu shows a group
as a drop-down). ``visible`` decides per user (for example, sections only the
association's head uses).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from bibliomo.accounts import access


@dataclass(frozen=True)
class MenuItem:
    title: str
    url_name: str
    prefix: str  # the URL prefix that marks the item as the current section
    group: str = ""  # a drop-down of the menu; empty for a top-level item
    visible: Callable[[access.Visitor], bool] = lambda user: True


ASSOCIATION = "ММО"
TEXTBOOKS = "Учебники"
DIRECTORY = "Справочник"


def _oversees(user: access.Visitor) -> bool:
    return access.is_admin(user) or access.oversees(user, access.district_id_of(user))


def _items() -> list[MenuItem]:
    return [
        MenuItem("Главная", "dashboard", "/$"),
        MenuItem("План работы", "plan_list", "/plans/", ASSOCIATION),
        MenuItem("Мероприятия", "event_list", "/events/", ASSOCIATION),
        MenuItem("Консультации", "consultation_list", "/consultations/", ASSOCIATION),
        MenuItem("Информирование", "news_list", "/info/", ASSOCIATION),
        MenuItem("Повышение квалификации", "training_home", "/training/", ASSOCIATION),
        MenuItem(
            "Анализ работы за год",
            "analysis_list",
            "/analysis/",
            ASSOCIATION,
            visible=_oversees,
        ),
        MenuItem("Федеральный перечень", "textbook_list", "/textbooks/", TEXTBOOKS),
        MenuItem("Учебный фонд", "fund_home", "/fund/", TEXTBOOKS),
        MenuItem("Обменный фонд", "exchange_fund", "/exchange/", TEXTBOOKS),
        MenuItem("Заказ учебников", "orders:campaigns", "/orders/", TEXTBOOKS),
        MenuItem("Выдача учебников", "circulation_home", "/circulation/", TEXTBOOKS),
        MenuItem("Инвентаризация", "stocktake:campaigns", "/stocktake/", TEXTBOOKS),
        MenuItem("Статистика библиотек", "stats_home", "/stats/", TEXTBOOKS),
        MenuItem("Школы", "school_list", "/schools/", DIRECTORY),
        MenuItem("Люди", "person_list", "/people/", DIRECTORY),
    ]


@functools.cache
def _linked(script_prefix: str, urlconf: str) -> tuple[tuple[MenuItem, str], ...]:
    """Every item with its address: the same for every request of a process (reversing
    sixteen names on each page cost more than the rest of the menu)."""
    return tuple((item, reverse(item.url_name, urlconf=urlconf)) for item in _items())


def for_request(request: HttpRequest) -> list[dict[str, Any]]:
    """Top-level entries in order; a group is one entry with its ``children``."""
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    result: list[dict[str, Any]] = []
    groups: dict[str, dict[str, Any]] = {}
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    for item, url in _linked(get_script_prefix(), urlconf):
        if not item.visible(user):
            continue
        active = path == "/" if item.prefix == "/$" else path.startswith(item.prefix)
        entry = {"title": item.title, "url": url, "active": active}
        if not item.group:
            result.append(entry)
            continue
        group = groups.get(item.group)
        if group is None:
            group = groups[item.group] = {"title": item.group, "children": [], "active": False}
            result.append(group)
        group["children"].append(entry)
        group["active"] = group["active"] or active
    return result
