"""Demo: last spring's stocktake of the demo district, accepted with its acts and
closed, and this year's open one with some schools counting. Idempotent (each campaign
is made once, found by its name)."""

from __future__ import annotations

import datetime as dt
import random
import zlib

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import District
from bibliomo.stocktake import services
from bibliomo.stocktake.models import Campaign, CountLine, Stocktake

COMMISSION = "Председатель: директор школы\nбиблиотекарь\nзаместитель директора по УВР"


def _people(district: District) -> tuple[User | None, dict[int, User]]:
    head = User.objects.filter(district=district, role=Role.HEAD).order_by("pk").first()
    librarians = {}
    for user in User.objects.filter(district=district, role=Role.LIBRARIAN).order_by("pk"):
        librarians.setdefault(user.school_id, user)
    return head, librarians


def _count(stocktake: Stocktake, share: float, rng: random.Random, user) -> None:
    """Count ``share`` of the lines: the shelf holds the books less the copies off it
    (in pupils' hands, or lost and awaiting their act); now and then a copy is missing or
    a forgotten box turns up."""
    # In the order of the sheet, not of the rows' ids: the sheets are made by one INSERT …
    # SELECT, whose row order each database chooses, and the demo's figures must not
    # depend on it.
    lines = list(stocktake.lines.order_by("entry__key", "receipt_year"))
    now = timezone.now()
    for line in lines[: round(len(lines) * share)]:
        roll = rng.random()
        shelf = max(0, line.on_books - (line.issued or 0))
        counted = shelf
        if roll < 0.08 and shelf:
            counted = shelf - rng.randint(1, min(3, shelf))
        elif roll < 0.095:
            counted = shelf + rng.randint(1, 2)
        line.counted, line.issued = counted, line.issued or 0
        line.version, line.updated_by, line.updated_at = 1, user, now
    CountLine.objects.bulk_update(lines, ["counted", "issued", "version", "updated_by",
                                          "updated_at"])  # fmt: skip
    if share:
        Stocktake.objects.filter(pk=stocktake.pk).update(
            status=Stocktake.Status.COUNTING, started_at=now
        )
        stocktake.refresh_from_db()


def _moment(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12, 0))


@transaction.atomic
def load() -> None:
    district = District.objects.filter(name=DISTRICT).first()
    if district is None:
        return
    head, librarians = _people(district)
    today = timezone.localdate()
    spring = today.year if today.month >= 6 else today.year - 1
    name = f"Инвентаризация учебного фонда весной {spring} года"
    if not Campaign.objects.filter(district=district, name=name).exists():
        campaign = services.open_campaign(
            district,
            name=name,
            order_number="45-о",
            order_date=dt.date(spring, 2, 20),
            starts_on=dt.date(spring, 3, 1),
            deadline=dt.date(spring, 4, 30),
            user=head,
            notify=False,
        )
        for st in campaign.schools.select_related("school").order_by("school__short_name"):
            rng = random.Random(zlib.crc32(st.school.short_name.encode()))  # noqa: S311 — repeatable demo
            user = librarians.get(st.school_id) or head
            _count(st, 1.0, rng, user)
            services.save_commission(st, f"№ 12 от 01.03.{spring}", COMMISSION, user)
            services.submit(st, user)
            Stocktake.objects.filter(pk=st.pk).update(
                started_at=_moment(spring, 3, 2), submitted_at=_moment(spring, 4, 20)
            )
            services.accept(st, head, act_number=f"И-{st.pk}", act_date=dt.date(spring, 4, 28))
            Stocktake.objects.filter(pk=st.pk).update(accepted_at=_moment(spring, 4, 28))
        services.close_campaign(campaign, head)

    name = f"Инвентаризация учебного фонда {today.year} года"
    if not Campaign.objects.filter(district=district, name=name).exists():
        campaign = services.open_campaign(
            district,
            name=name,
            order_number="112-о",
            order_date=today - dt.timedelta(days=7),
            starts_on=today - dt.timedelta(days=5),
            deadline=today + dt.timedelta(days=20),
            user=head,
            notify=False,
        )
        stocktakes = list(campaign.schools.select_related("school").order_by("school__short_name"))
        for i, st in enumerate(stocktakes[:3]):
            seed = zlib.crc32(st.school.short_name.encode()) + 1
            rng = random.Random(seed)  # noqa: S311 — repeatable demo figures
            user = librarians.get(st.school_id) or head
            _count(st, [1.0, 0.6, 0.3][i], rng, user)
            if i == 0:
                services.save_commission(st, f"№ 31 от {today:%d.%m.%Y}", COMMISSION, user)
                services.submit(st, user)
