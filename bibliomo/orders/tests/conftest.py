"""A school's data for the order of 2026/2027 with figures computed by hand.

School A, this year (2025/2026) → target year (2026/2027):

| entry | grades | students now → forecast | stock | need | qty | reason |
|---|---|---|---|---|---|---|
| math5 | 5 | 20 → 25 | 20 usable | 25 | 5 | рост контингента |
| hist5new (replaces hist5old, use until 31.05.2027) | 5 | 20 → 25 | 0 | 25 | 25 | истечение |
| phys10 | 10, 11 | 33 → 37 | 30, 2 worn → 28 | 37 | 9 | рост контингента |
| read3 (2 parts = one set) | 3 | 22 → 22 | 22 received, 3 lost → 19 | 22 | 3 | утрата |
| geo6 | 6 | 20 → 20 | 25 | 20 | 0 | — |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund import services as fund
from bibliomo.fund.models import Enrolment
from bibliomo.fund.tests.conftest import document, make_entry
from bibliomo.textbooks.models import Curriculum, FederalListEntry

TARGET = 2026


@dataclass
class Scenario:
    world: object
    entries: dict[str, FederalListEntry]


def curriculum(school: School, year: int, rows) -> None:
    for grade, subject, entry, *per in rows:
        Curriculum.objects.create(
            school=school,
            year_id=year,
            grade=grade,
            subject=subject,
            entry=entry,
            copies_per_student=per[0] if per else 1,
        )


def enrolment(school: School, year: int, students: dict[int, int]) -> None:
    for grade, n in students.items():
        Enrolment.objects.create(school=school, year_id=year, grade=grade, students=n)


@pytest.fixture
def scenario(world) -> Scenario:
    return build_scenario(world)


def build_scenario(world) -> Scenario:
    for y in range(2020, 2029):
        AcademicYear.open(y)
    e = {
        "math5": make_entry(
            "1.1.2.4.1.1.1", "Математика", "5", price=Decimal("500.00"), subject="Математика"
        ),
        "hist5old": make_entry(
            "1.1.2.3.1.9.1",
            "История Древнего мира (старое издание)",
            "5",
            status="excluded",
            use_until=dt.date(2027, 5, 31),
            subject="История",
        ),
        "hist5new": make_entry(
            "1.1.2.3.1.1.1", "История Древнего мира", "5", subject="История", publisher="Дрофа"
        ),
        "phys10": make_entry("1.1.3.5.1.1.1", "Физика", "10-11", subject="Физика"),
        "read3": make_entry(
            "1.1.1.1.2.1.1", "Литературное чтение", "3", parts=2, subject="Литературное чтение"
        ),
        "geo6": make_entry("1.1.2.3.4.1.1", "География", "6", subject="География"),
    }
    a = world.school_a
    curriculum(
        a,
        2025,
        [
            (5, "Математика", e["math5"]),
            (5, "История", e["hist5old"]),
            (10, "Физика", e["phys10"]),
            (11, "Физика", e["phys10"]),
            (3, "Литературное чтение", e["read3"]),
            (6, "География", e["geo6"]),
        ],
    )
    curriculum(
        a,
        TARGET,
        [
            (5, "Математика", e["math5"]),
            (5, "История", e["hist5new"]),
            (10, "Физика", e["phys10"]),
            (11, "Физика", e["phys10"]),
            (3, "Литературное чтение", e["read3"]),
            (6, "География", e["geo6"]),
        ],
    )
    enrolment(a, 2025, {3: 22, 5: 20, 6: 20, 10: 18, 11: 15})
    enrolment(a, TARGET, {3: 22, 5: 25, 6: 20, 10: 20, 11: 17})
    receipt = document(
        a,
        "receipt",
        [
            (e["math5"], 20, Decimal("450.00"), 2024),
            (e["hist5old"], 20, Decimal("300.00"), 2019),
            (e["phys10"], 30, Decimal("600.00"), 2022),
            (e["read3"], 22, Decimal("700.00"), 2023),
            (e["geo6"], 25, Decimal("400.00"), 2021),
        ],
        date=dt.date(2024, 9, 1),
    )
    fund.post(receipt)
    fund.mark_worn(a, e["phys10"], 2022, 2)
    lost = document(
        a,
        "writeoff",
        [(e["read3"], 3, Decimal("700.00"))],
        reason="lost",
        date=dt.date(2025, 11, 10),
    )
    fund.post(lost)
    return Scenario(world, e)
