import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bibliomo.directory.models import School
from bibliomo.plans import services
from bibliomo.plans import timing as tm
from bibliomo.plans.models import ExecutionStatus, PlanItem, PlanItemExecution
from bibliomo.plans.tests.factories import make_item, make_plan, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(world):
    plan = make_plan(world.district)
    section = make_section(plan, "Информационное сопровождение")
    return make_item(
        section,
        "Информирование о проведении краевых вебинаров",
        indicator=PlanItem.Indicator.PARTICIPANTS,
    )


def test_record_execution_without_source_adds_a_record_each_time(world, item):
    first = services.record_execution(
        item,
        date=dt.date(2021, 10, 5),
        status=ExecutionStatus.DONE,
        note="Разослано",
        user=world.head,
    )
    services.record_execution(item, date=dt.date(2021, 11, 5), status=ExecutionStatus.DONE)
    assert item.executions.count() == 2
    assert first.created_by == world.head
    assert first.history.first().history_user == world.head


def test_record_execution_with_source_is_idempotent_and_updates(world, item):
    # Any saved model can be the source; a school stands in for an event here.
    source = world.school_a
    first = services.record_execution(
        item,
        date=dt.date(2022, 3, 15),
        status=ExecutionStatus.PLANNED,
        indicator_value=10,
        source=source,
        user=world.head,
    )
    again = services.record_execution(
        item,
        date=dt.date(2022, 3, 16),
        status=ExecutionStatus.DONE,
        indicator_value=14,
        evidence_url="https://example.org/news/1",
        source=source,
        user=world.department,
    )
    assert again.pk == first.pk
    assert item.executions.count() == 1
    record = PlanItemExecution.objects.get()
    assert (record.status, record.indicator_value, record.date) == (
        "done",
        14,
        dt.date(2022, 3, 16),
    )
    assert record.source == source
    assert record.created_by == world.head  # the author stays the first one
    assert record.history.count() == 2
    # Another source on the same item is another record.
    services.record_execution(item, date=dt.date(2022, 3, 16), status="done", source=world.school_b)
    assert item.executions.count() == 2


def test_record_execution_rejects_unknown_status_and_bad_link(item):
    with pytest.raises(ValidationError):
        services.record_execution(item, date=dt.date(2022, 1, 1), status="finished")
    with pytest.raises(ValidationError):
        services.record_execution(
            item, date=dt.date(2022, 1, 1), status="done", evidence_url="not a link"
        )
    assert not PlanItemExecution.objects.exists()


def test_record_execution_needs_a_saved_source(item, world):
    with pytest.raises(ValueError):
        services.record_execution(
            item, date=dt.date(2022, 1, 1), status="done", source=School(district=world.district)
        )


def test_find_items_by_district_year_and_indicator(world, item):
    section = item.section
    make_item(section, "Публикации на сайтах", indicator=PlanItem.Indicator.PUBLICATIONS)
    make_item(section, "Без показателя")
    other_year = make_section(make_plan(world.district, 2022))
    make_item(other_year, "Тот же показатель в другом году", indicator="participants")
    other_district = make_section(make_plan(world.other_district, 2021))
    make_item(other_district, "Чужой район", indicator="participants")

    found = list(services.find_items(world.district, 2021, PlanItem.Indicator.PARTICIPANTS))
    assert found == [item]
    # By a date inside the year and by the district's id, too.
    assert list(services.find_items(world.district.pk, dt.date(2022, 3, 1), "participants")) == [
        item
    ]
    assert len(services.find_items(world.district, item.section.plan.year)) == 3
    assert not services.find_items(world.district, 2019).exists()


def test_progress_counts_done_against_due(world):
    plan = make_plan(world.district)
    section = make_section(plan)
    year_round = make_item(section, "Весь год", timing=tm.Timing(tm.YEAR))
    march = make_item(section, "Март", timing=tm.Timing(tm.MONTHS, 3, 3))
    may = make_item(section, "Май", timing=tm.Timing(tm.MONTHS, 5, 9))
    make_item(section, "Тема", parent=march)  # sub-items are not counted
    items = list(section.items.all())
    before_march = dt.date(2022, 2, 1)
    progress = services.progress(
        items, services.latest_statuses([i.pk for i in items]), 2021, before_march
    )
    assert (progress.done, progress.due, progress.total) == (0, 1, 3)
    services.record_execution(year_round, date=dt.date(2021, 12, 1), status="done")
    services.record_execution(may, date=dt.date(2021, 12, 1), status="done")  # early
    services.record_execution(march, date=dt.date(2021, 12, 1), status="postponed")
    latest = services.latest_statuses([i.pk for i in items])
    progress = services.progress(items, latest, 2021, before_march)
    assert (progress.done, progress.due, progress.total) == (2, 2, 3)
    assert services.progress(items, latest, 2021, dt.date(2022, 8, 31)).due == 3
