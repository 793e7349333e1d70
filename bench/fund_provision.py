"""The textbook fund at the scale of a region (DESIGN §5), on the generated region.

- the district provision page (server time through Django's test client, and its query
  count) for one district: target ≤ 100 ms with a bounded query count;
- region-wide provision (every school's Σ min(copies, students) / Σ students): ≤ 2 s;
- region-wide stock against need for next year (what the exchange plan reads): ≤ 1 s.
The baseline is a raw SQL read of the same stock rows, in the same run.

    python bench/fund_provision.py [--schools 5000] [--repeat 5]
"""

from __future__ import annotations

import argparse

import _common

_common.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bibliomo.accounts.models import Role, User  # noqa: E402
from bibliomo.directory.models import District, School  # noqa: E402
from bibliomo.fund import services  # noqa: E402
from bibliomo.lib import years  # noqa: E402


def raw_stock_read(region) -> int:
    """The floor: the region's stock rows read by one SQL statement, nothing computed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT st.school_id, st.entry_id, st.copies - st.worn FROM fund_stock st"
            " JOIN directory_school s ON s.id = st.school_id"
            " JOIN directory_district d ON d.id = s.district_id"
            " WHERE d.region_id = %s AND st.copies > 0",
            [region.pk],
        )
        return len(cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    region = _common.region(args.schools)
    year = years.start_year_for(timezone.localdate())
    district = District.objects.filter(region=region).order_by("pk").first()
    user, _ = User.objects.get_or_create(
        username=f"bench-head-{region.pk}",
        defaults={"role": Role.HEAD, "district": district, "last_name": "Замер"},
    )
    client = Client()
    client.force_login(user, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    url = f"/fund/provision/?year={year}"
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    schools = School.objects.filter(district__region=region)
    base, _, rows = _common.timed(lambda: raw_stock_read(region), args.repeat)
    baseline = (f"a raw SQL read of the {rows:,} stock rows", base)
    print(f"database: {_common.vendor()}; {schools.count()} schools")
    page, _, _ = _common.timed(lambda: client.get(url), args.repeat)
    _common.figure(
        f"district provision page ({district.schools.count()} schools, {len(queries)} queries)",
        page,
        0.1,
        unit="ms",
        scale=1000,
    )
    wall, cpu, result = _common.timed(
        lambda: services.provision_by_school(schools, year, pairs=False), args.repeat
    )
    _common.figure(
        f"region-wide provision ({len(result)} schools)", wall, 2.0, baseline=baseline, cpu=cpu
    )
    wall, cpu, result = _common.timed(
        lambda: services.stock_and_need(schools, year + 1), max(1, args.repeat // 2)
    )
    _common.figure(
        f"region-wide stock and need, next year ({len(result):,} rows)",
        wall,
        1.0,
        baseline=baseline,
        cpu=cpu,
    )


if __name__ == "__main__":
    main()
