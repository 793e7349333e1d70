"""API of the library statistics and professional development: the same rules as the
pages — a school's report for its librarian and the district's overseers."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.directory.models import AcademicYear, School
from bibliomo.lib import apihelpers, years
from bibliomo.stats import oo1, rules, services

router = Router(tags=["Статистика библиотек"])


class FundLineIO(Schema):
    received: int = 0
    disposed: int = 0
    held: int = 0


class IndicatorOut(Schema):
    name: str
    value: float | None
    formula: str
    unit: str


class ReportIn(Schema):
    readers_primary: int = 0
    readers_basic: int = 0
    readers_senior: int = 0
    readers_teachers: int = 0
    readers_others: int = 0
    visits: int = 0
    loans: int = 0
    events_held: int = 0
    working_days: int = 0
    note: str = ""
    fund: dict[str, FundLineIO] = {}


class ReportOut(ReportIn):
    school_id: int
    start_year: apihelpers.Year
    status: str
    ledger_year: int
    line_02_from_ledger: bool  # lines 02 and 03 both come from the КСУ when it has records
    readers: int
    checks: list[str]
    indicators: list[IndicatorOut]


class DistrictRowOut(Schema):
    school_id: int
    school: str
    status: str
    readers: int | None
    loans: int | None
    fund: int | None


class DistrictOut(Schema):
    start_year: apihelpers.Year
    submitted: int
    missing: list[str]
    readers: int
    visits: int
    loans: int
    fund: int
    indicators: list[IndicatorOut]
    rows: list[DistrictRowOut]


def _year(start_year: int) -> AcademicYear:
    """A year the system knows (else a 400 with the reason); never opened by a read."""
    known = AcademicYear.objects.known()
    return services.year_of(years.parse(str(start_year), known, start_year))


def _indicators(items: list[oo1.Indicator]) -> list[dict]:
    return [{"name": i.name, "value": i.value, "formula": i.formula, "unit": i.unit} for i in items]


def _out(school: School, year: AcademicYear) -> dict:
    report = services.report_for(school, year)
    ledger = services.ledger_lines(school, report.ledger_year)
    values = services.fund_values(report, ledger)
    fields = {name: getattr(report, name) for name in ReportIn.model_fields if name != "fund"}
    return {
        **fields,
        "fund": values,
        "school_id": school.pk,
        "start_year": year.start_year,
        "status": report.status if report.pk else "new",
        "ledger_year": report.ledger_year,
        "line_02_from_ledger": ledger is not None,
        "readers": report.readers,
        "checks": oo1.check(values),
        "indicators": _indicators(report.indicators(values)),
    }


@router.get("/stats/reports/{school_id}/{start_year}", response=ReportOut)
def get_report(request: HttpRequest, school_id: int, start_year: apihelpers.Year):
    return _out(rules.school_for(request.user, school_id), _year(start_year))


@router.put("/stats/reports/{school_id}/{start_year}", response=ReportOut)
def put_report(
    request: HttpRequest, school_id: int, start_year: apihelpers.Year, payload: ReportIn
):
    """Save the draft; lines 02 and 03 are the ledger's whenever the ledger has figures."""
    school = rules.school_for(request.user, school_id, edit=True)
    year = _year(start_year)
    report = services.report_for(school, year)
    for name, value in payload.dict(exclude={"fund"}).items():
        setattr(report, name, value)
    apihelpers.full_clean(report) if report.pk else None
    values = {code: line.dict() for code, line in payload.fund.items() if code in oo1.LINE_CODES}
    ledger = services.ledger_lines(school, report.ledger_year)
    try:
        services.save_report(report, values, ledger, request.user)
    except ValidationError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return _out(school, year)


@router.post("/stats/reports/{school_id}/{start_year}/submit", response=ReportOut)
def submit_report(request: HttpRequest, school_id: int, start_year: apihelpers.Year):
    school = rules.school_for(request.user, school_id, edit=True)
    year = _year(start_year)
    report = services.report_for(school, year)
    if report.pk is None:
        raise HttpError(404, "Отчёт ещё не начат.")
    try:
        services.submit(report, request.user)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _out(school, year)


