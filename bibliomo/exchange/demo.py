"""Demo of the exchange fund: a computed redistribution plan for the demo district's next
academic year (from the demo stock, curriculum and enrolment forecast), and one request
between schools waiting for the giver's answer. Idempotent."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import District, School
from bibliomo.exchange import services, transfers
from bibliomo.exchange.models import ExchangePlan, Transfer
from bibliomo.lib import years


@transaction.atomic
def load() -> None:
    district = District.objects.filter(name=DISTRICT).first()
    if district is None:
        return
    year = years.start_year_for(timezone.localdate()) + 1
    head = User.objects.filter(district=district, role=Role.HEAD).first()
    if not ExchangePlan.objects.filter(district=district, year_id=year).exists():
        services.compute_plan(district, year, user=head)
    if Transfer.objects.filter(district=district).exists():
        return
    # One school asks another for a few of its spare copies.
    rows = services.rows(district, year)
    offers = {(r.entry_id): r for r in rows if r.offered}
    for need in sorted((r for r in rows if r.shortage), key=lambda r: -r.shortage):
        offer = offers.get(need.entry_id)
        if offer is None or offer.school_id == need.school_id:
            continue
        taker = School.objects.get(pk=need.school_id)
        librarian = User.objects.filter(school=taker, role=Role.LIBRARIAN).first()
        transfers.create(
            School.objects.get(pk=offer.school_id),
            taker,
            [(need.entry_id, min(need.shortage, offer.offered))],
            user=librarian,
            comment="Просим передать учебники до начала учебного года.",
            notify=False,
        )
        return
