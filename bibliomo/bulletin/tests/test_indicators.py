import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bibliomo.bulletin import selectors, services
from bibliomo.bulletin.models import News, Newsletter, Publication
from bibliomo.bulletin.tests.factories import bulletin_objects
from bibliomo.plans.models import ExecutionStatus, PlanItem, PlanItemExecution
from bibliomo.plans.tests.factories import make_item, make_plan, make_section


@pytest.fixture
def plan_items(world):
    """The two items of the founding plan the bulletin reports to, in this year's plan."""
    start = (
        timezone.localdate().year
        if timezone.localdate().month >= 9
        else (timezone.localdate().year - 1)
    )
    plan = make_plan(world.district, start)
    methodical = make_section(plan, "Методическая работа")
    informing = make_section(plan, "Информационное сопровождение")
    publications = make_item(
        methodical,
        "Знакомство с работой библиотек, БИЦ Алтайского края с помощью средств массовой "
        "информации.",
        indicator=PlanItem.Indicator.PUBLICATIONS,
    )
    webinars = make_item(
        informing,
        "Информирование о проведении краевых вебинаров проводимых АКИПКРО, "
        "профессиональных конкурсах",
        indicator=PlanItem.Indicator.PARTICIPANTS,
        fed_by=PlanItem.FedBy.INFORMING,
    )
    # Another «participants» item that is not about informing: left alone.
    other = make_item(
        informing,
        "Организация участия членов МО в вебинарах АКИПКРО",
        indicator=PlanItem.Indicator.PARTICIPANTS,
    )
    return publications, webinars, other


def _publication_data(**extra):
    return {
        "title": "Статья",
        "venue_kind": "site",
        "venue": "Сайт АКИПКРО",
        "date": timezone.localdate().isoformat(),
        "url": "https://example.org/a",
        **extra,
    }


def test_publications_count_updates_the_plan_item(world, login, plan_items):
    publications_item, _, _ = plan_items
    login(world.librarian).post(reverse("publication_create"), _publication_data())
    login(world.librarian_b).post(
        reverse("publication_create"), _publication_data(venue="Журнал «Школьная библиотека»")
    )
    record = PlanItemExecution.objects.get(item=publications_item)
    assert record.indicator_value == 2
    assert record.status == ExecutionStatus.DONE
    assert "Сайт АКИПКРО — 1" in record.note
    # Deleting one recounts the same record (idempotent per item and source).
    publication = Publication.objects.get(author=world.librarian)
    login(world.librarian).post(reverse("publication_delete", args=[publication.pk]))
    record = PlanItemExecution.objects.get(item=publications_item)
    assert record.indicator_value == 1
    # Moving the last one to a year without a plan takes it out of this year's count.
    last = Publication.objects.get()
    login(world.librarian_b).post(
        reverse("publication_edit", args=[last.pk]), _publication_data(date="2015-10-01")
    )
    record = PlanItemExecution.objects.get(item=publications_item)
    assert record.indicator_value == 0
    assert record.status == ExecutionStatus.IN_PROGRESS


def test_webinar_news_and_newsletter_update_the_informing_item(world, login, plan_items):
    _, webinars_item, other = plan_items
    page = login(world.head)
    page.post(
        reverse("news_create"), {"kind": "webinar", "title": "Вебинар АКИПКРО", "participants": "9"}
    )
    page.post(reverse("news_create"), {"kind": "news", "title": "Просто новость"})
    records = PlanItemExecution.objects.filter(item=webinars_item)
    assert [(r.indicator_value, r.note) for r in records] == [
        (9, "Анонс вебинара: Вебинар АКИПКРО")
    ]
    assert not PlanItemExecution.objects.filter(item=other).exists()
    webinar = News.objects.get(kind="webinar")
    # Editing the news (participants now known better) updates the same record.
    page.post(
        reverse("news_edit", args=[webinar.pk]),
        {"kind": "webinar", "title": "Вебинар АКИПКРО", "participants": "11"},
    )
    assert [r.indicator_value for r in PlanItemExecution.objects.filter(item=webinars_item)] == [11]
    letter = Newsletter.objects.create(district=world.district, subject="Анонс", body="x")
    letter.news.add(webinar)
    services.send_newsletter(letter, world.head)
    newsletter_record = (
        PlanItemExecution.objects.filter(item=webinars_item).exclude(pk=records[0].pk).get()
    )
    assert "рассылка «Анонс»: писем — 5" in newsletter_record.note
    assert newsletter_record.evidence_url.endswith(letter.get_absolute_url())


