"""The year asked for in ``?year=``: one parser, bounded, and reading never writes."""

import pytest
from django.utils import timezone

from bibliomo.directory.models import AcademicYear
from bibliomo.lib import years


def _current() -> int:
    return years.start_year_for(timezone.localdate())


def test_reading_years_creates_none(db):
    AcademicYear.objects.all().delete()
    current = AcademicYear.objects.current()
    assert current.start_year == _current()
    assert current.pk is None
    with pytest.raises(AcademicYear.DoesNotExist):
        AcademicYear.get(2021)
    assert AcademicYear.objects.parse(None) == _current()
    assert not AcademicYear.objects.exists()


def test_open_creates_the_year_once(db):
    first = AcademicYear.open(2021)
    assert AcademicYear.open(2021) == first
    assert AcademicYear.get(2021) == first


def test_known_years_are_the_opened_the_current_the_previous_and_the_next(db):
    AcademicYear.open(2019)
    assert AcademicYear.objects.known() == {2019, _current() - 1, _current(), _current() + 1}
    assert AcademicYear.objects.parse("2019") == 2019
    with pytest.raises(years.YearError):
        AcademicYear.objects.parse("2018")


def test_open_year_command(db, capsys):
    from django.core.management import call_command

    AcademicYear.objects.all().delete()
    call_command("open_year", "2020")
    call_command("open_year")
    assert set(AcademicYear.objects.values_list("start_year", flat=True)) == {
        2020,
        _current(),
        _current() + 1,
    }


PAGES = [
    "/info/publications/?year=0",
    "/consultations/stats/?year=9999",
    "/consultations/stats/?year=abc",
    "/events/calendar/?year=9999&month=1",
]


@pytest.mark.parametrize("url", PAGES)
def test_unknown_year_answers_a_clear_page(world, login, url):
    before = AcademicYear.objects.count()
    response = login(world.head).get(url)
    assert response.status_code == 400
    assert "Нет такого учебного года" in response.content.decode()
    assert AcademicYear.objects.count() == before


def test_unknown_year_in_the_api_is_a_400_with_the_reason(world, login):
    client = login(world.head)
    response = client.get("/api/publications?year=9999")
    assert response.status_code == 400
    assert "9999" in response.json()["detail"]
    response = client.get(f"/api/schools/{world.school_a.pk}/documents?year=0")
    assert response.status_code == 400


# The statistics and the year-end analysis read years too: an unknown one is the clear
# page, a known one that nobody has opened yet is shown empty — and neither inserts it.
STATS_PAGES = [
    "/stats/district/?year={y}",
    "/stats/district/xlsx/?year={y}",
    "/stats/charts/readers.svg?year={y}",
    "/training/district/?year={y}",
    "/training/district/xlsx/?year={y}",
    "/stats/{school}/{y}/",
    "/stats/{school}/{y}/xlsx/",
    "/analysis/{y}/",
]


@pytest.mark.parametrize("url", STATS_PAGES)
def test_statistics_pages_answer_an_unknown_year_without_writing(world, login, url):
    AcademicYear.objects.all().delete()
    response = login(world.head).get(url.format(y=9999, school=world.school_a.pk))
    assert response.status_code == 400
    assert "Нет такого учебного года" in response.content.decode()
    assert not AcademicYear.objects.exists()


@pytest.mark.parametrize("url", STATS_PAGES)
def test_statistics_pages_show_an_unopened_year_without_opening_it(world, login, url):
    AcademicYear.objects.all().delete()
    previous = _current() - 1  # always known: the year being reported on
    response = login(world.head).get(url.format(y=previous, school=world.school_a.pk))
    assert response.status_code == 200
    assert not AcademicYear.objects.exists()


@pytest.mark.parametrize(
    "url", ["/api/stats/district/{y}", "/api/stats/reports/{school}/{y}", "/api/analysis/{y}"]
)
def test_statistics_api_reads_years_without_writing(world, login, url):
    AcademicYear.objects.all().delete()
    client = login(world.head)
    # 2090 is inside the API's bounds (9999 is refused before the view runs, 422).
    unknown = client.get(url.format(y=2090, school=world.school_a.pk))
    assert unknown.status_code == 400
    shown = client.get(url.format(y=_current() - 1, school=world.school_a.pk))
    assert shown.status_code == 200
    assert not AcademicYear.objects.exists()
