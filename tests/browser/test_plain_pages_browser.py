"""What a librarian reads on her working screens, in Chromium: figures written one way in
inputs and tables, messages that agree with the document's name, a copied plan that points
at last year's dates, and the API kept out of her way until she asks for it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bibliomo.fund.models import Document
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.orders import services as order_services
from bibliomo.orders.tests.conftest import TARGET, build_scenario
from bibliomo.plans.models import PlanItem, WorkPlan
from bibliomo.plans.tests.factories import make_item, make_plan, make_section
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"


def _accept_confirmations(page) -> None:
    page.on("dialog", lambda dialog: dialog.accept())


def test_a_price_reads_the_same_in_the_input_and_in_the_table(world, browser_page):
    scenario = build_scenario(world)
    w, e = scenario.world, scenario.entries
    campaign = order_services.open_campaign(w.district, TARGET, dt.date(2099, 3, 31), user=w.head)
    order = campaign.orders.get(school=w.school_a)
    line = order.lines.get(entry=e["math5"])
    line.price = Decimal("1040")
    line.save(update_fields=["price"])
    page = browser_page
    browser_login(page, "librarian")
    page.goto(f"{page.live_server_url}/orders/order/{order.pk}/")
    price = page.locator(f"#line-{line.pk} input[name$=-price]")
    assert price.input_value() == f"1{NBSP}040,00"
    # Typed the way the table writes it, with a space and a comma, it is read as a number
    # and comes back written the same way.
    price.fill("1 250,5")
    page.locator("button:has-text('Сохранить изменения')").first.click()
    page.wait_for_load_state()
    line.refresh_from_db()
    assert line.price == Decimal("1250.50")
    assert page.locator(f"#line-{line.pk} input[name$=-price]").input_value() == f"1{NBSP}250,50"


def test_a_receipt_is_posted_and_the_message_agrees_with_its_name(world, browser_page):
    entry = make_entry("1.1.2.4.1.1.1", "Математика", "5", authors="Виленкин Н. Я.")
    doc = document(
        world.school_a, Document.Kind.RECEIPT, [(entry, 25, Decimal("1040"))], number="Н-15"
    )
    page = browser_page
    _accept_confirmations(page)
    browser_login(page, "librarian")
    page.goto(page.live_server_url + doc.get_absolute_url())
    cells = page.locator("table tbody tr").first.locator("td")
    assert f"1{NBSP}040,00" in cells.all_inner_texts()
    assert f"26{NBSP}000,00" in cells.all_inner_texts()
    page.locator("button:has-text('Провести')").click()
    page.wait_for_load_state()
    alert = page.locator(".alert-success").inner_text()
    assert "Накладная № Н-15" in alert and "проведена" in alert, alert
    assert "проведён" not in alert
    # The reversal says what it does in a librarian's words; the term sits in the hint.
    undo = page.locator("button:has-text('Отменить документ')")
    assert undo.is_visible()
    assert "Сторно" in (undo.get_attribute("title") or "")
    assert "Сторнировать" not in page.locator("main").inner_text()


def test_a_copied_plan_points_at_last_years_dates(world, browser_page):
    plan = make_plan(world.district, 2021)
    section = make_section(plan)
    make_item(section, "Заседание ММО 24.03.2022: итоги 2021 года")
    make_item(section, "Работа с фондом в течение года")
    page = browser_page
    browser_login(page, "head")
    page.goto(page.live_server_url + plan.get_absolute_url())
    page.select_option("#copy-year", "2022")
    page.locator("form[action$='/copy/'] button[type=submit]").click()
    page.wait_for_load_state()
    copy = WorkPlan.objects.get(year__start_year=2022)
    assert page.url.endswith(copy.get_absolute_url())
    assert "1 пункт называет даты прошлого года" in page.locator("main").inner_text()
    stale = PlanItem.objects.get(section__plan=copy, content__startswith="Заседание")
    notes = page.locator(".alert-warning:has-text('Проверьте даты после копирования')")
    assert notes.count() == 1
    assert "24.03.2022, 2021" in notes.first.inner_text()
    assert stale.review_note


def test_the_api_stays_out_of_the_librarians_way_until_she_turns_it_on(world, browser_page):
    page = browser_page
    browser_login(page, "librarian")
    api_link = page.locator("a:has-text('API для программ')")
    assert api_link.count() == 0
    page.goto(page.live_server_url + reverse("profile"))
    assert page.locator("h2:has-text('Токены API')").count() == 0
    page.locator("#id_uses_api").check()
    consent = page.locator("#id_pd_consent")
    if consent.count() and not consent.is_checked():
        consent.check()
    page.locator("main button[type=submit]:has-text('Сохранить')").click()
    page.wait_for_load_state()
    world.librarian.refresh_from_db()
    assert world.librarian.uses_api
    page.goto(page.live_server_url + reverse("profile"))
    assert page.locator("h2:has-text('Токены API')").is_visible()
    assert page.locator("a:has-text('API для программ')").count() == 1
