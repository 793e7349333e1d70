"""The librarian's working day in Chromium: the to-do list, phone widths, the plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bibliomo.directory.models import AcademicYear
from bibliomo.orders.models import OrderCampaign, SchoolOrder
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_is_a_to_do_list_with_deadlines_and_links(world, browser_page):
    today = timezone.localdate()
    campaign = OrderCampaign.objects.create(
        district=world.district,
        target_year=AcademicYear.open(today.year + 1),
        deadline=today + dt.timedelta(days=3),
    )
    order = SchoolOrder.objects.create(campaign=campaign, school=world.school_a)
    page = browser_page
    browser_login(page, "librarian")
    todo = page.locator("[aria-labelledby=todo-title]")
    assert "осталось 3 дня" in todo.inner_text()
    todo.locator("text=Заполнить и подать заказ учебников").click()
    page.wait_for_url(f"**/orders/order/{order.pk}/")
    page.context.clear_cookies()
    browser_login(page, "librarian_b")
    assert (
        "Сейчас ничего делать не нужно" in page.locator("[aria-labelledby=todo-title]").inner_text()
    )


def test_phone_keeps_the_key_columns(world, browser_page):
    from bibliomo.fund.tests.conftest import make_entry
    from bibliomo.textbooks.models import Curriculum

    AcademicYear.open(2025)
    entry = make_entry("1.1.1.1.1.1.1", "Азбука", "1")
    Curriculum.objects.create(
        school=world.school_a, year_id=2025, grade=1, subject="Чтение", entry=entry
    )
    page = browser_page
    browser_login(page, "head")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(page.live_server_url + "/fund/provision/?year=2025")
    assert page.locator("th:has-text('Обеспеченность')").is_visible()
    assert not page.locator("th:has-text('Потребность')").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(page.live_server_url + f"/fund/school/{world.school_a.pk}/ksu/")
    active = page.locator(".nav-tabs .nav-link.active")
    box, strip = active.bounding_box(), page.locator(".nav-tabs").bounding_box()
    assert active.inner_text() == "КСУ"
    assert strip["x"] <= box["x"]
    assert box["x"] + box["width"] <= strip["x"] + strip["width"] + 1
