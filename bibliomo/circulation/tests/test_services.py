from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from bibliomo.circulation import selectors, services
from bibliomo.circulation.models import Classroom, Loan, Pupil
from bibliomo.circulation.tests.conftest import DAY, YEAR, make_class, stock
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, Enrolment, Reason, Source, Stock
from bibliomo.fund.tests.conftest import document


def _free(desk, world) -> dict[int, int]:
    return fund.free_copies(world.school_a.pk, [desk.math.pk, desk.hist.pk])


def test_issue_set_gives_each_pupil_the_set_within_the_shelf(world, desk):
    result = services.issue_set(desk.classroom, world.librarian, DAY)
    # Math for all three; history only for the first two (two copies on the shelf).
    assert result.copies == 5
    assert len(result.pupils) == 3
    assert [m for m in result.messages] == [
        "«История Древнего мира» (5 кл.): не хватило 1 экз. — не выдано: УченикА002 Иван."
    ]
    assert _free(desk, world) == {desk.math.pk: 7, desk.hist.pk: 0}
    assert selectors.issued_by_entry(world.school_a.pk) == {desk.math.pk: 3, desk.hist.pk: 2}
    # Issued copies stay on the balance.
    assert Stock.objects.get(school=world.school_a, entry=desk.math).copies == 10
    loan = Loan.objects.filter(pupil=desk.pupils[0], entry=desk.math).get()
    assert (loan.issued_by, loan.due_on, loan.classroom) == (
        world.librarian, dt.date(YEAR + 1, 6, 15), desk.classroom,
    )  # fmt: skip
    # Again: nothing new for those who have it; the short one still waits.
    again = services.issue_set(desk.classroom, world.librarian, DAY)
    assert again.copies == 0
    assert list(again.short) == [desk.hist]


def test_declined_book_is_not_offered_again_and_copies_per_pupil(world, desk):
    from bibliomo.textbooks.models import Curriculum

    Curriculum.objects.filter(entry=desk.math).update(copies_per_student=2)
    services.issue_set(desk.classroom, day=DAY)
    assert set(Loan.objects.filter(entry=desk.math).values_list("copies", flat=True)) == {2}
    declined = Loan.objects.filter(entry=desk.math, pupil=desk.pupils[0]).get()
    services.cancel(declined)
    assert _free(desk, world)[desk.math.pk] == 10 - 4
    services.issue_set(desk.classroom, day=DAY)
    assert not Loan.objects.filter(
        entry=desk.math, pupil=desk.pupils[0], status=Loan.Status.ISSUED
    ).exists()


def test_single_issue_is_refused_beyond_the_free_copies(world, desk):
    services.issue(world.school_a, desk.hist, 2, pupil=desk.pupils[0], day=DAY)
    with pytest.raises(services.CirculationError, match="на полке свободно 0 экз"):
        services.issue(world.school_a, desk.hist, 1, pupil=desk.pupils[1], day=DAY)
    # Worn copies on the shelf are not handed out either.
    services.return_loans(Loan.objects.all(), "worn", day=DAY)
    assert Stock.objects.get(school=world.school_a, entry=desk.hist).worn == 2
    with pytest.raises(services.CirculationError):
        services.issue(world.school_a, desk.hist, 1, holder="Кабинет 12", kind="cabinet")


def test_teacher_issue_needs_a_holder(world, desk):
    with pytest.raises(services.CirculationError, match="кому выдаётся"):
        services.issue(world.school_a, desk.math, 1, kind="teacher")
    loan = services.issue(world.school_a, desk.math, 3, kind="teacher", holder="Петрова Н. А.")
    assert loan.holder_label == "Петрова Н. А."
    assert loan.pupil is None


