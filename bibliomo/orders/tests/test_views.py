from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from bibliomo.accounts.models import ApiToken
from bibliomo.directory.models import School
from bibliomo.fund.models import Holding
from bibliomo.orders import services
from bibliomo.orders.models import OrderCampaign, OrderLine, PriceList, SchoolOrder
from bibliomo.orders.tests.conftest import TARGET


@pytest.fixture
def campaign(scenario) -> OrderCampaign:
    w = scenario.world
    return services.open_campaign(w.district, TARGET, dt.date(2099, 3, 31), user=w.head)


def _order(campaign, school) -> SchoolOrder:
    return campaign.orders.get(school=school)


def lines_data(*rows, then: str = "") -> dict:
    """The order table as the page posts it: one formset of (line, changed fields)."""
    data = {"lines-TOTAL_FORMS": len(rows), "lines-INITIAL_FORMS": len(rows)}
    if then:
        data["then"] = then
    for i, (line, values) in enumerate(rows):
        line.refresh_from_db()
        fields = {
            "line": line.pk,
            "quantity": line.quantity,
            "reason": line.reason,
            "note": line.note,
            "price": "" if line.price is None else str(line.price),
            **values,
        }
        data.update({f"lines-{i}-{k}": v for k, v in fields.items() if v is not False})
    return data


def test_department_opens_a_campaign_from_the_page(scenario, login):
    w = scenario.world
    client = login(w.department)
    response = client.post(
        reverse("orders:campaign_create"),
        {"target_year": "", "deadline": "2099-03-31", "reserve_percent": "5", "note": ""},
    )
    assert response.status_code == 200  # no year chosen
    from django.utils import timezone

    from bibliomo.lib import years

    year = years.start_year_for(timezone.localdate()) + 1
    response = client.post(
        reverse("orders:campaign_create"),
        {"target_year": year, "deadline": "2099-03-31", "reserve_percent": "5", "note": "Весна"},
    )
    campaign = OrderCampaign.objects.get()
    assert response.status_code == 302
    assert response.url == campaign.get_absolute_url()
    assert campaign.orders.count() == 2
    assert campaign.created_by == w.department
    assert campaign.history.first().history_user == w.department


