"""API of the order campaign: the same rules as the pages (``bibliomo.orders.rules``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear
from bibliomo.lib import apihelpers
from bibliomo.orders import rules, services
from bibliomo.orders.models import OrderCampaign, OrderLine, SchoolOrder

router = Router(tags=["Заказ учебников"])


class CampaignOut(Schema):
    id: int
    district_id: int
    target_year: int
    deadline: dt.date
    reserve_percent: Decimal
    is_open: bool
    note: str

    @staticmethod
    def resolve_target_year(obj: OrderCampaign) -> int:
        return obj.target_year_id


class CampaignIn(Schema):
    target_year: int = Field(ge=AcademicYear.FIRST, le=AcademicYear.LAST)
    deadline: dt.date
    reserve_percent: Decimal = Field(Decimal(0), ge=0, le=50, max_digits=4, decimal_places=1)
    note: str = Field("", max_length=10_000)


class OrderOut(Schema):
    id: int
    campaign_id: int
    school_id: int
    school: str
    status: str
    progress: str
    comment: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None

    @staticmethod
    def resolve_school(obj: SchoolOrder) -> str:
        return obj.school.short_name


class OrderLineOut(Schema):
    id: int
    entry_id: int
    entry_number: str
    title: str
    grades: str
    students: int
    copies_per_student: int
    need: int
    reserve: int
    usable: int
    incoming: int
    promised: int
    computed: int
    quantity: int
    reason: str
    note: str
    price: Decimal | None
    total: Decimal | None
    is_manual: bool

    @staticmethod
    def resolve_entry_number(obj: OrderLine) -> str:
        return obj.entry.number

    @staticmethod
    def resolve_title(obj: OrderLine) -> str:
        return obj.entry.title


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj: SchoolOrder) -> list[OrderLine]:
        return list(obj.lines.select_related("entry"))


class OrderLineIn(Schema):
    quantity: int
    reason: str = ""
    note: str = ""
    price: Decimal | None = None


class ReturnIn(Schema):
    comment: str


def _campaign(request: HttpRequest, campaign_id: int) -> OrderCampaign:
    return rules.campaign_for(request.user, campaign_id, consolidated=False)


def _order(request: HttpRequest, order_id: int, *, edit: bool = False) -> SchoolOrder:
    return rules.order_for(request.user, order_id, edit=edit)


def _run(action, *args, **kwargs) -> None:
    try:
        action(*args, **kwargs)
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc


@router.get("/orders/campaigns", response=list[CampaignOut], summary="Кампании заказа учебников")
def list_campaigns(request: HttpRequest):
    return OrderCampaign.objects.filter(district_id=apihelpers.district_id(request))


@router.post("/orders/campaigns", response={201: CampaignOut}, summary="Открыть кампанию")
def create_campaign(request: HttpRequest, payload: CampaignIn):
    district_id = apihelpers.district_id(request)
    if not rules.runs_campaigns(request.user, district_id):
        raise HttpError(403, "Открывают кампанию руководитель ММО и Управление образования.")
    if OrderCampaign.objects.filter(
        district_id=district_id, target_year_id=payload.target_year
    ).exists():
        raise HttpError(422, "Кампания на этот учебный год уже открыта.")
    campaign = services.open_campaign(
        access.current_district(request.user),
        payload.target_year,
        payload.deadline,
        reserve_percent=payload.reserve_percent,
        note=payload.note,
        user=request.user,
    )
    return Status(201, campaign)


@router.get("/orders/campaigns/{campaign_id}", response=CampaignOut, summary="Кампания")
def get_campaign(request: HttpRequest, campaign_id: int):
    return _campaign(request, campaign_id)


@router.get(
    "/orders/campaigns/{campaign_id}/orders",
    response=list[OrderOut],
    summary="Заказы школ (библиотекарю — только своей школы)",
)
def list_orders(request: HttpRequest, campaign_id: int):
    campaign = _campaign(request, campaign_id)
    orders = rules.visible_orders(request.user, campaign).select_related("school")
    return orders.order_by("school__short_name")


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="Заказ школы со строками")
def get_order(request: HttpRequest, order_id: int):
    return _order(request, order_id)


@router.patch(
    "/orders/{order_id}/lines/{line_id}", response=OrderLineOut, summary="Изменить строку"
)
def update_line(request: HttpRequest, order_id: int, line_id: int, payload: OrderLineIn):
    order = _order(request, order_id, edit=True)
    line = get_object_or_404(OrderLine.objects.select_related("entry"), pk=line_id, order=order)
    line.order = order
    fields = payload.model_fields_set
    _run(
        services.update_line,
        line,
        quantity=payload.quantity,
        reason=payload.reason,
        note=payload.note,
        price=payload.price,
        price_given="price" in fields,
        user=request.user,
    )
    return line


@router.post("/orders/{order_id}/submit", response=OrderOut, summary="Подать заказ")
def submit(request: HttpRequest, order_id: int):
    order = _order(request, order_id, edit=True)
    _run(services.submit, order, request.user)
    return order


@router.post("/orders/{order_id}/approve", response=OrderOut, summary="Утвердить заказ")
def approve(request: HttpRequest, order_id: int):
    order = _order(request, order_id)
    if not rules.approves(request.user, order.school.district_id):
        raise HttpError(403, "Утверждает заказы Управление образования.")
    _run(services.approve, order, request.user)
    return order


@router.post("/orders/{order_id}/return", response=OrderOut, summary="Вернуть на доработку")
def return_order(request: HttpRequest, order_id: int, payload: ReturnIn):
    order = _order(request, order_id)
    if not rules.approves(request.user, order.school.district_id):
        raise HttpError(403, "Возвращает заказы Управление образования.")
    _run(services.return_order, order, payload.comment, request.user)
    return order
