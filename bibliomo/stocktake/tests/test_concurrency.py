"""Two counters saving the same line at the same moment: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from bibliomo.stocktake import services
from bibliomo.stocktake.models import CountLine


@pytest.mark.django_db(transaction=True)
def test_two_counters_at_the_same_moment(world, books):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite пишет по одному соединению за раз: одновременную запись проверяем на PostgreSQL"
        )
    from bibliomo.stocktake.tests.conftest import open_campaign

    campaign = open_campaign(world, notify=False)
    line = CountLine.objects.filter(stocktake__school=world.school_a).first()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def count(user, value):
        try:
            row = CountLine.objects.select_related("stocktake__campaign").get(pk=line.pk)
            barrier.wait(timeout=10)
            services.save_count(row, counted=value, version=0, user=user)
            results.append(f"saved {value}")
        except services.StaleCount as stale:
            results.append(f"stale, saw {stale.line.counted}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=count, args=(u, v))
               for u, v in ((world.librarian, 7), (world.head, 9))]  # fmt: skip
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    line.refresh_from_db()
    saved = [r for r in results if r.startswith("saved")]
    assert len(saved) == 1, results
    assert results.count(f"stale, saw {line.counted}") == 1, results
    assert line.version == 1
    assert campaign.schools.get(school=world.school_a).status == "counting"
