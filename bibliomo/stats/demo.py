"""Demo library statistics and professional development for the demo district: the
reports of 2020/2021 and 2021/2022 (submitted, lines consistent), each librarian's
education, category, service and courses. Idempotent: a school's report of a year or a
person's course of the same title is created once. Figures are fictional."""

from __future__ import annotations

import datetime as dt
import random
import zlib

from django.db import transaction

from bibliomo.accounts.models import Role, User
from bibliomo.directory.demo import DISTRICT
from bibliomo.directory.models import AcademicYear, School
from bibliomo.stats import oo1
from bibliomo.stats.models import (
    Category,
    Course,
    Education,
    FundLine,
    LibraryReport,
    Qualification,
)

YEARS = (2020, 2021)

COURSES = [
    ("Современная школьная библиотека: нормативная база и учёт учебного фонда", "АКИПКРО", 36),
    ("Информационно-библиотечный центр школы: организация и развитие", "АКИПКРО", 72),
    ("Формирование читательской грамотности обучающихся", "АКИПКРО", 24),
    ("Работа с федеральным перечнем учебников и заказ учебной литературы", "АКИПКРО", 16),
]


def _fund(rng: random.Random, pupils: int) -> dict[str, dict[str, int]]:
    """Consistent section 2.6 figures: kinds within the whole, carriers summing to it."""
    textbooks = pupils * rng.randint(9, 12)
    aids = rng.randint(150, 600)
    fiction = rng.randint(2500, 7000)
    reference = rng.randint(200, 800)
    other = rng.randint(100, 900)
    held = textbooks + aids + fiction + reference + other
    received_tb = rng.randint(pupils, pupils * 2)
    received = received_tb + rng.randint(20, 150)
    disposed = rng.randint(100, 600)
    values = {
        "02": {
            "received": received_tb,
            "disposed": min(disposed, textbooks) // 2,
            "held": textbooks,
        },
        "03": {"received": rng.randint(0, 20), "disposed": 0, "held": aids},
        "04": {"received": rng.randint(5, 60), "disposed": rng.randint(10, 80), "held": fiction},
        "05": {"received": 0, "disposed": rng.randint(0, 20), "held": reference},
    }
    for v in values.values():
        v["disposed"] = min(v["disposed"], disposed // 4)
    values["01"] = {
        "received": max(received, sum(v["received"] for v in values.values())),
        "disposed": max(disposed, sum(v["disposed"] for v in values.values())),
        "held": held,
    }
    audio, electronic = rng.randint(0, 40), rng.randint(0, 60)
    values["07"] = {"received": 0, "disposed": 0, "held": audio}
    values["08"] = {"received": 0, "disposed": 0, "held": 0}
    values["09"] = {"received": rng.randint(0, 10), "disposed": 0, "held": electronic}
    values["06"] = {
        c: values["01"][c] - values["07"][c] - values["08"][c] - values["09"][c]
        for c in oo1.COLUMN_FIELDS
    }
    return values


def _reports(school: School) -> None:
    rng = random.Random(zlib.crc32(school.short_name.encode()))  # noqa: S311 — demo figures
    pupils = rng.randint(60, 420)
    for start in YEARS:
        year = AcademicYear.get(start)
        if LibraryReport.objects.filter(school=school, year=year).exists():
            pupils = round(pupils * rng.uniform(0.95, 1.05))
            continue
        primary = round(pupils * 0.4)
        basic = round(pupils * 0.45)
        report = LibraryReport.objects.create(
            school=school,
            year=year,
            readers_primary=primary,
            readers_basic=basic,
            readers_senior=pupils - primary - basic,
            readers_teachers=rng.randint(10, 40),
            readers_others=rng.randint(0, 25),
            visits=pupils * rng.randint(8, 16),
            loans=pupils * rng.randint(12, 25),
            events_held=rng.randint(8, 30),
            working_days=rng.choice([210, 220, 247]),
            status=LibraryReport.Status.SUBMITTED,
            submitted_at=dt.datetime(start + 1, 6, 10, 10, tzinfo=dt.UTC),
        )
        FundLine.objects.bulk_create(
            FundLine(report=report, line=code, **row)
            for code, row in sorted(_fund(rng, pupils).items())
        )
        pupils = round(pupils * rng.uniform(0.95, 1.05))


def _training(person: User) -> None:
    rng = random.Random(zlib.crc32(person.username.encode()))  # noqa: S311 — demo figures
    Qualification.objects.get_or_create(
        person=person,
        defaults={
            "education": rng.choice(
                [Education.HIGHER_PEDAGOGY, Education.VOCATIONAL_LIBRARY, Education.HIGHER_LIBRARY]
            ),
            "category": rng.choice([Category.FIRST, Category.HIGHEST, Category.COMPLIANCE]),
            "category_date": dt.date(rng.randint(2017, 2021), rng.randint(1, 12), 15),
            "service_since": dt.date(rng.randint(1995, 2015), 9, 1),
        },
    )
    # Some took courses in the demo year, some long ago: the table shows both.
    picks = rng.sample(COURSES, k=rng.randint(0, 2))
    for i, (title, organisation, hours) in enumerate(picks):
        end = dt.date(2022 - 3 * i - rng.randint(0, 1), rng.choice([3, 4, 11]), 20)
        Course.objects.get_or_create(
            person=person,
            title=title,
            defaults={
                "organisation": organisation,
                "hours": hours,
                "date_from": end - dt.timedelta(days=max(2, hours // 8)),
                "date_to": end,
                "document": Course.Document.CERTIFICATE_PK,
                "document_number": f"22{rng.randint(1000, 9999)}",
            },
        )


@transaction.atomic
def load() -> None:
    for school in School.objects.filter(district__name=DISTRICT, is_active=True).order_by("pk"):
        _reports(school)
    people = User.objects.filter(
        district__name=DISTRICT, role__in=[Role.LIBRARIAN, Role.HEAD], is_active=True
    ).order_by("pk")
    for person in people:
        _training(person)
