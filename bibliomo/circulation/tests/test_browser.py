from __future__ import annotations

import pytest
from django.db import connection

from bibliomo.circulation.tests.conftest import make_class
from conftest import browser_login


@pytest.mark.django_db(transaction=True)
def test_class_page_on_a_phone(world, desk, browser_page):
    if connection.vendor != "sqlite":
        pytest.skip("Браузерная проверка выполняется один раз, на SQLite")
    make_class(world.school_a, 5, "Б", 2)
    page = browser_page
    browser_login(page, "librarian")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.live_server_url + desk.classroom.get_absolute_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    button = page.get_by_role("button", name="Выдать комплект")
    assert button.bounding_box()["height"] >= 44
    button.click()
    page.wait_for_load_state()
    assert "Выдано 5 экз." in page.content()
    # A pupil's books open with a tap; each return button is large enough for a finger.
    page.locator("details summary").first.click()
    returned = page.locator("details[open] button[value=good]").first
    assert returned.bounding_box()["height"] >= 44
    returned.click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
