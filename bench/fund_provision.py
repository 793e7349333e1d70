"""Benchmarks of the textbook fund at the scale of a region (ARCHITECTURE §6).

    make bench                                   # every benchmark; this one on SQLite
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bibliomo_bench make bench
                                                 # … and on PostgreSQL too
    python bench/fund_provision.py --db sqlite:///var/bench.sqlite3 --db postgres://…

For each database: migrate, generate the synthetic region once (``generate_region
--schools 1000 --seed 1``, reused on the next run), then measure
- the district provision page (server time through Django's test client, and its
  query count) for one district of the region;
- the region-wide provision (every school's Σ min(copies, students) / Σ students);
- stock against need for the whole region for next year (what the exchange plan reads).
Targets: page < 100 ms with a bounded query count; region-wide < 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "sqlite:///var/bench.sqlite3"


def _timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def worker(schools: int, seed: int, repeat: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bibliomo.accounts.models import Role, User
    from bibliomo.directory.models import District, Region, School
    from bibliomo.fund import services
    from bibliomo.fund.management.commands.generate_region import region_name
    from bibliomo.lib import years

    call_command("migrate", verbosity=0)
    if not Region.objects.filter(name=region_name(seed)).exists():
        started = time.perf_counter()
        call_command("generate_region", schools=schools, seed=seed)
        print(f"generate_region: {time.perf_counter() - started:.0f} s")
    region = Region.objects.get(name=region_name(seed))
    year = years.start_year_for(timezone.localdate())
    district = District.objects.filter(region=region).order_by("pk").first()
    user, _ = User.objects.get_or_create(
        username=f"bench-head-{seed}",
        defaults={"role": Role.HEAD, "district": district, "last_name": "Замер"},
    )
    client = Client()
    client.force_login(user, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    url = f"/fund/provision/?year={year}"
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    page, _ = _timed(lambda: client.get(url), repeat)
    region_schools = School.objects.filter(district__region=region)
    whole, result = _timed(
        lambda: services.provision_by_school(region_schools, year, pairs=False), repeat
    )
    need, rows = _timed(
        lambda: services.stock_and_need(region_schools, year + 1), max(1, repeat // 2)
    )
    print(f"database: {connection.vendor}")
    print(
        f"district provision page ({district.schools.count()} schools): "
        f"{page * 1000:.0f} ms, {len(queries)} queries  [target < 100 ms, bounded]"
    )
    print(f"region-wide provision ({len(result)} schools): {whole:.2f} s  [target < 2 s]")
    print(f"region-wide stock and need, next year ({len(rows)} rows): {need:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", help=f"DATABASE_URL (default {DEFAULT_DB})")
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.schools, args.seed, args.repeat)
        return
    (ROOT / "var").mkdir(exist_ok=True)
    status = 0
    urls = args.db or [DEFAULT_DB, *filter(None, [os.environ.get("BENCH_DATABASE_URL")])]
    for url in urls:
        print(f"=== {url}")
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": os.environ.get("DEBUG", "1")}
        command = [sys.executable, __file__, "--worker", f"--schools={args.schools}",
                   f"--seed={args.seed}", f"--repeat={args.repeat}"]  # fmt: skip
        status |= subprocess.run(command, env=env, cwd=ROOT, check=False).returncode
    sys.exit(status)


if __name__ == "__main__":
    main()
