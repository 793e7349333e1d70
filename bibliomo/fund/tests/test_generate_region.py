from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone

from bibliomo.directory.models import Region, School
from bibliomo.fund import services
from bibliomo.fund.management.commands.generate_region import region_name
from bibliomo.fund.models import Holding, Stock
from bibliomo.lib import years


@pytest.mark.django_db
def test_generate_small_region_is_consistent():
    call_command("generate_region", schools=15, seed=5, entries=300, extra_entries=10)
    region = Region.objects.get(name=region_name(5))
    schools = School.objects.filter(district__region=region)
    assert schools.count() == 15
    held = Holding.objects.filter(school__in=schools).aggregate(n=Sum("copies"))["n"]
    assert held == Stock.objects.filter(school__in=schools).aggregate(n=Sum("copies"))["n"]
    year = years.start_year_for(timezone.localdate())
    provision = services.provision_by_school(schools, year)
    assert len(provision) == 15
    assert all(0 < total.percent <= 100 for total, _ in provision.values())
    with pytest.raises(CommandError, match="уже создан"):
        call_command("generate_region", schools=15, seed=5, entries=300, extra_entries=10)
