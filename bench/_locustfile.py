"""The users of the load benchmark (run by ``bench/load.py``; see there).

The plan — the sessions of one user per role and the pages each role opens — comes as
JSON in ``BENCH_LOAD_PLAN``; ``BENCH_LOAD_MODE`` chooses who runs:
``bare`` (the bare view), ``pages`` (every role through its pages), ``post`` (librarians
creating fund documents at once). ``BENCH_LOAD_WAIT`` is each user's pause between
requests in seconds (0: as fast as the server answers).
"""

from __future__ import annotations

import json
import os
import random
import secrets

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(os.environ.get("BENCH_LOAD_PLAN", "{}"))
MODE = os.environ.get("BENCH_LOAD_MODE", "pages")
WAIT = float(os.environ.get("BENCH_LOAD_WAIT", "0"))


class _User(HttpUser):
    abstract = True
    wait_time = constant(0) if WAIT == 0 else between(0, 2 * WAIT)

    def on_start(self) -> None:
        # The server runs as behind a TLS proxy: it is told the request came over HTTPS,
        # and its Secure cookies are passed by hand (a client keeps them off plain HTTP).
        self.csrf = secrets.token_hex(16)
        self.headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{self.host_name}/"}

    @property
    def host_name(self) -> str:
        return self.host.split("://", 1)[1].rstrip("/")

    def cookies(self, role: str) -> dict[str, str]:
        return {"sessionid": PLAN["roles"][role]["session"], "csrftoken": self.csrf}

    def open(self, role: str, name: str, url: str) -> None:
        with self.client.get(
            url, name=name, headers=self.headers, cookies=self.cookies(role),
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Bare(_User):
    weight = 1 if MODE == "bare" else 0

    @task
    def health(self) -> None:
        self.open("head", "bare view /healthz", "/healthz")


def _role_user(role: str, weight: int) -> type[_User]:
    pages = list(PLAN.get("roles", {}).get(role, {}).get("pages", {}).items())

    def visit(self) -> None:
        name, url = random.choice(pages)
        self.open(role, name, url)

    return type(
        f"{role.title()}User",
        (_User,),
        {"weight": weight if MODE == "pages" and pages else 0, "tasks": [visit]},
    )


LibrarianUser = _role_user("librarian", 6)
HeadUser = _role_user("head", 2)
DepartmentUser = _role_user("department", 2)


class Poster(_User):
    """A librarian posting a receipt document (a write transaction each)."""

    weight = 1 if MODE == "post" else 0

    @task
    def post_document(self) -> None:
        post = PLAN["post"]
        data = {
            "number": f"Н-{secrets.token_hex(3)}",
            "date": post["date"],
            "source": "purchase",
            "supplier": "Нагрузочный замер",
            "basis": "",
            "note": "",
            "csrfmiddlewaretoken": self.csrf,
        }
        with self.client.post(
            post["url"], data=data, name="post a receipt document", headers=self.headers,
            cookies=self.cookies("librarian"), allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"HTTP {response.status_code}")


@events.init.add_listener
def _check(environment, **kwargs) -> None:
    if not PLAN:
        raise SystemExit("BENCH_LOAD_PLAN is not set: run bench/load.py")
