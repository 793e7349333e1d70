"""A synthetic region for benchmarks: districts, schools, a Federal list, curriculum,
enrolment and holdings at the scale of a whole край (DESIGN §5)."""

from __future__ import annotations

import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bibliomo.directory.models import AcademicYear, District, Region, School
from bibliomo.fund.models import Document, DocumentLine, Enrolment, Holding, Stock
from bibliomo.lib import bulk, search, years
from bibliomo.textbooks.models import Curriculum, FederalListEntry

_COMMON = "Русский язык; Литература; История; Обществознание; География; Биология; Физика; Химия"


def _names(text: str) -> list[str]:
    return text.split("; ")


SUBJECTS = {
    range(1, 5): _names(
        "Русский язык; Литературное чтение; Математика; Окружающий мир; Английский язык; "
        "Технология; Музыка; ИЗО"
    ),
    range(5, 10): _names(f"{_COMMON}; Математика; Английский язык; Информатика; ОБЗР; Технология"),
    range(10, 12): _names(f"{_COMMON}; Алгебра; Геометрия; Английский язык; Информатика; ОБЗР"),
}
BATCH = 10_000
HOLDING_FIELDS = ["school", "entry", "receipt_year", "copies", "worn"]
STOCK_FIELDS = ["school", "entry", "copies", "worn"]


def region_name(seed: int) -> str:
    return f"Синтетический край (seed {seed})"


def _subjects(grade: int) -> list[str]:
    return next(s for r, s in SUBJECTS.items() if grade in r)


class Command(BaseCommand):
    help = "Создаёт синтетический регион для замеров: районы, школы, перечень, фонд."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schools", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--entries", type=int, default=1500)
        parser.add_argument(
            "--extra-entries",
            type=int,
            default=170,
            help="учебников, которые школа держит, но не использует",
        )

    def handle(self, *args, schools: int, seed: int, entries: int, extra_entries: int, **opts):
        if Region.objects.filter(name=region_name(seed)).exists():
            raise CommandError(f"Регион «{region_name(seed)}» уже создан.")
        rng = random.Random(seed)  # noqa: S311 — synthetic data
        started = time.monotonic()
        year = years.start_year_for(timezone.localdate())
        for y in (year - 1, year, year + 1):
            AcademicYear.open(y)
        with transaction.atomic():
            region = Region.objects.create(name=region_name(seed))
            district_count = max(1, round(schools / 14.3))
            districts = District.objects.bulk_create(
                District(
                    region=region,
                    name=f"Район {i + 1}",
                    association_name=f"ММО библиотекарей района {i + 1}",
                )
                for i in range(district_count)
            )
            school_objs = []
            for i in range(schools):
                name = f"Школа {i + 1} (seed {seed})"
                school_objs.append(
                    School(
                        district=districts[i % district_count],
                        short_name=name,
                        full_name=f"МБОУ «{name}»",
                        search_text=search.normalize(name),
                        lat=50 + rng.random() * 5,
                        lon=78 + rng.random() * 8,
                    )
                )
            school_objs = School.objects.bulk_create(school_objs, batch_size=BATCH)

            # The list: alternatives for every grade × subject, numbered in the list's style.
            pairs = [(g, s) for g in range(1, 12) for s in _subjects(g)]
            entry_objs = []
            for i in range(entries):
                grade, subject = pairs[i % len(pairs)]
                number = f"9.{seed}.{grade}.{pairs.index((grade, subject))}.{i}"
                expired = rng.random() < 0.05
                entry_objs.append(
                    FederalListEntry(
                        number=number,
                        key=number,
                        subject=subject,
                        title=f"{subject} ({i})",
                        authors=f"Автор {i}",
                        grades=str(grade),
                        grade_from=grade,
                        grade_to=grade,
                        publisher="Издательство",
                        price=Decimal(rng.randint(300, 1200)),
                        status="excluded" if expired else "included",
                        use_until=timezone.localdate().replace(month=5, day=25)
                        if expired
                        else None,
                        search_text=search.normalize(number, subject, i),
                    )
                )
            entry_objs = FederalListEntry.objects.bulk_create(entry_objs, batch_size=BATCH)
            by_pair: dict[tuple[int, str], list[int]] = {}
            for e in entry_objs:
                by_pair.setdefault((e.grade_from, e.subject), []).append(e.pk)
            all_ids = [e.pk for e in entry_objs]

            enrolment, curriculum, holdings, stock, students_total = [], [], [], [], 0
            for school in school_objs:
                sizes = {g: rng.randint(5, 40) for g in range(1, 12)}
                students_total += sum(sizes.values())
                for y in (year, year - 1):
                    enrolment.extend(
                        Enrolment(
                            school=school, year_id=y, grade=g, students=n, classes=(n + 24) // 25
                        )
                        for g, n in sizes.items()
                    )
                used = []
                for (grade, subject), options in by_pair.items():
                    entry_id = rng.choice(options)
                    used.append((entry_id, sizes[grade]))
                    curriculum.append(
                        Curriculum(
                            school=school,
                            year_id=year,
                            grade=grade,
                            subject=subject,
                            entry_id=entry_id,
                        )
                    )
                used_ids = {e for e, _ in used}
                extra = [e for e in rng.sample(all_ids, extra_entries + 20) if e not in used_ids]
                habit = rng.uniform(0.6, 1.3)
                for entry_id, need in used + [
                    (e, rng.randint(1, 20)) for e in extra[:extra_entries]
                ]:
                    total = max(5, round(need * habit * rng.uniform(0.7, 1.3)))
                    stock.append((school.pk, entry_id, total, 0))
                    for k, receipt_year in enumerate(range(year - 5, year)):
                        copies = total // 5 + (1 if k < total % 5 else 0)
                        holdings.append((school.pk, entry_id, receipt_year, copies, 0))
                if len(holdings) > 100_000:
                    bulk.insert_rows(Holding, HOLDING_FIELDS, holdings)
                    bulk.insert_rows(Stock, STOCK_FIELDS, stock)
                    holdings, stock = [], []
                    self.stdout.write(f"  … {school.short_name}", ending="\r")
            bulk.insert_rows(Holding, HOLDING_FIELDS, holdings)
            bulk.insert_rows(Stock, STOCK_FIELDS, stock)
            Enrolment.objects.bulk_create(enrolment, batch_size=BATCH)
            Curriculum.objects.bulk_create(curriculum, batch_size=BATCH)
            # One opening-balance document per school, so the ledger reports have a source.
            docs = Document.objects.bulk_create(
                Document(
                    school=s,
                    kind="receipt",
                    number="ВО",
                    date=timezone.localdate(),
                    source="opening",
                    status="posted",
                )
                for s in school_objs
            )
            DocumentLine.objects.bulk_create(
                (
                    DocumentLine(document=d, entry_id=all_ids[0], copies=1, receipt_year=year - 5)
                    for d in docs
                ),
                batch_size=BATCH,
            )
        held = Holding.objects.filter(school__district__region=region).count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{region.name}: районов {district_count}, школ {schools}, учебников {entries}, "
                f"обучающихся {students_total}, строк фонда {held}; "
                f"{time.monotonic() - started:.0f} с."
            )
        )
