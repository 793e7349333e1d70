"""The circulation desk on the home page's to-do list: what the school's librarian must
collect, settle, promote and issue, with its date and a link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bibliomo.circulation import services
from bibliomo.circulation.models import Loan
from bibliomo.circulation.tests.conftest import DAY, YEAR, make_class, stock
from bibliomo.directory import todo

pytestmark = pytest.mark.django_db

RETURN_BY = dt.date(YEAR + 1, 6, 15)  # the classes' default return date


def desk_tasks(user, district, today: dt.date) -> list[todo.Task]:
    return [t for t in todo.tasks_for(user, district, today) if t.section == "Выдача учебников"]


def test_a_class_set_due_back_soon_then_overdue(world, desk):
    services.issue_set(desk.classroom, day=DAY)
    # In May the return date is far off: nothing to do yet.
    assert desk_tasks(world.librarian, world.district, dt.date(YEAR + 1, 5, 20)) == []

    [soon] = desk_tasks(world.librarian, world.district, dt.date(YEAR + 1, 6, 5))
    assert soon.title == "Принять учебники: 5 А класс"
    assert soon.url == desk.classroom.get_absolute_url()
    assert (soon.deadline, soon.note, soon.overdue) == (RETURN_BY, "на руках 5 экз.", False)

    services.return_loans(Loan.objects.filter(pupil=desk.pupils[0]), day=RETURN_BY)
    [late] = desk_tasks(world.librarian, world.district, dt.date(YEAR + 1, 6, 20))
    assert late.title == "Собрать учебники, не сданные в срок: 5 А класс"
    assert late.note == "не сдано 3 экз." and late.overdue
    assert late.url == reverse("circulation_debtors", args=[world.school_a.pk]) + (
        f"?class={desk.classroom.pk}"
    )
    # Pupils' names and the debts of school A are nobody else's business.
    for other in (world.librarian_b, world.department):
        assert desk_tasks(other, world.district, dt.date(YEAR + 1, 6, 20)) == []


def test_a_school_gets_one_line_for_all_its_late_classes(world, desk):
    stock(world.school_a, desk.math, 20)
    stock(world.school_a, desk.hist, 20)
    other, _ = make_class(world.school_a, 5, "Б", 2)
    services.issue_sets([desk.classroom, other], day=DAY)
    [late] = desk_tasks(world.librarian, world.district, dt.date(YEAR + 1, 6, 20))
    assert late.title == "Собрать учебники, не сданные в срок"
    assert late.note == "не сдано 10 экз.: 5 А, 5 Б"
    assert late.url == reverse("circulation_debtors", args=[world.school_a.pk])
    [soon] = desk_tasks(world.librarian, world.district, dt.date(YEAR + 1, 6, 10))
    assert (soon.title, soon.note) == ("Принять учебники у классов", "на руках 10 экз.: 5 А, 5 Б")


def test_books_given_to_teachers_are_collected_too(world, desk):
    services.issue(
        world.school_a, desk.math, 2, kind=Loan.Kind.TEACHER, holder="Петрова А. И.", day=DAY
    )
    Loan.objects.update(due_on=DAY + dt.timedelta(days=30))
    [task] = [
        t
        for t in desk_tasks(world.librarian, world.district, DAY + dt.timedelta(days=40))
        if "в срок" in t.title
    ]
    assert task.title == "Собрать учебники, не сданные в срок: учителя и кабинеты"
    assert task.url == reverse("circulation_debtors", args=[world.school_a.pk])


def test_a_lost_book_waits_for_its_act(world, desk):
    services.issue_set(desk.classroom, day=DAY)
    loan = Loan.objects.filter(pupil=desk.pupils[0], entry=desk.math).get()
    services.return_loans([loan], Loan.Condition.LOST, day=DAY)
    [lost] = [t for t in desk_tasks(world.librarian, world.district, DAY) if "утерянные" in t.title]
    assert lost.title == "Оформить утерянные учебники: замена или списание"
    assert lost.note == "ждут акта: 1 экз."
    assert lost.url == reverse("circulation_lost", args=[world.school_a.pk])
    services.settle_lost(world.school_a, [loan], replaced=False, number="1", day=DAY)
    assert not [t for t in desk_tasks(world.librarian, world.district, DAY) if "утерян" in t.title]


def test_the_new_years_set_not_issued_then_issued(world, desk):
    make_class(world.school_a, 7, "А", 2)  # no curriculum for grade 7: nothing to issue
    [task] = desk_tasks(world.librarian, world.district, DAY)
    assert task.title == "Выдать комплекты учебников на 2025/2026 учебный год"
    assert task.note == "не выданы: 5 А"
    assert task.deadline == dt.date(YEAR, 9, 1) and task.overdue
    assert task.url == reverse("circulation_school", args=[world.school_a.pk]) + f"?year={YEAR}"
    services.issue_set(desk.classroom, day=DAY)
    assert desk_tasks(world.librarian, world.district, DAY) == []


def test_classes_not_promoted_for_the_new_year(world, desk):
    services.issue_set(desk.classroom, day=DAY)
    autumn = dt.date(YEAR + 1, 9, 3)
    got = {t.title: t for t in desk_tasks(world.librarian, world.district, autumn)}
    promote = got["Перевести классы на 2026/2027 учебный год"]
    assert promote.url == (
        reverse("circulation_promote", args=[world.school_a.pk]) + f"?year={YEAR}"
    )
    assert promote.deadline == dt.date(YEAR + 1, 9, 1) and promote.overdue
    # Last year's class keeps its year, so «5 А» is not mistaken for this year's 5 А.
    assert "Собрать учебники, не сданные в срок: 5 А класс 2025/2026 учебного года" in got
    services.promote(world.school_a, YEAR, {desk.classroom.pk: 6})
    got = [t.title for t in desk_tasks(world.librarian, world.district, autumn)]
    assert not [t for t in got if t.startswith("Перевести")]


def test_the_home_page_shows_them_in_bounded_queries(
    world, desk, login, django_assert_max_num_queries
):
    stock(world.school_a, desk.math, 400)
    stock(world.school_a, desk.hist, 400)
    classes = [desk.classroom] + [
        make_class(world.school_a, 5, letter, 20)[0] for letter in "БВГДЕЖЗ"
    ]
    services.issue_sets(classes[:4], day=DAY)
    lost = Loan.objects.filter(classroom=classes[1])[:3]
    services.return_loans(Loan.objects.filter(pk__in=[ln.pk for ln in lost]), "lost", day=DAY)
    with django_assert_max_num_queries(4):
        tasks = todo.circulation(world.librarian, world.district, DAY)
    assert [t.title for t in tasks] == [
        "Оформить утерянные учебники: замена или списание",
        "Выдать комплекты учебников на 2025/2026 учебный год",
    ]
    assert tasks[1].note == "не выданы: 5 Д, 5 Е, 5 Ж, 5 З"
    # The page itself is opened today, whatever the year: the lost copies wait still.
    client = login(world.librarian)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("dashboard")).content.decode()
    assert "Выдача учебников" in page
    assert "Оформить утерянные учебники: замена или списание" in page
    assert reverse("circulation_lost", args=[world.school_a.pk]) in page
