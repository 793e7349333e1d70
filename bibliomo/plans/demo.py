"""The founding plan: the 2021–2022 plan of the Каменский район association, word for word.

The source is ``seed/plan-mmo-kamensky-2021-2022.txt``, text extracted from a Word table,
so its columns are interleaved; the data below is that table reconstructed column by
column (``tests/test_seed.py`` checks every cell against the seed). The numbers are kept
as printed, gaps included. Idempotent: an existing plan for the year is left alone.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear, District
from bibliomo.lib import years
from bibliomo.plans import services
from bibliomo.plans import timing as tm
from bibliomo.plans.models import PlanItem, PlanSection, WorkPlan

SEED = Path(__file__).resolve().parent / "seed" / "plan-mmo-kamensky-2021-2022.txt"

START_YEAR = 2021
TITLE = (
    "План деятельности муниципального методического объединения библиотекарей "
    "общеобразовательных учреждений Каменского района на 2021-2022 учебный год"
)
THEME = (
    "Создание образовательного пространства, способствующего развитию читательской "
    "компетенции и информационной культуры участников образовательных отношений в условиях "
    "введения стандарта ФГОС общего образования."
)
GOAL = (
    "развитие готовности школьных библиотекарей к осуществлению библиотечно-информационного "
    "обслуживания участников образовательных отношений на современном этапе развития общества."
)
TASKS = [
    "содействовать повышению профессионального уровня школьных библиотекарей в условиях "
    "реализации Концепции развития информационно-библиотечных центров;",
    "создать условия для презентации успешного опыта работы, его популяризации и внедрения в "
    "практику работы школьных библиотек района.",
    "выявление проблем в работе педагогов-библиотекарей, школьных библиотекарей по "
    "обеспечению качества информационно-библиотечного обслуживания и оказание адресной "
    "методической помощи через консультирование, проведение методических мероприятий, "
    "информационной поддержки педагогов-библиотекарей, школьных библиотекарей;",
    "организация деятельности МО по вопросам: ресурсного обеспечения образовательного "
    "процесса в условиях реализации ФГОС; повышения психолого-педагогической компетентности "
    "библиотечных специалистов; работы со школьниками с особыми образовательными запросами; "
    "развитие системы работы с одаренными детьми; эффективного использования учебного "
    "оборудования;",
    "развитие сетевых форм взаимодействия с педагогами-библиотекарями, школьными "
    "библиотекарями и краевого УМО.",
]

UO = "Управление образования Каменского района"
HEAD = "Руководитель ММО"
YEAR = tm.Timing(tm.YEAR)
LITERACY = "Повышение уровня методической грамотности"
QUALITY = "Повышение качества работы библиотекарей"

# Sections of the table «Содержание деятельности»: (number as printed, title, items);
# an item: (№, содержание, ответственный, сроки, место проведения, ожидаемый результат,
# indicator, who of the demo people is linked as responsible).
FULL: list[tuple[str, str, list[tuple]]] = [
    (
        "",
        "Организационные мероприятия",
        [
            ("1", "Организация участия членов МО в вебинарах АКИПКРО", UO, YEAR,
             "ОУ Каменского района", LITERACY, "participants", ""),
            ("2", "Организация и проведение заседаний районных методических объединений", UO,
             tm.Timing(tm.MONTHS, 3, 3), "ОУ Каменского района",
             f"{LITERACY} библиотекарей", "events", "head"),
        ],
    ),
    (
        "",
        "Методическая работа",
        [
            ("1", "Консультирование по инвентаризации учебного фонда. Обеспечение школ "
             "учебниками, работа обменно-резервного фонда",
             "Все библиотекари Каменского района", tm.Timing(tm.MONTHS, 5, 9),
             "ОУ Каменского района", "Организация образовательного процесса", "",
             "librarians"),
            ("4", "Нормативное и информационно-методическое сопровождение процессов "
             "модернизации школьных библиотек.",
             f"{UO}, руководитель ММО, опытные библиотекари", YEAR, "На семинаре",
             f"{LITERACY} библиотекарей", "", "head"),
            ("6", "Оказание методической поддержки библиотекарей в различных вопросах "
             "библиотечно-библиографической деятельности", HEAD, tm.Timing(tm.ON_REQUEST),
             "Рекомендации по электронной почте, по телефону", QUALITY, "consultations",
             "head"),
            ("7", "Социальное партнерство в работе школьной библиотеки.", HEAD, YEAR,
             "На семинаре", QUALITY, "", "head"),
            ("9", "Знакомство с работой библиотек, БИЦ Алтайского края с помощью средств "
             "массовой информации.", HEAD, YEAR,
             "Материал на сайте АКИПКРО, Журнал «ШБ», «Первое сентября», библиотечные сайты",
             "Количество публикаций на сайтах", "publications", "head"),
        ],
    ),
    (
        "2.",
        "Информационное сопровождение",
        [
            ("1", "Информирование о проведении краевых вебинаров проводимых АКИПКРО, "
             "профессиональных конкурсах", f"{UO}, руководитель ММО", YEAR,
             "Новости, размещенные на сайте АКИПКРО, электронная рассылка",
             "Количество участников", "participants", "head"),
            ("2", "Информирование об официальных документах, определяющих и "
             "регламентирующих деятельность библиотек.", HEAD, YEAR,
             "На семинарах, электронной почтой", "Повышение качества библиотечного "
             "обслуживания", "", "head"),
        ],
    ),
]  # fmt: skip

# The items the bulletin feeds, by (section title, item number).
FED_BY = {
    ("Методическая работа", "1"): PlanItem.FedBy.STOCKTAKE,
    ("Методическая работа", "7"): PlanItem.FedBy.PARTNERSHIP,
    ("Информационное сопровождение", "1"): PlanItem.FedBy.INFORMING,
    ("Информационное сопровождение", "2"): PlanItem.FedBy.DOCUMENTS,
}

PARTICIPATION_TITLE = (
    "Участие библиотекарей и педагогов-библиотекарей в методической работе 2021-2022 учебный год"
)
# (№, мероприятия, сроки, подпункты: (графа, [(№, тема)]))
PARTICIPATION: list[tuple[str, str, tm.Timing, tuple[str, list[tuple[str, str]]] | None]] = [
    ("1", "Участие библиотекарей и педагогов-библиотекарей в мероприятиях организованных "
     "отделением краевого учебно-методического объединения по школьным библиотекам.",
     YEAR, None),
    ("2", "Вопросы заседания ММО в марте 2022 года:", tm.Timing(), (
        "Тема выступления",
        [
            ("1", "Современные формы работы БИЦ."),
            ("2", "Квест- как форма работы по продвижению чтения."),
            ("3", "Формирование заказа учебников 2022-2023 учебный год."),
            ("4", "Школьная библиотека - как информационный и воспитательный ресурс "
             "качественного образования."),
        ],
    )),
]  # fmt: skip


def _people(district: District) -> dict[str, list[User]]:
    people = User.objects.filter(district=district, is_active=True)
    return {
        "head": list(people.filter(role=Role.HEAD)),
        # Only the librarians who can log in: they may then mark the item themselves.
        "librarians": [p for p in people.filter(role=Role.LIBRARIAN) if p.has_usable_password()],
        "": [],
    }


def build(district: District, year: AcademicYear) -> WorkPlan:
    """Create the founding plan for ``district`` (used by the demo and by tests)."""
    plan = WorkPlan.objects.create(
        district=district,
        year=year,
        title=TITLE,
        theme=THEME,
        goal=GOAL,
        tasks="\n".join(TASKS),
    )
    people = _people(district)
    for order, (number, title, rows) in enumerate(FULL):
        section = PlanSection.objects.create(plan=plan, order=order, number=number, title=title)
        for row_order, (no, content, resp, when, place, result, indicator, who) in enumerate(rows):
            item = PlanItem(
                section=section,
                order=row_order,
                number=no,
                content=content,
                responsible=resp,
                place=place,
                expected_result=result,
                indicator=indicator,
                fed_by=FED_BY.get((title, no), ""),
            )
            item.timing = when
            item.save()
            if people[who]:
                item.responsible_people.set(people[who])
    section = PlanSection.objects.create(
        plan=plan,
        order=len(FULL),
        title=PARTICIPATION_TITLE,
        layout=PlanSection.Layout.PARTICIPATION,
    )
    for row_order, (no, content, when, sub) in enumerate(PARTICIPATION):
        item = PlanItem(section=section, order=row_order, number=no, content=content)
        item.timing = when
        if sub:
            item.subitems_title = sub[0]
        item.save()
        for sub_order, (sub_no, topic) in enumerate(sub[1] if sub else []):
            PlanItem.objects.create(
                section=section, parent=item, order=sub_order, number=sub_no, content=topic
            )
    return plan


@transaction.atomic
def load() -> None:
    district = District.objects.get(name="Каменский район", region__name="Алтайский край")
    year = AcademicYear.open(START_YEAR)
    plan = WorkPlan.objects.filter(district=district, year=year).first()
    if plan is None:
        plan = build(district, year)
        # The founding plan was approved; the seed names no approver or date, so the
        # «Утверждаю» block prints blanks for them.
        plan.status = WorkPlan.Status.APPROVED
        plan.save(update_fields=["status"])
    # The usual start of a new year: a draft copied from the founding plan, so the
    # dashboard and the calendar of the current year have something to show.
    current = AcademicYear.open(years.start_year_for(timezone.localdate()))
    if (
        current.start_year > START_YEAR
        and not WorkPlan.objects.filter(district=district, year=current).exists()
    ):
        services.copy_plan(plan, current)
