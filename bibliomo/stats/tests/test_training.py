"""Professional development: courses with a file, the three-year rule, events attended
counted from the attendance, access, XLSX."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bibliomo.accounts.models import PersonalDataExport
from bibliomo.events.models import Event, Registration
from bibliomo.stats import services
from bibliomo.stats.models import Category, Course, Qualification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def course(person, end: dt.date, hours: int = 36, **extra) -> Course:
    return Course.objects.create(
        person=person,
        title=extra.pop("title", "Школьная библиотека сегодня"),
        organisation="АКИПКРО",
        hours=hours,
        date_from=end - dt.timedelta(days=5),
        date_to=end,
        **extra,
    )


def attended(person, kind: str, when: dt.datetime, present: bool = True) -> Event:
    event = Event.objects.create(
        district=person.district, kind=kind, title=f"{kind} {when:%d.%m}", starts_at=when,
        status=Event.Status.HELD,
    )  # fmt: skip
    Registration.objects.create(event=event, person=person, status="registered", attended=present)
    return event


def at(y, m, d) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, 14))


def test_training_table_for_a_past_year(world):
    # As of 31.08.2022: librarian's last course 01.06.2019 is more than three years old;
    # librarian_b's 20.11.2021 course is recent and 36 + 16 hours fall within three years.
    course(world.librarian, dt.date(2019, 6, 1))
    course(world.librarian_b, dt.date(2021, 11, 20))
    course(world.librarian_b, dt.date(2020, 3, 1), hours=16, title="Вторые курсы")
    course(world.librarian_b, dt.date(2023, 3, 1), title="После года — не считаются")
    attended(world.librarian, Event.Kind.WEBINAR, at(2021, 11, 18))
    attended(world.librarian, Event.Kind.WEBINAR, at(2022, 2, 10))
    attended(world.librarian, Event.Kind.WEBINAR, at(2022, 9, 10))  # next year
    attended(world.librarian, Event.Kind.MEETING, at(2022, 3, 24))
    attended(world.librarian_b, Event.Kind.MEETING, at(2022, 3, 25), present=False)
    rows = {r.person: r for r in services.training_table(world.district, 2021)}
    a, b = rows[world.librarian], rows[world.librarian_b]
    assert a.outdated
    assert not b.outdated
    assert (a.webinars, a.meetings) == (2, 1)
    assert (b.webinars, b.meetings) == (0, 0)
    assert b.last_course == dt.date(2021, 11, 20)
    assert b.hours_3y == 52
    assert b.courses_year == 1
    assert rows[world.head].last_course is None
    assert rows[world.head].outdated
    assert world.department not in rows  # only librarians are listed


def test_service_years():
    q = Qualification(service_since=dt.date(2010, 9, 1), service_before_years=2)
    assert q.service_years(dt.date(2022, 8, 31)) == 13  # 11 full years here + 2 before
    assert q.service_years(dt.date(2022, 9, 1)) == 14
    assert Qualification().service_years() is None


def test_librarian_records_a_course_with_its_document(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(world.librarian)
    url = reverse("training_person", args=[world.librarian.pk])
    response = client.post(
        url,
        {
            "action": "course",
            "c-title": "Информационно-библиотечный центр",
            "c-organisation": "АКИПКРО",
            "c-hours": 72,
            "c-date_from": "2022-03-01",
            "c-date_to": "2022-03-20",
            "c-document": "pk",
            "c-document_number": "221234",
            "c-file": SimpleUploadedFile("udostoverenie.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    saved = Course.objects.get(person=world.librarian)
    assert saved.hours == 72
    assert saved.file
    file_url = reverse("training_course_file", args=[saved.pk])
    assert b"".join(client.get(file_url).streaming_content) == PDF
    assert login(world.head).get(file_url).status_code == 200
    assert login(world.librarian_b).get(file_url).status_code == 403
    assert login(world.outsider).get(file_url).status_code == 404
    client = login(world.librarian)
    client.post(url, {"action": "qualification", "q-category": "first", "q-education": "",
                      "q-service_before_years": 0, "q-service_since": "2001-09-01"})  # fmt: skip
    assert Qualification.objects.get(person=world.librarian).category == Category.FIRST


def test_bad_course_dates_are_refused_in_russian(world, login):
    response = login(world.librarian).post(
        reverse("training_person", args=[world.librarian.pk]),
        {"action": "course", "c-title": "Курсы", "c-organisation": "АКИПКРО", "c-hours": 8,
         "c-date_from": "2022-03-20", "c-date_to": "2022-03-01", "c-document": "pk"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Окончание не может быть раньше начала." in response.content.decode()
    assert not Course.objects.exists()


def test_others_cannot_see_or_change_a_librarians_record(world, login):
    url = reverse("training_person", args=[world.librarian.pk])
    assert login(world.librarian_b).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.department).get(url).status_code == 200
    assert login(world.department).post(url, {"action": "course"}).status_code == 403
    c = course(world.librarian, dt.date(2022, 1, 1))
    delete = reverse("training_course_delete", args=[c.pk])
    assert login(world.librarian_b).post(delete).status_code == 403
    assert login(world.head).post(delete).status_code == 302
    assert not Course.objects.exists()


def test_district_table_highlights_and_xlsx(world, login):
    course(world.librarian_b, dt.date(2021, 11, 20))
    client = login(world.head)
    page = client.get(reverse("training_district") + "?year=2021").content.decode()
    assert page.count('class="table-warning"') == 2  # head and librarian have no course
    response = client.get(reverse("training_district_xlsx") + "?year=2021")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0].value: r for r in ws.iter_rows() if r[0].value}
    b = rows[world.librarian_b.full_name]
    assert b[6].value.date() == dt.date(2021, 11, 20)
    assert b[7].value == 36
    assert rows[world.librarian.full_name][0].fill.fgColor.rgb.endswith("FFF3CD")
    assert b[0].fill.fgColor.rgb in (None, "00000000")
    assert PersonalDataExport.objects.filter(user=world.head).count() == 1
    assert login(world.librarian).get(reverse("training_district")).status_code == 403


def test_my_courses_link_only_for_someone_of_the_district(world, login, rf):
    from django.template.loader import render_to_string

    from bibliomo.accounts.models import Role, User

    page = login(world.head).get(reverse("training_district")).content.decode()
    assert reverse("training_person", args=[world.head.pk]) in page
    # The system's administrator belongs to no district: no courses of his own to open.
    root = User(pk=999, username="root", role=Role.ADMIN, is_superuser=True)
    request = rf.get("/")
    request.user = root
    html = render_to_string(
        "stats/training_district.html",
        {"year": world.district, "rows": [], "outdated": 0, "user": root},
        request=request,
    )
    assert "Мои курсы" not in html


def test_training_table_query_count(world, django_assert_max_num_queries):
    from conftest import make_user

    for i in range(40):
        person = make_user(f"lib{i}", "librarian", world.district, world.school_a)
        course(person, dt.date(2021, 10, 1))
        attended(person, Event.Kind.WEBINAR, at(2021, 11, i % 28 + 1))
    with django_assert_max_num_queries(5):
        rows = services.training_table(world.district, 2021)
    assert sum(r.webinars for r in rows) == 40


@pytest.mark.parametrize("role", ["librarian", "head"])
def test_api_person_and_district(world, login, role):
    course(world.librarian, dt.date(2021, 10, 1))
    body = login(world.user(role)).get(f"/api/training/people/{world.librarian.pk}").json()
    assert [c["hours"] for c in body["courses"]] == [36]
    assert (
        login(world.librarian_b).get(f"/api/training/people/{world.librarian.pk}").status_code
        == 403
    )
    table = login(world.head).get("/api/training/district/2021").json()
    assert {r["person_id"]: r["outdated"] for r in table}[world.librarian.pk] is False


def test_api_adds_a_course_and_the_qualification(world, login):
    client = login(world.librarian)
    url = f"/api/training/people/{world.librarian.pk}"
    course_in = {"title": "Курсы", "organisation": "АКИПКРО", "hours": 16,
                 "date_from": "2022-03-01", "date_to": "2022-03-02"}  # fmt: skip
    assert (
        client.post(url + "/courses", course_in, content_type="application/json").status_code == 201
    )
    bad = {**course_in, "date_to": "2022-02-01"}
    response = client.post(url + "/courses", bad, content_type="application/json")
    assert response.status_code == 422
    assert "Окончание не может быть раньше начала" in response.json()["detail"]
    q = {"category": "highest", "service_since": "2000-09-01"}
    assert (
        client.put(url + "/qualification", q, content_type="application/json").json()["category"]
        == "highest"
    )
    assert Course.objects.get(person=world.librarian).hours == 16
    other = login(world.librarian_b)
    assert (
        other.post(url + "/courses", course_in, content_type="application/json").status_code == 403
    )
