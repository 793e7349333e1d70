from __future__ import annotations

import datetime as dt

import pytest

from bibliomo.directory.models import AcademicYear
from bibliomo.fund.models import Document, DocumentLine
from bibliomo.textbooks.models import FederalListEntry


def make_entry(number: str, title: str, grades: str = "5", **extra) -> FederalListEntry:
    first, _, last = grades.partition("-")
    return FederalListEntry.objects.create(
        number=number,
        title=title,
        grades=grades,
        grade_from=int(first),
        grade_to=int(last or first),
        authors=extra.pop("authors", "Иванов И. И."),
        publisher=extra.pop("publisher", "Просвещение"),
        **extra,
    )


@pytest.fixture
def entries(db):
    for y in range(2019, 2028):
        AcademicYear.open(y)
    return {
        "math5": make_entry("1.1.2.4.1.1.1", "Математика", "5", authors="Виленкин Н. Я."),
        "hist5": make_entry(
            "1.1.2.3.1.1.1", "История. Всеобщая история. История Древнего мира", "5"
        ),
        "phys10": make_entry("1.1.3.5.1.1.1", "Физика", "10-11", authors="Мякишев Г. Я."),
        "old": make_entry(
            "1.1.2.4.1.9.1",
            "Математика (старое издание)",
            "5",
            status="excluded",
            use_until=dt.date(2025, 9, 25),
        ),
    }


def document(school, kind, lines, *, number="1", date=dt.date(2025, 9, 1), **extra) -> Document:
    doc = Document.objects.create(
        school=school,
        kind=kind,
        number=number,
        date=date,
        source=extra.pop("source", "purchase" if kind == "receipt" else ""),
        reason=extra.pop("reason", "worn" if kind == "writeoff" else ""),
        **extra,
    )
    for line in lines:
        entry, copies, *rest = line
        DocumentLine.objects.create(
            document=doc,
            entry=entry,
            copies=copies,
            price=rest[0] if rest else 0,
            receipt_year=rest[1] if len(rest) > 1 else None,
        )
    return doc
