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
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

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


class Item(NamedTuple):
    """One school's surplus or shortage of one entry, in copies (a plain tuple: a
    region's plan reads half a million of them)."""

    school: Hashable
    entry: Hashable
    surplus: int = 0
    shortage: int = 0


@dataclass(frozen=True)
class Options:
    max_km: float | None = None
    exclude_schools: frozenset = frozenset()
    exclude_entries: frozenset = frozenset()


class Line(NamedTuple):
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


def solve(
    schools: Mapping[Any, tuple[float, float]],
    items: Iterable[Item | tuple[Hashable, Hashable, int, int]],
    options: Options | None = None,
) -> Plan:
    """Plan the exchange. ``schools`` maps a school's id to its (lat, lon); ``items`` are
    Items or plain (school, entry, surplus, shortage) tuples."""
    options = options or Options()
    started = time.perf_counter()
    ids = list(schools)
    index = {school: i for i, school in enumerate(ids)}
    lat = np.array([schools[s][0] for s in ids], dtype=float)
    lon = np.array([schools[s][1] for s in ids], dtype=float)

    # Every item as (entry number, school index, surplus, shortage).
    keys: list[Hashable] = []
    numbers: dict[Hashable, int] = {}
    kept: list[tuple[int, int, int, int]] = []
    keep = kept.append
    excluded_schools, excluded_entries = options.exclude_schools, options.exclude_entries
    excluding = bool(excluded_schools or excluded_entries)
    for school_key, entry, surplus, shortage in items:
        school = index.get(school_key)
        if school is None:
            raise ValueError(f"unknown school {school_key!r}")
        if excluding and (school_key in excluded_schools or entry in excluded_entries):
            continue
        n = numbers.get(entry)
        if n is None:
            n = numbers[entry] = len(keys)
            keys.append(entry)
        keep((n, school, surplus, shortage))
    columns = np.array(kept, dtype=np.int64).reshape(-1, 4)
    plan = Plan()
    gives, takes = columns[:, 2] > 0, columns[:, 3] > 0
    givers, takers = columns[gives][:, [0, 1, 2]], columns[takes][:, [0, 1, 3]]
    plan.shortage = int(takers[:, 2].sum())
    net = _network(keys, givers, takers, lat, lon, options.max_km)
    if net is None:
        plan.seconds = time.perf_counter() - started
        return plan

    width = len(ids)
    pair = net.g * width + net.t
    p = np.where(
        net.p_range[net.arc_entry] > 1,
        _tie_break(net.g, net.t, net.tie_range[net.arc_entry]),
        0,
    )
    primary = net.metres * net.multiplier[net.arc_entry]
    every = np.arange(len(net.keys))
    flows = _solve_entries(net, every, primary + p)

    # Only an entry with two givers or two takers in one place (one village) has tied
    # plans in practice; with distinct places the first answer is the only optimum.
    _, place = np.unique(np.stack([lat, lon], axis=1), axis=0, return_inverse=True)
    place = place.reshape(-1)
    tied = _shares_a_place(net.g_entry, place[net.g_school], net.n_givers) | _shares_a_place(
        net.t_entry, place[net.t_school], net.n_takers
    )
    if tied.any():
        # Pairs each entry's first answer uses, and how many entries use each pair.
        own_entry, own_pair = _distinct_pairs(net.arc_entry, pair, flows > 0)
        used, used_counts = np.unique(own_pair, return_counts=True)
        tied_arcs = np.nonzero(tied[net.arc_entry])[0]
        lonely = _lonely(
            net.arc_entry[tied_arcs], pair[tied_arcs], used, used_counts, own_entry, own_pair
        )
        raised = p[tied_arcs] + np.where(
            net.p_range[net.arc_entry[tied_arcs]] > 1,
            lonely * (_NEW_PAIR_WEIGHT * net.tie_range[net.arc_entry[tied_arcs]]),
            0,
        )
        tied_entries = np.nonzero(tied)[0]
        again = _solve_entries(net, tied_entries, primary[tied_arcs] + raised)
        again_entry, again_pair = _distinct_pairs(
            net.arc_entry[tied_arcs], pair[tied_arcs], again > 0
        )
        keep_again = _keep_second(
            tied_entries, own_entry, own_pair, again_entry, again_pair, used, used_counts
        )
        chosen = keep_again[net.arc_entry[tied_arcs]]
        flows[tied_arcs[chosen]] = again[chosen]

    used_arcs = np.nonzero(flows)[0]
    entry_keys = net.keys
    plan.lines = list(
        map(
            Line._make,
            zip(
                [ids[g] for g in net.g[used_arcs].tolist()],
                [ids[t] for t in net.t[used_arcs].tolist()],
                [entry_keys[e] for e in net.arc_entry[used_arcs].tolist()],
                flows[used_arcs].tolist(),
                net.km[used_arcs].tolist(),
                net.metres[used_arcs].tolist(),
                strict=True,
            ),
        )
    )
    plan.covered = int(flows.sum())
    plan.seconds = time.perf_counter() - started
    return plan


