from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bibliomo.fund import reports
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, Holding, Reason, Source, Stock
from bibliomo.fund.tests.conftest import document
from bibliomo.stocktake import services
from bibliomo.stocktake.models import CountLine, Stocktake
from bibliomo.stocktake.tests.conftest import count_all, open_campaign


def balance(school, entry, year):
    held = Holding.objects.filter(school=school, entry=entry, receipt_year=year).first()
    return held.copies if held else 0


def test_opening_makes_a_sheet_per_school_from_the_ledger(campaign, world, books):
    st_a = campaign.schools.get(school=world.school_a)
    st_b = campaign.schools.get(school=world.school_b)
    lines = {
        (ln.entry.title, ln.receipt_year): ln.on_books for ln in st_a.lines.select_related("entry")
    }
    assert lines == {("Математика", 2020): 10, ("Математика", 2023): 20,
                     ("История Древнего мира", 2022): 15}  # fmt: skip
    assert st_b.lines.get().on_books == 12
    assert not campaign.schools.filter(school=world.school_other).exists()
    assert all(ln.counted is None for ln in st_a.lines.all())
    # A letter to each school's librarians.
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count(f"Инвентаризация учебного фонда до {campaign.deadline:%d.%m.%Y}") == 2
    assert any("librarian_b@example.org" in m.to for m in mail.outbox)


def test_scope_limits_the_sheet_to_chosen_subjects(world, books):
    campaign = open_campaign(world, subjects=["История"])
    st_a = campaign.schools.get(school=world.school_a)
    assert [ln.entry.title for ln in st_a.lines.select_related("entry")] == [
        "История Древнего мира"
    ]
    assert campaign.schools.get(school=world.school_b).lines.count() == 0
    by_grade = open_campaign(world, name="7 класс", grades=[7])
    assert CountLine.objects.filter(stocktake__campaign=by_grade).count() == 0


def test_campaign_takes_only_its_districts_schools(world, books):
    with pytest.raises(ValidationError):
        open_campaign(world, schools=[world.school_a, world.school_other])


def test_a_stale_save_is_refused_and_shows_the_current_count(st_a, world):
    line = st_a.lines.order_by("pk").first()
    saved = services.save_count(line, counted=9, version=0, user=world.librarian)
    assert saved.version == 1
    assert saved.counted == 9
    assert saved.updated_by == world.librarian
    with pytest.raises(services.StaleCount) as stale:
        services.save_count(line, counted=7, version=0, user=world.head)
    assert stale.value.line.counted == 9
    assert stale.value.line.updated_by == world.librarian
    line.refresh_from_db()
    assert line.counted == 9  # never silently overwritten
    st_a.refresh_from_db()
    assert st_a.status == Stocktake.Status.COUNTING
    assert st_a.started_at


@pytest.mark.parametrize("bad", [-1, "abc", 1_000_000])
def test_bad_counts_are_refused_in_russian(st_a, world, bad):
    line = st_a.lines.first()
    with pytest.raises(ValidationError, match="На полке"):
        services.save_count(line, counted=bad, version=0, user=world.librarian)


def _submit(st, world, values=None):
    count_all(st, values or {}, world.librarian)
    services.save_commission(
        st, "№ 5 от 10.01.2026", "Петрова А. А.\nСидорова Б. Б.", world.librarian
    )
    return services.submit(st, world.librarian)


def test_submit_needs_every_line_and_the_commission(st_a, world):
    with pytest.raises(ValidationError, match="Не посчитано строк: 3"):
        services.submit(st_a, world.librarian)
    count_all(st_a, {}, world.librarian)
    with pytest.raises(ValidationError, match="комиссии"):
        services.submit(st_a, world.librarian)


