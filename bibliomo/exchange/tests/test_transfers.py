from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from bibliomo.exchange import services, transfers
from bibliomo.exchange.models import ExchangePlan, Transfer
from bibliomo.exchange.tests.conftest import YEAR
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, Holding
from bibliomo.fund.tests.conftest import document

S = Transfer.Status


def held(school, entry) -> int:
    return sum(Holding.objects.filter(school=school, entry=entry).values_list("copies", flat=True))


def request(world, f, copies=5, **extra) -> Transfer:
    """School B asks school A for maths textbooks."""
    return transfers.create(
        world.school_a, world.school_b, [(f.math5.pk, copies)], user=world.librarian_b, **extra
    )


def test_permanent_transfer_from_request_to_close(world, district_fund):
    f = district_fund
    t = request(world, f)
    assert (t.status, t.origin, t.kind) == (S.PROPOSED, "request", "permanent")
    assert set(mail.outbox[-1].to) == {
        world.librarian.email,
        world.librarian_b.email,
        world.head.email,
    }
    assert "новая передача" in mail.outbox[-1].subject

    line = t.lines.get()
    transfers.agree(t, world.librarian, {line.pk: 3})  # partly: 3 of the 5 asked
    t.refresh_from_db()
    assert t.status == S.AGREED
    assert t.lines.get().copies == 3
    assert t.lines.get().history.first().history_user == world.librarian  # who cut it to 3
    assert "согласована" in mail.outbox[-1].subject

    transfers.ship(t, world.librarian, dt.date(2022, 8, 25))
    transfers.receive(t, world.librarian_b, day=dt.date(2022, 8, 26))
    t.refresh_from_db()
    assert t.status == S.RECEIVED
    assert t.lines.get().received == 3
    # The КСУ: a write-off «передача в другую школу» at A, a receipt at B, both posted.
    assert (held(world.school_a, f.math5), held(world.school_b, f.math5)) == (27, 13)
    assert t.writeoff.school == world.school_a
    assert t.writeoff.reason == "transfer"
    assert t.receipt.school == world.school_b
    assert t.receipt.source == "transfer"
    assert t.writeoff.status == t.receipt.status == Document.Status.POSTED
    assert t.receipt.counterparty == world.school_a
    assert list(t.receipt.lines.values_list("entry_id", "copies")) == [(f.math5.pk, 3)]

    transfers.close(t, world.librarian_b)
    t.refresh_from_db()
    assert t.status == S.CLOSED
    steps = [h.status for h in t.history.order_by("history_date")]
    assert steps[0] == S.PROPOSED
    assert steps[-1] == S.CLOSED
    assert S.SHIPPED in steps
    assert t.history.latest().history_user == world.librarian_b
    assert len(mail.outbox) == 5  # created, agreed, shipped, received, closed


def test_only_the_right_side_takes_each_step(world, district_fund):
    t = request(world, district_fund)
    assert transfers.actions(world.librarian_b, t) == ["cancel"]
    assert transfers.actions(world.librarian, t) == ["agree", "decline", "cancel"]
    assert transfers.actions(world.outsider, t) == []
    assert transfers.actions(world.department, t) == []
    with pytest.raises(transfers.TransferError):
        transfers.agree(t, world.librarian_b)
    with pytest.raises(transfers.TransferError):
        transfers.ship(t, world.librarian)  # not agreed yet
    assert transfers.can_view(world.department, t)
    assert not transfers.can_view(world.outsider, t)


def test_partial_receipt_needs_a_note_and_posts_what_arrived(world, district_fund):
    f = district_fund
    t = request(world, f, copies=4)
    transfers.agree(t, world.librarian)
    transfers.ship(t, world.librarian)
    line = t.lines.get()
    with pytest.raises(transfers.TransferError, match="опишите расхождение"):
        transfers.receive(t, world.librarian_b, {line.pk: 3})
    assert held(world.school_b, f.math5) == 10  # nothing half-done
    transfers.receive(t, world.librarian_b, {line.pk: 3}, "один экземпляр повреждён в пути")
    t.refresh_from_db()
    assert t.discrepancy == "один экземпляр повреждён в пути"
    assert (held(world.school_a, f.math5), held(world.school_b, f.math5)) == (27, 13)
    assert "с расхождениями" in mail.outbox[-1].subject


