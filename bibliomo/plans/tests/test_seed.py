"""The demo plan is the seed, word for word: every cell of the stored plan is checked
against the extracted text of the founding document."""

import re

import pytest

from bibliomo.directory.models import AcademicYear
from bibliomo.plans import demo
from bibliomo.plans.models import PlanItem, PlanSection

pytestmark = pytest.mark.django_db

# The extraction split this cell around the next column («библиотека … ри Май-»).
INTERLEAVED = {
    "Все библиотекари Каменского района": ["Все библиотека", "Каменского района", "ри Май"],
}


def squash(text: str) -> str:
    """Whitespace is the extraction's noise (line breaks inside cells, words split by
    hyphenation at a line end without a hyphen, double spaces): compare without it."""
    return re.sub(r"\s+", "", text).replace("–", "-")


@pytest.fixture
def seed() -> str:
    return squash(demo.SEED.read_text(encoding="utf-8"))


@pytest.fixture
def plan(world):
    return demo.build(world.district, AcademicYear.open(2021))


def assert_in_seed(text: str, seed: str) -> None:
    if text in INTERLEAVED:
        position = 0
        for fragment in INTERLEAVED[text]:
            position = seed.find(squash(fragment), position)
            assert position >= 0, fragment
        return
    assert squash(text) in seed, text


def test_header_theme_goal_and_five_tasks_are_the_seeds(plan, seed):
    assert_in_seed(plan.title, seed)
    assert_in_seed(f"Тема: {plan.theme}", seed)
    assert_in_seed(f"Цель деятельности ММО: {plan.goal}", seed)
    assert len(plan.task_list) == 5
    for task in plan.task_list:
        assert_in_seed(f"- {task}", seed)


def test_every_cell_of_every_item_is_in_the_seed(plan, seed):
    items = PlanItem.objects.filter(section__plan=plan)
    assert items.count() == 15
    for item in items:
        for text in (item.content, item.responsible, item.place, item.expected_result):
            if text:
                assert_in_seed(text, seed)
        assert_in_seed(item.timing_text, seed)


def test_sections_and_numbers_as_printed_with_their_gaps(plan):
    sections = list(plan.sections.order_by("order"))
    assert [s.heading for s in sections] == [
        "Организационные мероприятия",
        "Методическая работа",
        "2. Информационное сопровождение",
        "Участие библиотекарей и педагогов-библиотекарей в методической работе "
        "2021-2022 учебный год",
    ]
    numbers = [[i.number for i in s.items.filter(parent=None).order_by("order")] for s in sections]
    assert numbers == [["1", "2"], ["1", "4", "6", "7", "9"], ["1", "2"], ["1", "2"]]
    assert sections[3].layout == PlanSection.Layout.PARTICIPATION


def test_march_meeting_has_its_four_topics(plan, seed):
    meeting = PlanItem.objects.get(section__plan=plan, content__startswith="Вопросы заседания")
    assert meeting.subitems_title == "Тема выступления"
    topics = list(meeting.children.order_by("order"))
    assert [t.number for t in topics] == ["1", "2", "3", "4"]
    assert topics[1].content == "Квест- как форма работы по продвижению чтения."
    assert_in_seed(f"№ {meeting.subitems_title}", seed)


def test_structured_timing_and_indicators(plan):
    def item(start: str) -> PlanItem:
        return PlanItem.objects.get(section__plan=plan, content__startswith=start)

    assert item("Консультирование по").timing_text == "Май–сентябрь"
    assert item("Организация и проведение").timing_text == "Март"
    assert item("Оказание методической").timing_text == "По заявкам библиотекарей"
    assert item("Знакомство с работой").indicator == PlanItem.Indicator.PUBLICATIONS


def test_demo_loader_is_idempotent_and_starts_the_current_year(db):
    from bibliomo.directory import demo as directory_demo

    directory_demo.load()
    demo.load()
    demo.load()
    district = directory_demo.District.objects.get(name="Каменский район")
    plans = list(district.plans.order_by("year__start_year"))
    assert plans[0].year.start_year == 2021 and plans[0].status == "approved"
    assert len(plans) == 2 and plans[1].status == "draft"
    assert plans[1].year == AcademicYear.objects.current()
    assert PlanItem.objects.filter(section__plan=plans[1]).count() == 15
    head_items = PlanItem.objects.filter(
        section__plan=plans[0], responsible_people__username="head"
    )
    assert head_items.count() == 7
