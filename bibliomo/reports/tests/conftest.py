from __future__ import annotations

from bibliomo.stats.tests.conftest import _years  # noqa: F401 — the years are opened
