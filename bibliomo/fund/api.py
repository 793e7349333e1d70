"""API of the textbook fund, with the pages' permissions: a school's data for its
librarian (read and write) and for those who oversee the district (read)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear
from bibliomo.fund import rules, services
from bibliomo.fund.calc import Provision
from bibliomo.fund.models import Document, DocumentLine, Enrolment, Holding
from bibliomo.textbooks.models import Curriculum, FederalListEntry, number_key

router = Router(tags=["Учебный фонд"])


def _year(year: int | None) -> int:
    return AcademicYear.objects.parse(year)


def _entry(number: str) -> FederalListEntry:
    entry = FederalListEntry.objects.filter(key=number_key(number)).first()
    if entry is None:
        raise HttpError(422, f"В федеральном перечне нет учебника с номером {number}.")
    return entry


class CurriculumOut(Schema):
    id: int
    year: int
    grade: int
    subject: str
    entry_id: int
    entry_number: str
    copies_per_student: int


class CurriculumIn(Schema):
    grade: int
    subject: str
    entry_number: str
    copies_per_student: int = 1


def _curriculum_out(row: Curriculum) -> dict:
    return {
        "id": row.pk,
        "year": row.year_id,
        "grade": row.grade,
        "subject": row.subject,
        "entry_id": row.entry_id,
        "entry_number": row.entry.number,
        "copies_per_student": row.copies_per_student,
    }


@router.get(
    "/schools/{school_id}/curriculum",
    response=list[CurriculumOut],
    summary="Перечень учебников школы",
)
def list_curriculum(request: HttpRequest, school_id: int, year: int | None = None):
    school = rules.school_for(request.user, school_id)
    rows = Curriculum.objects.filter(school=school, year_id=_year(year)).select_related("entry")
    return [_curriculum_out(r) for r in rows]


@router.post(
    "/schools/{school_id}/curriculum",
    response={201: CurriculumOut},
    summary="Добавить учебник в перечень",
)
def add_curriculum(
    request: HttpRequest, school_id: int, payload: CurriculumIn, year: int | None = None
):
    school = rules.school_for(request.user, school_id, edit=True)
    y = AcademicYear.open(_year(year))
    row = Curriculum(
        school=school,
        year=y,
        grade=payload.grade,
        subject=payload.subject,
        entry=_entry(payload.entry_number),
        copies_per_student=payload.copies_per_student,
    )
    try:
        row.full_clean()
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc
    row.save()
    return 201, _curriculum_out(row)


class EnrolmentRow(Schema):
    grade: int
    classes: int = 1
    students: int
    is_forecast: bool = False


@router.get(
    "/schools/{school_id}/enrolment", response=list[EnrolmentRow], summary="Контингент школы"
)
def get_enrolment(request: HttpRequest, school_id: int, year: int | None = None):
    school = rules.school_for(request.user, school_id)
    return list(Enrolment.objects.filter(school=school, year_id=_year(year)))


@router.put(
    "/schools/{school_id}/enrolment",
    response=list[EnrolmentRow],
    summary="Записать контингент на год",
)
def put_enrolment(
    request: HttpRequest, school_id: int, payload: list[EnrolmentRow], year: int | None = None
):
    school = rules.school_for(request.user, school_id, edit=True)
    y = AcademicYear.open(_year(year))
    with transaction.atomic():
        for item in payload:
            if not 1 <= item.grade <= 11 or item.students < 0 or item.classes < 0:
                raise HttpError(422, f"Класс {item.grade}: класс 1–11, числа неотрицательные.")
            row = Enrolment.objects.filter(school=school, year=y, grade=item.grade).first()
            row = row or Enrolment(school=school, year=y, grade=item.grade)
            row.classes, row.students, row.is_forecast = (
                item.classes,
                item.students,
                item.is_forecast,
            )
            row.save()
    return list(Enrolment.objects.filter(school=school, year=y))


class FundLineIn(Schema):
    entry_number: str
    copies: int
    price: Decimal = Decimal("0.00")
    receipt_year: int | None = None


class FundLineOut(Schema):
    entry_id: int
    copies: int
    price: Decimal
    receipt_year: int | None


class FundDocumentIn(Schema):
    kind: str
    number: str
    date: dt.date
    source: str = ""
    reason: str = ""
    supplier: str = ""
    basis: str = ""
    commission: str = ""
    note: str = ""
    lines: list[FundLineIn]
    post: bool = False


class FundDocumentOut(Schema):
    id: int
    school_id: int
    kind: str
    number: str
    date: dt.date
    source: str
    reason: str
    status: str
    lines: list[FundLineOut]


def _document_out(doc: Document) -> dict:
    return {
        "id": doc.pk,
        "school_id": doc.school_id,
        "kind": doc.kind,
        "number": doc.number,
        "date": doc.date,
        "source": doc.source,
        "reason": doc.reason,
        "status": doc.status,
        "lines": list(doc.lines.all()),
    }


@router.get(
    "/schools/{school_id}/documents",
    response=list[FundDocumentOut],
    summary="Документы учёта фонда школы",
)
def list_documents(request: HttpRequest, school_id: int, year: int | None = None):
    school = rules.school_for(request.user, school_id)
    docs = Document.objects.filter(school=school).prefetch_related("lines").order_by("date", "pk")
    if year is not None:
        docs = docs.filter(date__year=AcademicYear.objects.parse_calendar(year))
    return [_document_out(d) for d in docs]


@router.post(
    "/schools/{school_id}/documents",
    response={201: FundDocumentOut},
    summary="Создать (и провести) документ",
)
def create_document(request: HttpRequest, school_id: int, payload: FundDocumentIn):
    school = rules.school_for(request.user, school_id, edit=True)
    if payload.kind not in Document.Kind.values:
        raise HttpError(422, "kind: receipt (поступление) или writeoff (списание).")
    if any(line.copies <= 0 for line in payload.lines):
        raise HttpError(422, "Количество экземпляров в строке должно быть больше нуля.")
    data = payload.dict(exclude={"lines", "post"})
    with transaction.atomic():
        doc = Document(school=school, **data)
        try:
            doc.full_clean(exclude=["posted_by"])
        except ValidationError as exc:
            raise HttpError(422, "; ".join(exc.messages)) from exc
        doc.save()
        DocumentLine.objects.bulk_create(
            DocumentLine(
                document=doc,
                entry=_entry(ln.entry_number),
                copies=ln.copies,
                price=ln.price,
                receipt_year=ln.receipt_year,
            )
            for ln in payload.lines
        )
        if payload.post:
            try:
                services.post(doc, request.user)
            except services.PostingError as exc:
                transaction.set_rollback(True)
                raise HttpError(409, " ".join(exc.messages)) from exc
    return 201, _document_out(doc)


@router.post("/documents/{doc_id}/post", response=FundDocumentOut, summary="Провести документ")
def post_document(request: HttpRequest, doc_id: int):
    doc = rules.document_for(request.user, doc_id, edit=True)
    try:
        services.post(doc, request.user)
    except services.PostingError as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc
    return _document_out(doc)


class HoldingOut(Schema):
    entry_id: int
    entry_number: str
    receipt_year: int
    copies: int
    worn: int


@router.get(
    "/schools/{school_id}/holdings",
    response=list[HoldingOut],
    summary="Фонд школы (остатки по партиям)",
)
def list_holdings(request: HttpRequest, school_id: int):
    school = rules.school_for(request.user, school_id)
    rows = Holding.objects.filter(school=school, copies__gt=0).select_related("entry")
    return [
        {
            "entry_id": h.entry_id,
            "entry_number": h.entry.number,
            "receipt_year": h.receipt_year,
            "copies": h.copies,
            "worn": h.worn,
        }
        for h in rows
    ]


class PairOut(Schema):
    grade: int
    subject: str
    students: int
    copies: int
    percent: float | None
    shortage: int
    surplus: int


class SchoolProvisionOut(Schema):
    school_id: int
    year: int
    students: int
    covered: int
    percent: float | None
    pairs: list[PairOut]


def _provision_out(school_id: int, year: int, total, pairs) -> dict:
    return {
        "school_id": school_id,
        "year": year,
        "students": total.students,
        "covered": total.covered,
        "percent": total.percent,
        "pairs": [
            {
                "grade": p.grade,
                "subject": p.subject,
                "students": p.students,
                "copies": p.copies,
                "percent": p.percent,
                "shortage": p.shortage,
                "surplus": p.surplus,
            }
            for p in pairs
        ],
    }


@router.get(
    "/schools/{school_id}/provision",
    response=SchoolProvisionOut,
    summary="Книгообеспеченность школы",
)
def school_provision(request: HttpRequest, school_id: int, year: int | None = None):
    school = rules.school_for(request.user, school_id)
    y = _year(year)
    total, pairs = services.provision_by_school([school.pk], y).get(
        school.pk, (Provision(0, 0), [])
    )
    return _provision_out(school.pk, y, total, pairs)


class DistrictRow(Schema):
    school_id: int
    students: int
    covered: int
    percent: float | None


@router.get("/provision", response=list[DistrictRow], summary="Книгообеспеченность школ района")
def district_provision(request: HttpRequest, year: int | None = None):
    district = access.current_district(request.user)
    if district is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    data = services.provision_by_school(district, _year(year), pairs=False)
    return [
        {"school_id": sid, "students": t.students, "covered": t.covered, "percent": t.percent}
        for sid, (t, _) in sorted(data.items())
    ]
