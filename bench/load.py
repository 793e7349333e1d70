"""Pages under load, served as in production: gunicorn, DEBUG=0, 3 workers.

    python bench/load.py                       # the demo district on a scratch SQLite file
    python bench/load.py --region              # the generated region of BENCH_DATABASE_URL
    python bench/load.py --users 50 --seconds 60 --think 1

Steps: prepare the database (migrate, the demo or the region's district, one user per
role with a session, each role's most used pages checked to answer 200), start gunicorn
on a free loopback port, then drive it with locust (headless, loopback only, each run
bounded by ``--seconds``):

1. ``bare`` — the bare view (/healthz) as fast as it answers: the baseline throughput;
2. ``capacity`` — every role through its pages as fast as they answer: throughput, whose
   target is ≥ 0.3 × the bare view's;
3. ``users`` — the same users pausing ``--think`` seconds on average between pages, as
   people do: p50/p99 per page, target p99 ≤ 500 ms, 0 errors;
4. ``posting`` — every user a librarian creating fund documents at once: 0 errors, and on
   SQLite no «database is locked» in the server's log.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import _common

ROOT = _common.ROOT
SCRATCH = f"sqlite:///{ROOT / 'var' / 'load.sqlite3'}"


# --- preparing the database (runs in a child process with Django set up) --------------


def prepare(region_mode: bool) -> dict:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from bibliomo.accounts.models import Role, User
    from bibliomo.directory.models import District, School
    from bibliomo.exchange import services as exchange
    from bibliomo.exchange.models import ExchangePlan
    from bibliomo.lib import years
    from bibliomo.orders import services as orders
    from bibliomo.orders.models import OrderCampaign, SchoolOrder

    call_command("migrate", verbosity=0)
    if region_mode:
        region = _common.region()
        district = District.objects.filter(region=region).order_by("pk").first()
    else:
        call_command("load_demo", if_empty=True, verbosity=0)
        district = District.objects.filter(schools__isnull=False).order_by("pk").first()
    school = School.objects.filter(district=district, is_active=True).order_by("pk").first()
    users = {}
    for role in (Role.LIBRARIAN, Role.HEAD, Role.DEPARTMENT):
        users[role.value], _ = User.objects.get_or_create(
            username=f"load-{role.value}-{district.pk}",
            defaults={
                "role": role,
                "district": district,
                "school": school if role == Role.LIBRARIAN else None,
                "last_name": "Нагрузка",
                "first_name": "Замер",
            },
        )
    year = years.start_year_for(timezone.localdate())
    plan = ExchangePlan.objects.filter(district=district).order_by("-pk").first()
    if plan is None:
        plan = exchange.compute_plan(district, year + 1)
    campaign = OrderCampaign.objects.filter(district=district).order_by("-pk").first()
    if campaign is None:
        campaign = orders.open_campaign(district, year + 1, timezone.localdate())
    order = SchoolOrder.objects.filter(campaign=campaign, school=school).first()
    common = {
        "home": "/",
        "plan": "/plans/current/",
        "events": "/events/",
        "consultations": "/consultations/",
        "exchange fund": "/exchange/",
    }
    pages = {
        "librarian": {
            **common,
            "school fund": f"/fund/school/{school.pk}/",
            "КСУ": f"/fund/school/{school.pk}/ksu/",
            "school provision": f"/fund/school/{school.pk}/provision/",
            **({"school order": f"/orders/order/{order.pk}/"} if order else {}),
        },
        "head": {
            **common,
            "district provision": "/fund/provision/",
            "exchange plan": f"/exchange/plans/{plan.pk}/",
            "order campaign": f"/orders/{campaign.pk}/",
            "consolidated order": f"/orders/{campaign.pk}/consolidated/",
        },
        "department": {
            "home": "/",
            "district provision": "/fund/provision/",
            "exchange fund": "/exchange/",
            "consolidated order": f"/orders/{campaign.pk}/consolidated/",
        },
    }
    plan_json: dict = {"roles": {}, "district": district.name}
    for role, user in users.items():
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "bibliomo.accounts.backends.UsernameOrEmailBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(3 * 3600)
        session.create()
        client = Client()
        client.force_login(user, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
        checked = {}
        for name, url in pages[role].items():
            response = client.get(url, follow=True)
            if response.status_code != 200:
                raise SystemExit(f"{role}: {name} {url} answers {response.status_code}")
            final = response.redirect_chain[-1][0] if response.redirect_chain else url
            checked[name] = final
        plan_json["roles"][role] = {"session": session.session_key, "pages": checked}
    plan_json["post"] = {
        "url": f"/fund/school/{school.pk}/documents/new/receipt/",
        "date": timezone.localdate().isoformat(),
    }
    return plan_json


# --- the run --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 — loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def locust(host: str, mode: str, plan: dict, users: int, seconds: int, think: float) -> dict:
    """Run one locust pass; returns {name: stats} with the «Aggregated» row too."""
    prefix = Path(tempfile.mkdtemp(prefix="bibliomo-load-")) / "run"
    env = {
        **os.environ,
        "BENCH_LOAD_PLAN": json.dumps(plan),
        "BENCH_LOAD_MODE": mode,
        "BENCH_LOAD_WAIT": str(think),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("_locustfile.py")),
        "--headless", "--host", host, "-u", str(users), "-r", str(users),
        "-t", f"{seconds}s", "--stop-timeout", "10", "--csv", str(prefix), "--only-summary",
        "--loglevel", "ERROR",
    ]  # fmt: skip
    subprocess.run(
        command,
        env=env,
        check=False,
        timeout=seconds + 120,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stats = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p99": float(row["99%"] or 0),
            }
    failures = []
    with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
        failures = [f"{r['Name']}: {r['Error']} ×{r['Occurrences']}" for r in csv.DictReader(f)]
    return {"stats": stats, "failures": failures}


def show(title: str, result: dict) -> None:
    print(f"-- {title}")
    print(f"   {'page':<28} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for name, s in sorted(result["stats"].items(), key=lambda kv: kv[0] == "Aggregated"):
        flag = "" if s["p99"] <= 500 else "  p99 > 500 ms"
        print(f"   {name:<28} {s['requests']:>8} {s['failures']:>6} {s['rps']:>7.1f} "
              f"{s['p50']:>7.0f} {s['p99']:>7.0f}{flag}")  # fmt: skip
    for failure in result["failures"][:10]:
        print(f"   error: {failure}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--region", action="store_true", help="the generated region")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = _common.database_url() if args.region else SCRATCH
    os.environ["BENCH_DATABASE_URL"] = url
    secret = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(40)
    if args.prepare:
        os.environ["SECRET_KEY"] = secret
        _common.setup()
        print(json.dumps(prepare(args.region)))
        return 0
    (ROOT / "var").mkdir(exist_ok=True)
    child = {**os.environ, "BENCH_SECRET_KEY": secret}
    prepared = subprocess.run(
        [sys.executable, __file__, "--prepare", *(["--region"] if args.region else [])],
        env=child, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    plan = json.loads(prepared.stdout.strip().splitlines()[-1])
    static = Path(tempfile.mkdtemp(prefix="bibliomo-static-"))
    server_env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_PROXY": "1",
        "STATIC_ROOT": str(static),
        "OUTBOX_DELIVERY": "cron",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=server_env, cwd=ROOT, check=True,
    )  # fmt: skip
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp(prefix="bibliomo-gunicorn-")) / "server.log"
    with open(log, "w", encoding="utf-8") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "bibliomo.wsgi", "-w", str(args.workers),
             "-b", f"127.0.0.1:{port}", "--timeout", "120", "--error-logfile", "-"],
            env=server_env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until_up(f"{host}/healthz")
            print(f"database: {url.split('://')[0]}; district «{plan['district']}»; gunicorn "
                  f"{args.workers} workers, DEBUG=0, {host}; {args.users} users × "
                  f"{args.seconds} s per run")  # fmt: skip
            n, t = args.users, args.seconds
            bare = locust(host, "bare", plan, n, t, 0)
            show("bare view, as fast as it answers", bare)
            capacity = locust(host, "pages", plan, n, t, 0)
            show("every role's pages, as fast as they answer", capacity)
            people = locust(host, "pages", plan, n, t, args.think)
            show(f"every role's pages, {args.think:g} s pause on average", people)
            posting = locust(host, "post", plan, n, t, 0)
            show("librarians posting fund documents at once", posting)
        finally:
            server.terminate()
            server.wait(timeout=30)
    locked = log.read_text(encoding="utf-8").count("database is locked")
    ratio = capacity["stats"]["Aggregated"]["rps"] / max(bare["stats"]["Aggregated"]["rps"], 1e-9)
    pages = {k: v for k, v in people["stats"].items() if k != "Aggregated"}
    worst = max(pages.items(), key=lambda kv: kv[1]["p99"])
    errors = sum(r["stats"]["Aggregated"]["failures"] for r in (bare, capacity, people, posting))
    print("-- targets")
    print(f"throughput of the pages: {ratio:.2f} × the bare view's  [target ≥ 0.3 ×]  "
          f"{'OK' if ratio >= 0.3 else 'MISSED'}")  # fmt: skip
    _common.figure(f"worst p99 with people's pauses ({worst[0]})", worst[1]["p99"] / 1000, 0.5)
    print(f"errors: {errors}  [target 0]  {'OK' if errors == 0 else 'MISSED'}")
    print(f"«database is locked» in the server log: {locked}  [target 0]  "
          f"{'OK' if locked == 0 else 'MISSED'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
