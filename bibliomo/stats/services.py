"""Operations on the annual statistics that span models: lines 02 and 03 from the fund
ledger, saving and submitting a report, the district table, and the
professional-development table with the events each librarian attended."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.fund import reports as fund_reports
from bibliomo.fund.models import Document
from bibliomo.lib import history
from bibliomo.stats import oo1
from bibliomo.stats.models import Course, FundLine, LibraryReport, Qualification
from bibliomo.textbooks.models import FederalListEntry

# --- lines 02 and 03 from the fund ledger ------------------------------------------------

# ОО-1 section 2.6: line 02 — textbooks, line 03 — study aids, as part 3 of the КСУ counts
# the two kinds apart.
KIND_OF_LINE = dict(
    zip(oo1.LEDGER_LINES, [FederalListEntry.Kind.TEXTBOOK, FederalListEntry.Kind.STUDY_AID],
        strict=True)
)  # fmt: skip


@dataclass(frozen=True)
class LedgerFigures:
    received: int
    disposed: int
    held: int


def ledger_lines(school: School, ledger_year: int) -> dict[str, LedgerFigures] | None:
    """Lines 02 and 03 from the textbook fund's totals of movement (КСУ part 3) for the
    calendar year: received and disposed in the year, held at its end. None when the
    ledger holds nothing up to that year's end — then both lines are entered by hand."""
    has_any = Document.objects.filter(
        school=school, status=Document.Status.POSTED, date__lte=dt.date(ledger_year, 12, 31)
    ).exists()
    if not has_any:
        return None
    ksu = fund_reports.ksu(school, ledger_year)
    end = ksu.end_by_kind
    return {
        code: LedgerFigures(
            ksu.received_by_kind[kind].copies, ksu.disposed_by_kind[kind].copies, end[kind].copies
        )
        for code, kind in KIND_OF_LINE.items()
    }


def year_of(start_year: int) -> AcademicYear:
    """The academic year, or an unsaved one: reading never opens a year."""
    return AcademicYear.objects.filter(start_year=start_year).first() or AcademicYear(
        start_year=start_year
    )


def report_for(school: School, year: AcademicYear) -> LibraryReport:
    """The stored report or a new unsaved one (nothing is written by looking)."""
    report = (
        LibraryReport.objects.filter(school=school, year__start_year=year.start_year)
        .prefetch_related("fund_lines")
        .first()
    )
    return report or LibraryReport(school=school, year=year)


def _ledger_row(figures: LedgerFigures) -> dict[str, int]:
    return {"received": figures.received, "disposed": figures.disposed, "held": figures.held}


def fund_values(
    report: LibraryReport, ledger: dict[str, LedgerFigures] | None
) -> dict[str, dict[str, int]]:
    values = (
        report.fund_values()
        if report.pk
        else {code: dict.fromkeys(oo1.COLUMN_FIELDS, 0) for code in oo1.LINE_CODES}
    )
    if ledger is not None and not report.is_submitted:
        for code, figures in ledger.items():
            values[code] = _ledger_row(figures)
    return values


@transaction.atomic
def save_report(
    report: LibraryReport,
    values: dict[str, dict[str, int]],
    ledger: dict[str, LedgerFigures] | None,
    user: User | None = None,
) -> LibraryReport:
    """Store the figures; lines 02 and 03 are the ledger's whenever the ledger has them."""
    if report.is_submitted:
        raise ValidationError("Отчёт уже сдан. Чтобы исправить его, попросите вернуть его.")
    if user is not None:
        history.record_by(report, user)
    if report.year.pk is None:  # the first data entered for this year opens it
        report.year = AcademicYear.open(report.year.start_year)
    report.save()
    existing = {line.line: line for line in report.fund_lines.all()}
    for code in oo1.LINE_CODES:
        row = dict(values.get(code) or {})
        from_ledger = ledger is not None and code in ledger
        if ledger is not None and code in ledger:
            row = _ledger_row(ledger[code])
        line = existing.get(code) or FundLine(report=report, line=code)
        for name in oo1.COLUMN_FIELDS:
            setattr(line, name, int(row.get(name) or 0))
        line.from_ledger = from_ledger
        line.save()
    return report


