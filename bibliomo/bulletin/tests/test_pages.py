import datetime as dt

from django.urls import reverse
from django.utils import timezone

from bibliomo.bulletin.models import JointEvent, Material, News, Partner, Publication
from bibliomo.bulletin.tests.factories import bulletin_objects


def test_dashboard_shows_news_and_open_competitions(world, login):
    News.objects.create(district=world.district, kind="news", title="Новость района")
    News.objects.create(
        district=world.district,
        kind="competition",
        title="Конкурс чтецов",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    News.objects.create(district=world.other_district, kind="news", title="Чужая новость")
    html = login(world.librarian).get(reverse("dashboard")).content.decode()
    assert "Новость района" in html
    assert "Конкурс чтецов" in html
    assert "Чужая новость" not in html
    assert "заявки до" in html


def test_news_filters_and_search(world, login):
    News.objects.create(district=world.district, kind="webinar", title="Вебинар о каталоге")
    News.objects.create(
        district=world.district,
        kind="competition",
        title="Конкурс закрыт",
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    News.objects.create(
        district=world.district,
        kind="competition",
        title="Конкурс открыт",
        deadline=timezone.localdate(),
    )
    page = login(world.librarian)

    def titles(**params):
        return [n.title for n in page.get(reverse("news_list"), params).context["page"]]

    assert titles(kind="webinar") == ["Вебинар о каталоге"]
    assert titles(q="КАТАЛОГЕ") == ["Вебинар о каталоге"]
    assert titles(open="1") == ["Конкурс открыт"]


def test_rss_and_atom_feeds_show_public_news_only(world, client):
    News.objects.create(
        district=world.district, kind="webinar", title="Открытый анонс", body="<p>Текст</p>"
    )
    News.objects.create(
        district=world.district, kind="news", title="Только для своих", is_public=False
    )
    News.objects.create(district=world.other_district, kind="news", title="Соседи")
    rss = client.get(reverse("news_rss", args=[world.district.pk]))
    body = rss.content.decode()
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "Анонс вебинара: Открытый анонс" in body
    assert "Только для своих" not in body
    assert "Соседи" not in body
    atom = client.get(reverse("news_atom", args=[world.district.pk]))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Открытый анонс" in atom.content.decode()
    assert client.get(reverse("news_rss", args=[999999])).status_code == 404


def test_librarian_sees_own_publications_head_sees_all_with_counts(world, login):
    objects = bulletin_objects(world)
    Publication.objects.create(
        district=world.district,
        author=world.librarian_b,
        title="Чужая",
        venue_kind="site",
        venue="Сайт АКИПКРО",
        date=objects.publication.date,
        url="https://e.org",
    )
    own = login(world.librarian_b).get(reverse("publication_list"))
    assert [p.title for p in own.context["page"]] == ["Чужая"]
    assert own.context["stats"] is None
    head = login(world.head).get(reverse("publication_list"))
    assert len(head.context["page"]) == 2
    stats = head.context["stats"]
    assert stats.total == 2
    assert dict(stats.by_venue) == {"Сайт АКИПКРО": 2}
    assert "2 публикации" in head.content.decode()
    filtered = login(world.head).get(reverse("publication_list"), {"author": world.librarian_b.pk})
    assert [p.title for p in filtered.context["page"]] == ["Чужая"]


def test_others_cannot_change_a_members_publication_or_material(world, login):
    objects = bulletin_objects(world)
    other = login(world.librarian_b)
    assert (
        other.post(reverse("publication_delete", args=[objects.publication.pk])).status_code == 403
    )
    assert (
        other.post(
            reverse("material_edit", args=[objects.material.pk]),
            {"kind": "quest", "title": "x", "description": "y"},
        ).status_code
        == 403
    )
    assert Publication.objects.filter(pk=objects.publication.pk).exists()
    assert Material.objects.get().title == "Квест «Тайна старой книги»"
    # The head may correct them.
    login(world.head).post(
        reverse("material_edit", args=[objects.material.pk]),
        {"kind": "quest", "title": "Квест", "description": "y"},
    )
    assert Material.objects.get().title == "Квест"


def test_materials_filters_by_kind_grade_and_tag(world, login):
    def make(title, kind, g1, g2, tags):
        Material.objects.create(
            district=world.district,
            author=world.librarian,
            kind=kind,
            title=title,
            description="d",
            grade_from=g1,
            grade_to=g2,
            tags=tags,
        )

    make("Квест для малышей", "quest", 1, 4, "Чтение, игра")
    make("Памятка старшеклассникам", "leaflet", 9, 11, "учебники")
    make("Сценарий без классов", "scenario", None, None, "чтение")
    page = login(world.librarian_b)

    def titles(**params):
        return sorted(m.title for m in page.get(reverse("material_list"), params).context["page"])

    assert titles(grade="3") == ["Квест для малышей", "Сценарий без классов"]
    assert titles(kind="leaflet") == ["Памятка старшеклассникам"]
    assert titles(tag="ЧТЕНИЕ") == ["Квест для малышей", "Сценарий без классов"]
    assert titles(q="памятка") == ["Памятка старшеклассникам"]
    invalid = login(world.librarian).post(
        reverse("material_create"),
        {"kind": "quest", "title": "x", "description": "y", "grade_from": "7", "grade_to": "5"},
    )
    assert "не может быть меньше" in invalid.content.decode()


def test_partner_with_joint_events(world, login):
    partner = bulletin_objects(world).partner
    data = {
        "date": "2022-03-15",
        "title": "Урок в музее",
        "school": world.school_a.pk,
        "participants": "25",
    }
    assert (
        login(world.librarian).post(reverse("partner_detail", args=[partner.pk]), data).status_code
        == 403
    )
    login(world.head).post(reverse("partner_detail", args=[partner.pk]), data)
    event = JointEvent.objects.get()
    assert event.partner == partner
    assert event.participants == 25
    html = login(world.librarian).get(reverse("partner_list")).content.decode()
    assert "15.03.2022" in html
    listed = login(world.librarian).get(reverse("partner_list")).context["page"][0]
    assert listed.event_count == 1
    login(world.head).post(
        reverse("partner_create"), {"kind": "newspaper", "name": "Газета «Вести»"}
    )
    assert Partner.objects.filter(name="Газета «Вести»", district=world.district).exists()


def test_joint_event_links_an_event_of_the_district_only(world, login):
    from bibliomo.events.models import Event

    partner = bulletin_objects(world).partner
    ours = Event.objects.create(
        district=world.district, title="Неделя детской книги", starts_at=timezone.now()
    )
    theirs = Event.objects.create(
        district=world.other_district, title="Чужое", starts_at=timezone.now()
    )
    page = login(world.head)
    data = {"date": "2022-03-15", "title": "Громкие чтения"}
    refused = page.post(reverse("partner_detail", args=[partner.pk]), {**data, "event": theirs.pk})
    assert refused.status_code == 200
    assert not JointEvent.objects.exists()
    page.post(reverse("partner_detail", args=[partner.pk]), {**data, "event": ours.pk})
    assert JointEvent.objects.get().event == ours
    html = page.get(reverse("partner_detail", args=[partner.pk])).content.decode()
    assert ours.get_absolute_url() in html


def test_counts_use_three_russian_plural_forms(world, login):
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} материал"
        "{% plural %}{{ counter }} материала{% endblocktranslate %}"
    )
    with translation.override("ru"):
        rendered = [template.render(Context({"n": n})) for n in (1, 3, 5, 21)]
    assert rendered == ["1 материал", "3 материала", "5 материалов", "21 материал"]
