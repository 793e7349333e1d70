"""The API is for integrators: hidden from the menu and profile until the user turns it on."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_api_is_hidden_until_the_user_turns_it_on(world, login):
    client = login(world.librarian)
    swagger = reverse("api:openapi-view")
    home = client.get(reverse("dashboard")).content.decode()
    profile = client.get(reverse("profile")).content.decode()
    assert swagger not in home
    assert "Токены API" not in profile
    assert "Подключаю другие программы (API)" in profile
    data = {
        "last_name": "Кузнецова", "first_name": "Тест", "patronymic": "", "position": "",
        "phone": "", "email": "librarian@example.org", "pd_consent": "on", "uses_api": "on",
    }  # fmt: skip
    assert client.post(reverse("profile"), data).status_code == 302
    world.librarian.refresh_from_db()
    assert world.librarian.uses_api
    assert swagger in client.get(reverse("dashboard")).content.decode()
    assert "Токены API" in client.get(reverse("profile")).content.decode()
