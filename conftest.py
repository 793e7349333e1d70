"""Fixtures shared by every app's tests: a small world of two districts and a user per role."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import District, Region, School

PASSWORD = "correct-horse-battery"  # noqa: S105


@pytest.fixture(autouse=True)
def _outbox_sends_at_once(settings):
    settings.OUTBOX_DELIVERY = "sync"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Real hashing costs a third of a second per password; tests need no such strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    district: District
    other_district: District
    school_a: School
    school_b: School
    school_other: School
    admin: User
    head: User
    department: User
    librarian: User  # of school_a
    librarian_b: User  # of school_b
    outsider: User  # librarian of a school in the other district

    def user(self, role: str) -> User | None:
        return None if role == "anon" else getattr(self, role)


def make_user(username: str, role: str, district=None, school=None, **extra) -> User:
    user = User(
        username=username,
        role=role,
        district=district,
        school=school,
        last_name=extra.pop("last_name", username.capitalize()),
        first_name=extra.pop("first_name", "Тест"),
        email=extra.pop("email", f"{username}@example.org"),
        **extra,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def world(db) -> World:
    region = Region.objects.create(name="Алтайский край")
    district = District.objects.create(
        region=region,
        name="Каменский район",
        association_name="ММО библиотекарей Каменского района",
    )
    other = District.objects.create(
        region=region,
        name="Крутихинский район",
        association_name="ММО библиотекарей Крутихинского района",
    )
    school_a = School.objects.create(
        district=district,
        short_name="Каменская СОШ № 1",
        full_name="МБОУ «Каменская СОШ № 1»",
        lat=53.79,
        lon=81.35,
    )
    school_b = School.objects.create(
        district=district,
        short_name="Луговская СОШ",
        full_name="МБОУ «Луговская СОШ»",
        lat=53.53,
        lon=81.45,
    )
    school_other = School.objects.create(
        district=other,
        short_name="Крутихинская СОШ",
        full_name="МБОУ «Крутихинская СОШ»",
        lat=53.96,
        lon=81.21,
    )
    return World(
        district=district,
        other_district=other,
        school_a=school_a,
        school_b=school_b,
        school_other=school_other,
        admin=make_user("admin", Role.ADMIN, district, is_staff=True, is_superuser=True),
        head=make_user("head", Role.HEAD, district, school_a),
        department=make_user("department", Role.DEPARTMENT, district),
        librarian=make_user("librarian", Role.LIBRARIAN, district, school_a, last_name="Кузнецова"),
        librarian_b=make_user("librarian_b", Role.LIBRARIAN, district, school_b),
        outsider=make_user("outsider", Role.LIBRARIAN, other, school_other),
    )


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as that user (or anonymous for None)."""

    def _login(user: User | None):
        client.logout()
        if user is not None:
            client.force_login(user, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
        return client

    return _login


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def browser_page(live_server, monkeypatch):
    """A Playwright page in the system's headless Chromium; skips where it is absent."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium не найден ({CHROMIUM}): браузерные тесты пропущены")
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        page.live_server_url = live_server.url
        yield page
        context.close()
        browser.close()


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto(page.live_server_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(page.live_server_url + "/")