def submit(report: LibraryReport, user: User | None = None) -> LibraryReport:
    errors = oo1.check(report.fund_values())
    if report.readers == 0:
        errors.append("Укажите число читателей: без него показатели не считаются.")
    if errors:
        raise ValidationError(errors)
    report.status = LibraryReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = user
    history.record_by(report, user)
    report.save()
    return report


def reopen(report: LibraryReport, user: User | None = None) -> LibraryReport:
    report.status = LibraryReport.Status.DRAFT
    report.submitted_at = None
    history.record_by(report, user)
    report.save()
    return report


# --- the district table --------------------------------------------------------------------


@dataclass
class SchoolRow:
    school: School
    report: LibraryReport | None
    values: dict[str, dict[str, int]] | None = None
    previous: LibraryReport | None = None
    previous_values: dict[str, dict[str, int]] | None = None

    @property
    def submitted(self) -> bool:
        return self.report is not None and self.report.is_submitted

    def indicator_map(self) -> dict[str, float | None]:
        if self.report is None:
            return {}
        return {i.name: i.value for i in self.report.indicators(self.values)}

    @property
    def readers_change(self) -> float | None:
        if self.report is None or self.previous is None:
            return None
        return oo1.change_percent(self.report.readers, self.previous.readers)

    @property
    def loans_change(self) -> float | None:
        if self.report is None or self.previous is None:
            return None
        return oo1.change_percent(self.report.loans, self.previous.loans)


@dataclass
class Totals:
    schools: int = 0
    readers: int = 0
    pupils: int = 0
    teachers: int = 0
    others: int = 0
    visits: int = 0
    loans: int = 0
    events: int = 0
    working_days: int = 0
    fund: dict[str, dict[str, int]] = field(
        default_factory=lambda: {c: dict.fromkeys(oo1.COLUMN_FIELDS, 0) for c in oo1.LINE_CODES}
    )

    def add(self, report: LibraryReport, values: dict[str, dict[str, int]]) -> None:
        self.schools += 1
        self.readers += report.readers
        self.pupils += report.pupils
        self.teachers += report.readers_teachers
        self.others += report.readers_others
        self.visits += report.visits
        self.loans += report.loans
        self.events += report.events_held
        for code, row in values.items():
            for name, value in row.items():
                self.fund[code][name] += value

    def indicators(self) -> list[oo1.Indicator]:
        return oo1.indicators(
            readers=self.readers,
            visits=self.visits,
            loans=self.loans,
            fund=self.fund["01"]["held"],
            received=self.fund["01"]["received"],
        )


@dataclass
class DistrictTable:
    year: AcademicYear
    rows: list[SchoolRow]
    totals: Totals  # of the submitted reports
    previous_totals: Totals

    @property
    def missing(self) -> list[School]:
        return [row.school for row in self.rows if not row.submitted]

    def change(self, name: str) -> float | None:
        return oo1.change_percent(getattr(self.totals, name), getattr(self.previous_totals, name))


def _reports(school_ids: list[int], start_years: list[int]) -> dict[tuple[int, int], LibraryReport]:
    rows = (
        LibraryReport.objects.filter(school_id__in=school_ids, year__start_year__in=start_years)
        .select_related("year")
        .prefetch_related(Prefetch("fund_lines", queryset=FundLine.objects.order_by("line")))
    )
    return {(r.school_id, r.year.start_year): r for r in rows}


def district_table(district: District, year: AcademicYear) -> DistrictTable:
    """Every active school of the district with its report and last year's; the totals
    count submitted reports only, so a draft never changes the district's figures."""
    schools = list(School.objects.filter(district=district, is_active=True).order_by("short_name"))
    found = _reports([s.pk for s in schools], [year.start_year, year.start_year - 1])
    totals, previous_totals, rows = Totals(), Totals(), []
    for school in schools:
        report = found.get((school.pk, year.start_year))
        previous = found.get((school.pk, year.start_year - 1))
        row = SchoolRow(school, report)
        if report is not None:
            row.values = report.fund_values()
            if report.is_submitted:
                totals.add(report, row.values)
        if previous is not None and previous.is_submitted:
            row.previous = previous
            row.previous_values = previous.fund_values()
            previous_totals.add(previous, row.previous_values)
        rows.append(row)
    return DistrictTable(year, rows, totals, previous_totals)