def test_writeoff_cannot_take_copies_in_pupils_hands(world, desk):
    services.issue_set(desk.classroom, day=DAY)  # 3 of 10 math out
    act = document(world.school_a, "writeoff", [(desk.math, 8)], number="С-1")
    with pytest.raises(fund.PostingError, match="выданы читателям 3; свободно 7 экз"):
        fund.post(act)
    assert Stock.objects.get(school=world.school_a, entry=desk.math).copies == 10
    fund.post(document(world.school_a, "writeoff", [(desk.math, 7)], number="С-2"))
    assert _free(desk, world)[desk.math.pk] == 0


def test_transfer_agreement_leaves_issued_copies(world, desk):
    from bibliomo.exchange import transfers
    from bibliomo.exchange.models import Transfer

    services.issue_set(desk.classroom, day=DAY)
    t = Transfer.objects.create(
        district=world.district, giver=world.school_a, taker=world.school_b, origin="request",
        number="1",
    )  # fmt: skip
    t.lines.create(entry=desk.math, copies=8)
    with pytest.raises(transfers.TransferError, match="свободно 7 экз"):
        transfers.agree(t, world.librarian)


def test_return_conditions_and_counts(world, desk):
    services.issue_set(desk.classroom, day=DAY)
    a, b, c = desk.pupils
    services.return_loans(Loan.objects.filter(pupil=a), day=dt.date(YEAR + 1, 5, 25))
    services.return_loans(Loan.objects.filter(pupil=b, entry=desk.math), "worn")
    services.return_loans(Loan.objects.filter(pupil=b, entry=desk.hist), "lost")
    assert Stock.objects.get(school=world.school_a, entry=desk.math).worn == 1
    # The lost copy is off the shelf until its act; c still holds math after the date.
    assert _free(desk, world) == {desk.math.pk: 9, desk.hist.pk: 1}
    counts = selectors.counts_by_school([world.school_a.pk], YEAR, today=dt.date(YEAR + 1, 7, 1))
    assert counts[world.school_a.pk] == selectors.Counts(
        issued=5, returned=3, in_hands=1, debt=1, lost=1
    )
    assert (
        selectors.counts_by_school([world.school_a.pk], YEAR, today=DAY)[world.school_a.pk].debt
        == 0
    )
    assert services.accept_all(desk.classroom) == 1
    assert services.return_loans(Loan.objects.filter(pupil=c)) == 0  # nothing left


@pytest.mark.parametrize("replaced", [False, True])
def test_lost_book_settled_through_the_fund(world, desk, replaced):
    services.issue_set(desk.classroom, day=DAY)
    loan = Loan.objects.get(pupil=desk.pupils[0], entry=desk.hist)
    services.return_loans([loan], "lost")
    act, receipt = services.settle_lost(
        world.school_a, [loan], replaced=replaced, number="7", day=dt.date(YEAR + 1, 6, 1),
        user=world.librarian,
    )  # fmt: skip
    act.refresh_from_db()
    assert (act.kind, act.reason, act.status) == ("writeoff", Reason.LOST, "posted")
    assert [(ln.entry_id, ln.copies) for ln in act.lines.all()] == [(desk.hist.pk, 1)]
    loan.refresh_from_db()
    assert (loan.status, loan.document) == (Loan.Status.SETTLED, act)
    held = Stock.objects.get(school=world.school_a, entry=desk.hist).copies
    if replaced:
        assert receipt.source == Source.REPLACEMENT
        assert receipt.is_posted
        assert held == 2
    else:
        assert receipt is None
        assert held == 1
    # One pupil's book holds the other copy: one free only if replaced.
    assert _free(desk, world)[desk.hist.pk] == (1 if replaced else 0)
    with pytest.raises(services.CirculationError):
        services.settle_lost(world.school_a, [loan], replaced=False, number="8")
    assert Document.objects.filter(reason=Reason.LOST).count() == 1


def test_classes_from_enrolment(world, desk):
    Enrolment.objects.create(school=world.school_a, year_id=YEAR, grade=5, classes=2, students=51)
    Enrolment.objects.create(school=world.school_a, year_id=YEAR, grade=6, classes=1, students=20)
    made = services.classes_from_enrolment(world.school_a, YEAR)
    # 5 А exists already; 5 Б and 6 А are new.
    assert sorted((c.name, c.size) for c in made) == [("5 Б", 25), ("6 А", 20)]
    assert services.classes_from_enrolment(world.school_a, YEAR) == []


