"""API of the circulation desk with the pages' rules: classes and counts for whoever
sees the school's fund; pupils, loans, issues and returns only for the school's own
librarian (pupils' names are personal data of minors)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.circulation import rules, selectors, services
from bibliomo.circulation.models import Classroom, Loan, Pupil, default_return_by
from bibliomo.directory.models import AcademicYear, School
from bibliomo.lib import apihelpers
from bibliomo.textbooks.models import FederalListEntry, number_key

router = Router(tags=["Выдача учебников"])


def _school(request: HttpRequest, school_id: int, *, names: bool) -> School:
    if names:
        return rules.school_for_pupils(request.user, school_id)
    return rules.school_for_counts(request.user, school_id)


def _year(year: int | None) -> int:
    return AcademicYear.objects.parse(year)


class ClassOut(Schema):
    id: int
    year: int
    grade: int
    letter: str
    name: str
    teacher: str
    pupils: int
    return_by: dt.date


class ClassIn(Schema):
    grade: int
    letter: str = ""
    teacher: str = ""
    size: int | None = None
    return_by: dt.date | None = None


class PupilOut(Schema):
    id: int
    last_name: str
    first_name: str
    number: str
    class_id: int | None
    left_on: dt.date | None


class PupilIn(Schema):
    last_name: str
    first_name: str
    number: str = ""


class LoanOut(Schema):
    id: int
    year: int
    entry_id: int
    entry_number: str
    copies: int
    kind: str
    pupil_id: int | None
    class_id: int | None
    holder: str
    status: str
    condition: str
    issued_on: dt.date
    due_on: dt.date
    returned_on: dt.date | None


class LoanIn(Schema):
    entry_number: str
    copies: int = 1
    pupil_id: int | None = None
    kind: str = Loan.Kind.PUPIL
    holder: str = ""


class LoanReturnIn(Schema):
    condition: str = Loan.Condition.GOOD


class IssueSetOut(Schema):
    copies: int
    pupils: int
    shortages: list[str]


class CountsOut(Schema):
    school_id: int
    school: str
    issued: int
    returned: int
    in_hands: int
    debt: int
    lost: int


def _class_out(c: Classroom, pupils: int) -> dict:
    return {
        "id": c.pk, "year": c.year_id, "grade": c.grade, "letter": c.letter, "name": c.name,
        "teacher": c.teacher_label, "pupils": pupils, "return_by": c.return_by,
    }  # fmt: skip


def _pupil_out(p: Pupil) -> dict:
    return {
        "id": p.pk, "last_name": p.last_name, "first_name": p.first_name,
        "number": p.number, "class_id": p.classroom_id, "left_on": p.left_on,
    }  # fmt: skip


def _loan_out(ln: Loan) -> dict:
    return {
        "id": ln.pk, "year": ln.year_id, "entry_id": ln.entry_id,
        "entry_number": ln.entry.number, "copies": ln.copies, "kind": ln.kind,
        "pupil_id": ln.pupil_id, "class_id": ln.classroom_id, "holder": ln.holder,
        "status": ln.status, "condition": ln.condition, "issued_on": ln.issued_on,
        "due_on": ln.due_on, "returned_on": ln.returned_on,
    }  # fmt: skip


@router.get("/circulation/counts", response=list[CountsOut], summary="Выдача по школам района")
def counts(request: HttpRequest, year: int | None = None):
    district = apihelpers.district(request)
    schools = list(School.objects.filter(district=district, is_active=True).order_by("short_name"))
    found = selectors.counts_by_school([s.pk for s in schools], _year(year))
    empty = selectors.Counts(0, 0, 0, 0, 0)
    return [
        {"school_id": s.pk, "school": s.short_name, **found.get(s.pk, empty)._asdict()}
        for s in schools
    ]


@router.get(
    "/circulation/schools/{school_id}/classes", response=list[ClassOut], summary="Классы школы"
)
def classes(request: HttpRequest, school_id: int, year: int | None = None):
    from django.db.models import Count, Q

    school = _school(request, school_id, names=False)
    rows = (
        Classroom.objects.filter(school=school, year_id=_year(year))
        .annotate(n=Count("pupils", filter=Q(pupils__left_on__isnull=True)))
        .select_related("teacher")
    )
    return [_class_out(c, c.n) for c in rows]


@router.post(
    "/circulation/schools/{school_id}/classes",
    response={201: ClassOut},
    summary="Добавить класс",
)
def class_create(request: HttpRequest, school_id: int, data: ClassIn, year: int | None = None):
    school = _school(request, school_id, names=True)
    y = _year(year)
    AcademicYear.open(y)
    c = Classroom(
        school=school, year_id=y, grade=data.grade, letter=data.letter.strip().upper(),
        teacher_name=data.teacher, size=data.size,
        return_by=data.return_by or default_return_by(y),
    )  # fmt: skip
    apihelpers.full_clean(c)
    c.save()
    return 201, _class_out(c, 0)


@router.get(
    "/circulation/classes/{class_id}/pupils", response=list[PupilOut], summary="Учащиеся класса"
)
def pupils(request: HttpRequest, class_id: int):
    classroom = rules.classroom_for(request.user, class_id)
    return [_pupil_out(p) for p in Pupil.objects.filter(classroom=classroom, left_on__isnull=True)]


@router.post(
    "/circulation/classes/{class_id}/pupils",
    response={201: PupilOut},
    summary="Добавить учащегося",
)
def pupil_create(request: HttpRequest, class_id: int, data: PupilIn):
    classroom = rules.classroom_for(request.user, class_id)
    p = Pupil(
        school=classroom.school, classroom=classroom, last_name=data.last_name.strip(),
        first_name=data.first_name.strip(), number=data.number.strip(),
    )  # fmt: skip
    apihelpers.full_clean(p)
    p.save()
    return 201, _pupil_out(p)


@router.get(
    "/circulation/schools/{school_id}/loans", response=list[LoanOut], summary="Выдачи школы"
)
def loans(
    request: HttpRequest,
    school_id: int,
    status: str | None = None,
    class_id: int | None = None,
    pupil_id: int | None = None,
):
    school = _school(request, school_id, names=True)
    rows = Loan.objects.filter(school=school).select_related("entry").order_by("pk")
    if status:
        rows = rows.filter(status=status)
    if class_id:
        rows = rows.filter(classroom_id=class_id)
    if pupil_id:
        rows = rows.filter(pupil_id=pupil_id)
    return [_loan_out(ln) for ln in rows[:5000]]


@router.post(
    "/circulation/classes/{class_id}/issue-set",
    response=IssueSetOut,
    summary="Выдать комплект классу",
)
def issue_set(request: HttpRequest, class_id: int):
    classroom = rules.classroom_for(request.user, class_id)
    result = services.issue_set(classroom, request.user)
    return {"copies": result.copies, "pupils": len(result.pupils), "shortages": result.messages}


@router.post(
    "/circulation/classes/{class_id}/accept-all", response=IssueSetOut, summary="Принять всё"
)
def accept_all(request: HttpRequest, class_id: int):
    classroom = rules.classroom_for(request.user, class_id)
    return {"copies": services.accept_all(classroom, request.user), "pupils": 0, "shortages": []}


@router.post(
    "/circulation/schools/{school_id}/loans",
    response={201: LoanOut},
    summary="Выдать учебник учащемуся, учителю или в кабинет",
)
def loan_create(request: HttpRequest, school_id: int, data: LoanIn):
    school = _school(request, school_id, names=True)
    entry = FederalListEntry.objects.filter(key=number_key(data.entry_number)).first()
    if entry is None:
        raise HttpError(422, f"В федеральном перечне нет учебника с номером {data.entry_number}.")
    pupil = None
    if data.pupil_id is not None:
        pupil = rules.pupil_for(request.user, school, data.pupil_id)
    if data.kind not in Loan.Kind.values:
        raise HttpError(422, "kind: учащемуся (pupil), учителю (teacher) или в кабинет (cabinet).")
    try:
        loan = services.issue(
            school, entry, data.copies, pupil=pupil, kind=data.kind, holder=data.holder,
            user=request.user,
        )  # fmt: skip
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return 201, _loan_out(loan)


@router.post("/circulation/loans/{loan_id}/return", response=LoanOut, summary="Принять учебник")
def loan_return(request: HttpRequest, loan_id: int, data: LoanReturnIn):
    loan = rules.loan_for(request.user, loan_id)
    try:
        if not services.return_loans([loan], data.condition, request.user):
            raise HttpError(422, "Этот учебник уже сдан.")
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    loan.refresh_from_db()
    return _loan_out(loan)
