from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bibliomo.exchange import services
from bibliomo.exchange.models import Adjustment, ExchangePlan
from bibliomo.exchange.tests.conftest import YEAR


def by_key(world, rows):
    names = {world.school_a.pk: "A", world.school_b.pk: "B"}
    return {(names[r.school_id], r.entry_id): r for r in rows}


def test_rows_compute_surplus_and_shortage(world, district_fund):
    f = district_fund
    rows = by_key(world, services.rows(world.district, YEAR))
    assert (rows["A", f.math5.pk].surplus, rows["A", f.math5.pk].shortage) == (10, 0)
    assert (rows["A", f.rus5.pk].surplus, rows["A", f.rus5.pk].shortage) == (0, 6)
    assert (rows["B", f.math5.pk].surplus, rows["B", f.math5.pk].shortage) == (0, 15)
    # An entry the school no longer uses is all surplus.
    assert (rows["B", f.hist6.pk].usable, rows["B", f.hist6.pk].surplus) == (8, 8)
    assert rows["B", f.rus5.pk].offered == 0
    assert len(rows) == 5  # the other district's school is not there


def test_librarian_corrections_change_what_is_offered(world, district_fund):
    f = district_fund
    Adjustment.objects.create(
        school=world.school_a, entry=f.math5, year_id=YEAR, hold_back=4, comment="резерв"
    )
    Adjustment.objects.create(school=world.school_b, entry=f.rus5, year_id=YEAR, offer_extra=3)
    # A correction for another year changes nothing this year.
    Adjustment.objects.create(school=world.school_b, entry=f.hist6, year_id=YEAR + 1, hold_back=8)
    rows = by_key(world, services.rows(world.district, YEAR))
    a_math = rows["A", f.math5.pk]
    assert (a_math.surplus, a_math.offered, a_math.comment) == (10, 6, "резерв")
    assert rows["B", f.rus5.pk].offered == 3
    assert rows["B", f.hist6.pk].offered == 8


@pytest.mark.parametrize(
    ("usable", "surplus", "shortage", "hold", "extra", "offered"),
    [
        (30, 10, 0, 0, 0, 10),
        (30, 10, 0, 15, 0, 0),  # holding back more than the surplus offers nothing
        (30, 10, 0, 0, 50, 30),  # never more than the school holds
        (14, 0, 6, 0, 5, 0),  # a school short of an entry offers none of it
    ],
)
def test_adjusted_surplus(usable, surplus, shortage, hold, extra, offered):
    assert (
        Adjustment(hold_back=hold, offer_extra=extra).adjusted_surplus(usable, surplus, shortage)
        == offered
    )


def test_compute_plan_stores_lines_and_raises_provision(world, district_fund):
    f = district_fund
    plan = services.compute_plan(world.district, YEAR, user=world.head)
    lines = list(plan.lines.values_list("giver_id", "taker_id", "entry_id", "copies"))
    assert lines == [(world.school_a.pk, world.school_b.pk, f.math5.pk, 10)]
    assert (plan.shortage, plan.covered, plan.uncovered) == (21, 10, 11)
    assert plan.created_by == world.head
    assert plan.history.first().history_user == world.head
    change = services.provision_change(plan)
    b = change[world.school_b.pk]
    assert (b.before.covered, b.after.covered, b.before.students) == (35, 45, 50)
    a = change[world.school_a.pk]
    assert a.before.covered == a.after.covered == 34  # A gives only what it does not need


def test_plan_options_leave_out_schools_entries_and_far_schools(world, district_fund):
    f = district_fund
    assert services.compute_plan(world.district, YEAR, max_km=5).covered == 0  # ~29 km apart
    plan = services.compute_plan(world.district, YEAR, exclude_entries=[f.math5])
    assert plan.covered == 0
    assert plan.uncovered == 6
    assert list(plan.excluded_entries.all()) == [f.math5]
    plan = services.compute_plan(world.district, YEAR, exclude_schools=[world.school_a])
    assert plan.lines.count() == 0
    assert plan.uncovered == 15


def test_school_without_coordinates_is_left_out_and_noted(world, district_fund):
    world.school_a.lat = None
    world.school_a.save()
    plan = services.compute_plan(world.district, YEAR)
    assert plan.covered == 0
    assert plan.shortage == 15
    assert "Без координат" in plan.note


def test_plan_exchange_for_a_district(world, district_fund):
    out = StringIO()
    call_command(
        "plan_exchange", "--district", str(world.district.pk), "--year", str(YEAR), stdout=out
    )
    plan = ExchangePlan.objects.get()
    assert plan.district == world.district
    assert plan.year.start_year == YEAR
    assert f"№ {plan.pk}" in out.getvalue()
    assert "Покрыто экземпляров: 10, не покрыто: 11" in out.getvalue()
    assert "отправок: 1, строк плана: 1" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--district", "999999", "--year", "2022"], "Района с id 999999 нет"),
        (["--district", "{d}"], "Укажите --year"),
        ([], "Укажите либо --input"),
        (["--district", "{d}", "--year", "2022", "--exclude-school", "x"], "id школы числом"),
    ],
)
def test_plan_exchange_district_errors(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("plan_exchange", *[a.format(d=world.district.pk) for a in args])
