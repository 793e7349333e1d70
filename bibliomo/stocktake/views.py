"""Pages of the stocktake. Who may do what:

- everyone of the district sees the list of campaigns and, a librarian, their school's
  stocktake; the school's librarian counts (phone screen, XLSX), names the commission,
  submits and asks for a consultation;
- ``head`` and ``department`` open campaigns and follow every school's progress;
- ``head`` (or an administrator) accepts a submitted stocktake — which posts the
  adjustments to the ledger — or returns it with a comment, reminds and closes.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.lib import files, tables
from bibliomo.stocktake import act, forms, rules, services, sheet
from bibliomo.stocktake.models import Campaign, CountLine, Stocktake


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- campaigns -------------------------------------------------------------------------


@access.member_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    user = request.user
    campaigns = list(Campaign.objects.filter(district=district))
    own: dict[int, Stocktake] = {}
    if user.school_id:
        own = {
            st.campaign_id: st
            for st in Stocktake.objects.filter(campaign__in=campaigns, school_id=user.school_id)
        }
    return render(
        request,
        "stocktake/campaign_list.html",
        {
            "rows": [(c, own.get(c.pk)) for c in campaigns],
            "can_run": rules.runs_campaigns(user, district.pk),
            "oversees": access.oversees(user, district.pk),
        },
    )


@access.require(rules.runs_campaigns)
def campaign_create(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    form = forms.CampaignForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        campaign = services.open_campaign(
            district,
            name=data["name"],
            order_number=data["order_number"],
            order_date=data["order_date"],
            starts_on=data["starts_on"],
            deadline=data["deadline"],
            subjects=data["subjects"],
            grades=data["grades"],
            is_blind=data["is_blind"],
            note=data["note"],
            schools=data["schools"] or None,
            user=request.user,
        )
        messages.success(
            request,
            f"Инвентаризация объявлена, описи составлены: {campaign.schools.count()}. "
            "Школам отправлены письма.",
        )
        return redirect(campaign)
    return render(request, "stocktake/campaign_form.html", {"form": form})


@access.member_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    stocktakes = list(campaign.schools.select_related("school").order_by("school__short_name"))
    counted = services.progress(campaign.schools.all())
    today = timezone.localdate()
    rows = [
        (st, counted.get(st.pk, services.Progress(0, 0)), st.is_overdue(today)) for st in stocktakes
    ]
    by_status: dict[str, int] = {}
    for st in stocktakes:
        by_status[st.status] = by_status.get(st.status, 0) + 1
    finished = sum(1 for st in stocktakes if st.is_finished)
    return render(
        request,
        "stocktake/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "statuses": [(s, label, by_status.get(s, 0)) for s, label in Stocktake.Status.choices],
            "finished": finished,
            "overdue": sum(1 for _, _, late in rows if late),
            "shortage": sum(st.shortage_copies for st in stocktakes),
            "surplus": sum(st.surplus_copies for st in stocktakes),
            "shortage_sum": sum(st.shortage_sum for st in stocktakes),
            "surplus_sum": sum(st.surplus_sum for st in stocktakes),
            "can_manage": rules.accepts(request.user, campaign.district_id),
            "submitted": by_status.get(Stocktake.Status.SUBMITTED, 0),
        },
    )


@require_POST
@access.member_required
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    rules.check(
        rules.runs_campaigns(request.user, campaign.district_id),
        "Напоминают о сроке руководитель ММО и Управление.",
    )
    due = campaign.schools.filter(status__in=services.UNFINISHED).select_related(
        "school", "campaign"
    )
    sent = services.remind(due)
    messages.success(request, f"Напоминаний отправлено: {sent}.")
    return redirect(campaign)


@access.member_required
def campaign_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept the chosen submitted sheets at once — all of them or, if any cannot be
    posted, none (the message names the schools to return or recount)."""
    campaign = rules.campaign_for(request.user, pk)
    rules.check(
        rules.accepts(request.user, campaign.district_id),
        "Принимает инвентаризацию руководитель ММО.",
    )
    form = forms.AcceptManyForm(request.POST or None, campaign=campaign)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accepted = services.accept_many(
                data["stocktakes"],
                request.user,
                act_date=data["act_date"],
                shortage_reason=data["shortage_reason"],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Принято описей: {len(accepted)}; расхождения проведены в учёте фонда.",
            )
            return redirect(campaign)
    return render(
        request,
        "stocktake/accept_many.html",
        {"campaign": campaign, "form": form, "errors": errors},
    )


