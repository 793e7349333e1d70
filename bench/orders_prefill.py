"""Pre-filling the textbook orders of a whole region, and the consolidated order.

Opens an order campaign in every district of the region — which computes the order of
every school from its curriculum, enrolment and fund — then builds each district's
consolidated order, and prints the times. Everything runs in one transaction that is
rolled back, so the database is left as it was.

    python bench/orders_prefill.py               # a scratch SQLite region (see below)
    python bench/orders_prefill.py --existing    # the database of DATABASE_URL, as it is

Without ``--existing`` the region is made once, by ``manage.py generate_region``, in a
scratch SQLite file that later runs reuse (1,000 schools, ~250,000 students, 1,500
entries, ~1.5 million holding rows). ``--schools N`` makes a smaller one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(existing: bool) -> Path | None:
    scratch = None
    if not existing:
        scratch = Path(tempfile.gettempdir()) / "bibliomo-bench-orders-v2.sqlite3"
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
        call_command("migrate", verbosity=0)  # apps added since the region was made
        return  # the region was made by an earlier run
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", action="store_true")
    parser.add_argument("--schools", type=int, default=1000)
    args = parser.parse_args()
    scratch = _setup(args.existing)
    if scratch is not None:
        _prepare_scratch(scratch, args.schools)

    from django.db import connection, transaction
    from django.db.models import Count
    from django.utils import timezone

    from bibliomo.directory.models import District, Region
    from bibliomo.fund.models import Holding
    from bibliomo.lib import tables, years
    from bibliomo.orders import services
    from bibliomo.orders.models import OrderLine

    region = Region.objects.annotate(n=Count("districts__schools")).order_by("-n").first()
    if region is None:
        print("В базе нет ни одного региона со школами.")
        return 1
    districts = list(District.objects.filter(region=region))
    target = years.start_year_for(timezone.localdate()) + 1
    with transaction.atomic():
        holding_rows = Holding.objects.filter(school__district__region=region).count()
        t0, c0 = time.perf_counter(), time.process_time()
        campaigns = []
        for district in districts:
            services.OrderCampaign.objects.filter(district=district, target_year_id=target).delete()
            campaigns.append(
                services.open_campaign(district, target, timezone.localdate(), reserve_percent=2)
            )
        t1, c1 = time.perf_counter(), time.process_time()
        services.SchoolOrder.objects.filter(campaign__in=campaigns).update(status="submitted")
        t2, c2 = time.perf_counter(), time.process_time()
        copies = 0
        for campaign in campaigns:
            copies += services.consolidated(campaign).quantity
        t3, c3 = time.perf_counter(), time.process_time()
        for campaign in campaigns:
            tables.workbook(services.consolidated_sheets(campaign))
        t4 = time.perf_counter()
        orders = services.SchoolOrder.objects.filter(campaign__in=campaigns).count()
        lines = OrderLine.objects.filter(order__campaign__in=campaigns).count()
        transaction.set_rollback(True)
    print(
        f"база: {connection.vendor}; регион «{region.name}»: районов — {len(districts)}, "
        f"школ — {orders}, строк остатков — {_n(holding_rows)}"
    )
    # Processor time too: on a shared machine the wall clock also counts waiting.
    print(
        f"заполнение заказов всех школ: {t1 - t0:.2f} с, процессор {c1 - c0:.2f} с "
        f"(строк заказа — {_n(lines)})"
    )
    print(
        f"сводный заказ по всем районам: {t3 - t2:.2f} с, процессор {c3 - c2:.2f} с "
        f"(экз. — {_n(copies)})"
    )
    print(f"сводный заказ в Excel (книги в памяти): {t4 - t3:.2f} с")
    print(
        f"итого заполнение + сводный заказ: {t1 - t0 + t3 - t2:.2f} с, "
        f"процессор {c1 - c0 + c3 - c2:.2f} с"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
