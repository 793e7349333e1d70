from __future__ import annotations

import pytest

from bibliomo.plans.models import PlanItem
from bibliomo.plans.tests.factories import make_item, make_plan, make_section
from conftest import browser_login


@pytest.mark.django_db(transaction=True)
def test_librarian_registers_and_head_marks_attendance(world, browser_page, make_event):
    from bibliomo.directory.models import AcademicYear

    event = make_event(title="Вебинар АКИПКРО «Продвижение чтения»")
    plan = make_plan(world.district, AcademicYear.objects.current().start_year)
    item = make_item(
        make_section(plan),
        "Организация участия членов МО в вебинарах АКИПКРО",
        indicator=PlanItem.Indicator.PARTICIPANTS,
    )
    event.plan_item = item
    event.save()
    page = browser_page

    browser_login(page, "librarian")
    page.click("#mainnav >> text=ММО")
    page.click("#mainnav >> text=Мероприятия")
    page.click("text=Вебинар АКИПКРО «Продвижение чтения»")
    page.click("button:has-text('Записаться')")
    page.wait_for_selector("text=Вы записаны на мероприятие.")
    page.context.clear_cookies()

    browser_login(page, "head")
    page.goto(f"{page.live_server_url}/plans/items/{item.pk}/")
    assert "Отметок пока нет." in page.inner_text("main")
    page.goto(f"{page.live_server_url}/events/{event.pk}/")
    assert "Отметка о выполнении появится" in page.inner_text("#plan-item")
    page.click("text=Участники и присутствие")
    page.check(f"#present-{world.librarian.pk}")
    page.click("button:has-text('Сохранить присутствие')")
    page.wait_for_selector("text=Присутствие отмечено: 1 чел.")
    page.goto(f"{page.live_server_url}/events/{event.pk}/")
    assert page.inner_text("[data-plan-indicator]") == "1"
    assert "Выполнено" in page.inner_text("#plan-item")
    # the plan item's own page shows the new indicator value, with the event as its source
    page.click("#plan-item a")
    text = page.inner_text("main")
    assert "Количество участников: 1" in text
    assert "Вебинар АКИПКРО «Продвижение чтения»" in text
