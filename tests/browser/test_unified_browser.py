import pytest

from bibliomo.orders.tests.test_unified import build_unified
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unified_forms_page_fits_a_laptop_and_a_phone(world, browser_page, tmp_path):
    campaign = build_unified(world)
    page = browser_page
    browser_login(page, "head")
    page.goto(f"{page.live_server_url}/orders/{campaign.pk}/unified/")
    assert "Форма 2.1. Обеспеченность едиными государственными учебниками" in page.inner_text(
        "body"
    )
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        # Wide tables scroll inside their own box; the page itself never sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=tmp_path / f"unified-{width}.png", full_page=True)
    link = page.locator("a:has-text('Форма 2.2, Excel')")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Форма 2.2 Каменский район.xlsx"
