"""The data step of 0004: items the stocktake used to find by their wording stay fed."""

from __future__ import annotations

import importlib

from django.apps import apps

from bibliomo.plans.models import PlanItem
from bibliomo.plans.tests.factories import make_item, make_plan, make_section

step = importlib.import_module("bibliomo.plans.migrations.0004_item_fed_by_stocktake")


def test_former_stocktake_items_are_linked_by_choice(world):
    section = make_section(make_plan(world.district, start_year=2026))
    worded = make_item(section, "Консультирование по инвентаризации учебного фонда")
    child = make_item(section, "Сверка при инвентаризации", parent=worded)
    chosen = make_item(section, "Инвентаризация", fed_by=PlanItem.FedBy.PARTNERSHIP)
    other = make_item(section, "Заседание ММО")
    step.link_by_former_wording(apps, None)
    kinds = dict(PlanItem.objects.values_list("pk", "fed_by"))
    assert kinds[worded.pk] == PlanItem.FedBy.STOCKTAKE
    assert kinds[child.pk] == ""
    assert kinds[chosen.pk] == PlanItem.FedBy.PARTNERSHIP
    assert kinds[other.pk] == ""
