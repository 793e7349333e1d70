"""The main menu: one list, so that it shows only sections that exist.

Each app that adds a section adds one line here. ``visible`` decides per user (for
example, sections only the association's head uses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    title: str
    url_name: str
    prefix: str  # the URL prefix that marks the item as the current section
    visible: Callable[[Any], bool] = lambda user: True


def _items() -> list[MenuItem]:
    return [
        MenuItem("Главная", "dashboard", "/$"),
        MenuItem("Школы", "school_list", "/schools/"),
        MenuItem("Люди", "person_list", "/people/"),
        MenuItem("План работы", "plan_list", "/plans/"),
        MenuItem("Учебники", "textbook_list", "/textbooks/"),
        MenuItem("Учебный фонд", "fund_home", "/fund/"),
        MenuItem("Обменный фонд", "exchange_fund", "/exchange/"),
        MenuItem("Мероприятия", "event_list", "/events/"),
        MenuItem("Консультации", "consultation_list", "/consultations/"),
        MenuItem("Информирование", "news_list", "/info/"),
        MenuItem("Заказ учебников", "orders:campaigns", "/orders/"),
    ]


def for_request(request) -> list[dict[str, Any]]:
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    result = []
    for item in _items():
        if not item.visible(user):
            continue
        active = path == "/" if item.prefix == "/$" else path.startswith(item.prefix)
        result.append({"title": item.title, "url": reverse(item.url_name), "active": active})
    return result
