from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from bibliomo.directory.models import AcademicYear
from bibliomo.fund import calc, services
from bibliomo.fund.models import Document, Enrolment, Holding, Stock
from bibliomo.fund.tests.conftest import document
from bibliomo.textbooks.models import Curriculum


def balance(school, entry) -> dict[int, int]:
    # The per-entry sum kept for reports always equals the sum of the batches.
    for stock in Stock.objects.all():
        held = Holding.objects.filter(school=stock.school_id, entry=stock.entry_id)
        assert stock.copies == sum(h.copies for h in held)
    return dict(
        Holding.objects.filter(school=school, entry=entry, copies__gt=0).values_list(
            "receipt_year", "copies"
        )
    )


def test_receipt_adds_batches_by_year(world, entries):
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 30, Decimal("450.00"))]))
    services.post(
        document(world.school_a, "receipt", [(math, 10, 0, 2019)], number="О-1", source="opening")
    )
    assert balance(world.school_a, math) == {2025: 30, 2019: 10}
    assert balance(world.school_b, math) == {}


def test_posted_document_cannot_be_posted_twice(world, entries, django_user_model):
    doc = document(world.school_a, "receipt", [(entries["math5"], 5)])
    services.post(doc, world.librarian)
    assert doc.status == Document.Status.POSTED
    assert doc.posted_by == world.librarian
    assert doc.history.first().history_user == world.librarian
    with pytest.raises(services.PostingError, match="уже проведён"):
        services.post(doc)
    assert balance(world.school_a, entries["math5"]) == {2025: 5}


def test_empty_document_is_refused(world, entries):
    with pytest.raises(services.PostingError, match="нет ни одной строки"):
        services.post(document(world.school_a, "receipt", []))


def test_writeoff_beyond_balance_is_refused_and_changes_nothing(world, entries):
    math, hist = entries["math5"], entries["hist5"]
    services.post(document(world.school_a, "receipt", [(math, 10), (hist, 10)]))
    act = document(world.school_a, "writeoff", [(hist, 4), (math, 12)], number="2")
    with pytest.raises(services.PostingError) as caught:
        services.post(act)
    assert "Нельзя списать 12 экз. «Математика» (1.1.2.4.1.1.1): в фонде школы 10 экз." in str(
        caught.value
    )
    act.refresh_from_db()
    assert act.status == Document.Status.DRAFT
    assert balance(world.school_a, math) == {2025: 10}
    assert balance(world.school_a, hist) == {2025: 10}  # the good line was not applied either


def test_writeoff_of_a_named_batch_checks_that_batch(world, entries):
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 3, 0, 2019), (math, 10, 0, 2024)]))
    act = document(world.school_a, "writeoff", [(math, 5, 0, 2019)], number="3")
    with pytest.raises(services.PostingError, match="поступления 2019 года: в фонде 3 экз"):
        services.post(act)


def test_writeoff_without_batch_takes_the_oldest_and_records_the_split(world, entries):
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 3, 0, 2019), (math, 10, 0, 2024)]))
    act = services.post(document(world.school_a, "writeoff", [(math, 5, Decimal("100"))]))
    assert balance(world.school_a, math) == {2024: 8}
    assert sorted(act.lines.values_list("receipt_year", "copies")) == [(2019, 3), (2024, 2)]
    assert all(line.price == Decimal("100") for line in act.lines.all())


def test_writeoff_in_another_school_cannot_touch_this_stock(world, entries):
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 10)]))
    with pytest.raises(services.PostingError, match="в фонде школы 0 экз"):
        services.post(document(world.school_b, "writeoff", [(math, 1)]))


def test_reversal_restores_the_balance_and_keeps_the_original(world, entries):
    math = entries["math5"]
    receipt = services.post(document(world.school_a, "receipt", [(math, 10)]))
    mirror = services.reverse(receipt, world.librarian, date=dt.date(2025, 9, 2))
    assert mirror.kind == Document.Kind.WRITEOFF and mirror.reason == "reversal"
    assert mirror.reverses == receipt
    assert balance(world.school_a, math) == {}
    with pytest.raises(services.PostingError, match="уже отменён"):
        services.reverse(receipt)


def test_reversal_of_a_receipt_already_disposed_is_refused(world, entries):
    math = entries["math5"]
    receipt = services.post(document(world.school_a, "receipt", [(math, 10)]))
    services.post(document(world.school_a, "writeoff", [(math, 6)], number="2"))
    with pytest.raises(services.PostingError, match="Нельзя списать 10 экз"):
        services.reverse(receipt)
    assert not Document.objects.filter(reverses=receipt).exists()
    assert balance(world.school_a, math) == {2025: 4}


def test_transfer_writes_off_at_giver_and_receives_at_taker(world, entries):
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 10)], date=dt.date(2024, 9, 1)))
    out, into = services.transfer(
        world.school_a, world.school_b, [(math.pk, 4)], number="П-1", date=dt.date(2025, 5, 20)
    )
    assert out.reason == "transfer" and out.counterparty == world.school_b
    assert into.source == "transfer" and into.counterparty == world.school_a
    assert balance(world.school_a, math) == {2024: 6}
    assert balance(world.school_b, math) == {2025: 4}
    with pytest.raises(services.PostingError):
        services.transfer(
            world.school_a, world.school_b, [(math.pk, 7)], number="П-2", date=dt.date(2025, 5, 21)
        )
    assert balance(world.school_b, math) == {2025: 4}  # nothing half-done