def test_librarian_edits_submits_department_returns_and_approves(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    line = order.lines.get(entry=e["math5"])
    client = login(w.librarian)
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Сохранить и подать заказ" in page
    assert e["math5"].title in page
    url = reverse("orders:lines_save", args=[order.pk])
    other = order.lines.exclude(pk=line.pk).filter(computed__gt=0).first()
    # A changed quantity without an explanation is refused; nothing is saved, not even a
    # correct line of the same table, and the page keeps what was typed.
    response = client.post(
        url,
        lines_data(
            (line, {"quantity": 8, "reason": "growth", "note": ""}),
            (other, {"quantity": other.computed + 1, "reason": "lost", "note": "потеряли"}),
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "поясните" in page
    assert 'value="потеряли"' in page
    line.refresh_from_db()
    other.refresh_from_db()
    assert line.quantity == 5
    assert other.note == ""
    # Both lines in one save.
    response = client.post(
        url,
        lines_data(
            (line, {"quantity": 8, "reason": "growth", "note": "новый класс"}),
            (other, {"quantity": other.computed + 1, "reason": "lost", "note": "потеряли"}),
        ),
    )
    assert response.status_code == 302
    line.refresh_from_db()
    other.refresh_from_db()
    assert (line.quantity, line.note, line.price_typed) == (8, "новый класс", False)
    assert other.note == "потеряли"
    # A price typed the Russian way, with a space and a comma.
    client.post(url, lines_data((line, {"price": "1 040,50"})))
    line.refresh_from_db()
    assert line.price_typed
    assert str(line.price) == "1040.50"
    assert "1\u00a0040,50" in client.get(order.get_absolute_url()).content.decode()
    client.post(url, lines_data((line, {"price": "480"}), then="submit"))
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.status == "submitted"
    assert str(line.price) == "480.00"
    # Submitted: the librarian can no longer change lines.
    client.post(url, lines_data((line, {"quantity": 1, "reason": "other", "note": "x"})))
    line.refresh_from_db()
    assert line.quantity == 8
    # The librarian cannot approve her own order.
    assert client.post(reverse("orders:approve", args=[order.pk])).status_code == 403
    dept = login(w.department)
    dept.post(reverse("orders:return", args=[order.pk]), {"comment": "Уточните физику"})
    order.refresh_from_db()
    assert order.status == "returned"
    page = login(w.librarian).get(order.get_absolute_url()).content.decode()
    assert "Уточните физику" in page
    login(w.librarian).post(reverse("orders:submit", args=[order.pk]))
    login(w.department).post(reverse("orders:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "approved"
    history = list(order.history.order_by("history_date").values_list("status", flat=True))
    assert history[-4:] == ["submitted", "returned", "submitted", "approved"]


def test_librarian_of_another_school_can_neither_see_nor_change(campaign, scenario, login):
    w = scenario.world
    order = _order(campaign, w.school_a)
    line = order.lines.first()
    client = login(w.librarian_b)
    assert client.get(order.get_absolute_url()).status_code == 403
    data = lines_data((line, {"quantity": 99, "reason": "other", "note": "x"}))
    response = client.post(reverse("orders:lines_save", args=[order.pk]), data)
    assert response.status_code == 403
    assert client.post(reverse("orders:submit", args=[order.pk])).status_code == 403
    removal = lines_data((line, {"remove": "on"}))
    assert client.post(reverse("orders:lines_save", args=[order.pk]), removal).status_code == 403
    line.refresh_from_db()
    assert line.quantity != 99
    outsider = login(w.outsider)
    assert outsider.get(order.get_absolute_url()).status_code == 404
    assert outsider.post(reverse("orders:submit", args=[order.pk])).status_code == 404
    # The department reads but does not edit a school's order.
    dept = login(w.department)
    assert dept.get(order.get_absolute_url()).status_code == 200
    response = dept.post(reverse("orders:lines_save", args=[order.pk]), data)
    assert response.status_code == 403
    # A line of another school's order cannot be slipped into one's own table.
    own = _order(campaign, w.school_b)
    response = login(w.librarian_b).post(reverse("orders:lines_save", args=[own.pk]), data)
    assert response.status_code == 404


def test_deadline_and_head_reopening_through_pages(campaign, scenario, login):
    w = scenario.world
    campaign.deadline = dt.date(2020, 1, 1)
    campaign.save()
    order = _order(campaign, w.school_a)
    client = login(w.librarian)
    assert "Сохранить и подать" not in client.get(order.get_absolute_url()).content.decode()
    client.post(reverse("orders:submit", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "draft"
    assert client.post(reverse("orders:reopen", args=[order.pk])).status_code == 403
    login(w.head).post(reverse("orders:reopen", args=[order.pk]))
    login(w.librarian).post(reverse("orders:submit", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "submitted"


def test_add_and_remove_entry_through_pages(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_b)
    client = login(w.librarian_b)
    client.post(
        reverse("orders:line_add", args=[order.pk]),
        {"entry": e["geo6"].number + ".", "quantity": 3, "reason": "lost", "note": ""},
    )
    line = order.lines.get()
    assert (line.entry, line.quantity, line.is_manual) == (e["geo6"], 3, True)
    response = client.post(
        reverse("orders:line_add", args=[order.pk]),
        {"entry": "7.7.7", "quantity": 3, "reason": "lost"},
    )
    assert response.status_code == 400
    assert "нет учебника с номером 7.7.7" in response.content.decode()
    # By title, as the picker's suggestion or the words alone.
    client.post(
        reverse("orders:line_add", args=[order.pk]),
        {"entry": e["math5"].title, "quantity": 2, "reason": "lost"},
    )
    assert order.lines.filter(entry=e["math5"], quantity=2).exists()
    client.post(reverse("orders:lines_save", args=[order.pk]), lines_data((line, {"remove": "on"})))
    assert list(order.lines.values_list("entry", flat=True)) == [e["math5"].pk]


def test_school_asks_to_reopen_and_head_gives_the_order_back(campaign, scenario, login):
    w = scenario.world
    order = _order(campaign, w.school_a)
    services.submit(order, w.librarian)
    services.approve(order, w.department)
    client = login(w.librarian)
    assert (
        "Нужно изменить утверждённый заказ?"
        in client.get(order.get_absolute_url()).content.decode()
    )
    assert (
        login(w.librarian_b)
        .post(reverse("orders:reopen_request", args=[order.pk]), {"reason": "x"})
        .status_code
        == 403
    )
    client = login(w.librarian)
    client.post(
        reverse("orders:reopen_request", args=[order.pk]), {"reason": "Пришли ещё 12 учеников"}
    )
    order.refresh_from_db()
    assert order.reopen_request == "Пришли ещё 12 учеников"
    assert order.status == "approved"
    # The librarian cannot give the order back herself.
    assert client.post(reverse("orders:reopen", args=[order.pk])).status_code == 403
    head = login(w.head)
    assert "Пришли ещё 12 учеников" in head.get(order.get_absolute_url()).content.decode()
    head.post(reverse("orders:reopen", args=[order.pk]), {"comment": "Добавьте 5 класс"})
    order.refresh_from_db()
    assert order.status == "returned"
    assert order.is_editable
    assert order.reopen_request == ""
    page = login(w.librarian).get(order.get_absolute_url()).content.decode()
    assert "Добавьте 5 класс" in page
    changes = [c for c in services.order_changes(order) if "школ" in c.what]
    assert changes[0].who == w.head.short_name
    assert "Добавьте 5 класс" in changes[0].what
    assert "Пришли ещё 12 учеников" in changes[1].what
    assert changes[1].who == w.librarian.short_name


def test_campaign_page_shows_progress_and_sends_reminders(campaign, scenario, login):
    from django.core import mail

    w = scenario.world
    services.submit(_order(campaign, w.school_a))
    client = login(w.head)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "Каменская СОШ № 1" in page
    assert "Луговская СОШ" in page
    assert "подан" in page
    assert "не начат" in page
    mail.outbox.clear()
    client.post(reverse("orders:campaign_remind", args=[campaign.pk]))
    assert [m.to for m in mail.outbox] == [["librarian_b@example.org"]]
    assert login(w.librarian).get(campaign.get_absolute_url()).status_code == 403


def test_campaign_page_query_count_is_bounded(
    campaign, scenario, login, django_assert_max_num_queries
):
    w = scenario.world
    School.objects.bulk_create(
        School(district=w.district, short_name=f"Школа {i}", full_name=f"МБОУ «Школа {i}»")
        for i in range(60)
    )
    services.prefill(campaign)
    assert campaign.orders.count() == 62
    client = login(w.department)
    with django_assert_max_num_queries(12):
        response = client.get(campaign.get_absolute_url())
    assert response.content.decode().count("/orders/order/") >= 62


def test_order_page_query_count_is_bounded(
    campaign, scenario, login, django_assert_max_num_queries
):
    from bibliomo.fund.tests.conftest import make_entry

    w = scenario.world
    order = _order(campaign, w.school_b)
    for i in range(40):
        services.add_entry(order, make_entry(f"9.9.{i}", f"Учебник {i}", "7"), 2, "other")
    client = login(w.librarian_b)
    with django_assert_max_num_queries(14):
        response = client.get(order.get_absolute_url())
    assert response.content.decode().count('-quantity" value=') == 40


def _xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True) if any(r)]


def test_downloads_open_back(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    services.submit(order)
    client = login(w.department)
    rows = _xlsx_rows(client.get(reverse("orders:consolidated_xlsx", args=[campaign.pk])))
    assert any(r[1] == e["hist5new"].number and 25 in r for r in rows)
    rows = _xlsx_rows(client.get(reverse("orders:district_form", args=[campaign.pk, 1])))
    assert rows[-1][0] == "Итого"
    assert rows[-1][-1] == 25
    assert client.get(reverse("orders:district_form", args=[campaign.pk, 2])).status_code == 404
    page = client.get(reverse("orders:consolidated", args=[campaign.pk])).content.decode()
    assert "Дрофа" in page
    assert e["hist5new"].title in page
    rows = _xlsx_rows(login(w.librarian).get(reverse("orders:order_xlsx", args=[order.pk])))
    assert rows[-1][0] == "Итого"
    assert rows[-1][12] == 42


def _upload(rows, name="prices.xlsx"):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def test_price_list_page_reports_bad_rows(scenario, login):
    w, e = scenario.world, scenario.entries
    client = login(w.head)
    bad = _upload([["Порядковый номер", "Цена"], [e["math5"].number, "-5"]])
    page = client.post(reverse("orders:prices"), {"title": "П", "file": bad}).content.decode()
    assert "Строка 2, столбец B" in page
    assert not PriceList.objects.exists()
    good = _upload([["Порядковый номер", "Цена"], [e["math5"].number, 555]])
    response = client.post(reverse("orders:prices"), {"title": "Просвещение", "file": good})
    assert response.status_code == 302
    assert PriceList.objects.get().items.get().price == 555
    assert login(w.librarian).post(reverse("orders:prices"), {}).status_code == 403


def test_receipt_from_approved_order_posts_stock(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    services.submit(order)
    services.approve(order)
    line = order.lines.get(entry=e["hist5new"])
    client = login(w.librarian)
    url = reverse("orders:delivery", args=[order.pk])
    assert e["hist5new"].title in client.get(url).content.decode()
    data = {"number": "Н-15", "date": "2026-07-10", "supplier": "Дрофа", "basis": ""}
    page = client.post(url, {**data, f"copies-{line.pk}": "30"}).content.decode()
    assert "от 0 до 25" in page
    # A figure that is not a whole number names its line and keeps what was typed.
    page = client.post(url, {**data, f"copies-{line.pk}": "два"}).content.decode()
    assert f"{e['hist5new'].number}: число экземпляров — целое неотрицательное число." in page
    assert 'value="два"' in page
    assert not Holding.objects.filter(school=w.school_a, entry=e["hist5new"]).exists()
    response = client.post(url, {**data, f"copies-{line.pk}": "20"})
    assert response.status_code == 302
    assert Holding.objects.get(school=w.school_a, entry=e["hist5new"]).copies == 20
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Накладная № Н-15 от 10.07.2026" in page
    assert login(w.department).get(url).status_code == 403


def _api(client, method, url, user, body=None):
    _, key = ApiToken.issue(user, "test")
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(url, **kwargs)


def test_api_follows_page_rules(campaign, scenario, client):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    line = order.lines.get(entry=e["math5"])
    response = _api(client, "get", f"/api/orders/campaigns/{campaign.pk}/orders", w.librarian)
    assert [o["school_id"] for o in response.json()] == [w.school_a.pk]
    response = _api(client, "get", f"/api/orders/campaigns/{campaign.pk}/orders", w.department)
    assert len(response.json()) == 2
    detail = _api(client, "get", f"/api/orders/{order.pk}", w.librarian).json()
    math = next(ln for ln in detail["lines"] if ln["entry_id"] == e["math5"].pk)
    assert (math["need"], math["usable"], math["quantity"], math["reason"]) == (25, 20, 5, "growth")
    assert _api(client, "get", f"/api/orders/{order.pk}", w.librarian_b).status_code == 403
    assert _api(client, "get", f"/api/orders/{order.pk}", w.outsider).status_code == 404
    url = f"/api/orders/{order.pk}/lines/{line.pk}"
    assert _api(client, "patch", url, w.librarian, {"quantity": 9}).status_code == 422
    response = _api(
        client, "patch", url, w.librarian, {"quantity": 9, "reason": "other", "note": "запас"}
    )
    assert response.status_code == 200
    assert response.json()["quantity"] == 9
    assert _api(client, "patch", url, w.librarian_b, {"quantity": 1}).status_code == 403
    assert (
        _api(client, "post", f"/api/orders/{order.pk}/submit", w.librarian).json()["status"]
        == "submitted"
    )
    assert _api(client, "post", f"/api/orders/{order.pk}/approve", w.librarian).status_code == 403
    response = _api(
        client, "post", f"/api/orders/{order.pk}/return", w.department, {"comment": "нет"}
    )
    assert response.json()["status"] == "returned"
    assert OrderLine.objects.get(pk=line.pk).quantity == 9


def test_api_campaign_creation(scenario, client):
    w = scenario.world
    body = {"target_year": 2027, "deadline": "2099-03-01"}
    assert _api(client, "post", "/api/orders/campaigns", w.librarian, body).status_code == 403
    response = _api(client, "post", "/api/orders/campaigns", w.head, body)
    assert response.status_code == 201
    assert response.json()["target_year"] == 2027
    assert _api(client, "post", "/api/orders/campaigns", w.head, body).status_code == 422
    listed = _api(client, "get", "/api/orders/campaigns", w.outsider).json()
    assert listed == []


def test_lines_without_an_order_wait_behind_a_link(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    client = login(w.librarian)
    page = client.get(order.get_absolute_url()).content.decode()
    assert e["geo6"].title not in page
    assert "ещё 1 без заказа" in page
    page = client.get(order.get_absolute_url() + "?all=1").content.decode()
    assert e["geo6"].title in page


def test_order_page_shows_who_changed_what(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    line = order.lines.get(entry=e["math5"])
    services.update_line(line, quantity=7, reason="growth", note="новый класс", user=w.librarian)
    services.submit(order, w.librarian)
    services.return_order(order, "Уточните", w.department)
    page = login(w.head).get(order.get_absolute_url()).content.decode()
    assert f"{e['math5'].number}: изменён, к заказу 7, рост контингента — новый класс" in page
    assert "Кузнецова" in page
    assert "состояние: возвращён на доработку («Уточните»)" in page


def test_order_table_carries_each_line_and_its_reason(campaign, scenario, login):
    w, e = scenario.world, scenario.entries
    order = _order(campaign, w.school_a)
    line = order.lines.get(entry=e["math5"])
    services.update_line(line, quantity=7, reason="growth", note="новый класс", user=w.librarian)
    page = login(w.librarian).get(order.get_absolute_url()).content.decode()
    shown = [ln for ln in order.lines.select_related("entry") if ln.quantity or ln.computed]
    index = [ln.pk for ln in shown].index(line.pk)
    hidden = f'<input type="hidden" name="lines-{index}-line" value="{line.pk}"'
    assert hidden in page
    row = page[page.index(f'id="line-{line.pk}"') :]
    row = row[: row.index("</tr>")]
    assert '<option value="growth" selected>' in row
    assert row.count(" selected>") == 1