def district_series(district: District, start_years: list[int]) -> dict[int, Totals]:
    """District totals of submitted reports for several years (the charts over years)."""
    schools = list(School.objects.filter(district=district).values_list("pk", flat=True))
    found = _reports(schools, start_years)
    result = {y: Totals() for y in start_years}
    for (_, start), report in found.items():
        if report.is_submitted:
            result[start].add(report, report.fund_values())
    return result


# --- professional development ------------------------------------------------------------

OUTDATED_YEARS = 3


def librarians(district: District):
    return (
        User.objects.filter(district=district, is_active=True, role__in=[Role.LIBRARIAN, Role.HEAD])
        .select_related("school")
        .order_by("last_name", "first_name")
    )


def _year_moments(start_year: int) -> tuple[dt.datetime, dt.datetime]:
    """The academic year as aware moments in the site's time zone: [1 Sept, next 1 Sept)."""
    return (
        timezone.make_aware(dt.datetime(start_year, 9, 1)),
        timezone.make_aware(dt.datetime(start_year + 1, 9, 1)),
    )


def attended_events(person: User, start_year: int | None = None):
    """Events the person attended (marked present) — from the events' attendance."""
    from bibliomo.events.models import Event, Registration

    rows = Registration.objects.filter(person=person, attended=True).select_related("event")
    if start_year is not None:
        first, last = _year_moments(start_year)
        rows = rows.filter(event__starts_at__gte=first, event__starts_at__lt=last)
    rows = rows.exclude(event__status=Event.Status.CANCELLED)
    return [r.event for r in rows.order_by("-event__starts_at")]


@dataclass
class TrainingRow:
    person: User
    qualification: Qualification | None
    last_course: dt.date | None
    hours_3y: int
    courses_year: int
    webinars: int
    meetings: int
    other_events: int
    as_of: dt.date  # the day the table describes: today, or the end of a past year

    @property
    def outdated(self) -> bool:
        """No course or the last one ended more than three years before ``as_of``."""
        return self.last_course is None or self.last_course < years_before(self.as_of)


def years_before(day: dt.date, count: int = OUTDATED_YEARS) -> dt.date:
    try:
        return day.replace(year=day.year - count)
    except ValueError:  # 29 February
        return day.replace(year=day.year - count, day=28)


def training_table(district: District, start_year: int) -> list[TrainingRow]:
    """Who trained when, with the year's webinars and meetings — a fixed number of
    queries whatever the number of librarians."""
    from bibliomo.events.models import Event, Registration

    people = list(librarians(district))
    ids = [p.pk for p in people]
    quals = {q.person_id: q for q in Qualification.objects.filter(person_id__in=ids)}
    first, last = dt.date(start_year, 9, 1), dt.date(start_year + 1, 8, 31)
    as_of = min(timezone.localdate(), last)
    three_years_ago = years_before(as_of)
    courses: dict[int, dict[str, Any]] = {
        row["person_id"]: dict(row)
        for row in Course.objects.filter(person_id__in=ids, date_to__lte=as_of)
        .values("person_id")
        .annotate(
            last=Max("date_to"),
            hours=Sum("hours", filter=Q(date_to__gte=three_years_ago)),
            in_year=Count("pk", filter=Q(date_to__range=(first, last))),
        )
        .order_by()
    }
    begin, end = _year_moments(start_year)
    attended: dict[int, dict[str, int]] = {}
    for person_id, kind, n in (
        Registration.objects.filter(
            person_id__in=ids,
            attended=True,
            event__starts_at__gte=begin,
            event__starts_at__lt=end,
        )
        .exclude(event__status=Event.Status.CANCELLED)
        .values_list("person_id", "event__kind")
        .annotate(n=Count("pk"))
        .values_list("person_id", "event__kind", "n")
    ):
        attended.setdefault(person_id, {})[kind] = n
    rows = []
    for person in people:
        c = courses.get(person.pk, {})
        kinds = attended.get(person.pk, {})
        webinars = kinds.get(Event.Kind.WEBINAR, 0)
        meetings = kinds.get(Event.Kind.MEETING, 0)
        rows.append(
            TrainingRow(
                person=person,
                qualification=quals.get(person.pk),
                last_course=c.get("last"),
                hours_3y=c.get("hours") or 0,
                courses_year=c.get("in_year") or 0,
                webinars=webinars,
                meetings=meetings,
                other_events=sum(kinds.values()) - webinars - meetings,
                as_of=as_of,
            )
        )
    return rows