def test_copies_cannot_be_promised_twice(world, district_fund):
    f = district_fund
    first, second = request(world, f, copies=20), request(world, f, copies=20)
    transfers.agree(first, world.librarian)
    with pytest.raises(transfers.TransferError) as caught:
        transfers.agree(second, world.librarian)
    assert "свободно 10 экз., а нужно 20" in str(caught.value)
    second.refresh_from_db()
    assert second.status == S.PROPOSED
    transfers.cancel(first, world.librarian_b, "нашли в другой школе")
    transfers.agree(second, world.librarian)  # the promise is released by cancelling
    assert fund.free_copies(world.school_a.pk, [f.math5.pk]) == {f.math5.pk: 10}


def test_promised_copies_cannot_be_written_off(world, district_fund):
    f = district_fund
    t = request(world, f, copies=25)
    transfers.agree(t, world.librarian)
    act = document(world.school_a, "writeoff", [(f.math5, 30)], number="С-1")
    with pytest.raises(fund.PostingError) as caught:
        fund.post(act, world.librarian)
    message = str(caught.value)
    assert f"передача № {t.number} в «Луговская СОШ»" in message
    assert "свободно 5 экз." in message
    act.refresh_from_db()
    assert not act.is_posted
    assert held(world.school_a, f.math5) == 30
    # The free copies may go; the promised ones ship and arrive in full.
    fund.post(document(world.school_a, "writeoff", [(f.math5, 5)], number="С-2"), world.librarian)
    transfers.ship(t, world.librarian)
    transfers.receive(t, world.librarian_b)
    t.refresh_from_db()
    assert t.status == S.RECEIVED
    assert (held(world.school_a, f.math5), held(world.school_b, f.math5)) == (0, 35)


def test_cancelling_frees_the_promised_copies(world, district_fund):
    f = district_fund
    t = request(world, f, copies=25)
    transfers.agree(t, world.librarian)
    assert fund.free_copies(world.school_a.pk, [f.math5.pk]) == {f.math5.pk: 5}
    transfers.cancel(t, world.librarian_b)
    assert fund.free_copies(world.school_a.pk, [f.math5.pk], lock=True) == {f.math5.pk: 30}
    fund.post(document(world.school_a, "writeoff", [(f.math5, 30)]), world.librarian)
    assert held(world.school_a, f.math5) == 0


def test_a_promised_receipt_cannot_be_reversed(world, district_fund):
    f = district_fund
    receipt = document(world.school_a, "receipt", [(f.math5, 10)], number="П-1")
    fund.post(receipt, world.librarian)
    transfers.agree(request(world, f, copies=35), world.librarian)
    with pytest.raises(fund.PostingError, match="обещаны другим школам 35"):
        fund.reverse(receipt, world.librarian)


def test_cannot_agree_more_than_the_school_holds(world, district_fund):
    with pytest.raises(transfers.TransferError, match=r"свободно 30 экз\., а нужно 31"):
        transfers.agree(request(world, district_fund, copies=31), world.librarian)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_agreements_promise_copies_once(world, district_fund):
    if connection.vendor != "postgresql":
        pytest.skip("Проверка одновременного согласования требует PostgreSQL (SELECT … FOR UPDATE)")
    pair = [request(world, district_fund, copies=20) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(t):
        try:
            barrier.wait()
            transfers.agree(t, world.librarian)
            outcomes.append("agreed")
        except transfers.TransferError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in pair]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["agreed", "refused"]
    assert Transfer.objects.filter(status=S.AGREED).count() == 1