@require_POST
@access.member_required
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    rules.check(
        rules.accepts(request.user, campaign.district_id),
        "Завершает инвентаризацию руководитель ММО.",
    )
    closed = services.close_campaign(campaign, request.user)
    messages.success(request, f"Инвентаризация завершена; закрыто описей: {closed}.")
    return redirect(campaign)


# --- one school's stocktake ------------------------------------------------------------


@access.member_required
def stocktake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk)
    user = request.user
    lines = services.sheet_lines(stocktake)
    counted = sum(1 for ln in lines if ln.counted is not None)
    show_books = rules.shows_books(user, stocktake)
    return render(
        request,
        "stocktake/stocktake_detail.html",
        {
            "stocktake": stocktake,
            "campaign": stocktake.campaign,
            "lines": lines,
            "counted": counted,
            "percent": services.calc.percent(counted, len(lines)),
            "show_books": show_books,
            "can_count": rules.can_count(user, stocktake),
            "can_accept": rules.can_accept(user, stocktake),
            "commission_form": forms.CommissionForm(instance=stocktake),
            "add_form": forms.AddLineForm(),
            "return_form": forms.ReturnForm(),
            "consultations": [
                link.consultation
                for link in stocktake.consultation_links.select_related("consultation")
            ],
            "issued_auto": services.issued_counts(stocktake.school) is not None,
        },
    )


@access.member_required
def count_screen(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    if not stocktake.is_countable:
        messages.info(request, f"Опись {stocktake.get_status_display()}: подсчёт закрыт.")
        return redirect(stocktake)
    lines = services.sheet_lines(stocktake)
    return render(
        request,
        "stocktake/count.html",
        {
            "stocktake": stocktake,
            "lines": lines,
            "show_books": rules.shows_books(request.user, stocktake),
            "issued_auto": services.issued_counts(stocktake.school) is not None,
        },
    )


def _line_json(line: CountLine, show_books: bool) -> dict[str, Any]:
    return {
        "id": line.pk,
        "counted": line.counted,
        "issued": line.issued,
        "on_books": line.on_books if show_books else None,
        "version": line.version,
        "updated_by": services.who(line.updated_by),
        "updated_at": (
            timezone.localtime(line.updated_at).strftime("%d.%m.%Y %H:%M")
            if line.updated_at
            else ""
        ),
    }


@require_POST
@access.member_required
def line_save(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    """One count from the phone screen: JSON {counted, version[, issued]}. 409 with the
    line as it is now when someone else saved it in between."""
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    row = rules.line_for(request.user, stocktake, line)
    row.stocktake = stocktake
    try:
        data = json.loads(request.body or b"{}")
        version = int(data["version"])
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "Неверный запрос: нужны количество и версия."}, status=400)
    extra = {"issued": data["issued"]} if "issued" in data else {}
    show = rules.shows_books(request.user, stocktake)
    try:
        saved = services.save_count(
            row, counted=data.get("counted"), version=version, user=request.user, **extra
        )
    except services.StaleCount as stale:
        current = _line_json(stale.line, show)
        theirs = "—" if current["counted"] is None else current["counted"]
        current["error"] = (
            f"Эту строку уже записал(а) {current['updated_by'] or 'другой пользователь'} "
            f"{current['updated_at']}: {theirs} экз. Проверьте и запишите снова, если ваш "
            "подсчёт верен."
        )
        return JsonResponse(current, status=409)
    except ValidationError as exc:
        return JsonResponse({"error": _errors(exc)}, status=422)
    return JsonResponse(_line_json(saved, show))