def test_without_a_plan_nothing_is_recorded(world, login):
    login(world.head).post(reverse("news_create"), {"kind": "competition", "title": "Конкурс"})
    login(world.librarian).post(reverse("publication_create"), _publication_data())
    assert News.objects.count() == 1
    assert Publication.objects.count() == 1
    assert not PlanItemExecution.objects.exists()


def test_publication_stats_per_member_and_venue_for_the_academic_year(world):
    def pub(author, venue, day):
        Publication.objects.create(
            district=world.district,
            author=author,
            title="t",
            venue_kind="site",
            venue=venue,
            date=day,
            url="https://e.org",
        )

    pub(world.librarian, "Сайт АКИПКРО", dt.date(2021, 9, 1))
    pub(world.librarian, "Сайт АКИПКРО", dt.date(2022, 8, 31))
    pub(world.librarian_b, "«Первое сентября»", dt.date(2022, 1, 10))
    pub(world.librarian_b, "Сайт АКИПКРО", dt.date(2022, 9, 1))  # next academic year
    stats = selectors.publication_stats(world.district.pk, 2021)
    assert stats.total == 3
    assert [(p.username, n) for p, n in stats.by_author] == [("librarian", 2), ("librarian_b", 1)]
    assert stats.by_venue == [("Сайт АКИПКРО", 2), ("«Первое сентября»", 1)]


def test_documents_newsletter_and_joint_events_update_their_items(world, login, plan_items):
    plan = plan_items[0].section.plan
    section = plan.sections.get(title="Информационное сопровождение")
    documents_item = make_item(
        section,
        "Информирование об официальных документах, определяющих и регламентирующих "
        "деятельность библиотек.",
        fed_by=PlanItem.FedBy.DOCUMENTS,
    )
    partnership_item = make_item(
        plan.sections.get(title="Методическая работа"),
        "Социальное партнерство в работе школьной библиотеки.",
        fed_by=PlanItem.FedBy.PARTNERSHIP,
    )
    objects = bulletin_objects(world)
    letter = objects.newsletter
    letter.documents.add(objects.document)
    services.send_newsletter(letter, world.head)
    record = PlanItemExecution.objects.get(item=documents_item)
    assert "Федеральный закон от 29.12.1994 № 78-ФЗ" in record.note
    assert record.created_by == world.head
    page = login(world.head)
    page.post(
        reverse("partner_detail", args=[objects.partner.pk]),
        {
            "date": timezone.localdate().isoformat(),
            "title": "Урок в музее",
            "school": world.school_a.pk,
            "participants": "25",
        },
    )
    record = PlanItemExecution.objects.get(item=partnership_item)
    assert record.indicator_value == 25
    assert "Краеведческий музей" in record.note
    event = objects.partner.events.get()
    page.post(reverse("joint_event_delete", args=[event.pk]))
    assert not PlanItemExecution.objects.filter(item=partnership_item).exists()


def test_deleting_news_removes_its_execution_record(world, login, plan_items):
    _, webinars_item, _ = plan_items
    page = login(world.head)
    page.post(reverse("news_create"), {"kind": "webinar", "title": "Вебинар"})
    assert PlanItemExecution.objects.filter(item=webinars_item).count() == 1
    page.post(reverse("news_delete", args=[News.objects.get().pk]))
    assert not PlanItemExecution.objects.filter(item=webinars_item).exists()


def test_the_link_is_the_heads_choice_not_the_wording(world, login, plan_items):
    """A reworded item keeps its feed; an item that merely mentions the words gets none."""
    _, webinars_item, other = plan_items
    webinars_item.content = "Рассказ коллегам о краевых онлайн-семинарах"
    webinars_item.save()
    other.content = "Информирование о проведении краевых вебинаров (без учёта)"
    other.save()
    login(world.head).post(
        reverse("news_create"),
        {"kind": "webinar", "title": "Вебинар АКИПКРО", "participants": "9"},
    )
    assert PlanItemExecution.objects.filter(item=webinars_item).count() == 1
    assert not PlanItemExecution.objects.filter(item=other).exists()


def test_the_plan_editor_offers_the_choice(world, login, plan_items):
    _, webinars_item, _ = plan_items
    page = login(world.head).get(reverse("item_edit", args=[webinars_item.pk]))
    html = page.content.decode()
    assert 'name="fed_by"' in html
    assert "Совместные мероприятия с партнёрами" in html
