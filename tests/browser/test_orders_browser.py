import datetime as dt

import pytest

from bibliomo.orders import services
from bibliomo.orders.tests.conftest import TARGET, build_scenario
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_librarian_changes_a_line_and_submits(world, browser_page):
    scenario = build_scenario(world)
    w, e = scenario.world, scenario.entries
    campaign = services.open_campaign(w.district, TARGET, dt.date(2099, 3, 31), user=w.head)
    order = campaign.orders.get(school=w.school_a)
    line = order.lines.get(entry=e["math5"])
    page = browser_page
    browser_login(page, "librarian")
    page.goto(f"{page.live_server_url}/orders/order/{order.pk}/")
    row = page.locator(f"#line-{line.pk}")
    # The inputs sit in the row's cells and belong to the row's form by their form= attribute.
    row.locator("input[name=quantity]").fill("9")
    row.locator("select[name=reason]").select_option("growth")
    row.locator("input[name=note]").fill("Открывается второй 5 класс")
    row.locator("button[title='Сохранить строку']").click()
    page.wait_for_url(f"**/orders/order/{order.pk}/#line-{line.pk}")
    assert "Строка 1.1.2.4.1.1.1 сохранена" in page.inner_text("body")
    line.refresh_from_db()
    assert (line.quantity, line.note) == (9, "Открывается второй 5 класс")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Подать заказ')")
    page.wait_for_url(f"**/orders/order/{order.pk}/")
    assert "Заказ подан" in page.inner_text("body")
    order.refresh_from_db()
    assert order.status == "submitted"