@dataclass
class _Network:
    """Every entry's network side by side: givers and takers sorted by entry, and every
    giver × taker arc within reach (entry by entry, giver-major), with the cost scale of
    each entry (see the module comment)."""

    keys: list[Hashable]
    g_entry: np.ndarray
    g_school: np.ndarray
    surplus: np.ndarray
    t_entry: np.ndarray
    t_school: np.ndarray
    shortage: np.ndarray
    n_givers: np.ndarray
    n_takers: np.ndarray
    n_arcs: np.ndarray
    arc_entry: np.ndarray
    tail: np.ndarray  # giver row
    head: np.ndarray  # taker row
    g: np.ndarray  # giver's school index
    t: np.ndarray
    metres: np.ndarray
    km: np.ndarray
    p_range: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tie_range: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    multiplier: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    max_cost: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    cost: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _sorted_by_entry(columns: np.ndarray) -> list[np.ndarray]:
    """(entry, school, copies) rows as three columns, sorted by entry (stably)."""
    ordered = columns[np.argsort(columns[:, 0], kind="stable")]
    return [np.ascontiguousarray(ordered[:, k]) for k in range(3)]


def _network(keys, givers, takers, lat, lon, max_km) -> _Network | None:
    """The arcs of every entry with both givers and takers; ``None`` when there are none."""
    g_entry, g_school, surplus = _sorted_by_entry(givers)
    t_entry, t_school, shortage = _sorted_by_entry(takers)
    n_givers = np.bincount(g_entry, minlength=len(keys))
    n_takers = np.bincount(t_entry, minlength=len(keys))
    # Each giver row is repeated once per taker of its entry.
    t_start = np.cumsum(n_takers) - n_takers
    per_giver = n_takers[g_entry]
    tail = np.repeat(np.arange(len(g_entry)), per_giver)
    block = np.cumsum(per_giver) - per_giver
    head = t_start[g_entry[tail]] + (np.arange(len(tail)) - np.repeat(block, per_giver))
    g, t = g_school[tail], t_school[head]
    km = great_circle_km(lat[g], lon[g], lat[t], lon[t])
    keep = g != t
    if max_km is not None:
        keep &= km <= max_km
    if not keep.any():
        return None
    tail, head, km = tail[keep], head[keep], km[keep]
    arc_entry = g_entry[tail]
    # Entries left without arcs take no further part: renumber the others densely.
    n_arcs = np.bincount(arc_entry, minlength=len(keys))
    solved = n_arcs > 0
    renumber = np.cumsum(solved) - 1
    g_rows, t_rows = solved[g_entry], solved[t_entry]
    g_new = np.cumsum(g_rows) - 1
    t_new = np.cumsum(t_rows) - 1
    net = _Network(
        keys=[k for k, s in zip(keys, solved.tolist(), strict=True) if s],
        g_entry=renumber[g_entry[g_rows]],
        g_school=g_school[g_rows],
        surplus=surplus[g_rows],
        t_entry=renumber[t_entry[t_rows]],
        t_school=t_school[t_rows],
        shortage=shortage[t_rows],
        n_givers=n_givers[solved],
        n_takers=n_takers[solved],
        n_arcs=n_arcs[solved],
        arc_entry=renumber[arc_entry],
        tail=g_new[tail],
        head=t_new[head],
        g=g[keep],
        t=t[keep],
        metres=np.rint(km * 1000).astype(np.int64),
        km=km,
    )
    _scale(net)
    return net


