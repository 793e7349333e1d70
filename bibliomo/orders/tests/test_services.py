from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from bibliomo.fund import services as fund
from bibliomo.fund.models import Holding
from bibliomo.fund.tests.conftest import document
from bibliomo.lib import tables
from bibliomo.orders import monitoring, services
from bibliomo.orders.models import OrderLine, PriceList, SchoolOrder
from bibliomo.orders.tests.conftest import TARGET


def _open(scenario, **kw):
    w = scenario.world
    return services.open_campaign(
        w.district, TARGET, kw.pop("deadline", dt.date(2099, 3, 31)), user=w.head, **kw
    )


def _lines(campaign, school):
    order = campaign.orders.get(school=school)
    return {ln.entry.number: ln for ln in order.lines.select_related("entry")}


def test_prefill_every_rule_by_hand(scenario):
    campaign = _open(scenario)
    w, e = scenario.world, scenario.entries
    assert campaign.orders.count() == 2  # both active schools of the district, not the other's
    lines = _lines(campaign, w.school_a)
    got = {
        k: (ln.students, ln.need, ln.usable, ln.quantity, ln.reason, ln.grades)
        for k, ln in lines.items()
    }
    assert got == {
        e["math5"].number: (25, 25, 20, 5, "growth", "5"),
        e["hist5new"].number: (25, 25, 0, 25, "expired", "5"),
        e["phys10"].number: (37, 37, 28, 9, "growth", "10, 11"),
        e["read3"].number: (22, 22, 19, 3, "lost", "3"),
        e["geo6"].number: (20, 20, 25, 0, "", "6"),
    }
    assert all(ln.computed == ln.quantity for ln in lines.values())
    # The Federal list's price is the default price.
    assert lines[e["math5"].number].price == Decimal("500.00")
    assert lines[e["math5"].number].total == Decimal("2500.00")
    order = campaign.orders.get(school=w.school_b)
    assert order.lines.count() == 0
    assert order.progress == "not_started"


def test_a_schools_line_carries_no_reserve(scenario):
    # The campaign's 10 % is the district's: added on the consolidated total, not here.
    campaign = _open(scenario, reserve_percent=10)
    lines = _lines(campaign, scenario.world.school_a)
    math = lines[scenario.entries["math5"].number]
    assert (math.need, math.reserve, math.usable, math.quantity) == (25, 0, 20, 5)
    geo = lines[scenario.entries["geo6"].number]
    assert (geo.reserve, geo.quantity) == (0, 0)


def test_reserve_once_on_the_district_total_per_entry(scenario):
    w, e = scenario.world, scenario.entries
    campaign = _open(scenario, reserve_percent=2)
    order_a = campaign.orders.get(school=w.school_a)
    order_b = campaign.orders.get(school=w.school_b)
    # Математика: 5 copies for school A, 296 for school B — 301 in all.
    services.add_entry(order_b, e["math5"], 296, "other", "новый корпус")
    services.submit(order_a)
    services.submit(order_b)
    data = services.consolidated(campaign)
    rows = {r.entry.number: r for _, items in data.publishers for r in items}
    math = rows[e["math5"].number]
    # 2 % of 301 = 6.02 → 7 once; Всего 308 at 500 руб.
    assert (math.for_schools, math.reserve, math.quantity) == (301, 7, 308)
    assert math.total == Decimal("154000.00")
    # История 25 → 0.5 → 1; Физика 9 → 1; Литературное чтение 3 → 1.
    assert rows[e["hist5new"].number].reserve == 1
    assert (data.for_schools, data.reserve) == (301 + 25 + 9 + 3, 7 + 1 + 1 + 1)
    assert data.quantity == data.for_schools + data.reserve
    book = tables.workbook(services.consolidated_sheets(campaign))
    buf = io.BytesIO()
    book.save(buf)
    sheets = load_workbook(io.BytesIO(buf.getvalue())).worksheets
    table = [list(r) for r in sheets[0].iter_rows(values_only=True)]
    header = next(r for r in table if r and r[0] == "Издатель")
    assert header[7:10] == ["Школам, экз.", "Резерв, экз.", "Всего, экз."]
    math_row = next(r for r in table if r[1] == e["math5"].number)
    assert math_row[5:12] == [5, 296, 301, 7, 308, 500.0, 154000.0]
    assert table[-1][7:10] == [338, 10, 348]
    by_school = [list(r) for r in sheets[1].iter_rows(values_only=True)]
    reserve = [r for r in by_school if r[0] == "Резерв района"]
    assert [(r[1], r[4]) for r in reserve if r[1] == e["math5"].number] == [(e["math5"].number, 7)]
    assert sum(r[4] for r in by_school if isinstance(r[4], int)) == 348
    # The monitoring forms still report the schools' real shortfall only.
    _, form_rows = _form(campaign, 3, [w.school_a])
    assert form_rows[-1][8] == 5 + 25 + 9 + 3


