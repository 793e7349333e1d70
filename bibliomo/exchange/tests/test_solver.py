"""The exchange plan is optimal: checked against an independent linear program (HiGHS)."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from scipy.optimize import linprog

from bibliomo.exchange.solver import Item, Options, great_circle_km, solve


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Written out again with math, so the check does not reuse the solver's own code."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def lp_optimum(schools, items, options: Options) -> tuple[float, float, float]:
    """(max copies coverable, min Σ copies×km for that cover, the same in whole metres)."""
    items = [
        i
        for i in items
        if i.school not in options.exclude_schools and i.entry not in options.exclude_entries
    ]
    arcs = []  # (giver item index, taker item index, km)
    for g, giver in enumerate(items):
        for t, taker in enumerate(items):
            if giver.entry != taker.entry or giver.surplus == 0 or taker.shortage == 0:
                continue
            if giver.school == taker.school:
                continue
            km = haversine_km(schools[giver.school], schools[taker.school])
            if options.max_km is not None and km > options.max_km:
                continue
            arcs.append((g, t, km))
    if not arcs:
        return 0.0, 0.0, 0.0
    rows, bounds = [], []
    for k, item in enumerate(items):
        row = [
            1.0 if (a[0] == k and item.surplus) or (a[1] == k and item.shortage) else 0.0
            for a in arcs
        ]
        rows.append(row)
        bounds.append(item.surplus or item.shortage)
    a_ub, b_ub = np.array(rows), np.array(bounds, dtype=float)
    most = linprog(-np.ones(len(arcs)), A_ub=a_ub, b_ub=b_ub, method="highs")
    assert most.status == 0
    covered = -most.fun
    results = []
    for cost in ([a[2] for a in arcs], [round(a[2] * 1000) for a in arcs]):
        cheapest = linprog(
            np.array(cost, dtype=float),
            A_ub=a_ub,
            b_ub=b_ub,
            A_eq=np.ones((1, len(arcs))),
            b_eq=[covered],
            method="highs",
        )
        assert cheapest.status == 0
        results.append(cheapest.fun)
    return covered, results[0], results[1]


def random_instance(rng: random.Random):
    n_schools = rng.randint(2, 9)
    schools = {}
    for s in range(n_schools):
        if s and rng.random() < 0.2:  # two schools in one village share coordinates
            schools[f"s{s}"] = schools[f"s{rng.randrange(s)}"]
        else:
            schools[f"s{s}"] = (rng.uniform(51, 54), rng.uniform(80, 84))
    items = []
    for entry in range(rng.randint(1, 4)):
        for school in schools:
            roll = rng.random()
            if roll < 0.35:
                items.append(Item(school, f"e{entry}", surplus=rng.randint(1, 12)))
            elif roll < 0.7:
                items.append(Item(school, f"e{entry}", shortage=rng.randint(1, 12)))
    options = Options(
        max_km=rng.choice([None, None, 60.0, 150.0]),
        exclude_schools=frozenset(rng.sample(sorted(schools), k=rng.choice([0, 0, 1]))),
        exclude_entries=frozenset(["e3"] if rng.random() < 0.2 else []),
    )
    return schools, items, options


def check_feasible(schools, items, options: Options, plan) -> None:
    given: dict = {}
    taken: dict = {}
    for line in plan.lines:
        assert line.copies > 0
        assert line.giver not in options.exclude_schools
        assert line.taker not in options.exclude_schools
        assert line.entry not in options.exclude_entries
        assert line.km == pytest.approx(haversine_km(schools[line.giver], schools[line.taker]))
        if options.max_km is not None:
            assert line.km <= options.max_km
        given[line.giver, line.entry] = given.get((line.giver, line.entry), 0) + line.copies
        taken[line.taker, line.entry] = taken.get((line.taker, line.entry), 0) + line.copies
    stock = {(i.school, i.entry): i for i in items}
    for key, copies in given.items():
        assert copies <= stock[key].surplus
    for key, copies in taken.items():
        assert copies <= stock[key].shortage
    assert plan.covered == sum(line.copies for line in plan.lines)


@pytest.mark.parametrize("seed", range(300))
def test_plan_is_optimal_on_random_instances(seed):
    rng = random.Random(seed)
    schools, items, options = random_instance(rng)
    plan = solve(schools, items, options)
    check_feasible(schools, items, options, plan)

    covered, copy_km, copy_metres = lp_optimum(schools, items, options)
    assert plan.covered == round(covered)
    # Exact on the solver's own integer costs ...
    assert sum(line.copies * line.metres for line in plan.lines) == round(copy_metres)
    # ... and within half a metre per copy of the optimum in real kilometres.
    assert plan.copy_km == pytest.approx(copy_km, abs=plan.covered * 0.001 + 1e-6)
    shortage = sum(
        i.shortage
        for i in items
        if i.school not in options.exclude_schools and i.entry not in options.exclude_entries
    )
    assert plan.uncovered == shortage - plan.covered


SCHOOLS = {
    "Камень": (53.7925, 81.3450),
    "Рыбное": (53.7550, 81.4380),  # ~7.4 km from Камень
    "Попово": (53.6372, 81.1550),  # ~21 km
    "Корнилово": (53.9520, 81.1560),  # ~23 km the other way
}


def test_distance_is_great_circle():
    km = great_circle_km(*SCHOOLS["Камень"], *SCHOOLS["Рыбное"])
    assert km == pytest.approx(haversine_km(SCHOOLS["Камень"], SCHOOLS["Рыбное"]))
    assert 6 < km < 8
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)


def test_nearest_giver_supplies_first():
    items = [
        Item("Камень", "math5", shortage=10),
        Item("Рыбное", "math5", surplus=6),
        Item("Попово", "math5", surplus=20),
    ]
    plan = solve(SCHOOLS, items)
    copies = {line.giver: line.copies for line in plan.lines}
    assert copies == {"Рыбное": 6, "Попово": 4}
    assert plan.covered == 10
    assert plan.uncovered == 0


def test_covering_more_beats_shorter_distance():
    # Рыбное alone can reach both; Попово reaches only Камень within 30 km. The cheapest
    # plan for Камень (from Рыбное, 7 km) would leave Корнилово empty.
    schools = {**SCHOOLS, "Корнилово": (53.86, 81.50)}  # ~12 km from Рыбное, ~34 from Попово
    items = [
        Item("Камень", "e", shortage=5),
        Item("Корнилово", "e", shortage=5),
        Item("Рыбное", "e", surplus=5),
        Item("Попово", "e", surplus=5),
    ]
    options = Options(max_km=25)
    reach = {
        (g, t): haversine_km(schools[g], schools[t]) <= 25
        for g in ("Рыбное", "Попово")
        for t in ("Камень", "Корнилово")
    }
    assert reach == {
        ("Рыбное", "Камень"): True,
        ("Рыбное", "Корнилово"): True,
        ("Попово", "Камень"): True,
        ("Попово", "Корнилово"): False,
    }
    plan = solve(schools, items, options)
    assert plan.covered == 10
    assert {(line.giver, line.taker) for line in plan.lines} == {
        ("Рыбное", "Корнилово"),
        ("Попово", "Камень"),
    }


def test_max_km_leaves_far_shortage_uncovered():
    items = [Item("Камень", "e", shortage=4), Item("Попово", "e", surplus=9)]
    assert solve(SCHOOLS, items, Options(max_km=10)).lines == []
    plan = solve(SCHOOLS, items, Options(max_km=10))
    assert (plan.covered, plan.uncovered) == (0, 4)
    plan = solve(SCHOOLS, items, Options(max_km=30))
    assert (plan.covered, plan.uncovered) == (4, 0)


def test_excluded_schools_and_entries_take_no_part():
    items = [
        Item("Камень", "math5", shortage=5),
        Item("Рыбное", "math5", surplus=5),
        Item("Попово", "math5", surplus=5),
        Item("Камень", "rus5", shortage=3),
        Item("Попово", "rus5", surplus=3),
        Item("Корнилово", "rus5", shortage=2),
    ]
    plan = solve(
        SCHOOLS,
        items,
        Options(
            exclude_schools=frozenset({"Рыбное", "Корнилово"}), exclude_entries=frozenset({"rus5"})
        ),
    )
    assert [(ln.giver, ln.taker, ln.entry, ln.copies) for ln in plan.lines] == [
        ("Попово", "Камень", "math5", 5)
    ]
    # The shortage of what was left out is not counted as uncovered.
    assert (plan.covered, plan.uncovered) == (5, 0)


def test_fewer_shipments_when_distances_tie_across_entries():
    # Two schools in one village: either could send every entry; one parcel is enough.
    # The givers are listed in alternating order, which alone would split the parcels.
    schools = {"А": (53.79, 81.34), "Б": (53.79, 81.34), "В": (53.64, 81.15)}
    items = []
    for n, entry in enumerate(("e1", "e2", "e3", "e4", "e5")):
        first, second = ("А", "Б") if n % 2 else ("Б", "А")
        items += [
            Item(first, entry, surplus=5),
            Item(second, entry, surplus=5),
            Item("В", entry, shortage=4),
        ]
    plan = solve(schools, items)
    assert plan.covered == 20
    assert plan.shipments == 1
    assert len(plan.lines) == 5


@pytest.mark.parametrize("seed", range(40))
def test_tied_entry_plan_is_a_forest(seed):
    # Six givers in one village, six takers in another: every split costs the same. A
    # basic solution has at most givers + takers − 1 lines; copies are not spread thinly.
    rng = random.Random(seed)
    schools = {f"g{i}": (53.79, 81.34) for i in range(6)} | {
        f"t{i}": (53.64, 81.15) for i in range(6)
    }
    items = [Item(f"g{i}", "e", surplus=rng.randint(1, 9)) for i in range(6)]
    items += [Item(f"t{i}", "e", shortage=rng.randint(1, 9)) for i in range(6)]
    rng.shuffle(items)
    plan = solve(schools, items)
    assert plan.covered == min(sum(i.surplus for i in items), sum(i.shortage for i in items))
    assert len(plan.lines) <= 11


def test_distance_still_beats_fewer_shipments():
    # Б is a kilometre nearer for e2: an extra shipment is worth it.
    schools = {"А": (53.79, 81.34), "Б": (53.70, 81.22), "В": (53.64, 81.15)}
    items = [
        Item("А", "e1", surplus=5),
        Item("В", "e1", shortage=5),
        Item("А", "e2", surplus=5),
        Item("Б", "e2", surplus=5),
        Item("В", "e2", shortage=5),
    ]
    plan = solve(schools, items)
    assert {(ln.entry, ln.giver) for ln in plan.lines} == {("e1", "А"), ("e2", "Б")}
    assert plan.shipments == 2


def test_unknown_school_is_an_error():
    with pytest.raises(ValueError, match="unknown school"):
        solve(SCHOOLS, [Item("Нигде", "e", shortage=1)])


def test_empty_input_gives_an_empty_plan():
    plan = solve({}, [])
    assert (plan.lines, plan.covered, plan.uncovered, plan.copy_km, plan.shipments) == (
        [],
        0,
        0,
        0,
        0,
    )


def test_huge_numbers_stay_within_the_solvers_cost_range():
    # Antipodes and ten million copies: the tie-breaking part shrinks, the plan stays exact.
    schools = {"a": (60.0, 30.0), "b": (-60.0, -150.0), "c": (0.0, 0.0), "d": (0.1, 0.1)}
    items = []
    for entry in range(3):
        items += [
            Item("a", entry, surplus=10_000_000),
            Item("c", entry, surplus=5),
            Item("b", entry, shortage=10_000_000),
            Item("d", entry, shortage=7),
        ]
    plan = solve(schools, items)
    assert plan.covered == 3 * (10_000_000 + 5)
    # c → b and a → d (12,861 + 7,141 km) beat a → b and c → d (20,015 + 16 km).
    assert {(ln.giver, ln.taker, ln.copies) for ln in plan.lines if ln.entry == 0} == {
        ("a", "b", 9_999_993),
        ("a", "d", 7),
        ("c", "b", 5),
    }
