import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bibliomo.directory.models import AcademicYear
from bibliomo.plans import demo, services
from bibliomo.plans import timing as tm
from bibliomo.plans.models import PlanItem, PlanItemExecution, PlanSection, WorkPlan
from bibliomo.plans.tests.factories import make_item, make_plan, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_plan(world):
    return demo.build(world.district, AcademicYear.open(2021))


def test_everyone_in_district_sees_the_plan_as_the_document(world, login, seed_plan):
    html = login(world.librarian_b).get(reverse("plan_detail", args=[seed_plan.pk])).content
    html = html.decode()
    for text in (
        "Содержание деятельности",
        "Ожидаемый результат/ показатель выполнения",
        "Май–сентябрь",
        "По заявкам библиотекарей",
        "Тема выступления",
        "Квест- как форма работы по продвижению чтения.",
        "2. Информационное сопровождение",
    ):
        assert text in html
    assert login(world.outsider).get(seed_plan.get_absolute_url()).status_code == 404


def test_head_builds_a_plan_with_sections_items_and_subitems(world, login):
    client = login(world.head)
    response = client.post(
        reverse("plan_create"),
        {"start_year": 2024, "title": "План на 2024-2025", "theme": "Т", "goal": "Ц",
         "tasks": "- одна\n- две"},
    )  # fmt: skip
    plan = WorkPlan.objects.get(year__start_year=2024)
    assert response.url == plan.get_absolute_url()
    client.post(reverse("section_create", args=[plan.pk]), {"title": "Методическая работа",
                "number": "", "layout": "full"})  # fmt: skip
    section = plan.sections.get()
    response = client.post(
        reverse("item_create", args=[section.pk]),
        {"number": "4", "content": "Семинар", "responsible": "Руководитель ММО",
         "timing_kind": "months", "month_from": "5", "month_to": "9", "place": "ОУ",
         "expected_result": "Количество участников", "indicator": "participants",
         "responsible_people": [world.librarian.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    item = section.items.get()
    assert (item.number, item.timing_text) == ("4", "Май–сентябрь")
    client.post(
        reverse("item_create", args=[section.pk]) + f"?parent={item.pk}",
        {"number": "1", "content": "Тема первая", "parent": item.pk},
    )
    child = PlanItem.objects.get(parent=item)
    assert child.content == "Тема первая"
    assert child.section == section
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Тема первая" in html
    assert "Май–сентябрь" in html
    # The item records who changed it.
    assert item.history.first().history_user == world.head


def test_item_form_requires_month_for_month_timing(world, login):
    section = make_section(make_plan(world.district))
    response = login(world.head).post(
        reverse("item_create", args=[section.pk]),
        {"number": "1", "content": "X", "timing_kind": "months"},
    )
    assert response.status_code == 200
    assert "Укажите месяц." in response.content.decode()
    assert not section.items.exists()


def test_only_head_edits_and_only_while_the_plan_is_editable(world, login):
    plan = make_plan(world.district)
    item = make_item(make_section(plan))
    url = reverse("item_edit", args=[item.pk])
    assert login(world.librarian).get(url).status_code == 403
    assert login(world.department).get(url).status_code == 403
    assert login(world.outsider).get(url).status_code == 404
    assert login(world.head).get(url).status_code == 200
    plan.status = WorkPlan.Status.APPROVED
    plan.save()
    assert login(world.head).get(url).status_code == 403
    assert login(world.head).post(url, {"number": "1", "content": "new"}).status_code == 403
    item.refresh_from_db()
    assert item.content != "new"


def test_submit_approve_return_reopen(world, login, mailoutbox):
    plan = make_plan(world.district)
    action = lambda name: reverse("plan_action", args=[plan.pk, name])  # noqa: E731
    assert login(world.librarian).post(action("submit")).status_code == 403
    login(world.head).post(action("submit"))
    plan.refresh_from_db()
    assert plan.status == "submitted"
    assert [m.to for m in mailoutbox] == [[world.department.email]]
    assert plan.get_absolute_url() in mailoutbox[0].body
    assert login(world.head).post(action("approve")).status_code == 403
    # Returning needs a comment.
    login(world.department).post(action("return"), {"comment": " "})
    plan.refresh_from_db()
    assert plan.status == "submitted"
    login(world.department).post(action("return"), {"comment": "Добавьте сроки"})
    plan.refresh_from_db()
    assert (plan.status, plan.return_comment) == ("returned", "Добавьте сроки")
    assert mailoutbox[-1].to == [world.head.email]
    assert "Добавьте сроки" in mailoutbox[-1].body
    html = login(world.head).get(plan.get_absolute_url()).content.decode()
    assert "Добавьте сроки" in html
    login(world.head).post(action("submit"))
    login(world.department).post(action("approve"))
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert plan.approved_by == world.department
    assert plan.approved_on == timezone.localdate()
    assert plan.return_comment == ""
    login(world.department).post(action("reopen"))
    plan.refresh_from_db()
    assert plan.status == "draft"
    assert plan.approved_by is None
    assert plan.history.count() >= 6


def test_copy_last_years_plan_into_a_new_year(world, login, seed_plan):
    response = login(world.head).post(
        reverse("plan_copy", args=[seed_plan.pk]), {"start_year": 2022}
    )
    copy = WorkPlan.objects.get(year__start_year=2022)
    assert response.url == copy.get_absolute_url()
    assert copy.status == "draft"
    assert "2022-2023 учебный год" in copy.title
    assert PlanItem.objects.filter(section__plan=copy).count() == 15
    assert copy.sections.get(layout="participation").title.endswith("2022-2023 учебный год")
    # Twice into the same year is refused.
    login(world.head).post(reverse("plan_copy", args=[seed_plan.pk]), {"start_year": 2022})
    assert WorkPlan.objects.filter(year__start_year=2022).count() == 1
    assert (
        login(world.librarian)
        .post(reverse("plan_copy", args=[seed_plan.pk]), {"start_year": 2023})
        .status_code
        == 403
    )


def test_marking_an_item_done_changes_section_progress(world, login):
    plan = make_plan(world.district, 2021)
    section = make_section(plan)
    item = make_item(section, "Вебинар", timing=tm.Timing(tm.YEAR))
    make_item(section, "Второй")
    client = login(world.head)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f'data-section-progress="{section.pk}">Выполнено 0 из 2' in html
    response = client.post(
        reverse("plan_item", args=[item.pk]),
        {"date": "2021-10-01", "status": "done", "note": "Провели"},
    )
    assert response.status_code == 302
    record = PlanItemExecution.objects.get()
    assert (record.note, record.created_by) == ("Провели", world.head)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f'data-section-progress="{section.pk}">Выполнено 1 из 2' in html


def test_plan_page_sums_indicator_values(world, login):
    item = make_item(make_section(make_plan(world.district)), indicator="publications")
    for value in (3, 4):
        services.record_execution(item, date=dt.date(2021, 12, 1), status="done",
                                  indicator_value=value)  # fmt: skip
    html = login(world.librarian).get(item.section.plan.get_absolute_url()).content.decode()
    assert "Количество публикаций: <strong>7</strong>" in html


def test_who_records_execution(world, login):
    item = make_item(make_section(make_plan(world.district)))
    item.responsible_people.set([world.librarian])
    data = {"date": "2021-10-01", "status": "in_progress"}
    url = reverse("plan_item", args=[item.pk])
    assert login(world.librarian_b).post(url, data).status_code == 403
    assert login(world.outsider).post(url, data).status_code == 404
    assert login(world.librarian).post(url, data).status_code == 302
    assert item.executions.get().created_by == world.librarian


def test_evidence_file_is_checked_and_served_inside_the_district(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_item(make_section(make_plan(world.district)))
    url = reverse("plan_item", args=[item.pk])
    fake = SimpleUploadedFile("act.pdf", b"not a pdf at all", content_type="application/pdf")
    response = login(world.head).post(url, {"date": "2021-10-01", "status": "done",
                                             "evidence_file": fake})  # fmt: skip
    assert response.status_code == 200
    assert "не соответствует" in response.content.decode()
    assert not item.executions.exists()
    pdf = SimpleUploadedFile("act.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    login(world.head).post(url, {"date": "2021-10-01", "status": "done", "evidence_file": pdf})
    record = item.executions.get()
    file_url = reverse("execution_file", args=[record.pk])
    assert login(world.librarian_b).get(file_url).status_code == 200
    assert login(world.outsider).get(file_url).status_code == 404


def test_item_page_shows_history_and_executions(world, login, django_assert_max_num_queries):
    item = make_item(make_section(make_plan(world.district)), "Вебинар")
    item.content = "Вебинар АКИПКРО"
    item._history_user = world.head
    item.save()
    services.record_execution(item, date=dt.date(2021, 11, 2), status="done", note="Было 12",
                              indicator_value=12, user=world.head)  # fmt: skip
    client = login(world.librarian)
    html = client.get(reverse("plan_item", args=[item.pk])).content.decode()
    assert "создан" in html
    assert "изменено: содержание" in html
    for n in range(60):
        item.place = f"Место {n}"
        item.save()
    with django_assert_max_num_queries(15):
        html = client.get(reverse("plan_item", args=[item.pk])).content.decode()
    assert "изменено: место проведения" in html
    item.place = ""
    item.save()
    html = client.get(reverse("plan_item", args=[item.pk])).content.decode()
    assert "История изменений пункта" in html
    assert "Было 12" in html
    assert "02.11.2021" in html


def test_move_and_delete(world, login):
    plan = make_plan(world.district)
    section = make_section(plan)
    first, second = make_item(section, "Первый"), make_item(section, "Второй")
    client = login(world.head)
    client.post(reverse("plan_move", args=["item", second.pk, "up"]))
    assert list(section.items.order_by("order").values_list("content", flat=True)) == [
        "Второй",
        "Первый",
    ]
    services.record_execution(first, date=dt.date(2021, 10, 1), status="done")
    client.post(reverse("plan_delete", args=["item", first.pk]))
    assert PlanItem.objects.filter(pk=first.pk).exists()  # it has execution records
    client.post(reverse("plan_delete", args=["item", second.pk]))
    assert not PlanItem.objects.filter(pk=second.pk).exists()
    assert client.post(reverse("plan_delete", args=["plan", plan.pk])).status_code == 404
    assert client.post(reverse("plan_move", args=["item", first.pk, "left"])).status_code == 404


def test_calendar_places_items_in_their_months(world, login, seed_plan):
    html = login(world.librarian).get(reverse("plan_calendar", args=[seed_plan.pk])).content
    html = html.decode()
    assert html.count("Консультирование по инвентаризации") == 5  # Sep and May–Aug
    assert "Организация и проведение заседаний" in html  # March
    assert "В течение года" in html
    assert "По заявкам библиотекарей" in html


def test_dashboard_lists_what_is_planned_this_month(world, login):
    today = timezone.localdate()
    plan = make_plan(world.district, AcademicYear.objects.current().start_year)
    section = make_section(plan)
    make_item(section, "Заседание этого месяца", timing=tm.Timing(tm.MONTHS, today.month))
    other = today.month % 12 + 1
    make_item(section, "Другой месяц", timing=tm.Timing(tm.MONTHS, other, other))
    make_item(section, "Точная дата", timing=tm.Timing(tm.DATE, date=today))
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert "Что запланировано на этот месяц" in html
    assert "Заседание этого месяца" in html
    assert "Точная дата" in html
    assert "Другой месяц" not in html


def test_dashboard_without_a_plan_says_so(world, login):
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert "План на текущий учебный год ещё не составлен" in html


def test_plan_page_query_count_is_bounded(world, login, django_assert_max_num_queries):
    plan = make_plan(world.district)
    sections = [make_section(plan, f"Раздел {n}") for n in range(6)]
    items = [
        PlanItem(section=sections[n % 6], number=str(n), order=n, content=f"Пункт {n}",
                 timing_kind=tm.YEAR)
        for n in range(300)
    ]  # fmt: skip
    PlanItem.objects.bulk_create(items)
    items = list(PlanItem.objects.filter(section__plan=plan))
    for item in items[:50]:
        item.responsible_people.add(world.librarian)
        services.record_execution(item, date=dt.date(2021, 10, 1), status="done")
    for item in items[:40]:
        PlanItem.objects.create(section=item.section, parent=item, number="1", content="Тема")
    for user in (world.head, world.librarian):
        client = login(user)
        with django_assert_max_num_queries(15):
            response = client.get(plan.get_absolute_url())
        assert response.status_code == 200
        assert "Пункт 299" in response.content.decode()
        with django_assert_max_num_queries(15):
            assert client.get(reverse("plan_calendar", args=[plan.pk])).status_code == 200


def test_plan_list_and_current(world, login, seed_plan):
    html = login(world.librarian).get(reverse("plan_list")).content.decode()
    assert "2021/2022 учебный год" in html
    assert login(world.librarian).get(reverse("plan_current")).url == reverse("plan_list")
    assert PlanSection.objects.filter(plan=seed_plan).count() == 4


def test_a_copy_marks_items_that_name_last_years_dates(world, login):
    from bibliomo.plans.staleness import stale_mentions

    assert stale_mentions("Заседание 24.03.2022, отчёт за 2021 г.", 2022) == ["24.03.2022", "2021"]
    assert stale_mentions("К 01.10.2022 и в 2023 году", 2022) == []
    plan = make_plan(world.district, 2021)
    section = make_section(plan)
    make_item(section, "Заседание ММО 24.03.2022: итоги 2021 года")
    make_item(section, "Работа с фондом в течение года")
    client = login(world.head)
    response = client.post(reverse("plan_copy", args=[plan.pk]), {"start_year": 2022}, follow=True)
    page = response.content.decode()
    assert "1 пункт называет даты прошлого года" in page
    assert "Проверьте даты после копирования: в тексте 24.03.2022, 2021." in page
    copy = WorkPlan.objects.get(year__start_year=2022)
    stale = PlanItem.objects.get(section__plan=copy, content__startswith="Заседание")
    fresh = PlanItem.objects.get(section__plan=copy, content__startswith="Работа")
    assert stale.review_note
    assert not fresh.review_note
