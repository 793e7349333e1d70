"""The exchange plan end to end on the generated region of 1,000 schools.

Uses the synthetic region of ``manage.py generate_region --schools 1000 --seed 1`` (made
once and reused, as by the fund's benchmark), then plans every district of it (each a
pool of its own): reads surplus and shortage from the database for the whole region at
once, solves, and stores the proposals. Prints the whole
time and the solver's own time beside it; the plans it stored are removed afterwards.

``python bench/exchange_region.py`` uses ``var/bench.sqlite3``; set
``BENCH_DATABASE_URL=postgres://…/bibliomo_bench`` to measure on PostgreSQL.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
(ROOT / "var").mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from bibliomo.directory.models import District, Region, School  # noqa: E402
from bibliomo.exchange import services  # noqa: E402
from bibliomo.exchange.models import ExchangePlan, PlanLine  # noqa: E402
from bibliomo.fund.management.commands.generate_region import region_name  # noqa: E402
from bibliomo.lib import years  # noqa: E402

SEED = 1


def main() -> None:
    call_command("migrate", verbosity=0)
    if not Region.objects.filter(name=region_name(SEED)).exists():
        started = time.perf_counter()
        call_command("generate_region", schools=1000, seed=SEED, verbosity=0)
        print(f"region generated in {time.perf_counter() - started:.1f} s")
    region = Region.objects.get(name=region_name(SEED))
    districts = list(District.objects.filter(region=region))
    year = years.start_year_for(timezone.localdate()) + 1
    schools = School.objects.filter(district__region=region).count()
    for attempt in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        plans = services.compute_plans(districts, year)
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
        solver = sum(p.solver_ms for p in plans) / 1000
        lines = sum(p.lines.count() for p in plans)
        print(
            f"exchange end to end (run {attempt}): {schools} schools, {len(plans)} district "
            f"plans for {year}/{year + 1}: {total:.2f} s (read, solve, store; CPU of this "
            f"process {cpu:.2f} s); solver {solver:.2f} s; {lines} lines, covered "
            f"{sum(p.covered for p in plans)} of {sum(p.shortage for p in plans)}"
        )
        # The lines go in one statement: deleting them one by one with a history row
        # each takes minutes and is not what is measured.
        PlanLine.objects.filter(plan__in=plans)._raw_delete(PlanLine.objects.db)
        ExchangePlan.objects.filter(pk__in=[p.pk for p in plans]).delete()


if __name__ == "__main__":
    main()
