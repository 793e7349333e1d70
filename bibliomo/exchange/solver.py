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

* ``p`` carries a small deterministic pseudo-random part per (giver, taker) pair, the
  same in every entry. It makes the optimum of the perturbed problem unique in practice,
  and the unique optimum of a transportation problem is a basic solution: its arcs form a
  forest, so an entry with ``s`` givers and ``t`` takers uses at most ``s + t − 1``
  shipments instead of splitting copies across every tied pair. Being the same in every
  entry, it also resolves the same tie the same way in each of them, so tied entries
  tend to travel together;
* then every entry with tied plans (two givers or two takers in one place) is planned a
  second time with ``p`` raised on the pairs no other entry's first answer uses, and its
  second answer is kept when it leaves fewer such lonely pairs (a local improvement, not
  a proof of the fewest shipments).

The costs are integers, so ties are exact and the solver's answer is exact; the size of
``p`` is reduced automatically when the numbers would not fit OR-Tools' 64-bit costs.
Entries are independent parts of one network; small ones are solved together in one
OR-Tools call to save the per-call overhead.
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
_COST_LIMIT = 2**60
# Cost scaling grows faster than linearly with a network's size, while each OR-Tools call
# has a fixed overhead: small entries are solved together, up to about this many nodes.
_BATCH_NODES = 100
_TIE_BREAK_RANGE = 1024
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


