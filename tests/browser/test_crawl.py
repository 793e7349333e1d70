"""Every role's pages in Chromium, served as in production (hashed, compressed static files
behind WhiteNoise), on the demo district:

- axe-core finds no serious or critical accessibility violation on any page, at 1280 px;
- at 375 px (a phone) no page is wider than the screen and every box that scrolls
  sideways takes the keyboard's focus (the check that depends on the width);
- a page weighs at most 150 KB on a first visit and 30 KB on the next click;
- a working screen speaks plain Russian: no formula or clipped heading a librarian would
  have to decode («Σ min(…)», «Экз. × км», «Уч-ся / Потр.», «Сторнировать»); a formula
  may sit in a hint (a folded «Как считается», a field's help text).

Every kind of page each role reaches by links is visited (an anonymous visitor included),
up to a bound that keeps the crawl to a few minutes, so it runs once — on SQLite only. Set
CRAWL_REPORT to a file name to get the figures per page as JSON.
"""

from __future__ import annotations

import json
import os
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections

from conftest import CHROMIUM

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # pragma: no cover - playwright is a test requirement
    PlaywrightError = Exception

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_VISIT_BUDGET = 150 * 1024
NEXT_CLICK_BUDGET = 30 * 1024
# None is the anonymous visitor: the public pages of the association.
ROLES: list[str | None] = [None, "head", "department", "librarian1", "admin"]
# Each role reaches 90–140 kinds of page on the demo; the bound only stops a runaway crawl.
PAGES_PER_ROLE = 200
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# The part of the page wider than the screen, in CSS pixels (0 when it fits).
OVERFLOW_JS = "() => document.documentElement.scrollWidth - window.innerWidth"
# On a phone only the width-dependent rule is asked again; the rest was asked at 1280 px.
PHONE_RULES = {
    "runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]},
    "resultTypes": ["violations"],
}
# The page's own words, hints left out: what a librarian reads without unfolding anything.
WORDS_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('details, .form-text, script, style, template').forEach(e => e.remove());
  return body.textContent;
}"""
FORMULAS = re.compile(r"Σ|min\(|× км|Уч-ся\s*/|Потр\.|Сторнир", re.IGNORECASE)
# Files, the API, the admin and leaving the site are not pages of the interface.
SKIP = re.compile(
    r"^/(api|admin|static|accounts/logout)/|\.(xlsx|docx|pdf|ics|csv|zip|txt|xml|json)$|"
    r"/(export|download|file|feed|calendar\.ics)(/|$)"
)
# What the weight of a page is: the navigation and every resource it loads. A resource
# taken from the cache transfers nothing; on a first visit it costs its compressed body.
WEIGHT_JS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  let next = nav.transferSize, first = nav.transferSize;
  for (const r of res) {
    next += r.transferSize;
    first += r.transferSize || (r.encodedBodySize + 300);
  }
  return {first, next, resources: res.map(r => [r.name, r.transferSize, r.encodedBodySize])};
}"""


def pattern(url: str) -> str:
    """One page per kind: /orders/order/12/ and /orders/order/13/ are the same page."""
    parts = urlsplit(url)
    keys = sorted({q.split("=")[0] for q in parts.query.split("&") if q})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


@pytest.fixture
def production_site(transactional_db, tmp_path, settings):
    if connection.vendor != "sqlite":
        pytest.skip("Обход всех страниц выполняется один раз — на SQLite")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium не найден ({CHROMIUM})")
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test.testcases import LiveServerThread
    from django.utils.functional import empty

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.ALLOWED_HOSTS = ["*"]
    call_command("collectstatic", "--noinput", verbosity=0)
    staticfiles_storage._wrapped = empty  # read the manifest just written
    call_command("load_demo", verbosity=0)
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    # No test static handler in front: WhiteNoise serves the files, as in production.
    thread = LiveServerThread("127.0.0.1", lambda app: app, connections_override=shared)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