def test_temporary_use_keeps_the_balance_and_counts_for_the_taker(world, district_fund):
    f = district_fund
    with pytest.raises(transfers.TransferError):
        request(world, f, kind=Transfer.Kind.TEMPORARY)  # no return date
    t = request(world, f, copies=6, kind=Transfer.Kind.TEMPORARY, return_date=dt.date(2023, 6, 1))
    transfers.agree(t, world.librarian)
    transfers.ship(t, world.librarian)
    transfers.receive(t, world.librarian_b)
    t.refresh_from_db()
    assert t.writeoff is None
    assert t.receipt is None
    assert (held(world.school_a, f.math5), held(world.school_b, f.math5)) == (30, 10)
    rows = {(r.school_id, r.entry_id): r for r in services.rows(world.district, YEAR)}
    assert rows[world.school_a.pk, f.math5.pk].surplus == 4  # 30 − 6 lent − 20 needed
    assert rows[world.school_b.pk, f.math5.pk].shortage == 9  # 25 − 10 − 6 borrowed
    # While lent the copies are promised: they cannot go to another school.
    assert fund.free_copies(world.school_a.pk, [f.math5.pk]) == {f.math5.pk: 24}
    assert transfers.actions(world.librarian, t) == ["return"]
    transfers.mark_returned(t, world.librarian)
    transfers.close(t, world.head)
    t.refresh_from_db()
    assert t.status == S.CLOSED
    assert fund.free_copies(world.school_a.pk, [f.math5.pk]) == {f.math5.pk: 30}


def test_decline_cancels_and_tells_both(world, district_fund):
    t = transfers.decline(request(world, district_fund), world.librarian, "самим не хватает")
    assert t.status == S.CANCELLED
    assert "самим не хватает" in t.comment
    assert "отказала" in mail.outbox[-1].subject
    assert "самим не хватает" in mail.outbox[-1].body


def test_transfer_only_within_a_district(world, district_fund):
    with pytest.raises(transfers.TransferError, match="одного района"):
        transfers.create(
            world.school_other, world.school_b, [(district_fund.math5.pk, 1)], user=None
        )
    with pytest.raises(transfers.TransferError, match="ни одного"):
        transfers.create(world.school_a, world.school_b, [(district_fund.math5.pk, 0)], user=None)


def test_plan_lines_edited_then_turned_into_transfers(world, district_fund):
    f = district_fund
    plan = services.compute_plan(world.district, YEAR, user=world.head)
    line = plan.lines.get()
    services.change_line(line, 7, world.head)
    plan.refresh_from_db()
    assert plan.covered == 7
    assert plan.uncovered == 14
    made = services.apply_plan(plan, world.head)
    assert len(made) == 1
    t = made[0]
    assert (t.giver, t.taker, t.origin, t.plan) == (world.school_a, world.school_b, "plan", plan)
    assert list(t.lines.values_list("entry_id", "copies")) == [(f.math5.pk, 7)]
    plan.refresh_from_db()
    assert plan.status == ExchangePlan.Status.APPLIED
    with pytest.raises(transfers.TransferError, match="уже оформлен"):
        services.apply_plan(plan, world.head)
    with pytest.raises(transfers.TransferError, match="уже оформлен"):
        services.change_line(line, 1, world.head)


def test_removing_every_line_leaves_nothing_to_apply(world, district_fund):
    plan = services.compute_plan(world.district, YEAR)
    services.change_line(plan.lines.get(), 0, world.head)
    with pytest.raises(transfers.TransferError, match="нет ни одной строки"):
        services.apply_plan(plan, world.head)
    assert Transfer.objects.count() == 0


def test_who_sees_which_transfers(world, district_fund):
    from bibliomo.accounts.models import Role
    from conftest import make_user

    t = request(world, district_fund)
    assert list(transfers.visible(world.department, world.district.pk)) == [t]
    assert list(transfers.visible(world.librarian, world.district.pk)) == [t]
    assert list(transfers.visible(world.outsider, world.other_district.pk)) == []
    # A librarian not yet attached to a school sees none, not every school's.
    loose = make_user("loose", Role.LIBRARIAN, world.district)
    assert list(transfers.visible(loose, world.district.pk)) == []