def test_exchange_in_and_out_change_the_lines(scenario, monkeypatch):
    a, e = scenario.world.school_a, scenario.entries

    def flows(school_ids, year):
        return {(a.pk, e["math5"].pk): 3}, {(a.pk, e["geo6"].pk): 8}

    monkeypatch.setattr(services.prefilling, "exchange_flows", flows)
    lines = _lines(_open(scenario), a)
    math = lines[e["math5"].number]
    assert (math.incoming, math.quantity) == (3, 2)  # 25 − 20 − 3
    geo = lines[e["geo6"].number]
    # 25 held, 8 promised → 17 for 20 students → 3 to buy.
    assert (geo.promised, geo.quantity, geo.reason) == (8, 3, "other")


def test_change_needs_reason_and_note(scenario):
    campaign = _open(scenario)
    w = scenario.world
    line = _lines(campaign, w.school_a)[scenario.entries["math5"].number]
    with pytest.raises(ValidationError) as exc:
        services.update_line(line, quantity=7, reason="growth", note="", user=w.librarian)
    assert "поясните" in str(exc.value)
    services.update_line(line, quantity=7, reason="growth", note="ещё класс", user=w.librarian)
    line.refresh_from_db()
    assert (line.quantity, line.computed, line.is_changed) == (7, 5, True)
    assert line.history.first().history_user == w.librarian
    order = line.order
    order.refresh_from_db()
    assert order.progress == "draft"


def test_recompute_keeps_changed_quantities(scenario):
    campaign = _open(scenario)
    w, e = scenario.world, scenario.entries
    lines = _lines(campaign, w.school_a)
    services.update_line(lines[e["math5"].number], quantity=9, reason="other", note="запас")
    services.recompute(lines[e["math5"].number].order)
    fresh = _lines(campaign, w.school_a)
    assert fresh[e["math5"].number].quantity == 9
    assert fresh[e["phys10"].number].quantity == 9


def test_a_step_reads_the_order_afresh_under_a_lock(scenario):
    campaign = _open(scenario)
    w = scenario.world
    order = campaign.orders.get(school=w.school_a)
    services.submit(order, w.librarian)
    first, second = SchoolOrder.objects.get(pk=order.pk), SchoolOrder.objects.get(pk=order.pk)
    services.approve(first, w.department)
    sent = len(mail.outbox)
    # The second page was opened before the approval: its order still says «submitted».
    with pytest.raises(ValidationError, match="только поданный заказ"):
        services.approve(second, w.department)
    assert second.status == "approved"
    assert len(mail.outbox) == sent  # one approval, one letter
    # Asking to reopen changes the request only: the order stays approved until the head
    # decides.
    services.request_reopen(first, "Добавить физику", w.librarian)
    stored = SchoolOrder.objects.get(pk=order.pk)
    assert stored.status == "approved"
    assert stored.reopen_request == "Добавить физику"


def test_workflow_submit_return_resubmit_approve(scenario):
    campaign = _open(scenario)
    w = scenario.world
    order = campaign.orders.get(school=w.school_a)
    services.submit(order, w.librarian)
    assert order.status == "submitted"
    with pytest.raises(ValidationError):
        services.update_line(order.lines.first(), quantity=1, reason="other", note="x")
    with pytest.raises(ValidationError):
        services.return_order(order, "  ", w.department)
    services.return_order(order, "Проверьте физику", w.department)
    assert order.status == "returned"
    assert order.comment == "Проверьте физику"
    assert "Проверьте физику" in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["librarian@example.org", "head@example.org"] or set(
        mail.outbox[-1].to
    ) == {"librarian@example.org", "head@example.org"}
    services.submit(order, w.librarian)
    services.approve(order, w.department)
    order.refresh_from_db()
    assert order.status == "approved"
    assert order.comment == ""
    with pytest.raises(ValidationError):
        services.approve(order, w.department)


def test_deadline_blocks_submission_until_head_reopens(scenario):
    campaign = _open(scenario, deadline=dt.date(2020, 3, 1))
    w = scenario.world
    order = campaign.orders.get(school=w.school_a)
    with pytest.raises(ValidationError) as exc:
        services.submit(order, w.librarian)
    assert "01.03.2020" in str(exc.value)
    services.reopen(order, w.head)
    services.submit(order, w.librarian)
    order.refresh_from_db()
    assert order.status == "submitted"
    assert not order.reopened


