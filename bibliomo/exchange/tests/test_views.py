from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from bibliomo.exchange import documents, services, transfers
from bibliomo.exchange.models import Adjustment, ExchangePlan, Transfer
from bibliomo.exchange.tests.conftest import YEAR, make_entry, stock, uses
from bibliomo.fund.models import DocumentLine, Holding

S = Transfer.Status


def sheet(response):
    return [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]


def test_fund_page_shows_offers_and_needs_with_filters(world, district_fund, login):
    client = login(world.librarian_b)
    page = client.get(reverse("exchange_fund"), {"year": YEAR}).content.decode()
    assert "Математика" in page
    assert "История России" in page
    assert "Предлагается <strong>18</strong> экз., нужно <strong>21</strong> экз." in page
    offers = client.get(reverse("exchange_fund"), {"year": YEAR, "side": "offers"}).content.decode()
    assert "Предлагается <strong>18</strong> экз., нужно <strong>0</strong> экз." in offers
    grade6 = client.get(reverse("exchange_fund"), {"year": YEAR, "grade": 6}).content.decode()
    assert "Предлагается <strong>8</strong> экз., нужно <strong>0</strong> экз." in grade6
    subject = client.get(
        reverse("exchange_fund"), {"year": YEAR, "subject": "Русский язык"}
    ).content.decode()
    assert "нужно <strong>6</strong>" in subject
    # B may ask A for its spare maths books.
    assert f"giver={world.school_a.pk}&amp;entry={district_fund.math5.pk}" in page


def test_fund_export_opens_back(world, district_fund, login):
    response = login(world.head).get(
        reverse("exchange_fund_export"), {"year": YEAR, "side": "offers"}
    )
    rows = sheet(response)
    assert rows[0][0].startswith("Обменно-резервный фонд — Каменский район, 2022/2023")
    assert "Дата печати" in rows[1][0]
    header = rows[3]  # the caption, the date of printing, an empty row, the header
    data = [dict(zip(header, r, strict=True)) for r in rows[4:]]
    assert {(d["Школа"], d["Учебник"], d["Предлагается"]) for d in data} == {
        ("Каменская СОШ № 1", "Математика", 10),
        ("Луговская СОШ", "История России", 8),
    }


def test_librarian_adjusts_own_school_only(world, district_fund, login):
    f = district_fund
    url = reverse("exchange_adjust", args=[world.school_a.pk, f.math5.pk]) + f"?year={YEAR}"
    client = login(world.librarian)
    assert client.get(url).status_code == 200
    response = client.post(url, {"hold_back": 4, "offer_extra": 0, "comment": "на новый класс"})
    assert response.status_code == 302
    a = Adjustment.objects.get()
    assert (a.hold_back, a.comment, a.year_id) == (4, "на новый класс", YEAR)
    assert a.history.first().history_user == world.librarian
    page = client.get(reverse("exchange_fund"), {"year": YEAR}).content.decode()
    assert "оставлено в резерве: 4 — на новый класс" in page
    assert login(world.librarian_b).post(url, {"hold_back": 0}).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    bad = login(world.librarian).post(url, {"hold_back": 1, "offer_extra": 1})
    assert "либо резерв школы" in bad.content.decode()


def test_request_from_the_fund_page(world, district_fund, login):
    client = login(world.librarian_b)
    url = reverse("exchange_request") + f"?year={YEAR}"
    page = client.get(url).content.decode()
    # The picker lists what other schools offer, by title.
    assert f"{district_fund.math5.number} — {district_fund.math5.title}" in page
    not_offered = client.post(
        url, {"giver": world.school_a.pk, "entry": "Азбука", "copies": 5, "kind": "permanent"}
    )
    assert "«Азбука» нет среди учебников, из которых можно выбрать." in (
        not_offered.content.decode()
    )
    assert not Transfer.objects.exists()
    response = client.post(
        url,
        {
            "giver": world.school_a.pk,
            "entry": district_fund.math5.number,
            "copies": 5,
            "kind": "permanent",
        },
    )
    t = Transfer.objects.get()
    assert response.url == t.get_absolute_url()
    assert (t.giver, t.taker, t.status) == (world.school_a, world.school_b, S.PROPOSED)
    # Another district's school is not offered as a giver.
    bad = client.post(
        url,
        {
            "giver": world.school_other.pk,
            "entry": district_fund.math5.number,
            "copies": 1,
            "kind": "permanent",
        },
    )
    assert bad.status_code == 200
    assert Transfer.objects.count() == 1
    assert login(world.department).get(url).status_code == 403  # no school of her own


