from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Enrolment
from bibliomo.textbooks.models import Curriculum, FederalListEntry

YEAR = 2022  # the target year: 2022/2023


def make_entry(number: str, title: str, grade: int, subject: str) -> FederalListEntry:
    return FederalListEntry.objects.create(
        number=number,
        title=title,
        subject=subject,
        grades=str(grade),
        grade_from=grade,
        grade_to=grade,
        authors="Иванов И. И.",
        publisher="Просвещение",
    )


def stock(school: School, entry: FederalListEntry, copies: int) -> None:
    doc = Document.objects.create(
        school=school,
        kind=Document.Kind.RECEIPT,
        number=f"Н-{school.pk}-{entry.pk}",
        date=dt.date(2021, 8, 20),
        source="purchase",
    )
    DocumentLine.objects.create(document=doc, entry=entry, copies=copies, price=0)
    fund.post(doc)


def uses(school: School, entry: FederalListEntry, students: int) -> None:
    Curriculum.objects.create(
        school=school, year_id=YEAR, grade=entry.grade_from, subject=entry.subject, entry=entry
    )
    Enrolment.objects.update_or_create(
        school=school, year_id=YEAR, grade=entry.grade_from, defaults={"students": students}
    )


@dataclass
class Fund:
    math5: FederalListEntry
    rus5: FederalListEntry
    hist6: FederalListEntry


@pytest.fixture
def district_fund(world) -> Fund:
    """School A has 10 spare «Математика 5» and is 6 short of «Русский язык 5»; school B
    is 15 short of maths and holds 8 «История 6» it no longer uses."""
    for y in range(2020, 2025):
        AcademicYear.open(y)
    f = Fund(
        math5=make_entry("1.1.2.4.1.1.1", "Математика", 5, "Математика"),
        rus5=make_entry("1.1.2.1.1.1.1", "Русский язык", 5, "Русский язык"),
        hist6=make_entry("1.1.2.3.1.1.2", "История России", 6, "История"),
    )
    uses(world.school_a, f.math5, 20)
    stock(world.school_a, f.math5, 30)
    uses(world.school_a, f.rus5, 20)
    stock(world.school_a, f.rus5, 14)
    uses(world.school_b, f.math5, 25)
    stock(world.school_b, f.math5, 10)
    uses(world.school_b, f.rus5, 25)
    stock(world.school_b, f.rus5, 25)
    stock(world.school_b, f.hist6, 8)
    # The other district has maths to spare too: it must never enter this district's plan.
    uses(world.school_other, f.math5, 1)
    stock(world.school_other, f.math5, 50)
    return f
