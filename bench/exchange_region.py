"""The exchange plan end to end on the generated region (1,000 schools by default).

Plans every district of the region (each a pool of its own): reads surplus and shortage
from the database for the whole region at once, solves, and stores the proposals.
Target: ≤ 2 s, and ≤ 3 × the solver alone (measured in the same run). The stored plans
are removed afterwards.

    python bench/exchange_region.py [--schools 5000]
"""

from __future__ import annotations

import argparse

import _common

_common.setup()

from django.utils import timezone  # noqa: E402

from bibliomo.directory.models import District, School  # noqa: E402
from bibliomo.exchange import services  # noqa: E402
from bibliomo.exchange.models import ExchangePlan, PlanLine  # noqa: E402
from bibliomo.lib import years  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    region = _common.region(args.schools)
    districts = list(District.objects.filter(region=region))
    year = years.start_year_for(timezone.localdate()) + 1
    schools = School.objects.filter(district__region=region).count()
    print(f"database: {_common.vendor()}; {schools} schools, {len(districts)} districts")
    best = None
    for _ in range(args.runs):
        wall, cpu, plans = _common.timed(lambda: services.compute_plans(districts, year))
        solver = sum(p.solver_ms for p in plans) / 1000
        if best is None or wall < best[0]:
            best = (wall, cpu, solver, sum(p.covered for p in plans))
        # The lines go in one statement: deleting them one by one with a history row
        # each takes minutes and is not what is measured.
        PlanLine.objects.filter(plan__in=plans)._raw_delete(PlanLine.objects.db)
        ExchangePlan.objects.filter(pk__in=[p.pk for p in plans]).delete()
    wall, cpu, solver, covered = best
    _common.figure(
        f"exchange plan of the region, end to end (read, solve, store; {covered} copies "
        f"covered; best of {args.runs})",
        wall,
        2.0,
        baseline=("the solver alone", solver),
        max_ratio=3,
        cpu=cpu,
    )


if __name__ == "__main__":
    main()