def test_head_computes_edits_and_applies_a_plan(world, district_fund, login):
    client = login(world.head)
    response = client.post(
        reverse("exchange_plans") + f"?year={YEAR}", {"max_km": "", "exclude_entries": ""}
    )
    plan = ExchangePlan.objects.get()
    assert response.url == reverse("exchange_plan", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert "Каменская СОШ № 1" in page
    assert "Луговская СОШ" in page
    assert "70,0 %" in page
    assert "90,0 %" in page  # Луговская: 35 of 50 before, 45 after
    assert "Русский язык" in page  # left uncovered: nobody has spare copies
    line = plan.lines.get()
    client.post(reverse("exchange_plan_line", args=[plan.pk, line.pk]), {"copies": 8})
    plan.refresh_from_db()
    assert plan.covered == 8
    response = client.post(reverse("exchange_plan_apply", args=[plan.pk]), {"kind": "permanent"})
    assert response.status_code == 302
    t = Transfer.objects.get()
    assert (t.plan, t.lines.get().copies) == (plan, 8)
    plan.refresh_from_db()
    assert plan.status == ExchangePlan.Status.APPLIED


def test_plan_form_errors(world, district_fund, login):
    client = login(world.head)
    page = client.post(reverse("exchange_plans"), {"max_km": "-3", "exclude_entries": "9.9.9"})
    text = page.content.decode()
    assert "Нет в федеральном перечне: 9.9.9" in text
    assert ExchangePlan.objects.count() == 0
    plan = services.compute_plan(world.district, YEAR)
    response = client.post(
        reverse("exchange_plan_apply", args=[plan.pk]), {"kind": "temporary"}, follow=True
    )
    assert "укажите срок возврата" in response.content.decode()
    assert Transfer.objects.count() == 0


def test_only_the_head_changes_plans(world, district_fund, login):
    plan = services.compute_plan(world.district, YEAR)
    line = plan.lines.get()
    dept = login(world.department)
    assert dept.get(reverse("exchange_plan", args=[plan.pk])).status_code == 200
    assert dept.post(reverse("exchange_plans"), {}).status_code == 403
    assert (
        dept.post(reverse("exchange_plan_line", args=[plan.pk, line.pk]), {"copies": 1}).status_code
        == 403
    )
    assert (
        dept.post(reverse("exchange_plan_apply", args=[plan.pk]), {"kind": "permanent"}).status_code
        == 403
    )
    assert login(world.librarian).get(reverse("exchange_plan", args=[plan.pk])).status_code == 403
    assert login(world.outsider).get(reverse("exchange_plan", args=[plan.pk])).status_code == 404


def test_transfer_steps_through_the_pages(world, district_fund, login):
    f = district_fund
    t = transfers.create(world.school_a, world.school_b, [(f.math5.pk, 5)], user=world.librarian_b)
    line = t.lines.get()
    giver = login(world.librarian)
    page = giver.get(t.get_absolute_url()).content.decode()
    assert "Согласовать" in page
    assert "Учебники получены" not in page
    act = lambda action: reverse("exchange_transfer_action", args=[t.pk, action])  # noqa: E731
    response = giver.post(act("agree"), {f"line-{line.pk}": "-4"}, follow=True)
    assert "целое неотрицательное число" in response.content.decode()
    t.refresh_from_db()
    assert t.status == S.PROPOSED
    giver.post(act("agree"), {f"line-{line.pk}": "4"})
    t.refresh_from_db()
    assert t.status == S.AGREED
    assert t.lines.get().copies == 4
    giver.post(act("ship"))
    taker = login(world.librarian_b)
    assert taker.post(act("ship")).status_code == 403
    response = taker.post(act("receive"), {f"line-{line.pk}": "3"}, follow=True)
    assert "опишите расхождение" in response.content.decode()
    taker.post(act("receive"), {f"line-{line.pk}": "3", "discrepancy": "не пришёл один"})
    t.refresh_from_db()
    assert t.status == S.RECEIVED
    assert (
        sum(
            Holding.objects.filter(school=world.school_b, entry=f.math5).values_list(
                "copies", flat=True
            )
        )
        == 13
    )
    page = taker.get(t.get_absolute_url()).content.decode()
    assert "не пришёл один" in page
    assert "получена" in page

    doc = Docx(io.BytesIO(taker.get(reverse("exchange_act", args=[t.pk])).content))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)  # A4
    assert section.left_margin.mm >= 20 and section.right_margin.mm >= 10
    assert section.top_margin.mm >= 20 and section.bottom_margin.mm >= 20
    text = "\n".join(p.text for p in doc.paragraphs)
    assert f"АКТ № {t.number}" in text
    assert "о приеме-передаче объектов нефинансовых активов" in text
    assert "Учреждение-отправитель (передающая сторона): МБОУ «Каменская СОШ № 1»" in text
    assert "Основание: по запросу школы; распоряжение учредителя № ______ от" in text
    assert "Кузнецова" in text  # the giver's librarian signs, full name
    assert text.count("Директор ____________") == 2  # both directors sign
    approve = [c.text for c in doc.tables[0].rows[0].cells]
    assert all(c.startswith("УТВЕРЖДАЮ") for c in approve)
    assert "учреждения-отправителя" in approve[0] and "учреждения-получателя" in approve[1]
    codes = {row.cells[0].text: row.cells[1].text for row in doc.tables[1].rows}
    assert codes["Форма по ОКУД"] == "0504101"
    assert codes["Единица измерения: руб., по ОКЕИ"] == "383"
    assert {"Отправитель: по ОКПО", "Отправитель: ИНН", "Получатель: по ОКПО",
            "Получатель: ИНН", "Дата"} <= set(codes)  # fmt: skip
    cells = [[c.text for c in row.cells] for row in doc.tables[2].rows]
    assert cells[0] == [*documents.HEADER, "Принято, экз."]
    # The giver's batch came without a price: the act says so instead of 0,00.
    assert cells[1][1:] == [f.math5.number, "Иванов И. И. Математика", "5", "4", "нет цены",
                            "нет цены", "3"]  # fmt: skip
    assert cells[-1][2:] == ["Итого", "", "4", "", "0,00", "3"]
    assert "нет цены поступления" in text
    # The giver's write-off of the transfer is no write-off act: its act is this one.
    act_url = reverse("fund_act_docx", args=[t.writeoff_id])
    giver = login(world.librarian)
    assert giver.get(act_url).url == reverse("exchange_act", args=[t.pk])
    assert giver.get(act_url + "?format=pdf").url.endswith("?format=pdf")


