"""The exchange plan: which school gives how many copies of which entry to which school.

Pure computation (no Django), so it can be tested against an independent linear program
and benchmarked alone. The optimisation itself is OR-Tools' min-cost flow; this module
only builds the network and reads the answer back.

For every entry the surplus schools supply the shortage schools, and the plan is chosen
lexicographically:

1. as many copies of shortage covered as possible — ``solve_max_flow_with_min_cost``
   first fixes the maximum flow, then finds the cheapest flow of that size;
2. the least Σ copies × great-circle km — the primary arc cost, in whole metres;
3. among plans equal in 1 and 2, fewer separate school-to-school shipments.

Point 3 is a fixed charge per (giver, taker) pair over all entries, which no flow
formulation captures exactly (the problem is NP-hard), so it is approximated by a
secondary cost that can never outweigh a single metre of the primary one: every arc costs
``metres × M + p`` with ``M`` larger than any possible total of ``p`` in that entry. Ties
in distance — schools in one village share coordinates — are then broken by ``p``:

* ``p`` is larger for a pair that no other entry uses. Entries are planned one after
  another (largest first), so later ones travel along pairs that already carry a
  shipment when that costs no extra kilometre; then every entry is planned once more
  knowing the pairs of all the others, and the new answer is kept when it leaves fewer
  pairs of its own (a local improvement, not a proof of the fewest shipments);
* ``p`` also carries a small deterministic pseudo-random part per pair. It makes the
  optimum of the perturbed problem unique in practice, and the unique optimum of a
  transportation problem is a basic solution: its arcs form a forest, so an entry with
  ``s`` givers and ``t`` takers uses at most ``s + t − 1`` shipments rather than
  splitting copies across every tied pair.

The costs are integers, so ties are exact and the solver's answer is exact; the size of
``p`` is reduced automatically when the numbers would not fit OR-Tools' 64-bit costs.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

# OR-Tools scales costs by the number of nodes and sums them over the flow in int64.
_COST_LIMIT = 2**62
_TIE_BREAK_RANGE = 1024  # distinct values of the pseudo-random part of p
_NEW_PAIR_WEIGHT = 64  # a new pair costs this many times the whole tie-break range


@dataclass(frozen=True)
class Item:
    """One school's surplus or shortage of one entry, in copies."""

    school: Hashable
    entry: Hashable
    surplus: int = 0
    shortage: int = 0


@dataclass(frozen=True)
class Options:
    max_km: float | None = None
    exclude_schools: frozenset = frozenset()
    exclude_entries: frozenset = frozenset()


@dataclass(frozen=True)
class Line:
    giver: Hashable
    taker: Hashable
    entry: Hashable
    copies: int
    km: float
    metres: int


@dataclass
class Plan:
    lines: list[Line] = field(default_factory=list)
    shortage: int = 0  # total shortage of the schools and entries taken into account
    covered: int = 0
    seconds: float = 0.0  # the solver's own time: building networks and solving them

    @property
    def uncovered(self) -> int:
        return self.shortage - self.covered

    @property
    def copy_km(self) -> float:
        return sum(line.copies * line.km for line in self.lines)

    @property
    def shipments(self) -> int:
        return len({(line.giver, line.taker) for line in self.lines})


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance in km; works on scalars and on numpy arrays alike."""
    lat1, lon1, lat2, lon2 = (np.radians(v) for v in (lat1, lon1, lat2, lon2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _tie_break(givers: np.ndarray, takers: np.ndarray, span: int) -> np.ndarray:
    """A fixed pseudo-random value per pair of school indices (the same in every entry)."""
    mixed = (givers.astype(np.uint64) * np.uint64(2654435761)) ^ (
        takers.astype(np.uint64) * np.uint64(40503) + np.uint64(97)
    )
    return ((mixed >> np.uint64(7)) % np.uint64(max(span, 1))).astype(np.int64)


def solve(
    schools: Mapping[Hashable, tuple[float, float]],
    items: Iterable[Item],
    options: Options | None = None,
) -> Plan:
    """Plan the exchange. ``schools`` maps a school's id to its (lat, lon)."""
    options = options or Options()
    started = time.perf_counter()
    ids = list(schools)
    index = {school: i for i, school in enumerate(ids)}
    lat = np.array([schools[s][0] for s in ids], dtype=float)
    lon = np.array([schools[s][1] for s in ids], dtype=float)

    # entry -> ([giver index], [surplus], [taker index], [shortage]), in first-seen order
    by_entry: dict[Hashable, tuple[list[int], list[int], list[int], list[int]]] = {}
    plan = Plan()
    for item in items:
        if item.school not in index:
            raise ValueError(f"unknown school {item.school!r}")
        if item.school in options.exclude_schools or item.entry in options.exclude_entries:
            continue
        groups = by_entry.setdefault(item.entry, ([], [], [], []))
        if item.surplus > 0:
            groups[0].append(index[item.school])
            groups[1].append(item.surplus)
        if item.shortage > 0:
            groups[2].append(index[item.school])
            groups[3].append(item.shortage)
            plan.shortage += item.shortage

    # Largest entries first, so that they set the pairs the smaller ones join.
    order = sorted(
        (
            (entry, tuple(np.array(g, dtype=np.int64) for g in groups))
            for entry, groups in by_entry.items()
            if groups[0] and groups[2]
        ),
        key=lambda kv: -min(int(kv[1][1].sum()), int(kv[1][3].sum())),
    )
    # Pairs are keyed giver × number of schools + taker; ``active`` holds the keys in use.
    width = len(ids)
    pair_entries: Counter[int] = Counter()  # pair -> how many entries use it
    active: set[int] = set()

    def use(keys: set[int], step: int) -> None:
        for key in keys:
            pair_entries[key] += step
            if pair_entries[key] > 0:
                active.add(key)
            else:
                active.discard(key)

    chosen: dict[Hashable, list[_Flow]] = {}
    for entry, groups in order:
        chosen[entry] = _solve_entry(entry, *groups, lat, lon, options.max_km, active)
        use({f[0] * width + f[1] for f in chosen[entry]}, +1)
    # A second pass: each entry again, now knowing the pairs all the others use. A new
    # answer is kept only if it leaves fewer distinct pairs; the cost is the same anyway.
    for entry, groups in order:
        own = {f[0] * width + f[1] for f in chosen[entry]}
        use(own, -1)
        again = _solve_entry(entry, *groups, lat, lon, options.max_km, active)
        new = {f[0] * width + f[1] for f in again}
        if len(new - active) < len(own - active):
            chosen[entry], own = again, new
        use(own, +1)

    for entry, flows in chosen.items():
        for giver, taker, copies, km, metres in flows:
            plan.lines.append(Line(ids[giver], ids[taker], entry, copies, km, metres))
            plan.covered += copies
    plan.seconds = time.perf_counter() - started
    return plan


