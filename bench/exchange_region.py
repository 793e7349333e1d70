"""The exchange plan end to end on a generated region of 1,000 schools.

Generates a region (30 districts, 1,000 schools, ~600 entries in use, curriculum,
enrolment and stock) in a scratch database, then for every district: reads surplus and
shortage from the database, solves, and stores the proposal. Prints the whole time and
the solver's own time beside it.

``python bench/exchange_region.py`` uses a temporary SQLite file; set
``BENCH_DATABASE_URL=postgres://…/scratch_db`` to measure on PostgreSQL (the database is
filled, so give it a scratch one).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.TemporaryDirectory(prefix="bibliomo-bench-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3"
)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibliomo.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from bibliomo.directory.models import AcademicYear, District, Region, School  # noqa: E402
from bibliomo.exchange import services  # noqa: E402
from bibliomo.exchange.models import ExchangePlan  # noqa: E402
from bibliomo.fund.models import Enrolment, Holding  # noqa: E402
from bibliomo.textbooks.models import Curriculum, FederalListEntry, number_key  # noqa: E402

YEAR = 2022
SUBJECTS = ["Русский язык", "Литература", "Математика", "Английский язык", "История",
            "Обществознание", "География", "Биология", "Физика", "Информатика"]  # fmt: skip


def generate(schools: int = 1000, districts: int = 30, seed: int = 2022) -> None:
    rng = random.Random(seed)
    for y in (YEAR - 1, YEAR, YEAR + 1):
        AcademicYear.get(y)
    region = Region.objects.create(name="Сгенерированный край")
    entries = []
    for grade in range(1, 12):
        for s, subject in enumerate(SUBJECTS):
            for variant in range(1, 6 if grade > 4 else 4):
                number = f"1.{grade}.{s + 1}.{variant}.1.1"
                entries.append(
                    FederalListEntry(
                        number=number,
                        key=number_key(number),
                        subject=subject,
                        title=f"{subject}. {grade} класс (линия {variant})",
                        grades=str(grade),
                        grade_from=grade,
                        grade_to=grade,
                    )
                )
    FederalListEntry.objects.bulk_create(entries, batch_size=1000)
    entries = list(FederalListEntry.objects.all())
    by_pair: dict[tuple[int, str], list[FederalListEntry]] = {}
    for e in entries:
        by_pair.setdefault((e.grade_from, e.subject), []).append(e)

    made = []
    for d in range(districts):
        district = District.objects.create(
            region=region, name=f"Район {d + 1}", association_name=f"ММО района {d + 1}"
        )
        lat0, lon0 = rng.uniform(51, 54), rng.uniform(79, 86)
        count = schools // districts + (1 if d < schools % districts else 0)
        for n in range(count):
            made.append(
                School(
                    district=district,
                    short_name=f"СОШ {d + 1}-{n + 1}",
                    full_name=f"МБОУ «СОШ {d + 1}-{n + 1}»",
                    lat=lat0 + rng.uniform(-0.5, 0.5),
                    lon=lon0 + rng.uniform(-0.7, 0.7),
                )
            )
    School.objects.bulk_create(made, batch_size=1000)

    curriculum, enrolment, holdings = [], [], []
    for school in School.objects.filter(district__region=region):
        # Schools of one district mostly teach from the same line of textbooks.
        district_rng = random.Random(school.district_id)
        for grade in range(1, 12):
            students = rng.randint(4, 30)
            enrolment.append(Enrolment(school=school, year_id=YEAR, grade=grade, students=students))
            for subject in SUBJECTS:
                options = by_pair[grade, subject]
                usual = district_rng.choice(options)
                entry = usual if rng.random() < 0.7 else rng.choice(options)
                curriculum.append(
                    Curriculum(
                        school=school, year_id=YEAR, grade=grade, subject=subject, entry=entry
                    )
                )
                # Half the schools hold what they need; a quarter each is short or has spare.
                roll = rng.random()
                factor = (
                    1.0
                    if roll < 0.5
                    else rng.uniform(0.4, 0.95)
                    if roll < 0.75
                    else rng.uniform(1.05, 1.8)
                )
                held = round(students * factor)
                if held:
                    holdings.append(
                        Holding(school=school, entry=entry, receipt_year=2020, copies=held)
                    )
                if rng.random() < 0.05:  # an old line the school no longer uses: all surplus
                    old = rng.choice([e for e in options if e.pk != entry.pk])
                    holdings.append(
                        Holding(
                            school=school, entry=old, receipt_year=2016, copies=rng.randint(3, 25)
                        )
                    )
    with transaction.atomic():
        Enrolment.objects.bulk_create(enrolment, batch_size=2000)
        Curriculum.objects.bulk_create(curriculum, batch_size=2000)
        Holding.objects.bulk_create(holdings, batch_size=2000, ignore_conflicts=True)


def main() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not Region.objects.filter(name="Сгенерированный край").exists():
        generate()
    print(f"region generated in {time.perf_counter() - started:.1f} s: "
          f"{School.objects.count()} schools, {District.objects.count()} districts, "
          f"{Curriculum.objects.values('entry').distinct().count()} entries in use, "
          f"{Holding.objects.count()} holding rows")  # fmt: skip
    for attempt in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        plans = [services.compute_plan(d, YEAR) for d in District.objects.all()]
        total, cpu = time.perf_counter() - started, time.process_time() - cpu
        solver = sum(p.solver_ms for p in plans) / 1000
        covered = sum(p.covered for p in plans)
        shortage = sum(p.shortage for p in plans)
        lines = sum(p.lines.count() for p in plans)
        print(
            f"exchange end to end (run {attempt}), {len(plans)} district plans: "
            f"{total:.2f} s (read, solve, store; CPU of this process {cpu:.2f} s); "
            f"solver {solver:.2f} s; "
            f"{lines} lines, covered {covered} of {shortage}"
        )
    assert ExchangePlan.objects.count() >= 2 * District.objects.count()


if __name__ == "__main__":
    main()