def test_promotion_moves_pupils_and_leavers_out(world, desk):
    nine, _ = make_class(world.school_a, 9, "А", 2)
    eleven, _ = make_class(world.school_a, 11, "А", 2)
    plan = {s.classroom.name: s.target for s in services.promotion_plan(world.school_a, YEAR)}
    assert plan == {"5 А": 6, "9 А": 10, "11 А": None}
    services.issue_set(desk.classroom, day=DAY)  # a debt stays with the pupil
    made = services.promote(world.school_a, YEAR, {desk.classroom.pk: 6, nine.pk: None,
                                                    eleven.pk: None})  # fmt: skip
    assert [c.name for c in made] == ["6 А"]
    pupil = Pupil.objects.get(pk=desk.pupils[0].pk)
    assert (pupil.classroom.name, pupil.classroom.year_id) == ("6 А", YEAR + 1)
    assert Pupil.objects.filter(left_on__isnull=False).count() == 4
    assert Loan.objects.filter(pupil=pupil, status=Loan.Status.ISSUED).count() == 2
    # An ООШ has no grade 10: its 9th grade leaves.
    world.school_b.kind = "oosh"
    world.school_b.save()
    make_class(world.school_b, 9, "А", 1)
    assert [s.target for s in services.promotion_plan(world.school_b, YEAR)] == [None]


def test_issue_sets_for_a_whole_school_in_few_queries(world, desk, django_assert_max_num_queries):
    classes = [desk.classroom] + [
        make_class(world.school_a, 5, letter, 25)[0] for letter in "БВГДЕ"
    ]
    stock(world.school_a, desk.hist, 200)
    stock(world.school_a, desk.math, 200)
    with django_assert_max_num_queries(15):
        result = services.issue_sets(classes, day=DAY)
    assert result.copies == 2 * (3 + 5 * 25)
    assert not result.short


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_librarians_issuing_the_last_copy(world, desk):
    if connection.vendor != "postgresql":
        pytest.skip("Проверка одновременной выдачи требует PostgreSQL (SELECT … FOR UPDATE)")
    services.issue(world.school_a, desk.hist, 1, pupil=desk.pupils[0])  # one copy left
    _, other_pupils = make_class(world.school_a, 5, "Б", 1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(pupil):
        try:
            barrier.wait()
            services.issue(world.school_a, desk.hist, 1, pupil=pupil)
            outcomes.append("issued")
        except services.CirculationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in (desk.pupils[1], other_pupils[0])]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["issued", "refused"]
    assert fund.free_copies(world.school_a.pk, [desk.hist.pk]) == {desk.hist.pk: 0}
    assert selectors.issued_by_entry(world.school_a.pk)[desk.hist.pk] == 2
    assert Classroom.objects.count() == 2


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_class_set_and_a_writeoff_at_once_never_go_below_zero(world, desk):
    if connection.vendor != "postgresql":
        pytest.skip("Проверка одновременной выдачи требует PostgreSQL (SELECT … FOR UPDATE)")
    act = document(world.school_a, "writeoff", [(desk.math, 8)], number="С-9")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def issue():
        try:
            barrier.wait()
            outcomes.append(f"issued {services.issue_set(desk.classroom).copies}")
        finally:
            connections.close_all()

    def write_off():
        try:
            barrier.wait()
            fund.post(act)
            outcomes.append("written off")
        except fund.PostingError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue), threading.Thread(target=write_off)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    held = Stock.objects.get(school=world.school_a, entry=desk.math).copies
    out = selectors.issued_by_entry(world.school_a.pk).get(desk.math.pk, 0)
    # Whatever the order, the copies out never exceed the balance.
    assert out <= held
    assert held in (2, 10)
    assert len(outcomes) == 2