_Flow = tuple[int, int, int, float, int]  # giver index, taker index, copies, km, metres


def _solve_entry(
    entry: Hashable,
    givers: np.ndarray,
    surplus: np.ndarray,
    takers: np.ndarray,
    shortage: np.ndarray,
    lat: np.ndarray,
    lon: np.ndarray,
    max_km: float | None,
    used_pairs: set[int],
) -> list[_Flow]:
    n_givers, n_takers = len(givers), len(takers)
    # Every giver × taker pair is an arc: nodes 0..n_givers-1 give, the rest take.
    tail = np.repeat(np.arange(n_givers), n_takers)
    head = np.tile(np.arange(n_takers), n_givers)
    giver_school, taker_school = givers[tail], takers[head]
    km = great_circle_km(lat[giver_school], lon[giver_school], lat[taker_school], lon[taker_school])
    keep = giver_school != taker_school
    if max_km is not None:
        keep &= km <= max_km
    if not keep.any():
        return []
    tail, head, km = tail[keep], head[keep], km[keep]
    giver_school, taker_school = giver_school[keep], taker_school[keep]
    metres = np.rint(km * 1000).astype(np.int64)
    capacity = np.minimum(surplus[tail], shortage[head])

    flow_bound = int(min(surplus.sum(), shortage.sum()))
    max_metres = int(metres.max())
    limit = _COST_LIMIT // max(n_givers + n_takers + 2, flow_bound + 1)
    # Largest p range that keeps metres × M + p within the limit, M = flow_bound × P + 1.
    p_range = min(
        _TIE_BREAK_RANGE * (_NEW_PAIR_WEIGHT + 1),
        max(1, (limit - max_metres) // (max_metres * flow_bound + 1)),
    )
    tie_range = max(1, p_range // (_NEW_PAIR_WEIGHT + 1))
    if p_range > 1:
        p = _tie_break(giver_school, taker_school, tie_range)
        if used_pairs:
            keys = (giver_school * len(lat) + taker_school).tolist()
            is_new = np.fromiter((k not in used_pairs for k in keys), dtype=bool, count=len(keys))
            p = p + is_new * (_NEW_PAIR_WEIGHT * tie_range)
        multiplier = flow_bound * p_range + 1
    else:
        p = np.zeros_like(metres)
        multiplier = 1

    network = min_cost_flow.SimpleMinCostFlow()
    arcs = network.add_arcs_with_capacity_and_unit_cost(
        tail, head + n_givers, capacity, metres * multiplier + p
    )
    network.set_nodes_supplies(np.arange(n_givers), surplus)
    network.set_nodes_supplies(np.arange(n_givers, n_givers + n_takers), -shortage)
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed for entry {entry!r}: {status}")
    flows = network.flows(arcs)
    used = np.nonzero(flows)[0]
    return [
        (int(giver_school[a]), int(taker_school[a]), int(flows[a]), float(km[a]), int(metres[a]))
        for a in used
    ]
