# ruff: noqa: S311 — demo numbers need no crypto
"""Demo of the circulation desk: for each demo school, last year's classes with fictional
pupils, the September issue of the class sets, the May–June return with a few debtors
and lost books (one replaced, one awaiting its act); this year's classes by promotion,
a new first grade, and this September's issue. Idempotent: a school that has classes is
left alone. Every name is made up from common first names and surnames."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import zlib

from django.db import transaction
from django.utils import timezone

from bibliomo.circulation import services
from bibliomo.circulation.models import Classroom, Loan, Pupil, default_return_by
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import School
from bibliomo.fund.models import Enrolment
from bibliomo.lib import years

SURNAMES = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
    "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
    "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
]  # fmt: skip
BOYS = [
    "Александр", "Максим", "Артём", "Михаил", "Даниил", "Иван", "Дмитрий", "Кирилл", "Егор",
    "Никита", "Матвей", "Андрей", "Илья", "Алексей", "Роман", "Сергей", "Тимофей", "Павел",
]  # fmt: skip
GIRLS = [
    "Анастасия", "Мария", "Анна", "Виктория", "Полина", "Елизавета", "Екатерина", "Дарья",
    "Софья", "Алиса", "Ксения", "Варвара", "Арина", "Вероника", "Ульяна", "Милана",
]  # fmt: skip
TEACHERS = [
    "Петрова Нина Алексеевна", "Сидорова Ольга Викторовна", "Громова Татьяна Ивановна",
    "Белова Светлана Петровна", "Кравцова Елена Николаевна", "Титова Людмила Сергеевна",
    "Шевченко Ирина Юрьевна", "Лукина Галина Михайловна", "Осипова Марина Геннадьевна",
]  # fmt: skip


def _name(rng: random.Random) -> tuple[str, str]:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.5:
        return surname, rng.choice(BOYS)
    return surname[:-1] + "а" if surname.endswith("й") else surname + "а", rng.choice(GIRLS)


def _pupils(rng: random.Random, school: School, classroom: Classroom, count: int) -> None:
    Pupil.objects.bulk_create(
        Pupil(school=school, classroom=classroom, last_name=last, first_name=first)
        for last, first in (_name(rng) for _ in range(count))
    )


def _classes(rng: random.Random, school: School, year: int, grades=None) -> list[Classroom]:
    """Classes of ``year`` from its enrolment, filled with made-up pupils."""
    made = []
    for row in Enrolment.objects.filter(school=school, year_id=year).order_by("grade"):
        if grades is not None and row.grade not in grades:
            continue
        count = max(1, min(row.classes or 1, 3))
        for i in range(count):
            c = Classroom.objects.create(
                school=school, year_id=year, grade=row.grade, letter=services.LETTERS[i],
                teacher_name=rng.choice(TEACHERS), return_by=default_return_by(year),
            )  # fmt: skip
            share = row.students // count + (1 if i < row.students % count else 0)
            _pupils(rng, school, c, share)
            made.append(c)
    return made


def _load_school(school: School, year: int, seed: int) -> None:
    rng = random.Random(seed)
    last = year - 1
    classes = _classes(rng, school, last)
    if not classes:
        return
    services.issue_sets(classes, day=dt.date(last, 9, 2))
    first = Loan.objects.filter(school=school).select_related("entry").first()
    if first is not None:
        # An empty shelf: the classroom gets none.
        with contextlib.suppress(services.CirculationError):
            services.issue(
                school, first.entry, 1, kind=Loan.Kind.CABINET,
                holder="Кабинет начальных классов", year=last, day=dt.date(last, 9, 4),
            )  # fmt: skip

    # The return in May–June: most bring everything back; a few keep a book or two.
    lost: list[Loan] = []
    for c in classes:
        day = dt.date(year, 5, rng.randint(20, 31))
        open_loans = list(Loan.objects.filter(classroom=c, status=Loan.Status.ISSUED))
        by_pupil: dict[int, list[Loan]] = {}
        for loan in open_loans:
            by_pupil.setdefault(loan.pupil_id, []).append(loan)
        pupils = sorted(by_pupil)
        debtors = set(rng.sample(pupils, k=min(len(pupils), rng.choice([0, 0, 1, 2]))))
        back, worn, gone = [], [], []
        for pupil_id in pupils:
            mine = by_pupil[pupil_id]
            if pupil_id in debtors:
                mine = mine[: rng.randint(0, max(0, len(mine) - 1))]
            for loan in mine:
                r = rng.random()
                (gone if r < 0.006 else worn if r < 0.04 else back).append(loan)
        services.return_loans(back, day=day)
        services.return_loans(worn, "worn", day=day)
        services.return_loans(gone, "lost", day=day)
        lost += gone
    if len(lost) > 1:
        services.settle_lost(
            school, lost[:1], replaced=True, number=f"У-{last % 100}-1", day=dt.date(year, 6, 10)
        )

    # This year: the classes move up, a new first grade arrives, the sets go out.
    plan = services.promotion_plan(school, last)
    services.promote(school, last, {s.classroom.pk: s.target for s in plan})
    _classes(rng, school, year, grades={1})
    now = list(Classroom.objects.filter(school=school, year_id=year))
    services.issue_sets(now, day=dt.date(year, 9, 2))


@transaction.atomic
def load() -> None:
    year = years.start_year_for(timezone.localdate())
    schools = School.objects.filter(district__name=DISTRICT, is_active=True).order_by("pk")
    for school in schools:
        if Classroom.objects.filter(school=school).exists():
            continue
        # Seeded by the name, not the id, so the demo is the same on every database.
        _load_school(school, year, seed=zlib.crc32(("circulation" + school.short_name).encode()))