def serious_of(found: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def crawl_role(browser, base: str, username: str | None, axe) -> list[dict]:
    context = browser.new_context(locale="ru-RU", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20000)
    # The sign-in page first, for everyone: what the crawl measures next is the next click.
    page.goto(base + "/accounts/login/")
    if username:
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo")
        page.click("button[type=submit]")
        page.wait_for_url(base + "/")
    queue, seen, results = deque(["/"]), {pattern("/")}, []
    while queue and len(results) < PAGES_PER_ROLE:
        url = queue.popleft()
        try:
            response = page.goto(base + url)
        except PlaywrightError as exc:  # a link that sends a file
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        weight = page.evaluate(WEIGHT_JS)
        jargon = sorted({m.group(0) for m in FORMULAS.finditer(page.evaluate(WORDS_JS))})
        serious = serious_of(axe.run(page).response["violations"])
        page.set_viewport_size(PHONE)
        overflow = page.evaluate(OVERFLOW_JS)
        narrow = serious_of(axe.run(page, options=PHONE_RULES).response["violations"])
        page.set_viewport_size(DESKTOP)
        results.append(
            {
                "role": username or "anonymous",
                "url": url,
                "status": response.status,
                "first_visit": weight["first"],
                "next_click": weight["next"],
                "serious": serious + [f"375 px: {v}" for v in narrow],
                "phone_overflow": overflow,
                "jargon": jargon,
            }
        )
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            if not href.startswith(base):
                continue
            path = href[len(base) :]
            if SKIP.search(urlsplit(path).path) or "format=" in path or pattern(path) in seen:
                continue
            seen.add(pattern(path))
            queue.append(path)
    context.close()
    return results


def test_every_page_is_accessible_and_light(production_site, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    results: list[dict] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            # The first visit of the site's first page, with an empty cache.
            context = browser.new_context()
            page = context.new_page()
            page.goto(production_site + "/accounts/login/")
            cold = page.evaluate(WEIGHT_JS)
            context.close()
            for username in ROLES:
                results.extend(crawl_role(browser, production_site, username, axe))
        finally:
            browser.close()
    if os.environ.get("CRAWL_REPORT"):
        with open(os.environ["CRAWL_REPORT"], "w", encoding="utf-8") as out:
            json.dump({"login_first_visit": cold, "pages": results}, out, ensure_ascii=False)
    counts = {
        role: sum(r["role"] == role for r in results) for role in {r["role"] for r in results}
    }
    assert all(n < PAGES_PER_ROLE for n in counts.values()), f"обход не дошёл до конца: {counts}"
    # An anonymous visitor sees the sign-in page and the password reset, nothing else.
    assert counts.get("anonymous", 0) >= 2, counts
    assert len(results) > 4 * 50, f"обход нашёл слишком мало страниц: {counts}"
    broken = [f"{r['role']} {r['url']}: {r['status']}" for r in results if r["status"] >= 400]
    assert not broken, broken
    inaccessible = [f"{r['role']} {r['url']}: {r['serious']}" for r in results if r["serious"]]
    assert not inaccessible, "\n".join(inaccessible)
    wide = [
        f"{r['role']} {r['url']}: +{r['phone_overflow']} px"
        for r in results
        if r["phone_overflow"] > 1
    ]
    assert not wide, "шире экрана телефона:\n" + "\n".join(wide)
    assert cold["first"] <= FIRST_VISIT_BUDGET, cold
    heavy = [
        f"{r['role']} {r['url']}: {r['first_visit']} / {r['next_click']} байт"
        for r in results
        if r["first_visit"] > FIRST_VISIT_BUDGET or r["next_click"] > NEXT_CLICK_BUDGET
    ]
    assert not heavy, "\n".join(heavy)
    jargon = [f"{r['role']} {r['url']}: {r['jargon']}" for r in results if r["jargon"]]
    assert not jargon, "формулы и сокращения вместо слов:\n" + "\n".join(jargon)
