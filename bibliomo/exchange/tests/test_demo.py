from __future__ import annotations

import pytest

from bibliomo.directory import demo as directory_demo
from bibliomo.exchange import demo, services
from bibliomo.exchange.models import ExchangePlan, Transfer
from bibliomo.fund import demo as fund_demo


@pytest.mark.django_db
def test_demo_plan_raises_provision_in_at_least_three_schools_and_loads_once():
    directory_demo.load()
    fund_demo.load()
    demo.load()
    demo.load()
    plan = ExchangePlan.objects.get()
    assert plan.district.name == "Каменский район"
    assert plan.created_by.role == "head"
    assert plan.covered > 0
    assert plan.lines.exists()
    change = services.provision_change(plan)
    raised = [c for c in change.values() if c.after.covered > c.before.covered]
    assert len(raised) >= 3
    # Moving books never lowers a giver below its own need: no school loses provision.
    assert all(c.after.covered >= c.before.covered for c in change.values())
    t = Transfer.objects.get()
    assert t.status == Transfer.Status.PROPOSED
    assert t.lines.exists()
