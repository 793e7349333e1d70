"""A stocktake of a whole region: open it, count, compute every school's differences,
accept every school at once (posting the adjustments to the ledger), and the campaign page.

Opens a stocktake campaign in every district of the region — a count sheet per school,
a line per batch the ledger holds, and a letter to each school — fills the counts as
counters would (every 40th line short, every 97th with a surplus), computes the
differences of all schools at once, then accepts all schools' stocktakes at once, which writes
off the shortage and receives the surplus by posted documents. Prints each figure beside
its target. Everything runs in one transaction that is rolled back.

    python bench/stocktake_region.py               # a scratch SQLite region (see below)
    python bench/stocktake_region.py --existing    # the database of DATABASE_URL, as it is

Without ``--existing`` the region is made once, by ``manage.py generate_region``, in a
scratch SQLite file that later runs reuse (1,000 schools, ~1.5 million holding rows).
``--schools N`` makes a smaller one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 5.0  # «each within a few seconds»
PAGE_QUERIES = 12


def _setup(existing: bool) -> Path | None:
    scratch = None
    if not existing:
        scratch = Path(tempfile.gettempdir()) / "bibliomo-bench-stocktake.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    return scratch


def _prepare_scratch(scratch: Path, schools: int) -> None:
    from django.core.management import call_command

    from bibliomo.directory.models import School

    marker = scratch.with_suffix(f".{schools}.ready")
    if scratch.exists() and marker.exists():
        call_command("migrate", verbosity=0)
        return
    scratch.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_region", schools=schools, verbosity=0)
    print(
        f"регион создан (manage.py generate_region), школ — {School.objects.count()}, "
        f"за {time.perf_counter() - started:.1f} с"
    )
    marker.touch()


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def _verdict(span: tuple[float, float], target: float = TARGET_SECONDS) -> str:
    """Wall clock beside the target, and processor time: on a shared machine the wall
    clock also counts waiting for the processor."""
    wall, cpu = span
    return (
        f"{wall:.2f} с (цель ≤ {target:.0f} с) {'✓' if wall <= target else '✗'}, "
        f"процессор {cpu:.2f} с"
    )


class Clock:
    def __init__(self) -> None:
        self.marks = [(time.perf_counter(), time.process_time())]

    def mark(self) -> None:
        self.marks.append((time.perf_counter(), time.process_time()))

    def span(self, i: int) -> tuple[float, float]:
        (w0, c0), (w1, c1) = self.marks[i], self.marks[i + 1]
        return w1 - w0, c1 - c0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", action="store_true")
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument(
        "--accept",
        type=int,
        default=0,
        help="принять только столько школ (0 — все) и показать время на школу",
    )
    args = parser.parse_args()
    scratch = _setup(args.existing)
    if scratch is not None:
        _prepare_scratch(scratch, args.schools)

    from django.db import connection, transaction
    from django.db.models import Count, F
    from django.db.models.functions import Mod
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bibliomo.accounts.models import Role, User
    from bibliomo.directory.models import District, Region
    from bibliomo.fund.models import Holding
    from bibliomo.stocktake import services
    from bibliomo.stocktake.models import CountLine, Stocktake

    region = Region.objects.annotate(n=Count("districts__schools")).order_by("-n").first()
    if region is None:
        print("В базе нет ни одного региона со школами.")
        return 1
    districts = list(District.objects.filter(region=region))
    today = timezone.localdate()
    with transaction.atomic():
        holding_rows = Holding.objects.filter(school__district__region=region, copies__gt=0).count()
        clock = Clock()
        campaigns = [
            services.open_campaign(
                district,
                name="Инвентаризация (замер)",
                order_number="1",
                order_date=today,
                deadline=today + dt.timedelta(days=30),
            )
            for district in districts
        ]
        clock.mark()
        stocktakes = Stocktake.objects.filter(campaign__in=campaigns)
        lines = CountLine.objects.filter(stocktake__in=stocktakes)
        line_count = lines.count()
        # The counters' work, in three statements: as on the books, with some shortages
        # and surpluses.
        lines.update(counted=F("on_books"), issued=0, version=1)
        every = lambda n: lines.annotate(m=Mod("id", n)).filter(m=0).values("pk")  # noqa: E731
        lines.filter(pk__in=every(40), on_books__gt=0).update(counted=F("on_books") - 1)
        lines.filter(pk__in=every(97)).update(counted=F("on_books") + 2)
        stocktakes.update(status=Stocktake.Status.SUBMITTED, commission="Председатель\nЧлен")
        clock.mark()
        totals = services.compute_differences(stocktakes)
        clock.mark()
        short = sum(v[0] for v in totals.values())
        surplus = sum(v[1] for v in totals.values())

        head = User.objects.filter(district__region=region, role=Role.HEAD).first()
        if head is None:
            head = User.objects.create(
                username="bench-head", role=Role.HEAD, district=districts[0], last_name="Замер"
            )
        page_campaign = max(campaigns, key=lambda c: c.schools.count())
        client = Client()
        head.district = page_campaign.district
        client.force_login(head, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
        client.get(page_campaign.get_absolute_url(), HTTP_HOST="127.0.0.1")  # warm up
        with CaptureQueriesContext(connection) as queries:
            tp = time.perf_counter()
            response = client.get(page_campaign.get_absolute_url(), HTTP_HOST="127.0.0.1")
            tp = time.perf_counter() - tp
        assert response.status_code == 200, response.status_code
        page_schools = page_campaign.schools.count()

        clock.mark()
        chosen = stocktakes.order_by("pk")
        if args.accept:
            chosen = chosen[: args.accept]
        # As the head does it on the campaign page: every submitted sheet at once, in one
        # transaction (services.accept_many).
        accepted = len(services.accept_many(list(chosen), head))
        clock.mark()
        docs = Stocktake.objects.filter(campaign__in=campaigns).exclude(writeoff=None).count()
        schools = stocktakes.count()
        transaction.set_rollback(True)
    print(
        f"база: {connection.vendor}; регион «{region.name}»: районов — {len(districts)}, "
        f"школ — {schools}, партий в фонде — {_n(holding_rows)}"
    )
    print(f"открытие инвентаризации (описи всех школ, {_n(line_count)} строк, письма): "
          f"{_verdict(clock.span(0))}")  # fmt: skip
    print(f"подсчёт (три UPDATE, не цель замера): {clock.span(1)[0]:.2f} с")
    print(
        f"расхождения всех школ: {_verdict(clock.span(2))} "
        f"(недостача {_n(short)} экз., излишки {_n(surplus)} экз.)"
    )
    per_school = clock.span(4)[0] / max(accepted, 1)
    if accepted < schools:
        print(
            f"приёмка {accepted} школ из {schools}: {clock.span(4)[0]:.2f} с, процессор "
            f"{clock.span(4)[1]:.2f} с; на все школы по этой скорости ≈ "
            f"{per_school * schools:.0f} с (цель ≤ {TARGET_SECONDS:.0f} с)"
        )
    print(
        f"приёмка с проводкой в учёт: {_verdict(clock.span(4))} "
        f"({accepted} описей, актов списания — {docs}; "
        f"{clock.span(4)[0] / max(accepted, 1) * 1000:.1f} мс на школу)"
    )
    print(
        f"страница инвентаризации района ({page_schools} школ): {len(queries)} запросов "
        f"(цель ≤ {PAGE_QUERIES}), {tp:.2f} с"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