def test_add_and_remove_entries(scenario):
    campaign = _open(scenario)
    order = campaign.orders.get(school=scenario.world.school_b)
    line = services.add_entry(order, scenario.entries["math5"], 4, "other", "для кружка")
    assert line.is_manual
    assert line.price == Decimal("500.00")
    with pytest.raises(ValidationError):
        services.add_entry(order, scenario.entries["math5"], 4, "other")
    services.remove_line(line)
    assert order.lines.count() == 0


def _xlsx(rows) -> SimpleUploadedFile:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("prices.xlsx", buf.getvalue())


def test_price_list_by_number_and_isbn_updates_draft_orders(scenario):
    e = scenario.entries
    e["phys10"].isbn = "978-5-09-087654-3"
    e["phys10"].save()
    campaign = _open(scenario)
    services.import_price_list(
        scenario.world.district,
        _xlsx(
            [
                ["Порядковый номер", "ISBN", "Наименование", "Цена, руб."],
                [e["math5"].number + ".", "", "Математика", 612.5],
                ["", "9785090876543", "Физика", "1 020,00"],
            ]
        ),
        "Просвещение 2026",
    )
    lines = _lines(campaign, scenario.world.school_a)
    assert lines[e["math5"].number].price == Decimal("612.50")
    assert lines[e["phys10"].number].price == Decimal("1020.00")
    assert lines[e["phys10"].number].total == Decimal("9180.00")


def test_bad_price_list_names_rows_and_saves_nothing(scenario):
    e = scenario.entries
    with pytest.raises(ValidationError) as exc:
        services.import_price_list(
            scenario.world.district,
            _xlsx(
                [
                    ["Порядковый номер", "Цена"],
                    [e["math5"].number, 100],
                    ["9.9.9.9", 100],
                    [e["geo6"].number, "дорого"],
                ]
            ),
            "x",
        )
    messages = exc.value.messages
    assert "Строка 3, столбец A: номер «9.9.9.9» не найден в федеральном перечне." in messages
    assert any(m.startswith("Строка 4, столбец B: «дорого»") for m in messages)
    assert PriceList.objects.count() == 0
    with pytest.raises(ValidationError, match="не является книгой Excel"):
        services.import_price_list(
            scenario.world.district, SimpleUploadedFile("p.xlsx", b"not a zip"), "x"
        )
    with pytest.raises(ValidationError, match="заголовки"):
        services.import_price_list(scenario.world.district, _xlsx([["a", "b"], [1, 2]]), "x")


def test_consolidated_order_by_publisher_and_school(scenario):
    w, e = scenario.world, scenario.entries
    campaign = _open(scenario)
    order_a = campaign.orders.get(school=w.school_a)
    order_b = campaign.orders.get(school=w.school_b)
    services.add_entry(order_b, e["math5"], 4, "other", "кружок")
    services.submit(order_a)
    services.submit(order_b)
    data = services.consolidated(campaign)
    publishers = dict(data.publishers)
    assert set(publishers) == {"Дрофа", "Просвещение"}
    math = next(r for r in publishers["Просвещение"] if r.entry.pk == e["math5"].pk)
    assert math.per_school == {w.school_a.pk: 5, w.school_b.pk: 4}
    assert math.total == Decimal("4500.00")  # 9 × 500
    assert data.quantity == 5 + 25 + 9 + 3 + 4
    book = tables.workbook(services.consolidated_sheets(campaign))
    buf = io.BytesIO()
    book.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[4]  # caption, district, year and date of printing, an empty row
    assert header[5:7] == ["Каменская СОШ № 1", "Луговская СОШ"]
    math_row = next(r for r in rows if r[1] == e["math5"].number)
    # No reserve in this campaign: Школам = Всего.
    assert math_row[5:12] == [5, 4, 9, None, 9, 500.0, 4500.0]
    assert rows[-1][0] == "Итого"
    assert rows[-1][9] == data.quantity


def test_drafts_stay_out_of_the_consolidated_order(scenario):
    campaign = _open(scenario)
    assert services.consolidated(campaign).quantity == 0


def _form(campaign, number, schools):
    book = monitoring.monitoring_workbook(campaign, number, schools)
    buf = io.BytesIO()
    book.save(buf)
    ws = load_workbook(io.BytesIO(buf.getvalue())).worksheets[0]
    return ws, [list(r) for r in ws.iter_rows(values_only=True) if any(r)]


