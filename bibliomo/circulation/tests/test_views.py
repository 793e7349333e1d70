from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from bibliomo.accounts.models import PersonalDataExport
from bibliomo.circulation import services
from bibliomo.circulation.models import Loan, Pupil
from bibliomo.circulation.tests.conftest import DAY, YEAR, make_class, stock

NAME = "УченикА000"


def _issued(desk):
    services.issue_set(desk.classroom, day=DAY)


def test_class_page_issue_and_accept_all(world, desk, login):
    client = login(world.librarian)
    page = client.get(desk.classroom.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert NAME in html
    assert "Выдать комплект" in html
    response = client.post(
        reverse("circulation_class_issue", args=[desk.classroom.pk]), follow=True
    )
    text = response.content.decode()
    assert "Выдано 5 экз. учащимся: 3." in text
    assert "не хватило 1 экз." in text
    assert Loan.objects.filter(status=Loan.Status.ISSUED).count() == 5
    client.post(reverse("circulation_class_accept", args=[desk.classroom.pk]))
    assert not Loan.objects.filter(status=Loan.Status.ISSUED).exists()


def test_return_buttons_and_exceptions(world, desk, login):
    _issued(desk)
    client = login(world.librarian)
    loan = Loan.objects.filter(pupil=desk.pupils[0], entry=desk.math).get()
    client.post(reverse("circulation_return", args=[loan.pk]), {"condition": "lost"})
    loan.refresh_from_db()
    assert loan.status == Loan.Status.LOST
    # A second copy for one pupil, by the form under the list: the book found by its title
    # among those the school holds, which the picker lists.
    page = client.get(reverse("circulation_class", args=[desk.classroom.pk])).content.decode()
    assert f'<option value="{desk.math.number} — {desk.math.title}' in page
    response = client.post(
        reverse("circulation_pupil_issue", args=[desk.classroom.pk]),
        {"pupil": desk.pupils[1].pk, "entry": desk.math.title, "copies": 1},
    )
    assert response.status_code == 302
    assert Loan.objects.filter(pupil=desk.pupils[1], entry=desk.math).count() == 2
    # The lost book settled by an act on the lost page.
    response = client.post(
        reverse("circulation_lost", args=[world.school_a.pk]),
        {"loan": [loan.pk], "how": "writeoff", "number": "5", "date": "2026-06-01"},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.status == Loan.Status.SETTLED
    assert loan.document.reason == "lost"


def test_other_school_and_department_see_no_names(world, desk, login):
    _issued(desk)
    url = desk.classroom.get_absolute_url()
    assert login(world.librarian_b).get(url).status_code == 403
    assert login(world.department).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    for user in (world.department, world.librarian_b, world.head):
        for page in (
            reverse("circulation_district") + f"?year={YEAR}",
            reverse("circulation_school", args=[world.school_a.pk]) + f"?year={YEAR}",
        ):
            response = login(user).get(page)
            if user == world.librarian_b and "school" in page:
                assert response.status_code == 403
                continue
            assert response.status_code == 200
            html = response.content.decode()
            if user != world.head:  # the head is school A's own librarian in this world
                assert NAME not in html
    # The district shows counts for school A.
    html = login(world.department).get(reverse("circulation_district") + f"?year={YEAR}")
    assert "Каменская СОШ № 1" in html.content.decode()
    # The head sees another school's counts but not its pupils.
    b_class, _ = make_class(world.school_b, 7, "А", 1)
    page = login(world.head).get(reverse("circulation_school", args=[world.school_b.pk]))
    assert page.status_code == 200
    assert "УченикА000" not in page.content.decode()
    assert login(world.head).get(b_class.get_absolute_url()).status_code == 403
    assert (
        login(world.head).get(reverse("circulation_debtors", args=[world.school_b.pk])).status_code
        == 403
    )


def test_vedomost_docx_and_xlsx_open_back_and_are_logged(world, desk, login):
    _issued(desk)
    client = login(world.librarian)
    response = client.get(reverse("circulation_vedomost", args=[desk.classroom.pk, "xlsx"]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    values = list(ws.iter_rows(values_only=True))
    header = next(r for r in values if r[0] == "№")
    assert header[-1] == "Подпись"
    assert "Математика" in header
    first = values[values.index(header) + 1]
    assert first[:2] == (1, "УченикА000 Иван")
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9
    response = client.get(reverse("circulation_vedomost", args=[desk.classroom.pk, "docx"]))
    doc = Docx(io.BytesIO(response.content))
    table = doc.tables[0]
    assert table.rows[0].cells[-1].text == "Подпись"
    assert table.rows[1].cells[1].text == "УченикА000 Иван"
    assert table.rows[3].cells[1].text == "УченикА002 Иван"
    # The third pupil got no history book: its cell is blank.
    history = [c.text for c in table.rows[0].cells].index("История: История Древнего мира")
    assert table.rows[3].cells[history].text == ""
    assert doc.sections[0].page_width > doc.sections[0].page_height  # A4 landscape
    assert PersonalDataExport.objects.filter(user=world.librarian).count() == 2


def test_debtors_list_print_and_notice(world, desk, login, settings):
    _issued(desk)
    services.return_loans(Loan.objects.filter(pupil__in=desk.pupils[1:]))
    Loan.objects.update(due_on=dt.date(2020, 6, 15))
    client = login(world.librarian)
    url = reverse("circulation_debtors", args=[world.school_a.pk])
    html = client.get(url).content.decode()
    assert NAME in html
    assert "УченикА001" not in html
    printed = client.get(url + f"?view=print&class={desk.classroom.pk}").content.decode()
    assert "Список учащихся, не сдавших учебники, 5 А класс" in printed
    notice = client.get(url + "?view=notice").content.decode()
    assert "Уведомление" in notice
    assert "273-ФЗ" in notice
    assert NAME in notice
    assert PersonalDataExport.objects.count() == 2


def test_class_page_and_debtors_bounded_queries(world, desk, login, django_assert_max_num_queries):
    stock(world.school_a, desk.math, 500)
    stock(world.school_a, desk.hist, 500)
    big, _ = make_class(world.school_a, 5, "Б", 60)
    services.issue_set(big, day=DAY)
    Loan.objects.update(due_on=dt.date(2020, 6, 15))
    client = login(world.librarian)
    with django_assert_max_num_queries(20):
        assert client.get(big.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(15):
        response = client.get(reverse("circulation_debtors", args=[world.school_a.pk]))
    assert response.content.decode().count("УченикБ0") >= 60
    with django_assert_max_num_queries(15):
        client.get(reverse("circulation_school", args=[world.school_a.pk]) + f"?year={YEAR}")
    with django_assert_max_num_queries(12):
        client.get(reverse("circulation_district") + f"?year={YEAR}")


def test_promotion_page(world, desk, login):
    client = login(world.librarian)
    url = reverse("circulation_promote", args=[world.school_a.pk]) + f"?year={YEAR}"
    assert "5 А" in client.get(url).content.decode()
    client.post(url, {f"target_{desk.classroom.pk}": "6"})
    assert Pupil.objects.filter(classroom__year_id=YEAR + 1, classroom__grade=6).count() == 3


def test_fund_page_shows_shelf_and_issued(world, desk, login):
    _issued(desk)
    html = login(world.librarian).get(reverse("fund_school", args=[world.school_a.pk]))
    text = html.content.decode()
    assert "На полке" in text
    assert "на полке 7, выдано читателям" in text


# --- API -------------------------------------------------------------------------------


def test_api_issue_return_and_permissions(world, desk, login):
    client = login(world.librarian)
    r = client.post(f"/api/circulation/classes/{desk.classroom.pk}/issue-set")
    assert r.status_code == 200
    assert r.json()["copies"] == 5
    pupils = client.get(f"/api/circulation/classes/{desk.classroom.pk}/pupils").json()
    assert pupils[0]["last_name"] == NAME
    loans = client.get(f"/api/circulation/schools/{world.school_a.pk}/loans?status=issued").json()
    assert len(loans) == 5
    r = client.post(
        f"/api/circulation/loans/{loans[0]['id']}/return",
        {"condition": "worn"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["status"] == "returned"
    r = client.post(
        f"/api/circulation/schools/{world.school_a.pk}/loans",
        {"entry_number": desk.hist.number, "copies": 1, "kind": "teacher", "holder": "Орлова"},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert "свободно 0" in r.json()["detail"]
    # Names: only the school's librarian.
    for user, code in ((world.librarian_b, 403), (world.department, 403), (world.outsider, 404)):
        c = login(user)
        assert c.get(f"/api/circulation/classes/{desk.classroom.pk}/pupils").status_code == code
        assert c.get(f"/api/circulation/schools/{world.school_a.pk}/loans").status_code == code
        assert c.post(f"/api/circulation/classes/{desk.classroom.pk}/issue-set").status_code == code
    # Counts: the department sees them, no names.
    counts = login(world.department).get(f"/api/circulation/counts?year={YEAR}").json()
    row = next(r for r in counts if r["school_id"] == world.school_a.pk)
    assert row["issued"] == 5
    assert row["returned"] == 1
    classes = (
        login(world.department)
        .get(f"/api/circulation/schools/{world.school_a.pk}/classes?year={YEAR}")
        .json()
    )
    assert classes[0]["name"] == "5 А"
    assert classes[0]["pupils"] == 3


@pytest.mark.parametrize("user", ["librarian_b", "department"])
def test_others_cannot_issue_or_return(world, desk, login, user):
    _issued(desk)
    loan = Loan.objects.first()
    client = login(getattr(world, user))
    assert (
        client.post(reverse("circulation_class_issue", args=[desk.classroom.pk])).status_code == 403
    )
    assert (
        client.post(
            reverse("circulation_return", args=[loan.pk]), {"condition": "good"}
        ).status_code
        == 403
    )
    loan.refresh_from_db()
    assert loan.status == Loan.Status.ISSUED


def test_pupil_moves_to_another_class_or_leaves(world, desk, login):
    other, _ = make_class(world.school_a, 5, "Б", 0)
    client = login(world.librarian)
    url = reverse("circulation_pupil_move", args=[desk.classroom.pk])
    client.post(url, {"pupil": desk.pupils[0].pk, "target": other.pk})
    client.post(url, {"pupil": desk.pupils[1].pk, "target": "leave"})
    client.post(url, {"pupil": desk.pupils[2].pk, "target": ""})  # nothing chosen
    moved, left, stayed = (Pupil.objects.get(pk=p.pk) for p in desk.pupils)
    assert moved.classroom == other
    assert left.classroom is None
    assert left.left_on is not None
    assert stayed.classroom == desk.classroom


def test_classes_from_the_enrolment_page(world, desk, login):
    from bibliomo.fund.models import Enrolment

    Enrolment.objects.create(school=world.school_a, year_id=YEAR, grade=7, classes=2, students=40)
    client = login(world.librarian)
    page = client.get(reverse("fund_enrolment", args=[world.school_a.pk]) + f"?year={YEAR}")
    assert reverse("circulation_from_enrolment", args=[world.school_a.pk]) in page.content.decode()
    url = reverse("circulation_from_enrolment", args=[world.school_a.pk]) + f"?year={YEAR}"
    client.post(url)
    names = set(world.school_a.classrooms.filter(year_id=YEAR).values_list("grade", "letter"))
    assert {(7, "А"), (7, "Б")} <= names
    assert login(world.department).post(url).status_code == 403


def test_return_goes_back_only_within_the_site(world, desk, login):
    _issued(desk)
    loan = Loan.objects.first()
    client = login(world.librarian)
    url = reverse("circulation_return", args=[loan.pk])
    response = client.post(url, {"condition": "good", "next": "https://evil.example/"})
    assert response.url.startswith(desk.classroom.get_absolute_url())
    loan.refresh_from_db()
    assert loan.status == Loan.Status.RETURNED
