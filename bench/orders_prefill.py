"""Pre-filling the textbook orders of a whole region, and the consolidated order.

Opens an order campaign in every district of the generated region — which computes the
order of every school from its curriculum, enrolment and fund — then builds each
district's consolidated order and its XLSX file. Everything runs in one transaction that
is rolled back, so the database is left as it was.

The order tables are analysed while they are empty before the campaigns open (the worst
statistics a planner can have for them: the queries must keep their plans). Targets:
pre-fill + consolidation ≤ 5 s; the consolidated XLSX of all districts ≤ 3 s. Baseline:
a raw SQL aggregate over the same fund rows, in the same run.

    python bench/orders_prefill.py [--schools 5000]
"""

from __future__ import annotations

import argparse

import _common

_common.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bibliomo.directory.models import District  # noqa: E402
from bibliomo.lib import tables, years  # noqa: E402
from bibliomo.orders import services  # noqa: E402
from bibliomo.orders.models import OrderCampaign, OrderLine, SchoolOrder  # noqa: E402


def raw_aggregate(region) -> int:
    """The floor: stock summed per school and entry for the region by one SQL statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT st.school_id, st.entry_id, SUM(st.copies - st.worn) FROM fund_stock st"
            " JOIN directory_school s ON s.id = st.school_id"
            " JOIN directory_district d ON d.id = s.district_id"
            " WHERE d.region_id = %s GROUP BY st.school_id, st.entry_id",
            [region.pk],
        )
        return len(cursor.fetchall())


def analyze_empty_order_tables() -> None:
    with connection.cursor() as cursor:
        for model in (OrderCampaign, SchoolOrder, OrderLine):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    args = parser.parse_args()
    region = _common.region(args.schools)
    districts = list(District.objects.filter(region=region))
    target = years.start_year_for(timezone.localdate()) + 1
    base, _, rows = _common.timed(lambda: raw_aggregate(region), 3)
    baseline = (f"a raw SQL aggregate of the {rows:,} fund rows", base)
    with transaction.atomic():
        OrderCampaign.objects.filter(district__in=districts, target_year_id=target).delete()
        analyze_empty_order_tables()

        def prefill():
            return [
                services.open_campaign(district, target, timezone.localdate(), reserve_percent=2)
                for district in districts
            ]

        fill, fill_cpu, campaigns = _common.timed(prefill)
        SchoolOrder.objects.filter(campaign__in=campaigns).update(status="submitted")
        cons, cons_cpu, copies = _common.timed(
            lambda: sum(services.consolidated(c).quantity for c in campaigns)
        )
        xlsx, xlsx_cpu, size = _common.timed(
            lambda: sum(
                len(
                    tables.xlsx_response(
                        "Сводный заказ.xlsx", services.consolidated_sheets(c)
                    ).content
                )
                for c in campaigns
            )
        )
        lines = OrderLine.objects.filter(order__campaign__in=campaigns).count()
        transaction.set_rollback(True)
    print(
        f"database: {_common.vendor()}; {len(districts)} districts, {len(campaigns)} campaigns,"
        f" {lines:,} order lines, {copies:,} copies ordered"
    )
    print(f"  pre-fill {fill:.2f} s (CPU {fill_cpu:.2f} s); consolidation {cons:.2f} s "
          f"(CPU {cons_cpu:.2f} s)")  # fmt: skip
    _common.figure(
        "order pre-fill of every school + consolidation",
        fill + cons,
        5.0,
        baseline=baseline,
        cpu=fill_cpu + cons_cpu,
    )
    _common.figure(
        f"consolidated order of every district as XLSX ({size / 1e6:.1f} MB)",
        xlsx,
        3.0,
        baseline=baseline,
        cpu=xlsx_cpu,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