@require_POST
@access.member_required
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    form = forms.AddLineForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Добавить строку: " + "; ".join(
            f"{form.fields[k].label} — {' '.join(v)}" for k, v in form.errors.items()
        ))  # fmt: skip
        return redirect(stocktake)
    entry = form.cleaned_data["entry"]
    try:
        services.add_line(
            stocktake,
            entry,
            form.cleaned_data["receipt_year"],
            form.cleaned_data["counted"],
            request.user,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, f"В опись добавлен учебник «{entry.title}».")
    return redirect(stocktake)


@access.member_required
def sheet_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk)
    book = sheet.workbook(stocktake, blind=not rules.shows_books(request.user, stocktake))
    return tables.book_response(book, f"Опись {stocktake.school.short_name}.xlsx")


@access.member_required
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            changed, replaced = sheet.upload(stocktake, form.cleaned_data["file"], request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            text = f"Опись загружена: записано строк — {changed}."
            if replaced:
                text += f" Заменено подсчётов, внесённых другими: {replaced}."
            messages.success(request, text)
            return redirect(stocktake)
    return render(
        request,
        "stocktake/upload.html",
        {"stocktake": stocktake, "form": form, "errors": errors},
    )


@require_POST
@access.member_required
def commission_save(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    form = forms.CommissionForm(request.POST)
    if form.is_valid():
        try:
            services.save_commission(
                stocktake,
                form.cleaned_data["commission_order"],
                form.cleaned_data["commission"],
                request.user,
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "Состав комиссии сохранён.")
    return redirect(stocktake)


@require_POST
@access.member_required
def stocktake_submit(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    try:
        services.submit(stocktake, request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Опись подана руководителю ММО.")
    return redirect(stocktake)


@access.member_required
def stocktake_accept(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk)
    rules.check(
        rules.accepts(request.user, stocktake.campaign.district_id),
        "Принимает инвентаризацию руководитель ММО.",
    )
    if stocktake.status != Stocktake.Status.SUBMITTED:
        messages.info(request, "Принять можно только поданную опись.")
        return redirect(stocktake)
    form = forms.AcceptForm(
        request.POST or None,
        initial={
            "act_number": f"ИНВ-{stocktake.pk}",
            "act_date": timezone.localdate(),
            "shortage_reason": Stocktake.ShortageReason.NOT_FOUND,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.accept(stocktake, request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "Опись не принята: " + _errors(exc))
        else:
            messages.success(request, "Опись принята; расхождения проведены в учёте фонда.")
            return redirect(stocktake)
    short, surplus = services.adjustments(stocktake)
    return render(
        request,
        "stocktake/accept.html",
        {
            "stocktake": stocktake,
            "form": form,
            "short": sum(c for _, _, c, _ in short),
            "surplus": sum(c for _, _, c, _ in surplus),
        },
    )


@require_POST
@access.member_required
def stocktake_return(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk)
    rules.check(
        rules.accepts(request.user, stocktake.campaign.district_id),
        "Вернуть опись может руководитель ММО.",
    )
    form = forms.ReturnForm(request.POST)
    try:
        services.return_stocktake(stocktake, form.data.get("comment", ""), request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, "Опись возвращена школе на пересчёт.")
    return redirect(stocktake)


@access.member_required
def act_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk)
    if stocktake.status not in (
        Stocktake.Status.SUBMITTED,
        Stocktake.Status.ACCEPTED,
        Stocktake.Status.CLOSED,
    ):
        raise Http404("Акт составляется после подачи описи")
    name = f"Акт инвентаризации {stocktake.school.short_name}"
    return files.docx_or_pdf(act.docx(stocktake), name, fmt)


@access.member_required
def ask(request: HttpRequest, pk: int) -> HttpResponse:
    stocktake = rules.stocktake_for(request.user, pk, edit=True)
    form = forms.AskForm(
        request.POST or None,
        initial={"subject": f"Инвентаризация: {stocktake.school.short_name}"},
    )
    if request.method == "POST" and form.is_valid():
        consultation = services.ask(
            stocktake, request.user, form.cleaned_data["subject"], form.cleaned_data["question"]
        )
        messages.success(request, "Вопрос по инвентаризации отправлен руководителю ММО.")
        return redirect(consultation)
    return render(request, "stocktake/ask.html", {"stocktake": stocktake, "form": form})
