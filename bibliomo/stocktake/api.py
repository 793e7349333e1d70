"""API of the stocktake: the same rules as the pages (``bibliomo.stocktake.views``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from bibliomo.lib import apihelpers
from bibliomo.stocktake import rules, services
from bibliomo.stocktake.models import Campaign, CountLine, Stocktake

router = Router(tags=["Инвентаризация"])


class StocktakeCampaignOut(Schema):
    id: int
    name: str
    order_number: str
    order_date: dt.date
    starts_on: dt.date
    deadline: dt.date
    subjects: list[str]
    grades: list[int]
    is_blind: bool
    is_open: bool


class StocktakeCampaignIn(Schema):
    name: str
    order_number: str
    order_date: dt.date
    deadline: dt.date
    starts_on: dt.date | None = None
    subjects: list[str] = []
    grades: list[int] = []
    is_blind: bool = False
    note: str = ""
    school_ids: list[int] = []


class StocktakeOut(Schema):
    id: int
    campaign_id: int
    school_id: int
    school: str
    status: str
    lines: int
    counted: int
    shortage_copies: int
    surplus_copies: int
    shortage_sum: Decimal
    surplus_sum: Decimal
    writeoff_id: int | None
    receipt_id: int | None


class LineOut(Schema):
    id: int
    entry_id: int
    entry_number: str
    title: str
    receipt_year: int
    on_books: int | None
    issued: int | None
    counted: int | None
    shortage: int
    surplus: int
    version: int
    updated_by: str
    updated_at: dt.datetime | None


class CountIn(Schema):
    counted: int | None
    version: int
    issued: int | None = None


class AcceptIn(Schema):
    act_number: str = ""
    act_date: dt.date | None = None
    shortage_reason: str = "not_found"


class AcceptManyIn(Schema):
    stocktake_ids: list[int] = []  # empty — every submitted sheet of the campaign
    act_date: dt.date | None = None
    shortage_reason: str = "not_found"


class StocktakeReturnIn(Schema):
    comment: str


def _out(st: Stocktake, progress: services.Progress | None) -> dict:
    progress = progress or services.Progress(0, 0)
    return {
        "id": st.pk,
        "campaign_id": st.campaign_id,
        "school_id": st.school_id,
        "school": st.school.short_name,
        "status": st.status,
        "lines": progress.lines,
        "counted": progress.counted,
        "shortage_copies": st.shortage_copies,
        "surplus_copies": st.surplus_copies,
        "shortage_sum": st.shortage_sum,
        "surplus_sum": st.surplus_sum,
        "writeoff_id": st.writeoff_id,
        "receipt_id": st.receipt_id,
    }


def _line(ln: CountLine, show: bool) -> dict:
    diff = ln.difference
    return {
        "id": ln.pk,
        "entry_id": ln.entry_id,
        "entry_number": ln.entry.number,
        "title": ln.entry.title,
        "receipt_year": ln.receipt_year,
        "on_books": ln.on_books if show else None,
        "issued": ln.issued,
        "counted": ln.counted,
        "shortage": diff.shortage if show else 0,
        "surplus": diff.surplus if show else 0,
        "version": ln.version,
        "updated_by": services.who(ln.updated_by),
        "updated_at": ln.updated_at,
    }


def _fail(exc: ValidationError) -> HttpError:
    return HttpError(422, " ".join(exc.messages))


@router.get("/stocktakes", response=list[StocktakeCampaignOut])
def campaigns(request: HttpRequest):
    return list(Campaign.objects.filter(district_id=apihelpers.district_id(request)))


@router.post("/stocktakes", response={201: StocktakeCampaignOut})
def open_campaign(request: HttpRequest, data: StocktakeCampaignIn):
    district = apihelpers.district(request)
    if not rules.runs_campaigns(request.user, district.pk):
        raise HttpError(403, "Объявляют инвентаризацию руководитель ММО и Управление.")
    try:
        campaign = services.open_campaign(
            district,
            name=data.name,
            order_number=data.order_number,
            order_date=data.order_date,
            deadline=data.deadline,
            starts_on=data.starts_on,
            subjects=data.subjects,
            grades=data.grades,
            is_blind=data.is_blind,
            note=data.note,
            schools=data.school_ids or None,
            user=request.user,
        )
    except ValidationError as exc:
        raise _fail(exc) from exc
    return 201, campaign


@router.get("/stocktakes/{campaign_id}/schools", response=list[StocktakeOut])
def campaign_schools(request: HttpRequest, campaign_id: int):
    campaign = rules.campaign_for(request.user, campaign_id)
    progress = services.progress(campaign.schools.all())
    return [
        _out(st, progress.get(st.pk))
        for st in campaign.schools.select_related("school").order_by("school__short_name")
    ]


@router.get("/stocktakes/school/{stocktake_id}", response=StocktakeOut)
def stocktake(request: HttpRequest, stocktake_id: int):
    st = rules.stocktake_for(request.user, stocktake_id)
    return _out(st, services.progress(Stocktake.objects.filter(pk=st.pk)).get(st.pk))


@router.get("/stocktakes/school/{stocktake_id}/lines", response=list[LineOut])
def lines(request: HttpRequest, stocktake_id: int):
    st = rules.stocktake_for(request.user, stocktake_id)
    show = rules.shows_books(request.user, st)
    return [_line(ln, show) for ln in services.sheet_lines(st)]


@router.put(
    "/stocktakes/school/{stocktake_id}/lines/{line_id}",
    response={200: LineOut, 409: LineOut},
)
def save_count(request: HttpRequest, stocktake_id: int, line_id: int, data: CountIn):
    """Save a count made from ``version``; 409 with the line as it is now when someone
    else saved it in between (nothing is overwritten)."""
    st = rules.stocktake_for(request.user, stocktake_id, edit=True)
    line = rules.line_for(request.user, st, line_id)
    line.stocktake = st
    show = rules.shows_books(request.user, st)
    extra = {} if data.issued is None else {"issued": data.issued}
    try:
        saved = services.save_count(
            line, counted=data.counted, version=data.version, user=request.user, **extra
        )
    except services.StaleCount as stale:
        return 409, _line(CountLine.objects.select_related("entry", "updated_by").get(
            pk=stale.line.pk
        ), show)  # fmt: skip
    except ValidationError as exc:
        raise _fail(exc) from exc
    saved.entry = line.entry
    return 200, _line(saved, show)


@router.post("/stocktakes/school/{stocktake_id}/submit", response=StocktakeOut)
def submit(request: HttpRequest, stocktake_id: int):
    st = rules.stocktake_for(request.user, stocktake_id, edit=True)
    try:
        st = services.submit(st, request.user)
    except ValidationError as exc:
        raise _fail(exc) from exc
    return _out(st, None)


@router.post("/stocktakes/school/{stocktake_id}/accept", response=StocktakeOut)
def accept(request: HttpRequest, stocktake_id: int, data: AcceptIn):
    st = rules.stocktake_for(request.user, stocktake_id)
    rules.check(
        rules.accepts(request.user, st.campaign.district_id),
        "Принимает инвентаризацию руководитель ММО.",
    )
    try:
        st = services.accept(
            st,
            request.user,
            act_number=data.act_number,
            act_date=data.act_date,
            shortage_reason=data.shortage_reason,
        )
    except ValidationError as exc:
        raise _fail(exc) from exc
    return _out(st, None)


@router.post("/stocktakes/{campaign_id}/accept", response=list[StocktakeOut])
def accept_many(request: HttpRequest, campaign_id: int, data: AcceptManyIn):
    """Accept many submitted sheets at once: all of them, or none (422 naming the
    schools whose adjustments cannot be posted)."""
    campaign = rules.campaign_for(request.user, campaign_id)
    rules.check(
        rules.accepts(request.user, campaign.district_id),
        "Принимает инвентаризацию руководитель ММО.",
    )
    chosen = campaign.schools.all()
    if data.stocktake_ids:
        chosen = chosen.filter(pk__in=data.stocktake_ids)
        if chosen.count() != len(set(data.stocktake_ids)):
            raise HttpError(404, "Не все описи относятся к этой инвентаризации.")
    else:
        chosen = chosen.filter(status=Stocktake.Status.SUBMITTED)
    try:
        accepted = services.accept_many(
            chosen, request.user, act_date=data.act_date, shortage_reason=data.shortage_reason
        )
    except ValidationError as exc:
        raise _fail(exc) from exc
    progress = services.progress(Stocktake.objects.filter(pk__in=[st.pk for st in accepted]))
    return [_out(st, progress.get(st.pk)) for st in accepted]


@router.post("/stocktakes/school/{stocktake_id}/return", response=StocktakeOut)
def return_stocktake(request: HttpRequest, stocktake_id: int, data: StocktakeReturnIn):
    st = rules.stocktake_for(request.user, stocktake_id)
    rules.check(
        rules.accepts(request.user, st.campaign.district_id),
        "Вернуть опись может руководитель ММО.",
    )
    try:
        st = services.return_stocktake(st, data.comment, request.user)
    except ValidationError as exc:
        raise _fail(exc) from exc
    return _out(st, None)
