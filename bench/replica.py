"""Reports on a read replica, against a real PostgreSQL hot standby.

Makes a throw-away primary cluster and its hot standby (``pg_basebackup -R``) on two free
loopback ports, loads the demo on the primary, and checks with
``DATABASE_URL`` = primary and ``DATABASE_REPLICA_URL`` = standby that

- the heavy reports (district provision, exchange fund, consolidated order) read from
  the standby, and the session and user still from the primary;
- a change (a fund document posted) goes to the primary, and the same browser's next
  report reads from the primary too — it sees its change even while the standby lags
  (replay paused) — while another browser's report still reads from the standby;
- ordinary pages never touch the standby.

Both clusters are stopped and removed at the end. Needs PostgreSQL's server binaries
(``/usr/lib/postgresql/<version>/bin``); as root it runs them as the ``postgres`` user.

    python bench/replica.py
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

ROOT = _common.ROOT


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else name


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


def _run(args: list[str]) -> None:
    subprocess.run(_as_postgres(args), check=True, stdout=subprocess.DEVNULL)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(data: Path, port: int, sockets: Path) -> None:
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run([_bin("pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"), "-o", options, "start"])


def _stop(data: Path) -> None:
    if (data / "postmaster.pid").exists():
        subprocess.run(
            _as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )


def clusters() -> int:
    work = Path(tempfile.mkdtemp(prefix="bibliomo-replica-"))
    primary, standby = work / "primary", work / "standby"
    p1, p2 = _free_port(), _free_port()
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    try:
        _run([_bin("initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres",
              "--no-sync", "-E", "UTF8"])  # fmt: skip
        _start(primary, p1, work)
        _run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres", "bibliomo"])
        _run([_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(p1), "-U", "postgres",
              "-D", str(standby), "-R", "-X", "stream"])  # fmt: skip
        _start(standby, p2, work)
        env = {
            **os.environ,
            "BENCH_DATABASE_URL": f"postgres://postgres@127.0.0.1:{p1}/bibliomo",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{p2}/bibliomo",
        }
        print(f"primary on port {p1}, hot standby on port {p2} (pg_basebackup -R)")
        return subprocess.run(
            [sys.executable, __file__, "--check"], env=env, cwd=ROOT, check=False
        ).returncode
    finally:
        _stop(standby)
        _stop(primary)
        shutil.rmtree(work, ignore_errors=True)


def check() -> int:
    _common.setup()
    from django.core.management import call_command
    from django.db import connections, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bibliomo.accounts.models import Role, User
    from bibliomo.fund.models import Document
    from bibliomo.lib import replica
    from bibliomo.orders.models import OrderCampaign

    call_command("migrate", verbosity=0)
    call_command("load_demo", if_empty=True, verbosity=0)
    primary, standby = connections["default"], connections["replica"]

    def in_recovery(conn) -> bool:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            return cursor.fetchone()[0]

    def wait_for_replay() -> None:
        with primary.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            lsn = cursor.fetchone()[0]
        for _ in range(100):
            with standby.cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.1)
        raise SystemExit("the standby did not catch up")

    failures = 0

    def expect(ok: bool, text: str) -> None:
        nonlocal failures
        failures += not ok
        print(f"{'OK    ' if ok else 'FAILED'} {text}")

    expect(not in_recovery(primary) and in_recovery(standby), "default is the primary, "
           "replica a hot standby in recovery")  # fmt: skip
    head = User.objects.filter(role=Role.HEAD).first()
    librarian = User.objects.filter(role=Role.LIBRARIAN, school__isnull=False).first()
    campaign = OrderCampaign.objects.filter(district=head.district).first()
    wait_for_replay()

    def visit(client: Client, url: str, method: str = "get", **data) -> tuple[int, int, int]:
        # A connection's debug log keeps the last 9,000 queries: once the demo's load has
        # filled it, a capture's slice of it is empty whatever the page runs.
        reset_queries()
        with (
            CaptureQueriesContext(primary) as on_primary,
            CaptureQueriesContext(standby) as on_replica,
        ):
            response = getattr(client, method)(url, data or None)
        return response.status_code, len(on_primary), len(on_replica)

    reader = Client()
    reader.force_login(head, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    reports = ["/fund/provision/", "/exchange/"]
    if campaign:
        reports.append(f"/orders/{campaign.pk}/consolidated/")
    for url in reports:
        status, on_primary, on_replica = visit(reader, url)
        # The primary still serves the session, the user, and get-or-create reads (the
        # academic year), which may write.
        expect(status == 200 and on_replica > on_primary,
               f"report {url}: {on_replica} queries on the standby, {on_primary} on the "
               "primary (session, user, get-or-create)")  # fmt: skip
    status, on_primary, on_replica = visit(reader, "/events/")
    expect(status == 200 and on_replica == 0, f"ordinary page /events/: {on_primary} queries "
           "on the primary, none on the standby")  # fmt: skip

    # Read after write while the standby lags: its replay is paused.
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    writer = Client()
    writer.force_login(librarian, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    before = Document.objects.filter(school=librarian.school).count()
    school = librarian.school_id
    reset_queries()
    with CaptureQueriesContext(standby) as on_replica:
        response = writer.post(
            f"/fund/school/{school}/documents/new/receipt/",
            {"number": "Р-1", "date": timezone.localdate().isoformat(), "source": "purchase"},
        )
    expect(response.status_code == 302 and not on_replica.captured_queries
           and replica.PIN_COOKIE in response.cookies,
           "a posted document is written to the primary and pins the browser to it")  # fmt: skip
    with primary.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fund_document WHERE school_id = %s", [school])
        on_primary_count = cursor.fetchone()[0]
    with standby.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fund_document WHERE school_id = %s", [school])
        lagging = cursor.fetchone()[0]
    expect(on_primary_count == before + 1 and lagging == before,
           f"the standby lags behind (replay paused): {lagging} documents there, "
           f"{on_primary_count} on the primary")  # fmt: skip
    status, on_primary, on_replica = visit(writer, f"/fund/school/{school}/provision/")
    expect(status == 200 and on_replica == 0 and on_primary > 3,
           f"the writer's next report reads from the primary ({on_primary} queries, none on "
           "the standby)")  # fmt: skip
    status, on_primary, on_replica = visit(reader, "/fund/provision/")
    expect(status == 200 and on_replica > 0, "another browser's report still reads from "
           "the standby")  # fmt: skip
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    print("replica routing: " + ("OK" if not failures else f"{failures} checks FAILED"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(check() if "--check" in sys.argv else clusters())