def test_differences_on_submission_and_nothing_posted_until_accepted(st_a, world, books):
    math, hist = books["math"], books["hist"]
    st = _submit(st_a, world, {("Математика", 2020): 7, ("История Древнего мира", 2022): 17})
    assert st.status == Stocktake.Status.SUBMITTED
    assert (st.shortage_copies, st.surplus_copies) == (3, 2)
    assert st.shortage_sum == Decimal("1650.00")  # 3 × 550
    assert st.surplus_sum == Decimal("800.00")  # 2 × 400
    assert balance(world.school_a, math, 2020) == 10  # the ledger is untouched
    with pytest.raises(ValidationError):
        services.save_count(st.lines.first(), counted=1, version=1, user=world.librarian)
    assert any(m.subject.startswith("Инвентаризация подана") for m in mail.outbox)

    st = services.accept(st, world.head, act_number="И-7", act_date=dt.date(2026, 2, 1))
    assert st.status == Stocktake.Status.ACCEPTED
    assert balance(world.school_a, math, 2020) == 7
    assert balance(world.school_a, math, 2023) == 20
    assert balance(world.school_a, hist, 2022) == 17
    writeoff, receipt = st.writeoff, st.receipt
    assert writeoff.is_posted
    assert writeoff.reason == Reason.NOT_FOUND
    assert [(ln.entry_id, ln.receipt_year, ln.copies) for ln in writeoff.lines.all()] == [
        (math.pk, 2020, 3)
    ]
    assert receipt.is_posted
    assert receipt.source == Source.STOCKTAKE
    assert [(ln.entry_id, ln.receipt_year, ln.copies) for ln in receipt.lines.all()] == [
        (hist.pk, 2022, 2)
    ]
    assert "И-7" in writeoff.basis
    assert writeoff.date == dt.date(2026, 2, 1)
    assert writeoff.history.first().history_user == world.head
    # The counted fund is the fund: the per-entry stock that provision, the exchange and
    # the order read, and both parts of the КСУ.
    assert Stock.objects.get(school=world.school_a, entry=math).copies == 27
    ksu = reports.ksu(world.school_a, 2026)
    assert [(ln.document.get_source_display(), ln.copies) for ln in ksu.receipts] == [
        ("выявлено при инвентаризации", 2)
    ]
    assert [(ln.document.get_reason_display(), ln.copies) for ln in ksu.disposals] == [
        ("не обнаружено при инвентаризации", 3)
    ]


def test_shortage_can_be_written_off_as_loss(st_a, world, books):
    st = _submit(st_a, world, {("Математика", 2023): 18})
    st = services.accept(st, world.head, shortage_reason=Reason.LOST)
    assert st.writeoff.get_reason_display() == "утрата"
    assert st.receipt is None


def test_a_returned_stocktake_changes_nothing(st_a, world, books):
    st = _submit(st_a, world, {("Математика", 2020): 1})
    with pytest.raises(ValidationError):
        services.return_stocktake(st, "  ", world.head)
    st = services.return_stocktake(st, "Пересчитайте математику 2020 года", world.head)
    assert st.status == Stocktake.Status.RETURNED
    assert balance(world.school_a, books["math"], 2020) == 10
    assert not Document.objects.filter(kind="writeoff").exists()
    assert any("Пересчитайте" in m.body for m in mail.outbox)
    with pytest.raises(ValidationError, match="только поданную"):
        services.accept(st, world.head)
    # Counting again is allowed, and so is a new submission.
    line = st.lines.get(entry=books["math"], receipt_year=2020)
    services.save_count(line, counted=10, version=line.version, user=world.librarian)
    assert services.submit(st, world.librarian).shortage_copies == 0


def test_acceptance_against_the_ledger_as_it_is_then(st_a, world, books):
    """A write-off posted after submission is not written off twice."""
    math = books["math"]
    st = _submit(st_a, world, {("Математика", 2020): 6})
    fund.post(document(world.school_a, Document.Kind.WRITEOFF, [(math, 2, 0, 2020)], number="С-1"))
    st = services.accept(st, world.head)
    assert st.shortage_copies == 2
    assert balance(world.school_a, math, 2020) == 6


def test_a_found_batch_is_added_and_received(st_a, world, books):
    phys = books["phys"]
    line = services.add_line(st_a, phys, 2024, 4, world.librarian)
    assert line.is_added
    assert line.on_books == 0
    with pytest.raises(ValidationError, match="уже есть"):
        services.add_line(st_a, phys, 2024, 1, world.librarian)
    st = _submit(st_a, world)
    st = services.accept(st, world.head)
    assert balance(world.school_a, phys, 2024) == 4
    assert st.writeoff is None
    assert st.receipt.lines.get().copies == 4


