# ruff: noqa: E501, S311 — a table of textbooks reads best one per line; demo numbers need no crypto
"""Demo of the textbook fund for the demo district: a small Federal list, and for each
school a curriculum, enrolment (with next year's forecast) and stock.

Titles and authors are real textbooks; the entry numbers follow the list's scheme but are
illustrative, and every count is fictional. The stock is drawn so that some schools are
short of some books while others hold a surplus — the exchange fund's raw material.
Idempotent: nothing is added to a school that already has its opening balance.
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund import services
from bibliomo.fund.models import Document, DocumentLine, Enrolment, Reason, Source
from bibliomo.lib import years
from bibliomo.textbooks.importer import import_rows
from bibliomo.textbooks.models import Curriculum, FederalListEdition, FederalListEntry

EDITION = "Приказ Минпросвещения России от 21.09.2022 № 858"
PUBLISHER = "АО «Издательство «Просвещение»"

# (number, subject, title, authors, grades, price)
ENTRIES: list[tuple[str, str, str, str, str, int]] = [
    ("1.1.1.1.1.1.1", "Русский язык", "Азбука (в 2 частях)", "Горецкий В. Г., Кирюшкин В. А., Виноградская Л. А., Бойкина М. В.", "1", 980),
    ("1.1.1.1.1.1.2", "Русский язык", "Русский язык", "Канакина В. П., Горецкий В. Г.", "1", 520),
    ("1.1.1.1.1.1.3", "Русский язык", "Русский язык (в 2 частях)", "Канакина В. П., Горецкий В. Г.", "2", 1040),
    ("1.1.1.1.1.1.4", "Русский язык", "Русский язык (в 2 частях)", "Канакина В. П., Горецкий В. Г.", "3", 1040),
    ("1.1.1.1.1.1.5", "Русский язык", "Русский язык (в 2 частях)", "Канакина В. П., Горецкий В. Г.", "4", 1040),
    ("1.1.1.1.2.1.1", "Литературное чтение", "Литературное чтение (в 2 частях)", "Климанова Л. Ф., Горецкий В. Г., Голованова М. В. и др.", "1", 960),
    ("1.1.1.1.2.1.2", "Литературное чтение", "Литературное чтение (в 2 частях)", "Климанова Л. Ф., Горецкий В. Г., Голованова М. В. и др.", "2", 960),
    ("1.1.1.1.2.1.3", "Литературное чтение", "Литературное чтение (в 2 частях)", "Климанова Л. Ф., Горецкий В. Г., Голованова М. В. и др.", "3", 960),
    ("1.1.1.1.2.1.4", "Литературное чтение", "Литературное чтение (в 2 частях)", "Климанова Л. Ф., Горецкий В. Г., Голованова М. В. и др.", "4", 960),
    ("1.1.1.3.1.1.1", "Математика", "Математика (в 2 частях)", "Моро М. И., Волкова С. И., Степанова С. В.", "1", 900),
    ("1.1.1.3.1.1.2", "Математика", "Математика (в 2 частях)", "Моро М. И., Бантова М. А., Бельтюкова Г. В. и др.", "2", 900),
    ("1.1.1.3.1.1.3", "Математика", "Математика (в 2 частях)", "Моро М. И., Бантова М. А., Бельтюкова Г. В. и др.", "3", 900),
    ("1.1.1.3.1.1.4", "Математика", "Математика (в 2 частях)", "Моро М. И., Бантова М. А., Бельтюкова Г. В. и др.", "4", 900),
    ("1.1.1.4.1.1.1", "Окружающий мир", "Окружающий мир (в 2 частях)", "Плешаков А. А.", "1", 880),
    ("1.1.1.4.1.1.2", "Окружающий мир", "Окружающий мир (в 2 частях)", "Плешаков А. А.", "2", 880),
    ("1.1.1.4.1.1.3", "Окружающий мир", "Окружающий мир (в 2 частях)", "Плешаков А. А.", "3", 880),
    ("1.1.1.4.1.1.4", "Окружающий мир", "Окружающий мир (в 2 частях)", "Плешаков А. А., Крючкова Е. А.", "4", 880),
    ("1.1.1.2.1.1.2", "Английский язык", "Английский язык (в 2 частях)", "Быкова Н. И., Дули Д., Поспелова М. Д., Эванс В.", "2", 1100),
    ("1.1.1.2.1.1.3", "Английский язык", "Английский язык (в 2 частях)", "Быкова Н. И., Дули Д., Поспелова М. Д., Эванс В.", "3", 1100),
    ("1.1.1.2.1.1.4", "Английский язык", "Английский язык (в 2 частях)", "Быкова Н. И., Дули Д., Поспелова М. Д., Эванс В.", "4", 1100),
    *[
        (f"1.1.2.1.1.1.{g - 4}", "Русский язык", "Русский язык (в 2 частях)", "Ладыженская Т. А., Баранов М. Т., Тростенцова Л. А. и др.", str(g), 1150)
        for g in range(5, 10)
    ],
    *[
        (f"1.1.2.1.2.1.{g - 4}", "Литература", "Литература (в 2 частях)", "Коровина В. Я., Журавлёв В. П., Коровин В. И.", str(g), 1180)
        for g in range(5, 10)
    ],
    *[
        (f"1.1.2.2.1.1.{g - 4}", "Английский язык", "Английский язык", "Ваулина Ю. Е., Дули Д., Подоляко О. Е., Эванс В.", str(g), 690)
        for g in range(5, 10)
    ],
    ("1.1.2.4.1.1.1", "Математика", "Математика (в 2 частях)", "Виленкин Н. Я., Жохов В. И., Чесноков А. С., Александрова Л. А., Шварцбурд С. И.", "5", 1060),
    ("1.1.2.4.1.1.2", "Математика", "Математика (в 2 частях)", "Виленкин Н. Я., Жохов В. И., Чесноков А. С., Александрова Л. А., Шварцбурд С. И.", "6", 1060),
    *[
        (f"1.1.2.4.2.1.{g - 6}", "Алгебра", "Алгебра", "Макарычев Ю. Н., Миндюк Н. Г., Нешков К. И., Суворова С. Б.", str(g), 610)
        for g in range(7, 10)
    ],
    ("1.1.2.4.3.1.1", "Геометрия", "Геометрия. 7–9 классы", "Атанасян Л. С., Бутузов В. Ф., Кадомцев С. Б. и др.", "7-9", 720),
    ("1.1.2.4.4.1.1", "Информатика", "Информатика", "Босова Л. Л., Босова А. Ю.", "7", 560),
    ("1.1.2.4.4.1.2", "Информатика", "Информатика", "Босова Л. Л., Босова А. Ю.", "8", 560),
    ("1.1.2.4.4.1.3", "Информатика", "Информатика", "Босова Л. Л., Босова А. Ю.", "9", 560),
    ("1.1.2.3.1.1.1", "История", "История. Всеобщая история. История Древнего мира", "Вигасин А. А., Годер Г. И., Свенцицкая И. С.", "5", 640),
    *[
        (f"1.1.2.3.2.1.{g - 5}", "История", "История России (в 2 частях)", "Арсентьев Н. М., Данилов А. А., Стефанович П. С. и др.", str(g), 1120)
        for g in range(6, 10)
    ],
    *[
        (f"1.1.2.3.3.1.{g - 5}", "Обществознание", "Обществознание", "Боголюбов Л. Н., Виноградова Н. Ф., Городецкая Н. И. и др.", str(g), 590)
        for g in range(6, 10)
    ],
    ("1.1.2.3.4.1.1", "География", "География. 5–6 классы", "Алексеев А. И., Николина В. В., Липкина Е. К. и др.", "5-6", 650),
    *[
        (f"1.1.2.3.4.1.{g - 5}", "География", "География", "Алексеев А. И., Николина В. В., Липкина Е. К. и др.", str(g), 650)
        for g in range(7, 10)
    ],
    *[
        (f"1.1.2.5.3.1.{g - 4}", "Биология", "Биология", "Пасечник В. В., Суматохин С. В., Калинова Г. С. и др.", str(g), 620)
        for g in range(5, 10)
    ],
    *[
        (f"1.1.2.5.1.1.{g - 6}", "Физика", "Физика", "Перышкин А. В., Иванов А. И.", str(g), 640)
        for g in range(7, 10)
    ],
    ("1.1.2.5.2.1.1", "Химия", "Химия", "Габриелян О. С., Остроумов И. Г., Сладков С. А.", "8", 630),
    ("1.1.2.5.2.1.2", "Химия", "Химия", "Габриелян О. С., Остроумов И. Г., Сладков С. А.", "9", 630),
    ("1.1.3.1.1.1.1", "Русский язык", "Русский язык. 10–11 классы (базовый уровень)", "Рыбченкова Л. М., Александрова О. М., Нарушевич А. Г. и др.", "10-11", 760),
    ("1.1.3.1.2.1.1", "Литература", "Литература (в 2 частях)", "Лебедев Ю. В.", "10", 1260),
    ("1.1.3.1.2.1.2", "Литература", "Литература (в 2 частях)", "Михайлов О. Н., Шайтанов И. О., Чалмаев В. А. и др.", "11", 1260),
    ("1.1.3.2.1.1.1", "Английский язык", "Английский язык", "Афанасьева О. В., Дули Д., Михеева И. В. и др.", "10", 720),
    ("1.1.3.2.1.1.2", "Английский язык", "Английский язык", "Афанасьева О. В., Дули Д., Михеева И. В. и др.", "11", 720),
    ("1.1.3.4.1.1.1", "Алгебра", "Алгебра и начала математического анализа. 10–11 классы", "Алимов Ш. А., Колягин Ю. М., Ткачёва М. В. и др.", "10-11", 780),
    ("1.1.3.4.1.2.1", "Геометрия", "Геометрия. 10–11 классы", "Атанасян Л. С., Бутузов В. Ф., Кадомцев С. Б. и др.", "10-11", 740),
    ("1.1.3.3.1.1.1", "История", "История. История России. 1914—1945 годы", "Мединский В. Р., Торкунов А. В.", "10", 820),
    ("1.1.3.3.1.1.2", "История", "История. История России. 1945 год — начало XXI века", "Мединский В. Р., Торкунов А. В.", "11", 820),
    ("1.1.3.3.2.1.1", "Обществознание", "Обществознание", "Боголюбов Л. Н., Лазебникова А. Ю., Матвеев А. И. и др.", "10", 690),
    ("1.1.3.3.2.1.2", "Обществознание", "Обществознание", "Боголюбов Л. Н., Городецкая Н. И., Лазебникова А. Ю. и др.", "11", 690),
    ("1.1.3.5.1.1.1", "Физика", "Физика", "Мякишев Г. Я., Буховцев Б. Б., Сотский Н. Н.", "10", 700),
    ("1.1.3.5.1.1.2", "Физика", "Физика", "Мякишев Г. Я., Буховцев Б. Б., Чаругин В. М.", "11", 700),
    ("1.1.3.5.2.1.1", "Химия", "Химия", "Габриелян О. С., Остроумов И. Г., Сладков С. А.", "10", 680),
    ("1.1.3.5.2.1.2", "Химия", "Химия", "Габриелян О. С., Остроумов И. Г., Сладков С. А.", "11", 680),
    ("1.1.3.5.3.1.1", "Биология", "Биология", "Пасечник В. В., Каменский А. А., Рубцов А. М. и др.", "10-11", 720),
]  # fmt: skip

# An excluded edition that some schools still hold: not usable after its date.
EXCLUDED = (
    "2.1.2.4.1.5.1", "Математика", "Математика", "Мерзляк А. Г., Полонский В. Б., Якир М. С.",
    "5", 540, dt.date(2025, 9, 25),
)  # fmt: skip

# Приказ № 769 amends list № 858: the two history textbooks of the senior grades become
# единые государственные учебники (ЕГУ), social studies of 10–11 gets its own use-until
# date, and an ЕГУ for it is added. Loaded through the Federal list import itself.
ORDER_769 = "Приказ Минпросвещения России от 05.11.2024 № 769"
ORDER_769_HEADER = [
    "Порядковый номер учебника", "Наименование учебника", "Автор/авторский коллектив",
    "Класс", "Предельный срок использования исключенных учебников", "ЕГУ", "Цена, руб.",
]  # fmt: skip
ORDER_769_ROWS: list[list[object]] = [
    ["1.1.3.3.1.1.1", "История. История России. 1914—1945 годы", None, "10", None, "да", None],
    ["1.1.3.3.1.1.2", "История. История России. 1945 год — начало XXI века", None, "11", None, "да", None],
    ["1.1.3.3.2.1.1", "Обществознание", None, "10", dt.date(2027, 8, 31), None, None],
    ["1.1.3.3.2.1.2", "Обществознание", None, "11", dt.date(2027, 8, 31), None, None],
    ["1.1.3.3.2.2.1", "Обществознание. 10 класс (единый государственный учебник)", None, "10", None, "да", 750],
    ["1.1.3.3.2.2.2", "Обществознание. 11 класс (единый государственный учебник)", None, "11", None, "да", 750],
]  # fmt: skip

OPENING_NUMBER = "ВО-ДЕМО"


def _entries() -> list[FederalListEntry]:
    edition, _ = FederalListEdition.objects.get_or_create(
        title=EDITION, defaults={"order_date": dt.date(2022, 9, 21)}
    )
    result = []
    for number, subject, title, authors, grades, price in ENTRIES:
        first, _, last = grades.partition("-")
        entry, _ = FederalListEntry.objects.get_or_create(
            key=number,
            defaults={
                "number": number, "subject": subject, "title": title, "authors": authors,
                "grades": grades, "grade_from": int(first), "grade_to": int(last or first),
                "publisher": PUBLISHER, "price": Decimal(price), "edition": edition,
            },
        )  # fmt: skip
        result.append(entry)
    number, subject, title, authors, grades, price, until = EXCLUDED
    FederalListEntry.objects.get_or_create(
        key=number,
        defaults={
            "number": number, "subject": subject, "title": title, "authors": authors,
            "grades": grades, "grade_from": 5, "grade_to": 5, "publisher": "ООО «Вентана-Граф»",
            "price": Decimal(price), "status": FederalListEntry.Status.EXCLUDED,
            "excluded_by": EDITION, "use_until": until,
        },
    )  # fmt: skip
    edition.entry_count = len(result)
    edition.save(update_fields=["entry_count"])
    return result


def _order_769() -> None:
    if FederalListEdition.objects.filter(title=ORDER_769).exists():
        return
    rows = [(1, ORDER_769_HEADER)] + [(i, row) for i, row in enumerate(ORDER_769_ROWS, start=2)]
    import_rows(rows, ORDER_769, amends=True)


def _grade_sizes(rng: random.Random, school: School) -> dict[int, tuple[int, int]]:
    grades = school.grades
    big = school.kind in (School.Kind.GYMNASIUM, School.Kind.LYCEUM)
    sizes = {}
    for g in grades:
        students = rng.randint(40, 56) if big else rng.randint(6, 18)
        if g >= 10 and not big:
            students = rng.randint(3, 9)
        sizes[g] = ((students + 24) // 25, students)
    return sizes


def _load_school(school: School, entries: list[FederalListEntry], year: int, seed: int) -> None:
    rng = random.Random(seed)
    sizes = _grade_sizes(rng, school)
    # The enrolment of the previous and the current year; then next year's forecast.
    enrolment = []
    for y, shift in ((year - 1, 1), (year, 0)):
        AcademicYear.open(y)
        for g, (classes, students) in sizes.items():
            count = max(1, students - shift * rng.randint(0, 2))
            enrolment.append(
                Enrolment(school=school, year_id=y, grade=g, classes=classes, students=count)
            )
    bulk_create_with_history(enrolment, Enrolment)
    intake = sizes.get(1, (1, 10))[1] + rng.randint(-2, 2)
    services.fill_forecast(school, year, max(0, intake))

    used = [e for e in entries if e.grade_from in sizes or e.grade_to in sizes]
    curriculum = []
    for y in (year - 1, year, year + 1):
        AcademicYear.open(y)
        for entry in used:
            for g in range(entry.grade_from, entry.grade_to + 1):
                if g in sizes:
                    curriculum.append(
                        Curriculum(
                            school=school, year_id=y, grade=g, subject=entry.subject, entry=entry
                        )
                    )
    bulk_create_with_history(curriculum, Curriculum)

    # Stock: each school has its own habit — some buy ahead, some lag behind.
    habit = rng.choice([0.55, 0.75, 0.9, 1.0, 1.15, 1.35])
    opening = Document.objects.create(
        school=school, kind=Document.Kind.RECEIPT, number=OPENING_NUMBER,
        date=dt.date(year - 1, 9, 1), source=Source.OPENING,
        basis="Ввод остатков учебного фонда (демонстрационные данные)",
    )  # fmt: skip
    lines = []
    for entry in used:
        need = sum(sizes[g][1] for g in range(entry.grade_from, entry.grade_to + 1) if g in sizes)
        copies = max(0, round(need * habit * rng.uniform(0.8, 1.25)))
        first_batch = copies // 2
        for receipt_year, n in ((rng.choice([2019, 2020, 2021]), first_batch),
                                (rng.choice([2022, 2023]), copies - first_batch)):  # fmt: skip
            if n:
                lines.append(DocumentLine(document=opening, entry=entry, copies=n,
                                          price=entry.price or 0, receipt_year=receipt_year))  # fmt: skip
    old = FederalListEntry.objects.get(key=EXCLUDED[0])
    if 5 in sizes and rng.random() < 0.5:
        lines.append(DocumentLine(document=opening, entry=old, copies=sizes[5][1],
                                  price=old.price or 0, receipt_year=2018))  # fmt: skip
    DocumentLine.objects.bulk_create(lines)
    services.post(opening)

    # This year's purchase and a write-off of worn copies.
    buy = rng.sample(used, k=min(4, len(used)))
    receipt = Document.objects.create(
        school=school, kind=Document.Kind.RECEIPT, number=f"{rng.randint(100, 999)}",
        date=dt.date(year, 8, 20), source=Source.PURCHASE, supplier=PUBLISHER,
        basis="Товарная накладная (демо)",
    )  # fmt: skip
    DocumentLine.objects.bulk_create(
        DocumentLine(document=receipt, entry=e, copies=rng.randint(3, 12), price=e.price or 0)
        for e in buy
    )
    services.post(receipt)
    act = Document.objects.create(
        school=school, kind=Document.Kind.WRITEOFF, number=f"{rng.randint(1, 9)}",
        date=dt.date(year, 6, 15), reason=Reason.WORN,
        commission="Директор школы — председатель\nЗаместитель директора по УВР\nПедагог-библиотекарь",
    )  # fmt: skip
    lines = []
    for e in rng.sample(used, k=min(2, len(used))):
        lines.append(DocumentLine(document=act, entry=e, copies=1, price=e.price or 0))
    DocumentLine.objects.bulk_create(lines)
    try:
        services.post(act)
    except services.PostingError:
        act.delete()


@transaction.atomic
def load() -> None:
    entries = _entries()
    _order_769()
    year = years.start_year_for(timezone.localdate())
    schools = School.objects.filter(district__name=DISTRICT, is_active=True).order_by("pk")
    for school in schools:
        if Document.objects.filter(school=school, number=OPENING_NUMBER).exists():
            continue
        # Seeded by the name, not the id, so the demo is the same on every database.
        _load_school(school, entries, year, seed=zlib.crc32(school.short_name.encode()))
