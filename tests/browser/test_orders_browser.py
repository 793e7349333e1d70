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
    # Save and remove sit on the screen at a laptop's width: nothing scrolls sideways.
    for width in (1280, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        box = page.locator("button:has-text('Сохранить изменения')").bounding_box()
        assert box["x"] + box["width"] <= width
        box = row.locator("input[type=checkbox]").bounding_box()
        assert box["x"] + box["width"] <= width
    row.locator("input[name$=-quantity]").fill("9")
    row.locator("select[name$=-reason]").select_option("growth")
    row.locator("input[name$=-note]").fill("Открывается второй 5 класс")
    # Leaving with unsaved edits asks first; staying keeps them.
    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("nav[aria-label=Навигация] >> text=Заказ учебников")
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/orders/order/{order.pk}/")
    # Recalculating would drop them: a confirmation, refused here.
    page.click("button:has-text('Пересчитать')")
    assert len(dialogs) == 2
    page.remove_listener("dialog", dismiss)
    page.click("button:has-text('Сохранить изменения')")
    page.wait_for_url(f"**/orders/order/{order.pk}/")
    assert "Сохранена 1 строка заказа" in page.inner_text("body")
    line.refresh_from_db()
    assert (line.quantity, line.note) == (9, "Открывается второй 5 класс")
    # Typed but not saved, then «Сохранить и подать»: the edit is saved, not lost.
    row = page.locator(f"#line-{line.pk}")
    row.locator("input[name$=-quantity]").fill("10")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Сохранить и подать заказ')")
    page.wait_for_url(f"**/orders/order/{order.pk}/")
    assert "Заказ подан" in page.inner_text("body")
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == "submitted"
    assert line.quantity == 10


def test_order_lines_are_cards_on_a_phone(world, browser_page):
    scenario = build_scenario(world)
    campaign = services.open_campaign(world.district, TARGET, dt.date(2099, 3, 31), user=world.head)
    order = campaign.orders.get(school=world.school_a)
    page = browser_page
    browser_login(page, "librarian")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{page.live_server_url}/orders/order/{order.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    line = order.lines.get(entry=scenario.entries["math5"])
    row = page.locator(f"#line-{line.pk}")
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    assert row.locator("input[name$=-quantity]").is_visible()


def test_textbook_picker_finds_by_title(world, browser_page):
    scenario = build_scenario(world)
    campaign = services.open_campaign(world.district, TARGET, dt.date(2099, 3, 31), user=world.head)
    order = campaign.orders.get(school=world.school_b)
    entry = scenario.entries["geo6"]
    page = browser_page
    browser_login(page, "librarian_b")
    page.goto(f"{page.live_server_url}/orders/order/{order.pk}/")
    picker = page.locator("input[name=entry]")
    picker.press_sequentially("Геогр", delay=30)
    option = page.locator("#id_entry-suggestions option").first
    option.wait_for(state="attached")
    assert entry.number in option.get_attribute("value")
    picker.fill(option.get_attribute("value"))
    page.fill("input[name=quantity]", "3")
    page.select_option("select[name=reason]", "lost")
    page.click("button:has-text('Добавить')")
    page.wait_for_url(f"**/orders/order/{order.pk}/")
    assert order.lines.filter(entry=entry, quantity=3).exists()


def test_school_asks_to_reopen_and_the_history_says_who_and_why(world, browser_page, tmp_path):
    build_scenario(world)
    campaign = services.open_campaign(world.district, TARGET, dt.date(2099, 3, 31), user=world.head)
    order = campaign.orders.get(school=world.school_a)
    services.submit(order, world.librarian)
    services.approve(order, world.department)
    page = browser_page
    browser_login(page, "librarian")
    url = f"{page.live_server_url}/orders/order/{order.pk}/"
    page.goto(url)
    page.click("summary:has-text('Нужно изменить утверждённый заказ?')")
    page.fill("textarea[name=reason]", "Пришли ещё 12 учеников в 5 класс")
    page.click("button:has-text('Попросить вернуть заказ')")
    page.wait_for_url(url)
    page.context.clear_cookies()
    # The head finds the request on her to-do list and gives the order back with a word.
    browser_login(page, "head")
    page.click("[aria-labelledby=todo-title] >> text=просит вернуть заказ на доработку")
    page.wait_for_url(url)
    assert "Пришли ещё 12 учеников в 5 класс" in page.inner_text(".alert-info")
    page.fill("textarea[name=comment]", "Добавьте второй 5 класс")
    page.click("button:has-text('Вернуть школе')")
    page.wait_for_url(url)
    page.context.clear_cookies()
    browser_login(page, "librarian")
    page.goto(url)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=tmp_path / f"reopened-{width}.png", full_page=True)
    page.click("summary:has-text('История изменений')")
    history = page.inner_text("details:has(summary:has-text('История изменений'))")
    assert world.head.short_name in history and "Добавьте второй 5 класс" in history
    assert world.librarian.short_name in history and "Пришли ещё 12 учеников" in history
    order.refresh_from_db()
    assert order.status == "returned" and order.is_editable
