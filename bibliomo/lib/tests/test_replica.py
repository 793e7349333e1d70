"""The replica router: reports' reads to the replica, everything else to the primary."""

import pytest
from django.db import router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from bibliomo.directory.models import School
from bibliomo.lib import replica


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)


def _where_reads_go(request) -> str:
    seen = []

    @replica.report
    def view(request):
        seen.append(router.db_for_read(School))
        return HttpResponse()

    view(request)
    return seen[0]


def test_a_report_reads_from_the_replica_and_writes_to_the_primary(with_replica):
    assert _where_reads_go(RequestFactory().get("/")) == "replica"
    with replica.reading_reports():
        assert router.db_for_write(School) == "default"
    assert router.db_for_read(School) == "default"  # outside a report


def test_changes_and_fresh_changes_read_from_the_primary(with_replica):
    assert _where_reads_go(RequestFactory().post("/")) == "default"
    pinned = RequestFactory().get("/")
    pinned.COOKIES[replica.PIN_COOKIE] = "1"
    assert _where_reads_go(pinned) == "default"


@pytest.mark.django_db
def test_inside_a_transaction_reads_stay_on_the_primary(with_replica):
    with transaction.atomic(), replica.reading_reports():
        assert router.db_for_read(School) == "default"


def test_without_a_replica_nothing_changes():
    assert not replica.configured()
    assert _where_reads_go(RequestFactory().get("/")) == "default"


@pytest.mark.django_db
def test_a_change_pins_the_browser_to_the_primary(with_replica, world, login, settings):
    client = login(world.librarian)
    assert replica.PIN_COOKIE not in client.get("/").cookies
    response = client.post(reverse("logout"))
    cookie = response.cookies[replica.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert cookie["httponly"]


@pytest.mark.parametrize(
    "url",
    [
        "/fund/provision/",
        "/fund/school/1/provision/",
        "/exchange/",
        "/exchange/export.xlsx",
        "/orders/1/consolidated/",
        "/orders/1/consolidated.xlsx",
        "/orders/1/form1.xlsx",
        "/orders/order/1/form1.xlsx",
    ],
)
def test_heavy_reports_are_marked_for_the_replica(url):
    assert getattr(resolve(url).func, "reads_replica", False)


@pytest.mark.django_db
def test_health_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