def test_without_issue_records_the_counter_enters_pupils_copies(st_a, world, no_issue_records):
    assert services.issued_counts(world.school_a) is None
    line = st_a.lines.first()
    saved = services.save_count(line, counted=3, issued=4, version=0, user=world.librarian)
    assert saved.issued == 4


def test_issued_counts_come_from_issue_records(st_a, world, monkeypatch, books):
    from bibliomo.circulation import selectors

    monkeypatch.setattr(selectors, "out_by_entry", lambda school_id: {books["math"].pk: 25})
    assert services.issued_counts(world.school_a) == {books["math"].pk: 25}
    services.fill_issued(st_a)
    issued = {ln.receipt_year: ln.issued for ln in st_a.lines.filter(entry=books["math"])}
    assert issued == {2023: 20, 2020: 5}
    # The records, not the counter, say what pupils hold.
    line = st_a.lines.get(entry=books["math"], receipt_year=2020)
    saved = services.save_count(line, counted=5, issued=0, version=0, user=world.librarian)
    assert saved.issued == 5


def test_reminders_once_a_day_before_the_deadline(world, books):
    campaign = open_campaign(world, deadline=dt.date(2026, 3, 10))
    mail.outbox.clear()
    assert services.send_reminders(today=dt.date(2026, 3, 1)) == 0  # too early
    assert services.send_reminders(today=dt.date(2026, 3, 8)) == 2
    assert services.send_reminders(today=dt.date(2026, 3, 8)) == 0  # once a day
    st = campaign.schools.get(school=world.school_a)
    _submit(st, world)
    assert services.send_reminders(today=dt.date(2026, 3, 9)) == 1
    assert "ещё не подана" in mail.outbox[-1].body


def test_closing_the_campaign_closes_accepted_stocktakes(st_a, campaign, world):
    st = services.accept(_submit(st_a, world), world.head)
    assert services.close_campaign(campaign, world.head) == 1
    st.refresh_from_db()
    assert st.status == Stocktake.Status.CLOSED
    other = campaign.schools.get(school=world.school_b)
    with pytest.raises(ValidationError, match="завершена"):
        services.save_count(other.lines.first(), counted=1, version=0, user=world.librarian_b)


def test_reminder_command(world, books):
    from io import StringIO

    from django.core.management import call_command

    open_campaign(world, deadline=dt.date.today() + dt.timedelta(days=2))
    out = StringIO()
    call_command("send_stocktake_reminders", stdout=out)
    assert "Напоминаний поставлено в очередь: 2." in out.getvalue()


def test_a_count_arriving_after_submission_is_refused(st_a, world):
    stale_view = Stocktake.objects.select_related("campaign").get(pk=st_a.pk)  # read before
    _submit(st_a, world)
    line = CountLine.objects.filter(stocktake=st_a).first()
    line.stocktake = stale_view  # the page still thinks the sheet is open
    with pytest.raises(ValidationError, match="подана"):
        services.save_count(line, counted=99, version=line.version, user=world.librarian)
    line.refresh_from_db()
    assert line.counted != 99


def test_books_lost_by_pupils_are_off_the_shelf_not_a_shortage(world, books):
    """7 copies of math are off the shelf: 5 with a teacher, 2 lost and awaiting their
    loss act. The count finds 12 of the 13 left of the 2023 batch: the shortage is that
    one copy, its write-off is posted, and the lost ones are still the loss act's."""
    from bibliomo.circulation import services as circulation
    from bibliomo.circulation.models import Loan

    math = books["math"]
    circulation.issue(world.school_a, math, 5, kind=Loan.Kind.TEACHER, holder="Иванова И. И.")
    lost = circulation.issue(world.school_a, math, 2, kind=Loan.Kind.CABINET, holder="5 А")
    circulation.return_loans([lost], Loan.Condition.LOST)
    st = open_campaign(world).schools.get(school=world.school_a)
    issued = {ln.receipt_year: ln.issued for ln in st.lines.filter(entry=math)}
    assert issued == {2023: 7, 2020: 0}
    st = _submit(st, world, {("Математика", 2023): 12})
    assert (st.shortage_copies, st.surplus_copies) == (1, 0)
    st = services.accept(st, world.head)
    assert [(ln.receipt_year, ln.copies) for ln in st.writeoff.lines.all()] == [(2023, 1)]
    assert balance(world.school_a, math, 2023) == 19
    lost.refresh_from_db()
    assert lost.status == Loan.Status.LOST
    act, _ = circulation.settle_lost(world.school_a, [lost], replaced=False, number="У-1")
    assert act.is_posted
    assert balance(world.school_a, math, 2020) + balance(world.school_a, math, 2023) == 27


