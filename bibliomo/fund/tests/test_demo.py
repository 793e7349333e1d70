from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from bibliomo.directory.models import District
from bibliomo.fund import services
from bibliomo.fund.models import Document, Holding
from bibliomo.lib import years
from bibliomo.textbooks.models import FederalListEdition, FederalListEntry


@pytest.mark.django_db
def test_demo_fund_has_shortages_and_surpluses_and_loads_once():
    call_command("load_demo")
    documents, holdings = Document.objects.count(), Holding.objects.count()
    call_command("load_demo")
    assert (Document.objects.count(), Holding.objects.count()) == (documents, holdings)
    district = District.objects.get(name="Каменский район")
    year = years.start_year_for(timezone.localdate())
    percents = [t.percent for t, _ in services.provision_by_school(district, year).values()]
    # Textbooks usable until the end of lessons now serve that year, so the demo's lowest
    # provision is in the nineties; a shortage must still show.
    assert min(percents) < 97
    assert max(percents) > 95
    rows = services.stock_and_need(district, year + 1)
    short = {r.school_id for r in rows if r.shortage}
    spare = {r.school_id for r in rows if r.surplus}
    assert len(short) >= 5
    assert len(spare) >= 5
    # The same entry is short in one school and spare in another: the exchange has work.
    short_entries = {r.entry_id for r in rows if r.shortage}
    assert short_entries & {r.entry_id for r in rows if r.surplus}
    # Order № 769 came through the Federal list import: its own dates, ЕГУ, new entries.
    order = FederalListEdition.objects.get(title="Приказ Минпросвещения России от 05.11.2024 № 769")
    assert (order.order_date, order.entry_count) == (dt.date(2024, 11, 5), 6)
    social = FederalListEntry.objects.get(key="1.1.3.3.2.1.1")
    assert (social.use_until, social.status, social.edition) == (
        dt.date(2027, 8, 31),
        "excluded",
        order,
    )
    assert social.authors.startswith("Боголюбов")  # not named by the order: kept
    assert set(FederalListEntry.objects.filter(is_unified=True).values_list("key", flat=True)) == {
        "1.1.3.3.1.1.1",
        "1.1.3.3.1.1.2",
        "1.1.3.3.2.2.1",
        "1.1.3.3.2.2.2",
    }
    # The rest of list № 858 is untouched by the amendment.
    assert FederalListEntry.objects.get(key="1.1.1.1.1.1.1").status == "included"
