from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.exchange import documents, rules, services, transfers
from bibliomo.exchange.forms import (
    AdjustmentForm,
    ApplyPlanForm,
    PlanFilterForm,
    PlanForm,
    PlanLineForm,
    ReasonForm,
    ReceiveForm,
    RequestForm,
)
from bibliomo.exchange.models import Adjustment, ExchangePlan, PlanLine, Transfer
from bibliomo.fund.calc import Provision
from bibliomo.lib import replica, tables, years
from bibliomo.lib.formfields import CountsForm
from bibliomo.lib.http import paginate, query_string_without_page
from bibliomo.textbooks.models import FederalListEntry

SHIPMENTS_PER_PAGE = 20
UNCOVERED_SHOWN = 100


def _current() -> int:
    return years.start_year_for(timezone.localdate())


def _year(request: HttpRequest) -> int:
    """The target academic year (start year): ?year=, else the next one."""
    return AcademicYear.objects.parse(request.GET.get("year"), default=_current() + 1)


def _year_choices() -> list[int]:
    """The current academic year and the next: the exchange plans for one of them."""
    return [_current(), _current() + 1]


@dataclass
class FundRow:
    row: services.Row
    school: School
    entry: FederalListEntry


def _fund_rows(request: HttpRequest, district: District, year: int) -> tuple[list[FundRow], dict]:
    rows = [r for r in services.rows(district, year) if r.surplus or r.offered or r.shortage]
    schools = School.objects.in_bulk({r.school_id for r in rows})
    entries = FederalListEntry.objects.in_bulk({r.entry_id for r in rows})
    listing = [FundRow(r, schools[r.school_id], entries[r.entry_id]) for r in rows]
    subjects = sorted({f.entry.subject for f in listing if f.entry.subject})
    grades = sorted({f.entry.grade_from for f in listing if f.entry.grade_from})
    side = request.GET.get("side", "")
    school = request.GET.get("school", "")
    subject = request.GET.get("subject", "")
    grade = request.GET.get("grade", "")
    query = request.GET.get("q", "").strip().lower()
    if side == "offers":
        listing = [f for f in listing if f.row.offered]
    elif side == "needs":
        listing = [f for f in listing if f.row.shortage]
    if school.isdigit():
        listing = [f for f in listing if f.school.pk == int(school)]
    if subject:
        listing = [f for f in listing if f.entry.subject == subject]
    if grade.isdigit():
        g = int(grade)
        listing = [
            f
            for f in listing
            if (f.entry.grade_from or 0) <= g <= (f.entry.grade_to or f.entry.grade_from or 0)
        ]
    if query:
        listing = [
            f
            for f in listing
            if query in f.entry.title.lower()
            or query in f.entry.number
            or query in f.entry.authors.lower()
        ]
    listing.sort(
        key=lambda f: (
            f.entry.subject,
            f.entry.grade_from or 0,
            f.entry.number,
            f.school.short_name,
        )
    )
    filters = {
        "side": side,
        "school": school,
        "subject": subject,
        "grade": grade,
        "query": request.GET.get("q", "").strip(),
        "subjects": subjects,
        "grades": grades,
        "schools": sorted(schools.values(), key=lambda s: s.short_name),
    }
    return listing, filters


@access.member_required
@replica.report
def fund_page(request: HttpRequest) -> HttpResponse:
    """Обменно-резервный фонд: what the district's schools offer and need."""
    district = access.district_or_404(request)
    year = _year(request)
    listing, filters = _fund_rows(request, district, year)
    by_entry: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for f in listing:
        by_entry[f.entry.pk][0] += f.row.offered
        by_entry[f.entry.pk][1] += f.row.shortage
    own = request.user.school_id
    return render(
        request,
        "exchange/fund.html",
        {
            "district": district,
            "year": year,
            "page": paginate(request, listing),
            "qs": query_string_without_page(request),
            "total_offered": sum(f.row.offered for f in listing),
            "total_needed": sum(f.row.shortage for f in listing),
            "entries_count": len(by_entry),
            "own_school": own,
            "year_choices": _year_choices(),
            "oversees": rules.can_read_plans(request.user, district.pk),
            "can_request": own is not None,
            **filters,
        },
    )


