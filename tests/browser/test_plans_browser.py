import pytest

from bibliomo.directory.models import AcademicYear
from bibliomo.plans import demo
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_marks_an_item_done_and_sees_the_section_progress(world, browser_page):
    plan = demo.build(world.district, AcademicYear.open(2021))
    section = plan.sections.get(title="Организационные мероприятия")
    page = browser_page
    browser_login(page, "head")
    page.click("#mainnav >> text=ММО")
    page.click("#mainnav >> text=План работы")
    page.wait_for_url("**/plans/")
    page.click("text=2021/2022 учебный год")
    page.wait_for_url(f"**/plans/{plan.pk}/")
    progress = page.locator(f"[data-section-progress='{section.pk}']")
    assert progress.inner_text() == "Выполнено 0 из 2 к сроку"
    first = section.items.get(number="1")
    page.locator(f"#item-{first.pk}").get_by_text("Отметить выполнение").click()
    page.wait_for_url(f"**/plans/items/{first.pk}/")
    page.select_option("select[name=status]", "done")
    page.fill("input[name=date]", "2021-10-15")
    page.fill("textarea[name=note]", "Участвовали 12 библиотекарей")
    page.click("button:has-text('Сохранить отметку')")
    page.wait_for_url(f"**/plans/{plan.pk}/#section-{section.pk}")
    assert progress.inner_text() == "Выполнено 1 из 2 к сроку"
    row = page.locator(f"#item-{first.pk}")
    assert "Выполнено" in row.inner_text() and "15.10.2021" in row.inner_text()
    assert first.executions.get().note == "Участвовали 12 библиотекарей"


def test_the_plan_prints_without_screen_controls(world, browser_page):
    plan = demo.build(world.district, AcademicYear.open(2021))
    page = browser_page
    browser_login(page, "head")
    page.goto(f"{page.live_server_url}/plans/{plan.pk}/")
    assert page.locator(".plan-toolbar").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".plan-toolbar").is_visible()
    assert not page.locator("nav.navbar").is_visible()
    assert not page.get_by_text("Отметить выполнение").first.is_visible()
    assert page.locator(".plan-table").first.is_visible()
    assert page.get_by_text("Май–сентябрь").is_visible()
    pdf = page.pdf(format="A4", landscape=True)
    assert pdf.startswith(b"%PDF")
