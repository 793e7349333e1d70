"""The generated analysis against a hand-computed year; the head's notes, carrying tasks
into the next plan, the DOCX, access and the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document as read_docx

from bibliomo.bulletin.models import Publication
from bibliomo.consultations.models import Consultation
from bibliomo.events.models import AgendaItem, Event, Registration
from bibliomo.plans.models import ExecutionStatus, PlanItemExecution, WorkPlan
from bibliomo.plans.tests.factories import make_item, make_plan, make_section
from bibliomo.reports import builder, services
from bibliomo.reports.models import YearAnalysis
from bibliomo.stats.models import Course
from bibliomo.stats.tests.conftest import fund, make_report


def at(y, m, d, h=14) -> dt.datetime:
    return timezone.make_aware(dt.datetime(y, m, d, h))


def meeting(world, when, present: int, talks: list[tuple[str, object]], kind="meeting"):
    event = Event.objects.create(
        district=world.district, kind=kind, title=f"Событие {when:%d.%m.%Y}", starts_at=when,
        status=Event.Status.HELD,
    )  # fmt: skip
    for i, (topic, speaker) in enumerate(talks, start=1):
        if isinstance(speaker, str):
            AgendaItem.objects.create(event=event, order=i, topic=topic, speaker_name=speaker)
        else:
            AgendaItem.objects.create(event=event, order=i, topic=topic, speaker=speaker)
    people = [world.head, world.librarian, world.librarian_b, world.department, world.admin]
    for person in people[:present]:
        Registration.objects.create(event=event, person=person, status="registered", attended=True)
    return event


@pytest.fixture
def year(world):
    """2021/2022 of the first district, every figure counted by hand in the tests."""
    plan = make_plan(world.district, 2021, tasks="Первая задача;\nВторая задача.")
    section = make_section(plan)
    done, partly, _not = (make_item(section, f"Пункт {i}") for i in (1, 2, 3))
    PlanItemExecution.objects.create(item=done, date=dt.date(2021, 10, 5), note="Проведено")
    PlanItemExecution.objects.create(
        item=partly, date=dt.date(2022, 2, 1), status=ExecutionStatus.IN_PROGRESS
    )
    # Two meetings held (3 and 5 present, 4 talks by 3 speakers), one last year.
    meeting(world, at(2021, 10, 20), 3, [("Отчёт", world.head), ("Квест", world.librarian)])
    meeting(world, at(2022, 3, 24), 5, [("Заказ", world.head), ("Гость", "Петрова А. А.")])
    meeting(world, at(2021, 3, 1), 2, [])
    # A webinar (2 present) and a seminar (1 present).
    meeting(world, at(2021, 11, 18), 2, [], kind="webinar")
    meeting(world, at(2022, 4, 1), 1, [], kind="seminar")
    # Questions: Monday → Tuesday (1 working day), Friday → Monday (1), one unanswered.
    for created, answered, category in (
        (at(2021, 11, 15), at(2021, 11, 16), "order"),
        (at(2021, 11, 19), at(2021, 11, 22), "order"),
        (at(2022, 3, 2), None, "fund"),
    ):
        Consultation.objects.create(
            district=world.district, author=world.librarian, school=world.school_a,
            category=category, subject="Вопрос", question="?", created_at=created,
            answered_at=answered,
        )  # fmt: skip
    for author, venue, day in (
        (world.librarian, "Сайт АКИПКРО", dt.date(2021, 11, 1)),
        (world.librarian, "Сайт АКИПКРО", dt.date(2022, 4, 1)),
        (world.librarian_b, "Журнал «Школьная библиотека»", dt.date(2022, 5, 1)),
        (world.librarian_b, "Газета", dt.date(2021, 5, 1)),  # last year
    ):
        Publication.objects.create(
            district=world.district, author=author, title="Статья", venue_kind="site",
            venue=venue, date=day,
        )  # fmt: skip
    make_report(world.school_a, 2021, readers=(150, 0, 0, 50, 0), visits=2000, loans=4000,
                values=fund(8000, received=400, textbooks=5000))  # fmt: skip
    Course.objects.create(
        person=world.librarian_b, title="Курсы", organisation="АКИПКРО", hours=36,
        date_from=dt.date(2022, 3, 1), date_to=dt.date(2022, 3, 10),
    )  # fmt: skip
    return plan


def test_plan_execution_item_by_item(world, year):
    section = builder.build(world.district, 2021).section("plan")
    assert section.figures == {"items": 3, "done": 1, "partly": 1, "not": 1, "percent": 33}
    assert (
        "В плане 3 пункта: выполнено — 1, выполнено частично — 1, не выполнено — 1 "
        "(33 % пунктов выполнено)." in section.summary
    )
    assert section.summary[:3] == ["Тема: Тема года", "Цель: Цель года", "Задачи:"]
    assert section.summary[3:5] == ["– Первая задача;", "– Вторая задача."]
    rows = section.tables[0].rows
    assert [r[2] for r in rows] == ["выполнено", "выполнено частично", "не выполнено"]
    assert rows[0][3] == "05.10.2021"
    assert rows[0][4] == "Проведено"


def test_meetings_and_events(world, year):
    analysis = builder.build(world.district, 2021)
    meetings = analysis.section("meetings")
    assert meetings.figures["meetings"] == 2
    assert meetings.figures["talks"] == 4
    assert meetings.figures["speakers"] == 3
    assert meetings.figures["average_present"] == 4.0
    assert meetings.summary[0] == (
        "Проведено 2 заседания (в прошлом году — 1); на них прозвучало 4 выступления, "
        "выступали 3 человека. В среднем присутствовало 4,0 человека."
    )
    talks = meetings.tables[0].rows[1][2]
    assert "Заказ — Head Т." in talks
    assert "Гость — Петрова А. А." in talks
    events = analysis.section("webinars")
    assert events.summary[0] == (
        "За год — 2 мероприятия, из них 1 вебинар. Отмечено 3 участия библиотекарей, "
        "в том числе в вебинарах — 2."
    )


def test_consultations_by_topic_month_and_answer_time(world, year):
    section = builder.build(world.district, 2021).section("consultations")
    assert section.figures == {"total": 3, "answered": 2, "average_days": 1.0, "previous": 0}
    assert section.summary[0] == (
        "Поступило 3 вопроса; чаще всего спрашивали о теме «Заказ учебников» (2). "
        "Отвечено — 2, в среднем за 1,0 рабочего дня (самый долгий ответ — 1 день)."
    )
    by_topic, by_month = section.tables
    assert by_topic.rows == [["Учёт и инвентаризация фонда", "1"], ["Заказ учебников", "2"]]
    assert by_month.rows == [["ноябрь", "2"], ["март", "1"]]


def test_publications_library_and_training(world, year):
    analysis = builder.build(world.district, 2021)
    pubs = analysis.section("publications")
    assert (
        pubs.summary[0] == "За год — 3 публикации участников ММО (в прошлом году — 1); авторов — 2."
    )
    assert pubs.tables[0].rows == [["Сайт АКИПКРО", "2"], ["Журнал «Школьная библиотека»", "1"]]
    library = analysis.section("library")
    assert library.figures["readers"] == 200
    assert library.figures["Читаемость"] == 20.0
    assert library.summary[0].startswith(
        f"Сдали статистику: 1 школа из 2 (не сдали: {world.school_b.short_name}). "
        "Читателей — 200, посещений — 2\u00a0000, книговыдача — 4\u00a0000"
    )
    training = analysis.section("training")
    assert training.figures["trained"] == 1
    assert training.figures["hours"] == 36
    assert training.summary[0].startswith(
        "Прошли курсы повышения квалификации: 1 библиотекарь из 3, всего 36 часов обучения."
    )


def test_sections_without_records_say_no_data(world, year):
    analysis = builder.build(world.district, 2021)
    for key in ("stocktake", "circulation", "provision", "orders"):
        section = analysis.section(key)
        assert not section.available
        assert "нет данных" in section.summary[0]


def test_a_missing_app_gives_no_data(world, monkeypatch):
    monkeypatch.setattr(builder.apps, "is_installed", lambda name: False)
    section = builder.stocktake_section(world.district, 2021)
    assert section.summary == ["Инвентаризация учебного фонда: нет данных."]


def test_a_year_without_records(world):
    analysis = builder.build(world.district, 2015)
    assert analysis.section("plan").summary == [
        "План работы на этот год в системе не найден — нет данных."
    ]
    assert analysis.section("meetings").summary == ["Заседаний за год не было."]


@pytest.mark.parametrize(("count", "word"), [(1, "1 заседание"), (3, "3 заседания"),
                                             (11, "11 заседаний"), (22, "22 заседания"),
                                             (1005, "1\u00a0005 заседаний")])  # fmt: skip
def test_plural_forms(count, word):
    assert builder.n(count, "заседание", "заседания") == word


def post_notes(client, start_year=2021, **sections):
    data = {f"{key}-{field}": value for key, (c, t) in sections.items()
            for field, value in (("conclusions", c), ("tasks", t))}  # fmt: skip
    data["conclusion"] = "Год прошёл успешно."
    return client.post(reverse("analysis_detail", args=[start_year]), data)


def test_head_writes_conclusions_and_carries_tasks(world, login, year):
    client = login(world.head)
    response = post_notes(
        client,
        meetings=("Заседания прошли по плану.", "Провести четыре заседания\n- Пригласить АКИПКРО"),
        training=("", "Пройти курсы всем, у кого их нет три года"),
    )
    assert response.status_code == 302
    stored = YearAnalysis.objects.get(district=world.district)
    assert services.all_tasks(stored) == [
        "Провести четыре заседания",
        "Пригласить АКИПКРО",
        "Пройти курсы всем, у кого их нет три года",
    ]
    response = client.post(reverse("analysis_carry", args=[2021]))
    new_plan = WorkPlan.objects.get(district=world.district, year__start_year=2022)
    assert response.url == new_plan.get_absolute_url()
    assert new_plan.status == "draft"
    assert new_plan.task_list == services.all_tasks(stored)
    assert new_plan.sections.count() == 1  # copied from this year's plan
    # Again: nothing is added twice.
    services.carry_tasks(stored, world.head)
    new_plan.refresh_from_db()
    assert len(new_plan.task_list) == 3
    new_plan.status = WorkPlan.Status.APPROVED
    new_plan.save()
    page = client.post(reverse("analysis_carry", args=[2021]), follow=True).content.decode()
    assert "уже утверждён или на утверждении" in page


def test_docx_layout_and_contents(world, login, year):
    post_notes(login(world.head), meetings=("Заседания прошли по плану.", "Четыре заседания"))
    response = login(world.department).get(reverse("analysis_file", args=[2021, "docx"]))
    assert response.status_code == 200
    doc = read_docx(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    # EMU are rounded to twips in the file: compare in millimetres.
    margins = [round(m.mm) for m in (section.left_margin, section.right_margin,
                                     section.top_margin, section.bottom_margin)]  # fmt: skip
    assert margins == [30, 15, 20, 20]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "АНАЛИЗ РАБОТЫ" in text
    assert "за 2021/2022 учебный год" in text
    assert "2. Заседания ММО" in text
    assert "Выводы: Заседания прошли по плану." in text
    assert "– Четыре заседания" in text
    assert "Год прошёл успешно." in text
    assert len(doc.tables) >= 5
    assert doc.tables[0].rows[0].cells[0].text == "№ п/п"


def test_access(world, login, year):
    url = reverse("analysis_detail", args=[2021])
    assert login(world.librarian).get(url).status_code == 403
    assert login(world.department).get(url).status_code == 200
    assert login(world.department).post(url, {"conclusion": "x"}).status_code == 403
    assert login(world.department).post(reverse("analysis_carry", args=[2021])).status_code == 403
    # The other district's head sees his own district's analysis, empty of ours.
    assert "Пункт 1" not in login(world.outsider).get(url).content.decode()


def test_api(world, login, year):
    post_notes(login(world.head), meetings=("Хорошо.", "Четыре заседания"))
    body = login(world.department).get("/api/analysis/2021").json()
    sections = {s["key"]: s for s in body["sections"]}
    assert body["title"] == "Анализ работы ММО за 2021/2022 учебный год"
    assert sections["meetings"]["figures"]["meetings"] == 2
    assert sections["meetings"]["tasks"] == ["Четыре заседания"]
    assert sections["stocktake"]["available"] is False
    assert login(world.librarian).get("/api/analysis/2021").status_code == 403


def test_page_query_count(world, login, year, django_assert_max_num_queries):
    # About five queries a section, however many records: fourteen sections.
    with django_assert_max_num_queries(80):
        assert login(world.head).get(reverse("analysis_detail", args=[2021])).status_code == 200


def test_the_general_conclusion_box_has_its_label(world, login, year):
    page = login(world.head).get(reverse("analysis_detail", args=[2021])).content.decode()
    assert '<label for="id_conclusion">Общие выводы</label>' in page


def test_pdf_through_libreoffice(world, login, year, settings):
    from bibliomo.lib import files

    if files.libreoffice() is None:
        pytest.skip("LibreOffice не установлен: проверка PDF пропущена (в CI он ставится)")
    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("The conversion is checked once, on SQLite")
    response = login(world.head).get(reverse("analysis_file", args=[2021, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_pdf_without_libreoffice_explains(world, login, year, monkeypatch):
    from bibliomo.lib import files

    monkeypatch.setattr(files, "libreoffice", lambda: None)
    response = login(world.head).get(reverse("analysis_file", args=[2021, "pdf"]))
    assert response.status_code == 503
    assert "LibreOffice не установлен" in response.content.decode()


def test_api_notes_and_carry(world, login, year):
    client = login(world.head)
    body = {"conclusion": "Итог", "sections": {"meetings": {"conclusions": "Хорошо",
            "tasks": ["Четыре заседания", "Гости из АКИПКРО"]}}}  # fmt: skip
    response = client.put("/api/analysis/2021/notes", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["conclusion"] == "Итог"
    bad = {"sections": {"nosuch": {"conclusions": "x"}}}
    response = client.put("/api/analysis/2021/notes", bad, content_type="application/json")
    assert response.status_code == 422
    assert "nosuch" in response.json()["detail"]
    carried = client.post("/api/analysis/2021/carry").json()
    assert carried["added"] == 2
    assert carried["tasks"] == ["Четыре заседания", "Гости из АКИПКРО"]
    assert login(world.department).post("/api/analysis/2021/carry").status_code == 403


def test_informing_and_partners(world):
    from bibliomo.bulletin.models import JointEvent, News, Newsletter, Partner

    for kind, day in (("news", at(2021, 10, 1)), ("webinar", at(2022, 1, 10)),
                      ("webinar", at(2022, 2, 1)), ("news", at(2021, 5, 1))):  # fmt: skip
        News.objects.create(district=world.district, kind=kind, title="Н", body="т",
                            published_at=day)  # fmt: skip
    Newsletter.objects.create(district=world.district, subject="Письмо", body="т",
                              created_by=world.head, sent_at=at(2021, 12, 1))  # fmt: skip
    partner = Partner.objects.create(district=world.district, kind="library", name="Библиотека")
    JointEvent.objects.create(partner=partner, date=dt.date(2022, 4, 23), title="Неделя книги",
                              participants=40)  # fmt: skip
    section = builder.build(world.district, 2021).section("informing")
    # 3 items of the year (one news, two webinar announcements); the May 2021 one is last year's.
    assert section.figures == {"news": 3, "newsletters": 1, "partners": 1, "joint_events": 1}
    assert section.summary[0] == (
        "Новостей и объявлений за год — 3 (анонс вебинара — 2, новость — 1), рассылок "
        "участникам ММО — 1. Социальных партнёров — 1, совместных мероприятий за год — 1."
    )
    assert section.tables[0].rows == [["23.04.2022", "Библиотека", "Неделя книги", "40"]]
