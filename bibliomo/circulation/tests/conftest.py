from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bibliomo.circulation.models import Classroom, Pupil
from bibliomo.directory.models import AcademicYear
from bibliomo.fund import services as fund
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.textbooks.models import Curriculum

YEAR = 2025


@dataclass
class Desk:
    math: object
    hist: object
    classroom: Classroom
    pupils: list[Pupil]


def stock(school, entry, copies: int) -> None:
    fund.post(document(school, "receipt", [(entry, copies, 300)], number=f"П-{entry.pk}-{copies}"))


def make_class(school, grade: int = 5, letter: str = "А", pupils: int = 3, year: int = YEAR):
    c = Classroom.objects.create(school=school, year_id=year, grade=grade, letter=letter)
    made = [
        Pupil.objects.create(
            school=school, classroom=c, last_name=f"Ученик{letter}{i:03}", first_name="Иван"
        )
        for i in range(pupils)
    ]
    return c, made


@pytest.fixture
def desk(world) -> Desk:
    for y in range(YEAR - 2, YEAR + 3):
        AcademicYear.get(y)
    math = make_entry("1.1.2.4.1.1.1", "Математика", "5")
    hist = make_entry("1.1.2.3.1.1.1", "История Древнего мира", "5")
    for entry, subject in ((math, "Математика"), (hist, "История")):
        Curriculum.objects.create(
            school=world.school_a, year_id=YEAR, grade=5, subject=subject, entry=entry
        )
    stock(world.school_a, math, 10)
    stock(world.school_a, hist, 2)
    classroom, pupils = make_class(world.school_a)
    return Desk(math, hist, classroom, pupils)


DAY = dt.date(YEAR, 9, 2)