@access.member_required
@replica.report
def fund_export(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    listing, _ = _fund_rows(request, district, year)
    headers = ["Школа", "Порядковый номер ФПУ", "Учебник", "Авторы", "Предмет", "Класс",
               "Пригодно, экз.", "Нужно, экз.", "Излишек по расчёту", "Оставлено в резерве",
               "Предложено дополнительно", "Предлагается", "Недостаток", "Комментарий"]  # fmt: skip
    rows = (
        [
            f.school.short_name,
            f.entry.number,
            f.entry.title,
            f.entry.authors,
            f.entry.subject,
            f.entry.grades,
            f.row.usable,
            f.row.need,
            f.row.surplus,
            f.row.hold_back,
            f.row.offer_extra,
            f.row.offered,
            f.row.shortage,
            f.row.comment,
        ]
        for f in listing
    )
    title = f"Обменно-резервный фонд — {district.name}, {years.label(year)}"
    sheet = tables.Sheet("Обменный фонд", headers, rows, caption=[title])
    return tables.xlsx_response(f"Обменный фонд — {district.name} — {year}.xlsx", [sheet])


@access.member_required
def adjust(request: HttpRequest, school_pk: int, entry_pk: int) -> HttpResponse:
    """The librarian holds copies back as the school's reserve or offers extra."""
    school = rules.adjustable_school(request.user, school_pk)
    entry = get_object_or_404(FederalListEntry, pk=entry_pk)
    year = _year(request)
    instance = Adjustment.objects.filter(school=school, entry=entry, year_id=year).first()
    instance = instance or Adjustment(school=school, entry=entry, year_id=year)
    row = next(
        (
            r
            for r in services.rows(school.district, year)
            if r.school_id == school.pk and r.entry_id == entry.pk
        ),
        None,
    )
    form = AdjustmentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        AcademicYear.open(year)
        form.save()
        messages.success(request, "Поправка сохранена.")
        return redirect(f"{reverse('exchange_fund')}?year={year}&school={school.pk}")
    return render(
        request,
        "exchange/adjust.html",
        {"form": form, "school": school, "entry": entry, "year": year, "row": row},
    )


def _chosen(entries: QuerySet[FederalListEntry], request: HttpRequest) -> FederalListEntry | None:
    """The entry a link from the fund's table has chosen (its id in ``?entry=``)."""
    pk = request.GET.get("entry", "")
    return entries.filter(pk=pk).first() if pk.isdigit() else None


@access.member_required
def request_copies(request: HttpRequest) -> HttpResponse:
    """A school asks another for copies; the giver accepts, partly accepts or declines."""
    user = request.user
    taker = rules.requesting_school(user)
    year = _year(request)
    offered = [
        r for r in services.rows(taker.district, year) if r.offered and r.school_id != taker.pk
    ]
    entries = FederalListEntry.objects.filter(pk__in={r.entry_id for r in offered}).order_by(
        "number"
    )
    form = RequestForm(
        request.POST or None,
        taker=taker,
        entries=entries,
        initial={"giver": request.GET.get("giver"), "entry": _chosen(entries, request)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            t = transfers.create(
                data["giver"],
                taker,
                [(data["entry"].pk, data["copies"])],
                user=user,
                kind=data["kind"],
                return_date=data["return_date"],
                comment=data["comment"],
            )
        except transfers.TransferError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Запрос отправлен: {t}.")
            return redirect(t)
    return render(request, "exchange/request.html", {"form": form, "taker": taker, "year": year})


# --- the plan -------------------------------------------------------------------------


@access.require(rules.can_read_plans)
def plan_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    year = _year(request)
    can_compute = rules.can_compute_plan(request.user, district.pk)
    form = PlanForm(request.POST or None, district=district)
    if request.method == "POST":
        rules.check_compute(request.user, district.pk)
        if form.is_valid():
            data = form.cleaned_data
            plan = services.compute_plan(
                district,
                year,
                max_km=data["max_km"],
                exclude_schools=data["exclude_schools"],
                exclude_entries=data["exclude_entries"],
                user=request.user,
            )
            messages.success(request, f"{plan} рассчитан.")
            return redirect("exchange_plan", plan.pk)
    plans = (
        ExchangePlan.objects.filter(district=district)
        .select_related("year", "created_by")
        .annotate(line_count=Count("lines"), copy_count=Sum("lines__copies"))
    )
    return render(
        request,
        "exchange/plan_list.html",
        {
            "district": district,
            "year": year,
            "form": form,
            "can_compute": can_compute,
            "year_choices": _year_choices(),
            "oversees": True,
            "page": paginate(request, plans, per_page=20),
            "qs": query_string_without_page(request),
        },
    )


@dataclass
class Shipment:
    """One parcel of the plan: everything one school sends to another."""

    giver: School
    taker: School
    km: float
    lines: list[PlanLine] = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(line.copies for line in self.lines)


def _shipments(lines: list[PlanLine]) -> list[Shipment]:
    groups: dict[tuple[int, int], Shipment] = {}
    for line in lines:
        key = (line.giver_id, line.taker_id)
        if key not in groups:
            groups[key] = Shipment(line.giver, line.taker, line.km)
        groups[key].lines.append(line)
    return list(groups.values())


@access.member_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Summary first (provision before and after, copies covered and left, shipments), then
    the plan by shipment — folded, filtered by school and subject, a page at a time."""
    plan = rules.plan_for(request.user, pk)
    schools = School.objects.filter(district=plan.district).in_bulk()
    all_lines = list(
        plan.lines.select_related("giver", "taker", "entry").order_by(
            "giver__short_name", "taker__short_name", "entry__number"
        )
    )
    filters = PlanFilterForm(
        request.GET or None,
        schools=sorted(
            {ln.giver for ln in all_lines} | {ln.taker for ln in all_lines},
            key=lambda s: s.short_name,
        ),
        subjects=sorted({ln.entry.subject for ln in all_lines if ln.entry.subject}),
    )
    school_id, subject = filters.chosen()
    lines = [
        ln
        for ln in all_lines
        if (not school_id or school_id in (ln.giver_id, ln.taker_id))
        and (not subject or ln.entry.subject == subject)
    ]
    incoming: dict[tuple[int, int], int] = defaultdict(int)
    for line in all_lines:
        incoming[line.taker_id, line.entry_id] += line.copies
    excluded_schools = set(plan.excluded_schools.values_list("pk", flat=True))
    excluded_entries = set(plan.excluded_entries.values_list("pk", flat=True))
    uncovered = [
        (r.school_id, r.entry_id, r.shortage - incoming[r.school_id, r.entry_id])
        for r in services.rows(plan.district, plan.year.start_year)
        if r.shortage > incoming[r.school_id, r.entry_id]
        and r.school_id not in excluded_schools
        and r.entry_id not in excluded_entries
        and (not school_id or r.school_id == school_id)
    ]
    entries = FederalListEntry.objects.in_bulk({e for _, e, _ in uncovered})
    uncovered_rows = [
        (schools[s], entries[e], n)
        for s, e, n in uncovered
        if s in schools and (not subject or entries[e].subject == subject)
    ]
    change = services.provision_change(plan)
    provision = sorted(
        (
            (schools[c.school_id], c.before, c.after)
            for c in change.values()
            if c.school_id in schools and c.before.students
        ),
        key=lambda x: x[0].short_name,
    )
    before = sum((b for _, b, _ in provision), Provision(0, 0))
    after = sum((a for _, _, a in provision), Provision(0, 0))
    shipments = _shipments(lines)
    return render(
        request,
        "exchange/plan_detail.html",
        {
            "plan": plan,
            "summary": services.summary(plan),
            "district_before": before,
            "district_after": after,
            "uncovered": uncovered_rows[:UNCOVERED_SHOWN],
            "uncovered_more": max(0, len(uncovered_rows) - UNCOVERED_SHOWN),
            "uncovered_copies": sum(n for _, _, n in uncovered_rows),
            "provision": provision,
            "raised": sum(1 for _, b, a in provision if a.covered > b.covered),
            "filters": filters,
            "filtered": bool(school_id or subject),
            "line_count": len(lines),
            "page": paginate(request, shipments, per_page=SHIPMENTS_PER_PAGE),
            "qs": query_string_without_page(request),
            "can_edit": rules.can_edit_plan(request.user, plan)
            and plan.status == ExchangePlan.Status.DRAFT,
            "apply_form": ApplyPlanForm(),
        },
    )


@require_POST
@access.member_required
def plan_line(request: HttpRequest, pk: int, line_pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk, edit=True)
    line = rules.plan_line_for(request.user, plan, line_pk)
    form = PlanLineForm(request.POST)
    back = redirect(reverse("exchange_plan", args=[plan.pk]) + "?" + request.POST.get("back", ""))
    if not form.is_valid():
        messages.error(request, "Укажите число экземпляров.")
        return back
    copies = form.wanted()
    try:
        services.change_line(line, copies, request.user)
    except transfers.TransferError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Строка удалена." if copies == 0 else "Строка изменена.")
    return back


@require_POST
@access.member_required
def plan_apply(request: HttpRequest, pk: int) -> HttpResponse:
    plan = rules.plan_for(request.user, pk, edit=True)
    form = ApplyPlanForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("exchange_plan", plan.pk)
    try:
        made = services.apply_plan(
            plan,
            request.user,
            kind=form.cleaned_data["kind"],
            return_date=form.cleaned_data["return_date"],
        )
    except transfers.TransferError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exchange_plan", plan.pk)
    messages.success(request, f"Оформлено передач: {len(made)}. Передающие школы получили письма.")
    return redirect(f"{reverse('exchange_transfers')}?plan={plan.pk}")


# --- transfers ------------------------------------------------------------------------


def _transfers(request: HttpRequest, district: District):
    qs = rules.visible(request.user, district.pk).select_related("giver", "taker")
    status = request.GET.get("status", "")
    if status in Transfer.Status.values:
        qs = qs.filter(status=status)
    school = request.GET.get("school", "")
    if school.isdigit():
        qs = qs.filter(Q(giver_id=school) | Q(taker_id=school))
    plan = request.GET.get("plan", "")
    if plan.isdigit():
        qs = qs.filter(plan_id=plan)
    qs = qs.annotate(copy_count=Sum("lines__copies"), line_count=Count("lines"))
    return qs, {"status": status, "school": school, "plan": plan}


@access.member_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    qs, filters = _transfers(request, district)
    return render(
        request,
        "exchange/transfer_list.html",
        {
            "district": district,
            "page": paginate(request, qs),
            "qs": query_string_without_page(request),
            "statuses": Transfer.Status.choices,
            "oversees": rules.can_read_plans(request.user, district.pk),
            "schools": School.objects.filter(district=district, is_active=True).order_by(
                "short_name"
            ),
            **filters,
        },
    )


@access.member_required
def transfer_export(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    qs, _ = _transfers(request, district)
    headers = ["Номер", "Создана", "Передаёт", "Получает", "Вид", "Вернуть до", "Основание",
               "Состояние", "Учебников", "Экземпляров", "Отправлена", "Получена",
               "Расхождения"]  # fmt: skip
    rows = (
        [
            t.number,
            t.created_at.date(),
            t.giver.short_name,
            t.taker.short_name,
            t.get_kind_display(),
            t.return_date,
            t.get_origin_display(),
            t.get_status_display(),
            t.line_count,
            t.copy_count or 0,
            t.shipped_on,
            t.received_on,
            t.discrepancy,
        ]
        for t in qs
    )
    sheet = tables.Sheet(
        "Передачи", headers, rows, caption=[f"Передачи учебников — {district.name}"]
    )
    return tables.xlsx_response(f"Передачи учебников — {district.name}.xlsx", [sheet])


@access.member_required
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    t = rules.transfer_for(request.user, pk)
    history = t.history.select_related("history_user").order_by("history_date")
    steps = []
    last = None
    for h in history:
        if h.status != last:
            steps.append(h)
            last = h.status
    return render(
        request,
        "exchange/transfer_detail.html",
        {
            "transfer": t,
            "lines": list(t.lines.select_related("entry")),
            "actions": rules.actions(request.user, t),
            "steps": steps,
            "receive_form": ReceiveForm(),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@access.member_required
def transfer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    t = rules.step_for(request.user, pk, action)
    labels = [(ln.pk, str(ln.entry.number)) for ln in t.lines.select_related("entry")]
    lines = CountsForm(request.POST, labels, prefix="line")
    reason_form, receive_form = ReasonForm(request.POST), ReceiveForm(request.POST)
    if not (lines.is_valid() and reason_form.is_valid() and receive_form.is_valid()):
        for text in lines.error_list():
            messages.error(request, text)
        if reason_form.errors:
            messages.error(request, "Причина — не длиннее 500 знаков.")
        return redirect(t)
    counts = lines.counts()
    reason = reason_form.cleaned_data["reason"].strip()
    try:
        if action == "agree":
            transfers.agree(t, request.user, counts)
        elif action == "decline":
            transfers.decline(t, request.user, reason)
        elif action == "cancel":
            transfers.cancel(t, request.user, reason)
        elif action == "ship":
            transfers.ship(t, request.user)
        elif action == "receive":
            discrepancy = receive_form.cleaned_data["discrepancy"].strip()
            transfers.receive(t, request.user, counts, discrepancy)
        elif action == "return":
            transfers.mark_returned(t, request.user)
        else:
            transfers.close(t, request.user)
    except transfers.TransferError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        t.refresh_from_db()
        messages.success(request, f"{t}: {t.get_status_display()}.")
    return redirect(t)


@access.member_required
def transfer_act(request: HttpRequest, pk: int) -> HttpResponse:
    """The act as DOCX, or as PDF with ``?format=pdf``."""
    t = rules.transfer_for(request.user, pk)
    refused = documents.refusal(t)
    if refused:
        raise PermissionDenied(refused)
    return documents.act_response(t, request.GET.get("format", "docx"))
