"""The home page's to-do list: each role sees what needs its action, with deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.consultations.models import Consultation
from bibliomo.directory import todo
from bibliomo.directory.models import AcademicYear
from bibliomo.events.models import Event
from bibliomo.exchange.models import Transfer
from bibliomo.orders.models import OrderCampaign, SchoolOrder

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def titles(user, district) -> list[str]:
    return [t.title for t in todo.tasks_for(user, district, TODAY)]


@pytest.fixture
def campaign(world):
    year = AcademicYear.open(TODAY.year + 1)
    campaign = OrderCampaign.objects.create(
        district=world.district, target_year=year, deadline=TODAY + dt.timedelta(days=5)
    )
    for school in (world.school_a, world.school_b):
        SchoolOrder.objects.create(campaign=campaign, school=school)
    return campaign


def test_nothing_to_do_is_said_plainly(world, login):
    page = login(world.librarian_b).get(reverse("dashboard")).content.decode()
    assert "Сейчас ничего делать не нужно" in page


def test_librarian_sees_her_order_with_days_left_and_a_returned_comment(world, campaign, login):
    [task] = [
        t for t in todo.tasks_for(world.librarian, world.district, TODAY) if "заказ" in t.title
    ]
    assert task.title.startswith("Заполнить и подать заказ учебников")
    assert task.due_text(TODAY) == f"до {campaign.deadline:%d.%m.%Y}, осталось 5 дней"
    order = campaign.orders.get(school=world.school_a)
    order.status, order.comment = SchoolOrder.Status.RETURNED, "Уточните физику"
    order.save()
    page = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert "Исправить и снова подать заказ" in page
    assert "Уточните физику" in page
    assert order.get_absolute_url() in page
    # Another school's order is not hers.
    assert not [t for t in titles(world.librarian_b, world.district) if "Исправить" in t]


def test_head_sees_schools_that_have_not_submitted_and_requests(world, campaign):
    assert any("2 школы ещё не подали" in t for t in titles(world.head, world.district))
    order = campaign.orders.get(school=world.school_b)
    order.status, order.reopen_request = SchoolOrder.Status.SUBMITTED, "Пришли новые ученики"
    order.save()
    head = titles(world.head, world.district)
    assert any("1 школа ещё не подала" in t for t in head)
    assert "Луговская СОШ просит вернуть заказ на доработку" in head
    department = titles(world.department, world.district)
    assert any("1 заказ ждёт утверждения" in t for t in department)
    # The other district's head sees none of it.
    assert not titles(world.outsider, world.other_district)


def test_consultations_new_overdue_and_answered(world):
    old = timezone.now() - dt.timedelta(days=20)
    Consultation.objects.create(
        district=world.district, author=world.librarian, category="fund",
        subject="Как списать учебники", question="?", waiting_since=old, created_at=old,
    )  # fmt: skip
    Consultation.objects.create(
        district=world.district, author=world.librarian_b, category="fund",
        subject="Про обмен", question="?", status=Consultation.Status.ANSWERED,
    )  # fmt: skip
    [overdue] = [t for t in todo.tasks_for(world.head, world.district, TODAY) if t.overdue]
    assert "Как списать учебники" in overdue.title
    assert overdue.note == "просрочен"
    assert "Ваш вопрос ждёт ответа: «Как списать учебники»" in titles(
        world.librarian, world.district
    )
    assert "Прочитайте ответ: «Про обмен»" in titles(world.librarian_b, world.district)


def test_this_months_webinar_is_on_the_list_without_a_doubled_word(world):
    last = TODAY.replace(day=28) if TODAY.day <= 28 else TODAY
    starts = timezone.make_aware(dt.datetime.combine(last, dt.time(23, 0)))
    Event.objects.create(
        district=world.district, kind=Event.Kind.WEBINAR, title="Вебинар АКИПКРО о ФПУ",
        starts_at=starts,
    )  # fmt: skip
    Event.objects.create(
        district=world.district, kind=Event.Kind.SEMINAR, title="Электронные ресурсы",
        starts_at=starts,
    )  # fmt: skip
    got = titles(world.librarian, world.district)
    assert any(t.endswith("Вебинар АКИПКРО о ФПУ") and "Вебинар: Вебинар" not in t for t in got)
    assert any(t.endswith("Семинар: Электронные ресурсы") for t in got)


def test_transfers_waiting_for_the_giver(world):
    t = Transfer.objects.create(
        district=world.district, giver=world.school_a, taker=world.school_b, origin="request"
    )
    assert f"Согласовать передачу учебников в «{world.school_b.short_name}»" in titles(
        world.librarian, world.district
    )
    assert not [x for x in titles(world.librarian_b, world.district) if "Согласовать" in x]
    assert "1 передача ждёт согласования школой" in titles(world.department, world.district)
    t.status = Transfer.Status.SHIPPED
    t.save()
    assert f"Принять учебники от «{world.school_a.short_name}»" in titles(
        world.librarian_b, world.district
    )
    assert not [x for x in titles(world.department, world.district) if "передач" in x]


def test_dashboard_query_count_is_bounded(world, campaign, login, django_assert_max_num_queries):
    for i in range(30):
        Consultation.objects.create(
            district=world.district, author=world.librarian, category="fund",
            subject=f"Вопрос {i}", question="?",
        )  # fmt: skip
    client = login(world.head)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("dashboard"))
    assert "Ещё 24 вопроса ждут ответа" in response.content.decode()