def test_stock_and_need(world, entries):
    math, hist, phys, old = entries["math5"], entries["hist5"], entries["phys10"], entries["old"]
    a, b = world.school_a, world.school_b
    services.post(document(a, "receipt", [(math, 30), (hist, 10), (old, 20), (phys, 5)]))
    services.post(document(b, "receipt", [(math, 5)]))
    # School A: curriculum made for 2025 only; asked for 2026, it is carried forward.
    for grade, subject, entry in [(5, "Математика", math), (5, "История", hist)]:
        Curriculum.objects.create(
            school=a, year=AcademicYear.open(2025), grade=grade, subject=subject, entry=entry
        )
    Curriculum.objects.create(
        school=b, year=AcademicYear.open(2026), grade=5, subject="Математика", entry=math
    )
    # A has enrolment for 2025 only: the 2026 forecast moves grade 4 (22) to grade 5.
    Enrolment.objects.create(school=a, year_id=2025, grade=4, students=22)
    Enrolment.objects.create(school=a, year_id=2025, grade=5, students=25)
    Enrolment.objects.create(school=b, year_id=2026, grade=5, students=12, is_forecast=True)

    rows = {(r.school_id, r.entry_id): r for r in services.stock_and_need(world.district, 2026)}
    assert (rows[a.pk, math.pk].usable, rows[a.pk, math.pk].need) == (30, 22)
    assert rows[a.pk, math.pk].surplus == 8
    assert rows[a.pk, hist.pk].shortage == 12
    assert (rows[a.pk, phys.pk].need, rows[a.pk, phys.pk].surplus) == (0, 5)  # not used: surplus
    assert (a.pk, old.pk) not in rows  # expired 25.09.2025: not usable stock in 2026/2027
    assert (rows[b.pk, math.pk].need, rows[b.pk, math.pk].shortage) == (12, 7)
    assert all(r.school_id != world.school_other.pk for r in rows.values())
    # With a reserve of 10 %: 22 × 1.1 = 24.2 → 25.
    rows = {(r.school_id, r.entry_id): r for r in services.stock_and_need([a], 2026, 10)}
    assert rows[a.pk, math.pk].need == 25
    assert set(rows) == {(a.pk, math.pk), (a.pk, hist.pk), (a.pk, phys.pk)}


def test_provision_by_school(world, entries):
    math, hist = entries["math5"], entries["hist5"]
    a = world.school_a
    services.post(document(a, "receipt", [(math, 30), (hist, 10)]))
    for subject, entry in [("Математика", math), ("История", hist)]:
        Curriculum.objects.create(school=a, year_id=2025, grade=5, subject=subject, entry=entry)
    Enrolment.objects.create(school=a, year_id=2025, grade=5, students=20)
    total, pairs = services.provision_by_school(world.district, 2025)[a.pk]
    assert (total.covered, total.students) == (30, 40)
    assert {p.subject: p.surplus for p in pairs} == {"Математика": 10, "История": 0}
    # Next year: no curriculum yet, so the last one is used, with next year's enrolment.
    Enrolment.objects.create(school=a, year_id=2026, grade=5, students=35)
    total, pairs = services.provision_by_school([a.pk], 2026)[a.pk]
    assert (total.covered, total.students) == (30 + 10, 70)
    # And it agrees with the general loader the exchange uses.
    data = services.school_data([a.pk], 2026)[a.pk]
    assert calc.provision(calc.provision_pairs(data.rows, data.students, data.usable)) == total


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writeoffs_never_go_negative(world, entries):
    if connection.vendor != "postgresql":
        pytest.skip("Проверка одновременного списания требует PostgreSQL (SELECT … FOR UPDATE)")
    math = entries["math5"]
    services.post(document(world.school_a, "receipt", [(math, 10)]))
    acts = [document(world.school_a, "writeoff", [(math, 7)], number=str(n)) for n in (2, 3)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(act):
        try:
            barrier.wait()
            services.post(act)
            outcomes.append("posted")
        except services.PostingError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(act,)) for act in acts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["posted", "refused"]
    assert balance(world.school_a, math) == {2025: 3}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_reversals_of_one_document_reverse_it_once(world, entries):
    if connection.vendor != "postgresql":
        pytest.skip("Проверка одновременного сторно требует PostgreSQL (SELECT … FOR UPDATE)")
    math = entries["math5"]
    receipt = services.post(document(world.school_a, "receipt", [(math, 10)]))
    barrier = threading.Barrier(3)
    outcomes: list[str] = []

    def run():
        try:
            barrier.wait()
            services.reverse(Document.objects.get(pk=receipt.pk))
            outcomes.append("reversed")
        except services.PostingError as exc:
            outcomes.append(str(exc.messages[0]))
        except Exception as exc:  # the defect: an IntegrityError, a server error
            outcomes.append(type(exc).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["reversed"] + ["Этот документ уже отменён (сторнирован)."] * 2
    assert Document.objects.filter(reverses=receipt).count() == 1
    assert balance(world.school_a, math) == {}
