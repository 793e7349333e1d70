"""The first of September at a big school: the class sets issued to every class of a
school of 1,500 pupils (DESIGN §5: target ≤ 2 s), then «принять всё» for every class.

    python bench/circulation_issue.py               # a scratch SQLite database
    python bench/circulation_issue.py --existing    # the database of DATABASE_URL

The school, its 60 classes, pupils, curriculum and stock are made inside a transaction
that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = 2.0  # seconds


def _setup(existing: bool) -> None:
    if not existing:
        scratch = Path(tempfile.gettempdir()) / "bibliomo-bench-circulation.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _school(pupils: int):
    from bibliomo.circulation.models import Classroom, Pupil
    from bibliomo.directory.models import AcademicYear, District, Region, School
    from bibliomo.fund import services as fund
    from bibliomo.fund.models import Document, DocumentLine
    from bibliomo.textbooks.models import Curriculum, FederalListEntry

    region = Region.objects.create(name="Регион для замера выдачи")
    district = District.objects.create(region=region, name="Район для замера выдачи")
    school = School.objects.create(district=district, short_name="Большая школа", full_name="—")
    year = 2025
    AcademicYear.get(year)
    per_grade = pupils // 11
    receipt = Document.objects.create(
        school=school, kind="receipt", number="1", date=f"{year}-08-20", source="purchase"
    )
    lines, curriculum = [], []
    for grade in range(1, 12):
        for k in range(9):  # nine textbooks per grade
            entry = FederalListEntry.objects.create(
                number=f"9.{grade}.{k}.1", title=f"Учебник {k} для {grade} класса",
                grades=str(grade), grade_from=grade, grade_to=grade,
            )  # fmt: skip
            curriculum.append(
                Curriculum(school=school, year_id=year, grade=grade, subject=f"Предмет {k}",
                           entry=entry)
            )  # fmt: skip
            lines.append(DocumentLine(document=receipt, entry=entry, copies=per_grade + 20))
    Curriculum.objects.bulk_create(curriculum)
    DocumentLine.objects.bulk_create(lines)
    fund.post(receipt)
    classes = []
    made = 0
    for grade in range(1, 12):
        for i, letter in enumerate("АБВГДЕ"[:5] + ("Е" if grade < 11 else "")):
            c = Classroom.objects.create(school=school, year_id=year, grade=grade, letter=letter)
            classes.append(c)
            share = per_grade // 5 + (1 if i < per_grade % 5 else 0)
            if letter == "Е":
                share = max(1, per_grade // 25)
            Pupil.objects.bulk_create(
                Pupil(school=school, classroom=c, last_name=f"Фамилия{made + n}", first_name="Имя")
                for n in range(share)
            )
            made += share
    return school, classes, Pupil.objects.filter(school=school).count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", action="store_true")
    parser.add_argument("--pupils", type=int, default=1500)
    args = parser.parse_args()
    _setup(args.existing)

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bibliomo.circulation import services
    from bibliomo.circulation.models import Classroom, Loan

    with transaction.atomic():
        school, classes, pupils = _school(args.pupils)
        with CaptureQueriesContext(connection) as queries:
            t0, c0 = time.perf_counter(), time.process_time()
            result = services.issue_sets(classes)
            t1, c1 = time.perf_counter(), time.process_time()
        loans = Loan.objects.filter(school=school).count()
        # The same, class by class, as a librarian pressing «выдать комплект» 60 times.
        Loan.objects.filter(school=school).delete()
        t2 = time.perf_counter()
        for c in Classroom.objects.filter(school=school):
            services.issue_set(c)
        t3 = time.perf_counter()
        for c in classes:
            services.accept_all(c)
        t4 = time.perf_counter()
        transaction.set_rollback(True)
    ok = t1 - t0 <= TARGET
    print(f"база: {connection.vendor}; школа: учащихся — {pupils}, классов — {len(classes)}")
    print(
        f"выдача комплектов всем классам сразу: {t1 - t0:.2f} с (цель ≤ {TARGET:.0f} с) "
        f"{'— в норме' if ok else '— МЕДЛЕННО'}; процессор {c1 - c0:.2f} с; "
        f"экземпляров — {result.copies}, записей — {loans}, запросов — {len(queries)}"
    )
    print(f"то же по одному классу (60 нажатий «выдать комплект»): {t3 - t2:.2f} с")
    print(f"«принять всё» во всех классах: {t4 - t3:.2f} с")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
