"""The stocktake on the home page's to-do list."""

from __future__ import annotations

import pytest

from bibliomo.directory import todo
from bibliomo.stocktake.tests.conftest import open_campaign

pytestmark = pytest.mark.django_db


def test_the_branch_stocktake_is_named_apart_from_the_schools_own(world, books):
    world.school_b.parent = world.school_a  # Луговская СОШ as a branch of school A
    world.school_b.save()
    open_campaign(world)
    titles = sorted(
        t.title
        for t in todo.tasks_for(world.librarian, world.district)
        if t.section == "Инвентаризация"
    )
    assert titles == [
        "Провести инвентаризацию: Инвентаризация 2026",
        "Провести инвентаризацию: Инвентаризация 2026 — Луговская СОШ",
    ]
