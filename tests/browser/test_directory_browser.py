import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_logs_in_and_opens_the_schools_directory(world, browser_page):
    page = browser_page
    browser_login(page, "head")
    assert world.district.association_name in page.content()
    page.click("#mainnav >> text=Справочник")
    page.click("#mainnav >> text=Школы")
    page.wait_for_url("**/schools/")
    assert page.locator("h1").inner_text().startswith("Школы")
    assert page.locator("table tbody tr").count() == 2
    page.fill("input[name=q]", "луговская")
    page.click("button:has-text('Найти')")
    page.wait_for_url("**/schools/?q=*")
    assert page.locator("table tbody tr").count() == 1


def test_menu_collapses_on_a_narrow_screen(world, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    browser_login(page, "librarian")
    assert not page.locator("#mainnav").is_visible()
    page.click(".navbar-toggler")
    page.locator("#mainnav").wait_for(state="visible")
    page.click("#mainnav >> text=Справочник")
    assert page.locator("#mainnav >> text=Люди").is_visible()


def test_pages_raise_no_content_security_policy_violations(world, browser_page):
    page = browser_page
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(page.live_server_url + "/accounts/login/")
    browser_login(page, "head")
    for path in ["/", "/schools/", "/people/", "/profile/"]:
        page.goto(page.live_server_url + path)
        page.wait_for_load_state("load")
    assert violations == []
