"""The lock files pin what requirements*.txt name: a package added or bumped there and
not locked would install differently on the next machine (`make lock` fixes it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_PIN = re.compile(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*==\s*([^\s#;]+)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[_normal(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize(
    ("top", "lock"),
    [
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ],
)
def test_lock_matches_the_top_level_requirements(top, lock):
    wanted = _pins(ROOT / top)
    if top == "requirements-dev.txt":
        wanted |= _pins(ROOT / "requirements.txt")
    locked = _pins(ROOT / lock)
    missing = sorted(f"{n}=={v}" for n, v in wanted.items() if locked.get(n) != v)
    assert not missing, f"{lock} is behind {top}: {', '.join(missing)} — run `make lock`"


def test_every_requirement_is_pinned():
    for top in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / top).read_text(encoding="utf-8").splitlines():
            text = line.split("#", 1)[0].strip()
            if text and not text.startswith("-r"):
                assert _PIN.match(text), f"{top}: «{text}» is not pinned with =="
