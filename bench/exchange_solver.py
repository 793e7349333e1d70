"""The exchange solver on a synthetic region: 1,000 schools, ~600 entries in use.

Prints the solver's own time (building the networks and solving them) and the plan's
figures. Run: ``python bench/exchange_solver.py`` (or ``make bench``).
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bibliomo.exchange.solver import Item, Options, solve


def synthetic_region(
    schools: int = 1000, entries: int = 600, seed: int = 2022
) -> tuple[dict[int, tuple[float, float]], list[Item]]:
    """Schools scattered over a region the size of Алтайский край; each uses ~60 entries.

    About a third of a school's entries are out of balance: some in surplus, some short.
    """
    rng = random.Random(seed)
    coords = {s: (rng.uniform(50.8, 54.4), rng.uniform(78.0, 87.0)) for s in range(1, schools + 1)}
    items = []
    for school in coords:
        for entry in rng.sample(range(1, entries + 1), 60):
            roll = rng.random()
            if roll < 0.17:
                items.append(Item(school, entry, surplus=rng.randint(1, 25)))
            elif roll < 0.34:
                items.append(Item(school, entry, shortage=rng.randint(1, 25)))
    return coords, items


def main() -> None:
    coords, items = synthetic_region()
    for label, options in (
        ("region as one pool", Options()),
        ("within 150 km", Options(max_km=150)),
    ):
        started = time.perf_counter()
        plan = solve(coords, items, options)
        total = time.perf_counter() - started
        print(
            f"exchange solver, {label}: {len(coords)} schools, {len(items)} items, "
            f"{len({i.entry for i in items})} entries -> {len(plan.lines)} lines, "
            f"covered {plan.covered} of {plan.shortage}, {plan.shipments} shipments, "
            f"{plan.copy_km:,.0f} copy-km; solver {plan.seconds:.2f} s (call {total:.2f} s)"
        )


if __name__ == "__main__":
    main()