def test_form_1_expiry_only(scenario):
    campaign = _open(scenario)
    a = scenario.world.school_a
    ws, rows = _form(campaign, 1, [a])
    assert ws.column_dimensions["A"].hidden
    data = [r[3:] for r in rows if r[2] == a.full_name]
    assert data == [["История", 5, 25, 0, 25]]
    assert rows[-1][0] == "Итого"
    assert rows[-1][5:] == [25, 0, 25]


def test_form_3_per_subject_and_grade(scenario):
    campaign = _open(scenario)
    a = scenario.world.school_a
    _, rows = _form(campaign, 3, [a, scenario.world.school_b])
    data = {(r[3], r[4]): r[5:] for r in rows if r[2] == a.full_name}
    # Physics 10–11: 28 usable copies go to grade 10 (20) first, 8 to grade 11 (17 students).
    assert data[("Физика", 10)] == [18, 20, 20, 0, None]
    assert data[("Физика", 11)] == [15, 17, 8, 9, "увеличение контингента"]
    assert data[("Литературное чтение", 3)] == [22, 22, 19, 3, "утрата"]
    assert data[("История", 5)] == [
        20, 25, 0, 25, "иное (истечение предельного срока использования)"
    ]  # fmt: skip
    assert data[("География", 6)] == [20, 20, 25, 0, None]
    totals = rows[-1]
    assert totals[0] == "Итого"
    assert totals[8] == 5 + 25 + 9 + 3


def test_form_4_writeoffs_of_the_previous_calendar_year(scenario):
    w, e = scenario.world, scenario.entries
    campaign = _open(scenario)  # the order for 2026/2027 → write-offs of 2025
    a = w.school_a
    for day, reason, copies in [
        (dt.date(2025, 6, 10), "worn", 2),  # June: in the calendar year 2025
        (dt.date(2024, 12, 30), "defective", 5),  # 2024: not in this form
        (dt.date(2026, 1, 15), "expired", 4),  # 2026: next year's form
    ]:
        lines = [(e["geo6"], copies, Decimal("400.00"), 2021)]
        fund.post(document(a, "writeoff", lines, reason=reason, date=day))
    ws, rows = _form(campaign, 4, [a])
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows
    header = next(r for r in rows if r[0] == "Орган управления образованием")
    assert header[3:] == ["Лет использования", "Списано, шт.", "Причина", "Сумма, тыс. руб."]
    # read3: 3 copies received in 2023, lost on 10.11.2025 at 700 ₽ → 2 years, 2,1 thousand;
    # geo6: 2 copies of 2021 at 400 ₽, worn on 10.06.2025 → 4 years, 0,8 thousand.
    data = [r[3:] for r in rows if r[2] == a.full_name]
    assert data == [[2, 3, "утрата", 2.1], [4, 2, "иное (ветхость)", 0.8]]
    assert rows[-1][0] == "Итого"
    assert rows[-1][4] == 5
    assert rows[-1][6] == 2.9


def test_form_4_counts_copies_not_found_at_the_stocktake_as_lost():
    assert monitoring.writeoff_reason("not_found") == "утрата"
    assert monitoring.writeoff_reason("worn") == "иное (ветхость)"


def test_delivery_partial_then_rest(scenario):
    w, e = scenario.world, scenario.entries
    campaign = _open(scenario)
    order = campaign.orders.get(school=w.school_a)
    services.submit(order)
    services.approve(order)
    line = order.lines.get(entry=e["math5"])
    with pytest.raises(ValidationError):
        services.create_delivery(order, {line.pk: 6}, number="1", date=dt.date(2026, 7, 1))
    services.create_delivery(order, {line.pk: 3}, number="Н-1", date=dt.date(2026, 7, 1))
    assert services.received(order) == {e["math5"].pk: 3}
    services.create_delivery(order, {line.pk: 2}, number="Н-2", date=dt.date(2026, 8, 1))
    held = Holding.objects.get(school=w.school_a, entry=e["math5"], receipt_year=2026)
    assert held.copies == 5
    with pytest.raises(ValidationError):
        services.create_delivery(order, {line.pk: 1}, number="Н-3", date=dt.date(2026, 8, 2))


def test_delivery_needs_approved_order(scenario):
    campaign = _open(scenario)
    order = campaign.orders.get(school=scenario.world.school_a)
    line = order.lines.first()
    with pytest.raises(ValidationError, match="утверждённому"):
        services.create_delivery(order, {line.pk: 1}, number="1", date=dt.date(2026, 7, 1))


