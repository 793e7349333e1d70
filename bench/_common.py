"""What every benchmark shares: the database, the generated region, the way figures are
printed.

The database is ``BENCH_DATABASE_URL`` (default ``sqlite:///var/bench.sqlite3``). The
region is made once by ``manage.py generate_region --schools N --seed S`` and analysed
right after (a server may run without autovacuum, and a planner without statistics
seq-scans the fund for every district). Each figure is printed beside its target and
beside a baseline measured in the same run on the same rows (a raw SQL aggregate, the
solver alone): on a machine shared with other work the seconds move, the ratio much less.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DB


def setup() -> None:
    """Django on the benchmark database (call before importing any model)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    (ROOT / "var").mkdir(exist_ok=True)
    import django

    django.setup()


def analyze() -> None:
    """Fresh planner statistics for every table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def region(schools: int = 1000, seed: int = 1):
    """The generated region of ``schools`` schools, made (and analysed) if missing."""
    from django.core.management import call_command

    from bibliomo.directory.models import Region
    from bibliomo.fund.management.commands.generate_region import region_name

    call_command("migrate", verbosity=0)
    found = Region.objects.filter(name=region_name(seed)).first()
    if found is None:
        started = time.perf_counter()
        call_command("generate_region", schools=schools, seed=seed, verbosity=0)
        analyze()
        print(f"region of {schools} schools generated and analysed in "
              f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        found = Region.objects.get(name=region_name(seed))
    return found


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """(best wall seconds, its process CPU seconds, the last result) of ``repeat`` runs."""
    best, best_cpu, result = float("inf"), 0.0, None
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - started
        if wall < best:
            best, best_cpu = wall, time.process_time() - cpu
    return best, best_cpu, result


def figure(
    name: str,
    seconds: float,
    target: float,
    *,
    baseline: tuple[str, float] | None = None,
    max_ratio: float | None = None,
    cpu: float | None = None,
    unit: str = "s",
    scale: float = 1.0,
) -> bool:
    """Print one figure: value, target, ratio to the baseline; returns whether it is met."""
    ok = seconds <= target
    text = f"{name}: {seconds * scale:.2f} {unit}"
    if cpu is not None:
        text += f" (CPU {cpu * scale:.2f} {unit})"
    text += f"  [target ≤ {target * scale:g} {unit}"
    if baseline is not None:
        label, base = baseline
        ratio = seconds / base if base else float("inf")
        text += f"; {ratio:.1f} × {label} ({base * scale:.2f} {unit})"
        if max_ratio is not None:
            text += f", target ≤ {max_ratio:g} ×"
            ok = ok and ratio <= max_ratio
    text += f"]  {'OK' if ok else 'MISSED'}"
    print(text, flush=True)
    return ok
