"""The exchange plan read at a glance in Chromium: its summary first, the shipments folded
and paged, filters by school and subject; nothing sideways on a laptop or a phone."""

from __future__ import annotations

import pytest

from bibliomo.directory.models import School
from bibliomo.exchange import services
from bibliomo.exchange.models import PlanLine
from bibliomo.exchange.tests.conftest import YEAR, make_entry
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_summary_first_then_folded_shipments(world, district_fund, browser_page, tmp_path):
    plan = services.compute_plan(world.district, YEAR)
    history = make_entry("1.1.1.5.1.1.9", "История древнего мира", 5, "История")
    schools = [
        School.objects.create(district=world.district, short_name=f"Школа {i:02}", lat=53, lon=81)
        for i in range(25)
    ]
    PlanLine.objects.bulk_create(
        PlanLine(plan=plan, giver=world.school_a, taker=s, entry=e, copies=2, km=10.0)
        for s in schools
        for e in (district_fund.math5, history)
    )
    page = browser_page
    browser_login(page, "head")
    page.goto(f"{page.live_server_url}/exchange/plans/{plan.pk}/")
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # The summary is on the first screen, before any shipment.
        summary = page.locator(".plan-summary").bounding_box()
        assert summary["y"] < 900
        assert summary["y"] < page.locator("details.shipment").first.bounding_box()["y"]
        page.screenshot(path=tmp_path / f"exchange-plan-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    # Twenty shipments a page, each folded: its lines appear when it is opened.
    shipments = page.locator("details.shipment")
    assert shipments.count() == 20
    first = shipments.filter(has_text="→ Школа 00")
    assert not first.locator("table").is_visible()
    first.locator("summary").click()
    assert first.locator("td:has-text('История древнего мира')").is_visible()
    # One school's shipments only.
    page.select_option("select[name=school]", str(schools[3].pk))
    page.click("button:has-text('Показать')")
    page.wait_for_load_state()
    assert page.locator("details.shipment").count() == 1
    assert "→ Школа 03" in page.locator("details.shipment").inner_text()


def test_a_request_picks_the_textbook_by_its_title(world, district_fund, browser_page, tmp_path):
    """The request form offers what other schools hold in the exchange fund, by title: the
    librarian types a word of it and takes the line the browser suggests."""
    from bibliomo.exchange.models import Transfer

    page = browser_page
    browser_login(page, "librarian_b")
    page.goto(f"{page.live_server_url}/exchange/request/?year={YEAR}")
    picker = page.locator("#id_entry")
    options = page.locator(f"datalist#{picker.get_attribute('list')} option")
    values = [options.nth(i).get_attribute("value") for i in range(options.count())]
    math = district_fund.math5
    assert f"{math.number} — {math.title}" in " ".join(values)
    page.select_option("#id_giver", str(world.school_a.pk))
    picker.fill(next(v for v in values if v.startswith(math.number)))
    page.fill("#id_copies", "3")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    transfer = Transfer.objects.get()
    assert (transfer.giver, transfer.taker) == (world.school_a, world.school_b)
    assert [(ln.entry, ln.copies) for ln in transfer.lines.all()] == [(math, 3)]
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{page.live_server_url}/exchange/request/?year={YEAR}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=tmp_path / "exchange-request-375.png", full_page=True)
