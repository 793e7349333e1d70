from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear, School
from bibliomo.exchange import rules, services, transfers
from bibliomo.exchange.models import ExchangePlan, Transfer
from bibliomo.lib.apihelpers import PageNumberPagination
from bibliomo.textbooks.models import FederalListEntry

router = Router(tags=["Обменно-резервный фонд"])


class RowOut(Schema):
    school_id: int
    entry_id: int
    usable: int
    need: int
    surplus: int
    shortage: int
    hold_back: int
    offer_extra: int
    offered: int
    comment: str


class ExchangePlanLineOut(Schema):
    id: int
    giver_id: int
    taker_id: int
    entry_id: int
    copies: int
    km: float


class ExchangePlanOut(Schema):
    id: int
    district_id: int
    year: int
    status: str
    max_km: float | None
    shortage: int
    covered: int
    uncovered: int
    solver_ms: int
    note: str
    created_at: dt.datetime

    @staticmethod
    def resolve_year(plan: ExchangePlan) -> int:
        return plan.year_id


class ExchangePlanDetailOut(ExchangePlanOut):
    lines: list[ExchangePlanLineOut]
    copy_km: float
    shipments: int

    @staticmethod
    def resolve_lines(plan: ExchangePlan) -> list:
        return list(plan.lines.all())

    @staticmethod
    def resolve_copy_km(plan: ExchangePlan) -> float:
        return services.summary(plan)["copy_km"]

    @staticmethod
    def resolve_shipments(plan: ExchangePlan) -> int:
        return services.summary(plan)["shipments"]


class ExchangePlanIn(Schema):
    year: int
    max_km: float | None = None
    exclude_school_ids: list[int] = []
    exclude_entry_ids: list[int] = []


class TransferLineOut(Schema):
    id: int
    entry_id: int
    copies: int
    received: int | None


class TransferOut(Schema):
    id: int
    number: str
    district_id: int
    giver_id: int
    taker_id: int
    kind: str
    return_date: dt.date | None
    status: str
    origin: str
    plan_id: int | None
    comment: str
    discrepancy: str
    shipped_on: dt.date | None
    received_on: dt.date | None
    writeoff_id: int | None
    receipt_id: int | None
    lines: list[TransferLineOut]

    @staticmethod
    def resolve_lines(t: Transfer) -> list:
        return list(t.lines.all())


class RequestLineIn(Schema):
    entry_id: int
    copies: int


class RequestIn(Schema):
    giver_id: int
    lines: list[RequestLineIn]
    kind: str = Transfer.Kind.PERMANENT
    return_date: dt.date | None = None
    comment: str = ""


class StepIn(Schema):
    copies: dict[int, int] = {}  # line id → copies agreed or received
    discrepancy: str = ""
    reason: str = ""


def _district(request: HttpRequest):
    district = access.current_district(request.user)
    if district is None:
        raise HttpError(404, "Пользователь не привязан к району.")
    return district


@router.get("/exchange/rows", response=list[RowOut], summary="Излишки и недостача школ района")
@paginate(PageNumberPagination, page_size=500)
def list_rows(request: HttpRequest, year: int, school_id: int | None = None):
    rows = services.rows(_district(request), AcademicYear.objects.parse(year))
    return [
        {**r.__dict__, "offered": r.offered}
        for r in rows
        if (r.surplus or r.offered or r.shortage)
        and (school_id is None or r.school_id == school_id)
    ]


@router.get("/exchange/plans", response=list[ExchangePlanOut], summary="Планы перераспределения")
@paginate(PageNumberPagination, page_size=50)
def list_plans(request: HttpRequest):
    district = _district(request)
    rules.check_plans(request.user, district.pk)
    return ExchangePlan.objects.filter(district=district)


@router.get("/exchange/plans/{plan_id}", response=ExchangePlanDetailOut, summary="План со строками")
def get_plan(request: HttpRequest, plan_id: int):
    return rules.plan_for(request.user, plan_id)


@router.post("/exchange/plans", response={201: ExchangePlanDetailOut}, summary="Рассчитать план")
def create_plan(request: HttpRequest, payload: ExchangePlanIn):
    district = _district(request)
    rules.check_compute(request.user, district.pk)
    if payload.max_km is not None and payload.max_km <= 0:
        raise HttpError(422, "max_km должно быть положительным числом.")
    AcademicYear.open(payload.year)
    plan = services.compute_plan(
        district,
        payload.year,
        max_km=payload.max_km,
        exclude_schools=School.objects.filter(district=district, pk__in=payload.exclude_school_ids),
        exclude_entries=FederalListEntry.objects.filter(pk__in=payload.exclude_entry_ids),
        user=request.user,
    )
    return Status(201, plan)


def _transfers_for(request: HttpRequest):
    district = _district(request)
    return rules.visible(request.user, district.pk).prefetch_related("lines")


@router.get("/exchange/transfers", response=list[TransferOut], summary="Передачи учебников")
@paginate(PageNumberPagination, page_size=100)
def list_transfers(request: HttpRequest, status: str = ""):
    qs = _transfers_for(request)
    return qs.filter(status=status) if status else qs


@router.get("/exchange/transfers/{transfer_id}", response=TransferOut, summary="Передача")
def get_transfer(request: HttpRequest, transfer_id: int):
    return rules.transfer_for(request.user, transfer_id)


@router.post("/exchange/transfers", response={201: TransferOut}, summary="Запросить учебники")
def request_transfer(request: HttpRequest, payload: RequestIn):
    user = request.user
    taker = rules.requesting_school(user)
    giver = School.objects.filter(pk=payload.giver_id, district_id=taker.district_id).first()
    if giver is None or giver.pk == taker.pk:
        raise HttpError(422, "Передающая школа должна быть другой школой вашего района.")
    if payload.kind not in Transfer.Kind.values:
        raise HttpError(422, f"kind: одно из {', '.join(Transfer.Kind.values)}.")
    known = set(
        FederalListEntry.objects.filter(pk__in=[ln.entry_id for ln in payload.lines]).values_list(
            "pk", flat=True
        )
    )
    if unknown := [ln.entry_id for ln in payload.lines if ln.entry_id not in known]:
        raise HttpError(422, f"Нет учебников с id: {', '.join(map(str, unknown))}.")
    try:
        t = transfers.create(
            giver,
            taker,
            [(ln.entry_id, ln.copies) for ln in payload.lines],
            user=user,
            kind=payload.kind,
            return_date=payload.return_date,
            comment=payload.comment,
        )
    except transfers.TransferError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return Status(201, t)


@router.post(
    "/exchange/transfers/{transfer_id}/{action}", response=TransferOut, summary="Шаг передачи"
)
def transfer_step(request: HttpRequest, transfer_id: int, action: str, payload: StepIn):
    """``action``: agree, decline, cancel, ship, receive, return, close."""
    t = rules.step_for(request.user, transfer_id, action)
    user = request.user
    try:
        if action == "agree":
            t = transfers.agree(t, user, payload.copies or None)
        elif action == "decline":
            t = transfers.decline(t, user, payload.reason)
        elif action == "cancel":
            t = transfers.cancel(t, user, payload.reason)
        elif action == "ship":
            t = transfers.ship(t, user)
        elif action == "receive":
            t = transfers.receive(t, user, payload.copies or None, payload.discrepancy)
        elif action == "return":
            t = transfers.mark_returned(t, user)
        else:
            t = transfers.close(t, user)
    except transfers.TransferError as exc:
        raise HttpError(422, " ".join(exc.messages)) from None
    return t