def test_a_copy_counted_in_the_wrong_year_is_posted_whatever_is_off_the_shelf(world, books):
    """All but 2 copies of the 2020 batch are with pupils, and the counter wrote the 2
    left on the shelf into the 2023 line: a shortage of 2 in 2020 and a surplus of 2 in
    2023. The surplus is received first, so the write-off finds its free copies."""
    from bibliomo.circulation import services as circulation
    from bibliomo.circulation.models import Loan

    math = books["math"]
    circulation.issue(world.school_a, math, 28, kind=Loan.Kind.CABINET, holder="5 А")
    st = open_campaign(world).schools.get(school=world.school_a)
    st = _submit(st, world, {("Математика", 2020): 0, ("Математика", 2023): 2})
    assert (st.shortage_copies, st.surplus_copies) == (2, 2)
    st = services.accept(st, world.head)
    assert st.writeoff.is_posted and st.receipt.is_posted
    assert balance(world.school_a, math, 2020) == 8
    assert balance(world.school_a, math, 2023) == 22


def _submit_both(campaign, world, values_a=None, values_b=None):
    st_a = _submit(campaign.schools.get(school=world.school_a), world, values_a)
    st_b = campaign.schools.get(school=world.school_b)
    count_all(st_b, values_b or {}, world.librarian_b)
    services.save_commission(st_b, "№ 2", "Иванова В. В.", world.librarian_b)
    return st_a, services.submit(st_b, world.librarian_b)


def test_many_schools_accepted_at_once(campaign, world, books):
    math = books["math"]
    st_a, st_b = _submit_both(
        campaign, world, {("Математика", 2020): 8}, {("Математика", 2021): 13}
    )
    accepted = services.accept_many(
        campaign.schools.all(), world.head, act_date=dt.date(2026, 2, 2)
    )
    assert [st.school for st in accepted] == [world.school_a, world.school_b]
    st_a.refresh_from_db()
    st_b.refresh_from_db()
    assert st_a.status == st_b.status == Stocktake.Status.ACCEPTED
    assert st_a.accepted_by == st_b.accepted_by == world.head
    assert (st_a.act_number, st_a.act_date) == (f"ИНВ-{st_a.pk}", dt.date(2026, 2, 2))
    assert st_a.writeoff.is_posted and st_a.writeoff.posted_by == world.head
    assert st_b.receipt.is_posted and st_b.writeoff is None
    assert balance(world.school_a, math, 2020) == 8
    assert balance(world.school_b, math, 2021) == 13


def test_accepting_many_is_all_or_nothing(campaign, world, books):
    """School B's 12 copies: 10 counted, then 11 handed to a teacher before the head
    accepts — only 1 is free, so its shortage of 2 cannot be written off. School A's
    acceptance, which would post, is undone with it, and the error names the school."""
    from bibliomo.circulation import services as circulation
    from bibliomo.circulation.models import Loan

    math = books["math"]
    st_a, st_b = _submit_both(
        campaign, world, {("Математика", 2020): 8}, {("Математика", 2021): 10}
    )
    circulation.issue(world.school_b, math, 11, kind=Loan.Kind.TEACHER, holder="Иванова И. И.")
    documents = Document.objects.count()
    with pytest.raises(ValidationError) as error:
        services.accept_many([st_a, st_b], world.head)
    assert error.value.messages[0].startswith("«Луговская СОШ»: Нельзя списать 2 экз.")
    assert len(error.value.messages) == 1
    assert Document.objects.count() == documents
    assert balance(world.school_a, math, 2020) == 10
    assert set(campaign.schools.values_list("status", flat=True)) == {"submitted"}
    # A sheet not handed in is named too.
    services.return_stocktake(st_b, "Пересчитайте математику", world.head)
    with pytest.raises(ValidationError, match="«Луговская СОШ»: опись возвращена"):
        services.accept_many([st_a, st_b], world.head)
    assert Document.objects.count() == documents