def _scale(net: _Network) -> None:
    """Each entry's cost scale: the primary cost times ``multiplier`` outweighs any total
    of the secondary ones (below ``p_range``), and everything fits OR-Tools' costs."""
    g_start = np.cumsum(net.n_givers) - net.n_givers
    t_start = np.cumsum(net.n_takers) - net.n_takers
    a_start = np.cumsum(net.n_arcs) - net.n_arcs
    flow_bound = np.minimum(
        np.add.reduceat(net.surplus, g_start), np.add.reduceat(net.shortage, t_start)
    )
    max_metres = np.maximum.reduceat(net.metres, a_start)
    size = net.n_givers + net.n_takers
    # Python integers where int64 could overflow (astronomic inputs only).
    exact = (
        float(flow_bound.max())
        * (float(max_metres.max()) + 1)
        * (_TIE_BREAK_RANGE * (_NEW_PAIR_WEIGHT + 1))
        > 2**62
    )
    if exact:
        flow_bound, max_metres, size = (a.astype(object) for a in (flow_bound, max_metres, size))
    limit = _COST_LIMIT // np.maximum(size + 2, flow_bound + 1)
    net.p_range = np.minimum(
        _TIE_BREAK_RANGE * (_NEW_PAIR_WEIGHT + 1),
        np.maximum(1, (limit - max_metres) // (max_metres * flow_bound + 1)),
    )
    net.tie_range = np.maximum(1, net.p_range // (_NEW_PAIR_WEIGHT + 1))
    net.multiplier = np.where(net.p_range > 1, flow_bound * net.p_range + 1, 1)
    net.max_cost = max_metres * net.multiplier + net.p_range
    net.cost = flow_bound * net.max_cost
    if exact:
        for name in ("p_range", "tie_range", "multiplier"):
            setattr(net, name, getattr(net, name).astype(np.int64))


def _shares_a_place(entry: np.ndarray, place: np.ndarray, count: np.ndarray) -> np.ndarray:
    """Per entry: do two of its rows share a place?"""
    distinct = np.unique(entry * (int(place.max()) + 1 if len(place) else 1) + place)
    return np.bincount(distinct // (int(place.max()) + 1), minlength=len(count)) < count


def _distinct_pairs(arc_entry: np.ndarray, pair: np.ndarray, used: np.ndarray):
    """The distinct (entry, pair) of the arcs used, sorted by entry then pair."""
    both = np.unique(np.stack([arc_entry[used], pair[used]], axis=1), axis=0)
    return both[:, 0], both[:, 1]


def _lonely(
    entry: np.ndarray,
    pair: np.ndarray,
    used: np.ndarray,
    used_counts: np.ndarray,
    own_entry: np.ndarray,
    own_pair: np.ndarray,
) -> np.ndarray:
    """For arcs (entry, pair): is the pair used by no other entry's first answer?"""
    others = np.zeros(len(pair), dtype=np.int64)
    if len(used):
        at = np.minimum(np.searchsorted(used, pair), len(used) - 1)
        others = np.where(used[at] == pair, used_counts[at], 0)
        span = int(max(pair.max(), used.max())) + 1
        mine_keys = own_entry * span + own_pair  # sorted: by entry, then pair
        keys = entry * span + pair
        at = np.minimum(np.searchsorted(mine_keys, keys), len(mine_keys) - 1)
        others = others - (mine_keys[at] == keys)
    return others <= 0


def _keep_second(
    tied: np.ndarray,
    own_entry: np.ndarray,
    own_pair: np.ndarray,
    again_entry: np.ndarray,
    again_pair: np.ndarray,
    used: np.ndarray,
    used_counts: np.ndarray,
) -> np.ndarray:
    """Per entry: keep its second answer? Where it leaves fewer pairs used by no other
    entry, counting against the answers already kept (entry by entry, in order)."""
    counts = dict(zip(used.tolist(), used_counts.tolist(), strict=True))
    size = int(tied.max()) + 1

    def grouped(entry: np.ndarray, pair: np.ndarray) -> list[list[int]]:
        bounds = np.searchsorted(entry, np.arange(size + 1))
        pairs = pair.tolist()
        return [pairs[a:b] for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)]

    own, again = grouped(own_entry, own_pair), grouped(again_entry, again_pair)
    keep = np.zeros(size, dtype=bool)
    for n in tied.tolist():
        for pair in own[n]:
            counts[pair] -= 1
        lonely_now = sum(1 for pair in own[n] if counts[pair] <= 0)
        lonely_then = sum(1 for pair in again[n] if counts.get(pair, 0) <= 0)
        chosen = own[n]
        if lonely_then < lonely_now:
            chosen, keep[n] = again[n], True
        for pair in chosen:
            counts[pair] = counts.get(pair, 0) + 1
    return keep


def _solve_entries(net: _Network, entries: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Solve the networks of ``entries`` (ascending) with these arc costs (their arcs, in
    order); returns the flow on each arc. Entries are disjoint parts of one network,
    solved together in small batches (as the 64-bit cost range allows)."""
    chosen = np.zeros(len(net.keys), dtype=bool)
    chosen[entries] = True
    g_rows, t_rows = chosen[net.g_entry], chosen[net.t_entry]
    arcs = chosen[net.arc_entry]
    n_givers, n_takers = net.n_givers[entries], net.n_takers[entries]
    size = n_givers + n_takers
    node_start = np.cumsum(size) - size
    position = np.cumsum(chosen) - 1  # an entry's position among ``entries``
    # Nodes: each entry's givers, then its takers.
    g_entry = position[net.g_entry[g_rows]]
    t_entry = position[net.t_entry[t_rows]]
    g_node = node_start[g_entry] + _rank(g_entry)
    t_node = node_start[t_entry] + n_givers[t_entry] + _rank(t_entry)
    supplies = np.zeros(int(size.sum()), dtype=np.int64)
    supplies[g_node] = net.surplus[g_rows]
    supplies[t_node] = -net.shortage[t_rows]
    g_map = np.full(len(net.g_entry), -1, dtype=np.int64)
    g_map[g_rows] = g_node
    t_map = np.full(len(net.t_entry), -1, dtype=np.int64)
    t_map[t_rows] = t_node
    tails, heads = g_map[net.tail[arcs]], t_map[net.head[arcs]]
    caps = np.minimum(net.surplus[net.tail[arcs]], net.shortage[net.head[arcs]])
    arc_start = np.concatenate([[0], np.cumsum(net.n_arcs[entries])])
    node_bounds = np.concatenate([node_start, [len(supplies)]])

    flows = np.zeros(len(tails), dtype=np.int64)
    for first, last in _batches(size, net.max_cost[entries], net.cost[entries]):
        n0, n1 = int(node_bounds[first]), int(node_bounds[last])
        a0, a1 = int(arc_start[first]), int(arc_start[last])
        network = min_cost_flow.SimpleMinCostFlow()
        batch_arcs = network.add_arcs_with_capacity_and_unit_cost(
            tails[a0:a1] - n0, heads[a0:a1] - n0, caps[a0:a1], cost[a0:a1]
        )
        network.set_nodes_supplies(np.arange(n1 - n0), supplies[n0:n1])
        status = network.solve_max_flow_with_min_cost()
        if status != network.OPTIMAL:
            raise RuntimeError(f"min-cost flow failed: {status}")
        flows[a0:a1] = network.flows(batch_arcs)
    return flows


def _rank(sorted_groups: np.ndarray) -> np.ndarray:
    """Each row's position within its group (rows sorted by group)."""
    if not len(sorted_groups):
        return sorted_groups
    starts = np.concatenate([[True], sorted_groups[1:] != sorted_groups[:-1]])
    first = np.maximum.accumulate(np.where(starts, np.arange(len(sorted_groups)), 0))
    return np.arange(len(sorted_groups)) - first


def _batches(size: np.ndarray, max_cost: np.ndarray, cost: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive entries grouped up to about ``_BATCH_NODES`` nodes, as long as the
    largest arc cost × nodes and the total cost stay within OR-Tools' range."""
    batches: list[tuple[int, int]] = []
    nodes = total = top = 0
    for n, (s, m, c) in enumerate(
        zip(size.tolist(), max_cost.tolist(), cost.tolist(), strict=True)
    ):
        if (
            batches
            and nodes + s <= _BATCH_NODES
            and max(top, m) * (nodes + s + 2) <= _COST_LIMIT
            and total + c <= _COST_LIMIT
        ):
            batches[-1] = (batches[-1][0], n + 1)
            nodes, total, top = nodes + s, total + c, max(top, m)
        else:
            batches.append((n, n + 1))
            nodes, total, top = s, c, m
    return batches