def _tie_break(givers: np.ndarray, takers: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """A fixed pseudo-random value per pair of school indices (the same in every entry)."""
    mixed = (givers.astype(np.uint64) * np.uint64(2654435761)) ^ (
        takers.astype(np.uint64) * np.uint64(40503) + np.uint64(97)
    )
    return ((mixed >> np.uint64(7)) % np.maximum(spans, 1).astype(np.uint64)).astype(np.int64)


@dataclass
class _Entry:
    """One entry's givers and takers (school indices and copies) and its cost scale."""

    key: Hashable
    givers: np.ndarray
    surplus: np.ndarray
    takers: np.ndarray
    shortage: np.ndarray
    p_range: int = 1  # secondary costs are below this
    tie_range: int = 1
    multiplier: int = 1  # primary cost × multiplier > any total of secondary costs
    max_cost: int = 0  # the largest arc cost


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
    entries = [
        _Entry(key, *(np.array(g, dtype=np.int64) for g in groups))
        for key, groups in by_entry.items()
        if groups[0] and groups[2]
    ]
    if not entries:
        plan.seconds = time.perf_counter() - started
        return plan

    width = len(ids)
    arcs = [_arcs(e, lat, lon, options.max_km) for e in entries]
    first = _solve_all(entries, arcs, None, width)
    # Pairs each entry's first answer uses, and how many entries use each pair.
    own = [{g * width + t for g, t, *_ in flows} for flows in first]
    counts: Counter[int] = Counter(pair for pairs in own for pair in pairs)
    # Only an entry with two givers or two takers in one place (one village) has tied
    # plans in practice; with distinct places the first answer is the only optimum.
    _, place = np.unique(np.stack([lat, lon], axis=1), axis=0, return_inverse=True)
    place = place.reshape(-1)
    tied = [
        len(np.unique(place[e.givers])) < len(e.givers)
        or len(np.unique(place[e.takers])) < len(e.takers)
        for e in entries
    ]
    second = _solve_all(
        [e for e, t in zip(entries, tied, strict=True) if t],
        [a for a, t in zip(arcs, tied, strict=True) if t],
        ([o for o, t in zip(own, tied, strict=True) if t], counts),
        width,
    )
    again_by_entry = iter(second)
    second = [next(again_by_entry) if t else None for t in tied]
    # Keep an entry's second answer where it leaves fewer pairs used by no other entry,
    # counting against the answers already kept.
    chosen = []
    for n, flows in enumerate(first):
        if second[n] is None:
            chosen.append(flows)
            continue
        again = {g * width + t for g, t, *_ in second[n]}
        counts.subtract(own[n])
        lonely_now = sum(1 for pair in own[n] if counts[pair] <= 0)
        lonely_then = sum(1 for pair in again if counts[pair] <= 0)
        if lonely_then < lonely_now:
            flows, own[n] = second[n], again
        counts.update(own[n])
        chosen.append(flows)

    for entry, flows in zip(entries, chosen, strict=True):
        for giver, taker, copies, km, metres in flows:
            plan.lines.append(Line(ids[giver], ids[taker], entry.key, copies, km, metres))
            plan.covered += copies
    plan.seconds = time.perf_counter() - started
    return plan


_Flow = tuple[int, int, int, float, int]  # giver index, taker index, copies, km, metres


def _solve_all(
    entries: list[_Entry],
    arcs: list,
    pairs: tuple[list[set[int]], Counter[int]] | None,
    width: int,
) -> list[list[_Flow]]:
    """Solve every entry; entries are disjoint parts of one network, solved together in
    small batches (as the 64-bit cost range allows)."""
    if pairs is not None:
        lonely = _lonely_lookup(pairs, width)
    batches: list[list[int]] = []
    nodes = total = top = 0
    for n, (entry, arc) in enumerate(zip(entries, arcs, strict=True)):
        if arc is None:
            continue
        size = len(entry.givers) + len(entry.takers)
        flow_bound = int(min(entry.surplus.sum(), entry.shortage.sum()))
        max_metres = int(arc[2].max())
        limit = _COST_LIMIT // max(size + 2, flow_bound + 1)
        entry.p_range = int(
            min(
                _TIE_BREAK_RANGE * (_NEW_PAIR_WEIGHT + 1),
                max(1, (limit - max_metres) // (max_metres * flow_bound + 1)),
            )
        )
        entry.tie_range = max(1, entry.p_range // (_NEW_PAIR_WEIGHT + 1))
        entry.multiplier = flow_bound * entry.p_range + 1 if entry.p_range > 1 else 1
        entry.max_cost = max_metres * entry.multiplier + entry.p_range
        cost = flow_bound * entry.max_cost
        if batches and (
            nodes + size <= _BATCH_NODES
            and max(top, entry.max_cost) * (nodes + size + 2) <= _COST_LIMIT
            and total + cost <= _COST_LIMIT
        ):
            batches[-1].append(n)
            nodes, total, top = nodes + size, total + cost, max(top, entry.max_cost)
        else:
            batches.append([n])
            nodes, total, top = size, cost, entry.max_cost
    result: list[list[_Flow]] = [[] for _ in entries]
    for batch in batches:
        _solve_batch(batch, entries, arcs, lonely if pairs is not None else None, width, result)
    return result


def _lonely_lookup(pairs: tuple[list[set[int]], Counter[int]], width: int):
    """A vectorised test: is pair ``key`` of entry ``n`` used by no other entry?"""
    own, counts = pairs
    used = np.array(sorted(k for k, c in counts.items() if c > 0), dtype=np.int64)
    used_counts = np.array([counts[k] for k in used.tolist()], dtype=np.int64)
    span = np.int64(width) * np.int64(width)
    mine = np.array(
        sorted(n * int(span) + k for n, keys in enumerate(own) for k in keys), dtype=np.int64
    )

    def member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
        if not len(sorted_keys):
            return np.zeros(len(keys), dtype=bool), np.zeros(len(keys), dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_keys, keys), len(sorted_keys) - 1)
        return sorted_keys[at] == keys, at

    def lonely(n: int, keys: np.ndarray) -> np.ndarray:
        found, at = member(used, keys)
        others = np.where(found, used_counts[at] if len(used) else 0, 0)
        is_mine, _ = member(mine, keys + np.int64(n) * span)
        return others - is_mine <= 0

    return lonely


def _arcs(entry: _Entry, lat: np.ndarray, lon: np.ndarray, max_km: float | None):
    """Every giver × taker pair of one entry within reach: (tail, head, metres, km)."""
    n_takers = len(entry.takers)
    tail = np.repeat(np.arange(len(entry.givers)), n_takers)
    head = np.tile(np.arange(n_takers), len(entry.givers))
    g, t = entry.givers[tail], entry.takers[head]
    km = great_circle_km(lat[g], lon[g], lat[t], lon[t])
    keep = g != t
    if max_km is not None:
        keep &= km <= max_km
    if not keep.any():
        return None
    km = km[keep]
    return tail[keep], head[keep], np.rint(km * 1000).astype(np.int64), km


def _solve_batch(
    batch: list[int],
    entries: list[_Entry],
    arcs: list,
    lonely,
    width: int,
    result: list[list[_Flow]],
) -> None:
    tails, heads, costs, caps, supplies, owner = [], [], [], [], [], []
    offset = 0
    for n in batch:
        entry, (tail, head, metres, _) = entries[n], arcs[n]
        n_givers = len(entry.givers)
        g, t = entry.givers[tail], entry.takers[head]
        p = np.zeros_like(metres)
        if entry.p_range > 1:
            p = _tie_break(g, t, np.full(len(g), entry.tie_range))
            if lonely is not None:
                p = p + lonely(n, g * width + t) * (_NEW_PAIR_WEIGHT * entry.tie_range)
        tails.append(tail + offset)
        heads.append(head + offset + n_givers)
        costs.append(metres * entry.multiplier + p)
        caps.append(np.minimum(entry.surplus[tail], entry.shortage[head]))
        supplies.append(np.concatenate([entry.surplus, -entry.shortage]))
        owner.append(np.full(len(tail), n))
        offset += n_givers + len(entry.takers)

    network = min_cost_flow.SimpleMinCostFlow()
    all_arcs = network.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails), np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    network.set_nodes_supplies(np.arange(offset), np.concatenate(supplies))
    status = network.solve_max_flow_with_min_cost()
    if status != network.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = network.flows(all_arcs)
    used = np.nonzero(flows)[0]
    owners = np.concatenate(owner)[used]
    starts = np.cumsum([0] + [len(t) for t in tails])
    for position, n in enumerate(batch):
        k = used[owners == n] - starts[position]
        if not len(k):
            continue
        entry, (tail, head, metres, km) = entries[n], arcs[n]
        result[n] = list(
            zip(
                entry.givers[tail[k]].tolist(),
                entry.takers[head[k]].tolist(),
                flows[used[owners == n]].tolist(),
                km[k].tolist(),
                metres[k].tolist(),
                strict=True,
            )
        )
