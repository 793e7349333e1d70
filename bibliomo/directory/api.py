from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from bibliomo.accounts.models import User
from bibliomo.directory import rules
from bibliomo.directory.models import School
from bibliomo.lib import apihelpers
from bibliomo.lib.apihelpers import PageNumberPagination

router = Router(tags=["Справочник"])


class SchoolOut(Schema):
    id: int
    district_id: int
    parent_id: int | None
    full_name: str
    short_name: str
    kind: str
    inn: str
    address: str
    lat: float | None
    lon: float | None
    phone: str
    email: str
    website: str
    is_active: bool


class SchoolIn(Schema):
    full_name: str
    short_name: str
    kind: str = School.Kind.SOSH
    parent_id: int | None = None
    inn: str = ""
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    phone: str = ""
    email: str = ""
    website: str = ""


class PersonOut(Schema):
    id: int
    last_name: str
    first_name: str
    patronymic: str
    full_name: str
    position: str
    role: str
    school_id: int | None
    district_id: int | None
    phone: str
    email: str
    is_active: bool


@router.get("/schools", response=list[SchoolOut], summary="Школы района")
@paginate(PageNumberPagination, page_size=100)
def list_schools(request: HttpRequest, q: str = "", include_inactive: bool = False):
    schools = School.objects.filter(district_id=apihelpers.district_id(request)).order_by(
        "short_name"
    )
    if not include_inactive:
        schools = schools.filter(is_active=True)
    return schools.search(q) if q else schools


@router.get("/schools/{school_id}", response=SchoolOut, summary="Школа")
def get_school(request: HttpRequest, school_id: int):
    return rules.school_for(request.user, school_id)


@router.post("/schools", response={201: SchoolOut}, summary="Добавить школу или филиал")
def create_school(request: HttpRequest, payload: SchoolIn):
    district_id = apihelpers.district_id(request)
    rules.check_manage(request.user, district_id)
    school = School(district_id=district_id, **payload.dict())
    apihelpers.full_clean(school)
    school.save()
    return Status(201, school)


@router.get("/people", response=list[PersonOut], summary="Люди района")
@paginate(PageNumberPagination, page_size=100)
def list_people(request: HttpRequest, q: str = ""):
    people = User.objects.filter(district_id=apihelpers.district_id(request), is_active=True)
    return people.search(q) if q else people


@router.get("/people/{person_id}", response=PersonOut, summary="Человек")
def get_person(request: HttpRequest, person_id: int):
    return rules.person_for(request.user, person_id)