def test_transfer_act_as_pdf(world, district_fund, login, monkeypatch):
    f = district_fund
    t = transfers.create(world.school_a, world.school_b, [(f.math5.pk, 5)], user=None)
    converted = []

    def fake_pdf(data: bytes, timeout: int = 180) -> bytes:
        converted.append(Docx(io.BytesIO(data)))
        return b"%PDF-1.7 act"

    monkeypatch.setattr(documents.files, "docx_to_pdf", fake_pdf)
    response = login(world.librarian).get(reverse("exchange_act", args=[t.pk]), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.7 act"
    assert ".pdf" in response["Content-Disposition"]
    # What was converted is the act itself.
    codes = {r.cells[0].text: r.cells[1].text for r in converted[0].tables[1].rows}
    assert codes["Форма по ОКУД"] == "0504101"


def test_cancelled_transfer_prints_no_act(world, district_fund, login):
    f = district_fund
    t = transfers.create(world.school_a, world.school_b, [(f.math5.pk, 5)], user=None)
    transfers.cancel(t, world.librarian_b, "не нужно")
    client = login(world.librarian)
    assert client.get(reverse("exchange_act", args=[t.pk])).status_code == 403
    assert "Акт приёма-передачи" not in client.get(t.get_absolute_url()).content.decode()


def test_transfer_act_carries_prices_and_sums(world, district_fund):
    f = district_fund
    DocumentLine.objects.filter(document__school=world.school_a, entry=f.math5).update(
        price=Decimal("312.40")
    )
    t = transfers.create(world.school_a, world.school_b, [(f.math5.pk, 5)], user=None)
    doc = Docx(io.BytesIO(documents.act(t)))
    cells = [[c.text.replace("\xa0", " ") for c in row.cells] for row in doc.tables[2].rows]
    assert cells[1][4:7] == ["5", "312,40", "1 562,00"]  # 5 × 312,40
    text = "\n".join(p.text for p in doc.paragraphs).replace("\xa0", " ")
    assert "на сумму 1 562,00 руб. (Одна тысяча пятьсот шестьдесят два рубля 00 копеек)" in text


def test_transfer_list_and_export_show_own_transfers(world, district_fund, login):
    f = district_fund
    mine = transfers.create(
        world.school_a, world.school_b, [(f.math5.pk, 5)], user=world.librarian_b
    )
    third = make_school(world)
    other = transfers.create(world.school_a, third, [(f.math5.pk, 2)], user=None)
    page = login(world.librarian_b).get(reverse("exchange_transfers")).content.decode()
    assert mine.number in page
    assert other.number not in page
    rows = sheet(login(world.head).get(reverse("exchange_transfer_export")))
    assert {r[0] for r in rows[4:]} == {mine.number, other.number}
    assert rows[4][9] in (5, 2)
    assert login(world.librarian_b).get(other.get_absolute_url()).status_code == 403
    assert login(world.outsider).get(other.get_absolute_url()).status_code == 404


def make_school(world):
    from bibliomo.directory.models import School

    return School.objects.create(
        district=world.district,
        short_name="Рыбинская СОШ",
        full_name="МБОУ «Рыбинская СОШ»",
        lat=53.7,
        lon=81.2,
    )


def test_pages_keep_query_counts_bounded(
    world, district_fund, login, django_assert_max_num_queries
):
    for n in range(25):
        entry = make_entry(f"1.1.9.{n}.1.1", f"Учебник {n}", 7, f"Предмет {n}")
        uses(world.school_b, entry, 20)
        stock(world.school_a, entry, 30)
        transfers.create(world.school_a, world.school_b, [(entry.pk, 2)], user=None, notify=False)
    plan = services.compute_plan(world.district, YEAR)
    assert plan.lines.count() >= 25
    client = login(world.head)
    for url, params in [
        (reverse("exchange_fund"), {"year": YEAR}),
        (reverse("exchange_plan", args=[plan.pk]), {}),
        (reverse("exchange_plans"), {}),
        (reverse("exchange_transfers"), {}),
    ]:
        with django_assert_max_num_queries(30):
            assert client.get(url, params).status_code == 200


@pytest.mark.parametrize("action", ["agree", "nonsense"])
def test_outsider_cannot_touch_a_transfer(world, district_fund, login, action):
    t = transfers.create(world.school_a, world.school_b, [(district_fund.math5.pk, 1)], user=None)
    response = login(world.outsider).post(reverse("exchange_transfer_action", args=[t.pk, action]))
    assert response.status_code == 404


def test_fund_page_offers_this_and_next_year(world, district_fund, login):
    from bibliomo.directory.models import AcademicYear

    current = AcademicYear.objects.current().start_year
    page = login(world.librarian).get(reverse("exchange_fund")).content.decode()
    assert f'<option value="{current + 1}" selected>{current + 1}/{current + 2}</option>' in page
    assert f'<option value="{current}">{current}/{current + 1}</option>' in page


def test_plan_page_summary_first_grouped_by_shipment_filtered_and_paged(
    world, district_fund, login, django_assert_max_num_queries
):
    from bibliomo.directory.models import School
    from bibliomo.exchange.models import PlanLine

    plan = services.compute_plan(world.district, YEAR)
    history = make_entry("1.1.1.5.1.1.9", "История древнего мира", 5, "История")
    schools = [
        School.objects.create(district=world.district, short_name=f"Школа {i:02}", lat=53, lon=81)
        for i in range(25)
    ]
    PlanLine.objects.bulk_create(
        PlanLine(plan=plan, giver=world.school_a, taker=s, entry=e, copies=2, km=10.0)
        for s in schools
        for e in (district_fund.math5, history)
    )
    client = login(world.head)
    url = reverse("exchange_plan", args=[plan.pk])
    with django_assert_max_num_queries(28):
        page = client.get(url).content.decode()
    assert page.index("Итоги плана") < page.index("Отправки: кто кому передаёт")
    assert "Обеспеченность района" in page
    assert "Экз. × км" not in page
    # 26 shipments (the computed one and 25 more), 20 a page, each folded with its lines.
    assert page.count('<details class="shipment') == 20
    assert "Каменская СОШ № 1 → Школа 00" in page
    assert "2 учебника, 4 экз." in page
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<details class="shipment') == 6
    one = client.get(url, {"school": schools[3].pk}).content.decode()
    assert one.count('<details class="shipment') == 1
    assert "→ Школа 03" in one
    subject = client.get(url, {"subject": "История"}).content.decode()
    assert subject.count('<details class="shipment') == 20
    assert "1 учебник, 2 экз." in subject
    # The provision link opens the plan's own year.
    assert f"/fund/provision/?year={YEAR}" in page
