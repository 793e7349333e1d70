import pytest

from bibliomo.bulletin.models import News
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_publishes_a_competition_members_see_it(world, browser_page):
    page = browser_page
    violations: list[str] = []
    # Scripts only: htmx's own indicator style is refused on every page of the site.
    page.on("console", lambda m: violations.append(m.text) if "'script-src" in m.text else None)
    browser_login(page, "head")
    page.click("nav >> text=ММО")
    page.click("nav >> text=Информирование")
    page.wait_for_url("**/info/news/")
    page.click("text=Добавить")
    page.select_option("select[name=kind]", "competition")
    page.fill("input[name=title]", "Конкурс «Читающая школа»")
    page.fill("textarea[name=body]", "Условия <b>конкурса</b><script>alert(1)</script>")
    page.fill("input[name=deadline]", "2099-05-01")
    page.click("button:has-text('Сохранить')")
    page.wait_for_url("**/info/news/*/")
    assert page.locator("h1").inner_text() == "Конкурс «Читающая школа»"
    assert page.locator(".rich-text b").inner_text() == "конкурса"
    assert "Заявки до 01.05.2099" in page.content()
    assert News.objects.get().author == world.head
    # The dashboard of a member shows the open competition.
    page.context.clear_cookies()
    browser_login(page, "librarian")
    assert page.locator("text=Конкурс «Читающая школа»").count() >= 1
    assert not violations
