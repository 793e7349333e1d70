"""The phone counting screen in a real browser: saves as it goes, keeps counts made
without a connection across a reload, and shows someone else's newer count."""

import pytest
from playwright.sync_api import expect

from bibliomo.stocktake import services
from bibliomo.stocktake.models import CountLine
from bibliomo.stocktake.tests.conftest import make_books, open_campaign
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser_page):
    browser_page.set_viewport_size({"width": 375, "height": 800})
    return browser_page


def test_counts_survive_a_dropped_connection_and_a_reload(world, phone):
    make_books(world)
    campaign = open_campaign(world, notify=False)
    st = campaign.schools.get(school=world.school_a)
    first, second = st.lines.order_by("pk")[:2]
    page = phone
    browser_login(page, "librarian")
    page.goto(f"{page.live_server_url}/stocktake/school/{st.pk}/count/")
    card = page.locator(f'[data-count-line="{first.pk}"]')
    card.locator("[data-count-input]").fill("7")
    card.locator("[data-count-step='1']").click()  # 8
    expect(card.locator("[data-count-state]")).to_contain_text("Записано: Кузнецова Т.")
    first.refresh_from_db()
    assert first.counted == 8
    assert first.updated_by == world.librarian

    page.context.set_offline(True)
    other = page.locator(f'[data-count-line="{second.pk}"]')
    other.locator("[data-count-input]").fill("5")
    expect(page.locator("[data-count-net]")).to_contain_text("Не отправлено: 1")
    stored = page.evaluate(f"localStorage.getItem('bibliomo-stocktake-{st.pk}')")
    assert '"counted":5' in stored
    second.refresh_from_db()
    assert second.counted is None
    page.context.set_offline(False)
    page.reload()  # the unsent count is put back and sent
    expect(page.locator("[data-count-net]")).to_have_text("Все числа сохранены.")
    second.refresh_from_db()
    assert second.counted == 5


def test_a_newer_count_of_someone_else_is_shown_not_overwritten(world, phone):
    make_books(world)
    campaign = open_campaign(world, notify=False)
    st = campaign.schools.get(school=world.school_a)
    line = st.lines.order_by("pk").first()
    page = phone
    browser_login(page, "librarian")
    page.goto(f"{page.live_server_url}/stocktake/school/{st.pk}/count/")
    services.save_count(line, counted=12, version=0, user=world.head)  # meanwhile
    card = page.locator(f'[data-count-line="{line.pk}"]')
    card.locator("[data-count-input]").fill("3")
    conflict = card.locator("[data-count-conflict]")
    conflict.wait_for(state="visible")
    assert "Head Т." in conflict.inner_text()
    assert card.locator("[data-count-input]").input_value() == "12"
    assert CountLine.objects.get(pk=line.pk).counted == 12
    card.locator("[data-count-keep]").click()  # the counter insists: a deliberate save
    expect(card.locator("[data-count-state]")).to_contain_text("Записано")
    assert CountLine.objects.get(pk=line.pk).counted == 3