def test_reminders_once_a_day_before_deadline(scenario):
    w = scenario.world
    campaign = _open(scenario, deadline=dt.date(2026, 3, 20))
    order_a = campaign.orders.get(school=w.school_a)
    services.submit(order_a, today=dt.date(2026, 3, 1))
    mail.outbox.clear()
    assert services.send_reminders(today=dt.date(2026, 3, 10)) == 0  # too early
    assert services.send_reminders(today=dt.date(2026, 3, 18)) == 1  # school B only
    assert mail.outbox[0].to == ["librarian_b@example.org"]
    assert "20.03.2026" in mail.outbox[0].subject
    assert services.send_reminders(today=dt.date(2026, 3, 18)) == 0  # once a day
    assert services.send_reminders(today=dt.date(2026, 3, 21)) == 0  # after the deadline


def test_lines_unique_per_entry(scenario):
    campaign = _open(scenario)
    assert OrderLine.objects.filter(order__campaign=campaign).count() == 5
    assert SchoolOrder.objects.filter(campaign=campaign).count() == 2


def test_reminder_command(scenario, capsys):
    from django.core.management import call_command

    services.open_campaign(scenario.world.district, TARGET, dt.date.today(), user=None)
    call_command("send_order_reminders")
    assert "Напоминаний поставлено в очередь: 2." in capsys.readouterr().out
    assert len(mail.outbox) == 2


def _transfer(w, giver, taker, entry, copies, status, kind="permanent", **extra):
    from bibliomo.exchange.models import Transfer, TransferLine

    t = Transfer.objects.create(
        district=w.district, giver=giver, taker=taker, kind=kind, status=status,
        origin="request", **extra,
    )  # fmt: skip
    TransferLine.objects.create(
        transfer=t, entry=entry, copies=copies, received=extra.get("received_copies")
    )
    return t


def test_exchange_transfers_count_as_incoming_and_promised(scenario):
    """Hand-computed: A is short of math5 by 5 and holds 5 spare geo6; B gives A 3 math5
    (agreed) and lends 1 more (temporary, received, due back after the target year); A
    promised 4 geo6 to B (shipped); a proposed transfer and a permanent received one (already
    in the ledger) change nothing."""
    w, e = scenario.world, scenario.entries
    a, b = w.school_a, w.school_b
    _transfer(w, b, a, e["math5"], 3, "agreed")
    _transfer(w, b, a, e["math5"], 1, "received", kind="temporary",
              return_date=dt.date(TARGET + 1, 6, 1))  # fmt: skip
    _transfer(
        w, b, a, e["math5"], 1, "received", kind="temporary", return_date=dt.date(TARGET, 6, 1)
    )  # fmt: skip  — due back before the year
    _transfer(w, b, a, e["math5"], 9, "proposed")
    _transfer(w, b, a, e["math5"], 9, "received")  # permanent: the ledger shows it
    _transfer(w, a, b, e["geo6"], 4, "shipped")
    incoming, promised = services.exchange_flows([a.pk, b.pk], TARGET)
    assert incoming == {(a.pk, e["math5"].pk): 4, (b.pk, e["geo6"].pk): 4}
    assert promised == {(b.pk, e["math5"].pk): 4, (a.pk, e["geo6"].pk): 4}
    lines = _lines(_open(scenario), a)
    math = lines[e["math5"].number]
    assert (math.incoming, math.quantity) == (4, 1)  # 25 − 20 − 4
    geo = lines[e["geo6"].number]
    assert (geo.promised, geo.quantity) == (4, 0)  # 25 − 4 = 21 ≥ 20


def test_forms_leave_the_order_reserve_out(scenario):
    """With a 10 % reserve the forms still report the real shortfall only."""
    campaign = _open(scenario, reserve_percent=10)
    a = scenario.world.school_a
    lines = _lines(campaign, a)
    # math5: need 25, usable 20 → the order line and the form ask for 5; the reserve is
    # added on the district's consolidated total only.
    assert lines[scenario.entries["math5"].number].quantity == 5
    _, rows = _form(campaign, 3, [a])
    data = {(r[3], r[4]): r[5:] for r in rows if r[2] == a.full_name}
    assert data[("Математика", 5)] == [20, 25, 20, 5, "увеличение контингента"]
    # География: 25 usable for 20 students; the reserve alone gives no row a reason.
    assert data[("География", 6)] == [20, 20, 25, 0, None]
    assert rows[-1][8] == 5 + 25 + 9 + 3