@router.get("/stats/district/{start_year}", response=DistrictOut)
def district_stats(request: HttpRequest, start_year: apihelpers.Year):
    district = apihelpers.district(request)
    rules.check(
        rules.can_see_district(request.user, district.pk),
        "Сводную статистику видят руководитель ММО и Управление.",
    )
    table = services.district_table(district, _year(start_year))
    t = table.totals
    return {
        "start_year": start_year,
        "submitted": t.schools,
        "missing": [s.short_name for s in table.missing],
        "readers": t.readers,
        "visits": t.visits,
        "loans": t.loans,
        "fund": t.fund["01"]["held"],
        "indicators": _indicators(t.indicators()),
        "rows": [
            {
                "school_id": row.school.pk,
                "school": row.school.short_name,
                "status": row.report.status if row.report else "new",
                "readers": row.report.readers if row.report else None,
                "loans": row.report.loans if row.report else None,
                "fund": row.values["01"]["held"] if row.values else None,
            }
            for row in table.rows
        ],
    }


class CourseOut(Schema):
    id: int
    title: str
    organisation: str
    hours: int
    date_from: dt.date
    date_to: dt.date
    document: str
    document_number: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj) -> bool:
        return bool(obj.file)


class TrainingOut(Schema):
    person_id: int
    name: str
    school: str | None
    education: str | None
    category: str | None
    service_years: int | None
    last_course: dt.date | None
    hours_3y: int
    webinars: int
    meetings: int
    outdated: bool


class PersonTrainingOut(Schema):
    person_id: int
    courses: list[CourseOut]
    attended: list[str]


@router.get("/training/district/{start_year}", response=list[TrainingOut])
def training_district(request: HttpRequest, start_year: apihelpers.Year):
    district = apihelpers.district(request)
    rules.check(
        rules.can_see_district(request.user, district.pk),
        "Сводную таблицу видят руководитель ММО и Управление.",
    )
    return [
        {
            "person_id": r.person.pk,
            "name": r.person.short_name,
            "school": r.person.school.short_name if r.person.school_id else None,
            "education": r.qualification.education if r.qualification else None,
            "category": r.qualification.category if r.qualification else None,
            "service_years": r.qualification.service_years() if r.qualification else None,
            "last_course": r.last_course,
            "hours_3y": r.hours_3y,
            "webinars": r.webinars,
            "meetings": r.meetings,
            "outdated": r.outdated,
        }
        for r in services.training_table(district, start_year)
    ]


@router.get("/training/people/{person_id}", response=PersonTrainingOut)
def person_training(request: HttpRequest, person_id: int):
    person = rules.person_for(request.user, person_id)
    return {
        "person_id": person.pk,
        "courses": list(person.courses.order_by("-date_to")),
        "attended": [
            f"{e.starts_at:%d.%m.%Y} {e.get_kind_display()}: {e.title}"
            for e in services.attended_events(person)
        ],
    }


class CourseIn(Schema):
    title: str
    organisation: str
    hours: int
    date_from: dt.date
    date_to: dt.date
    document: str = "pk"
    document_number: str = ""


class QualificationIO(Schema):
    education: str = ""
    education_note: str = ""
    category: str = "none"
    category_date: dt.date | None = None
    service_since: dt.date | None = None
    service_before_years: int = 0


@router.post("/training/people/{person_id}/courses", response={201: CourseOut})
def add_course(request: HttpRequest, person_id: int, payload: CourseIn):
    """A course without its file (the scan is uploaded on the page)."""
    from bibliomo.stats.models import Course

    course = Course(person=rules.person_for(request.user, person_id, edit=True), **payload.dict())
    apihelpers.full_clean(course)
    course.save()
    return 201, course


@router.put("/training/people/{person_id}/qualification", response=QualificationIO)
def put_qualification(request: HttpRequest, person_id: int, payload: QualificationIO):
    from bibliomo.stats.models import Qualification

    person = rules.person_for(request.user, person_id, edit=True)
    qualification = Qualification.objects.filter(person=person).first() or Qualification(
        person=person
    )
    for name, value in payload.dict().items():
        setattr(qualification, name, value)
    apihelpers.full_clean(qualification)
    qualification.save()
    return qualification
