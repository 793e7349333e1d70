"""Pages of the order campaign. Who may do what (the rules are in ``rules``):

- everyone of the district sees the list of campaigns; a librarian opens their school's
  order, edits it while it is a draft or returned, submits it and records deliveries;
- ``head`` and ``department`` open campaigns, follow the schools' progress, send
  reminders, load price lists, get the consolidated order and the monitoring forms;
- ``department`` (or an administrator) approves or returns submitted orders; ``head``
  gives an order back to the school (the school may ask for it, with a comment) or lets
  it submit after the deadline.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bibliomo.accounts import access
from bibliomo.directory.models import School
from bibliomo.lib import replica, tables
from bibliomo.lib.formfields import CountsForm
from bibliomo.lib.tables import book_response as xlsx_file
from bibliomo.orders import forms, monitoring, rules, services
from bibliomo.orders.models import OrderCampaign, OrderLine, PriceList, SchoolOrder


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- campaigns ----------------------------------------------------------------------


@access.member_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    user = request.user
    campaigns = list(OrderCampaign.objects.filter(district=district).select_related("target_year"))
    own: dict[int, SchoolOrder] = {}
    if user.school_id:
        own = {
            o.campaign_id: o
            for o in SchoolOrder.objects.filter(campaign__in=campaigns, school_id=user.school_id)
        }
    rows = [(c, own.get(c.pk)) for c in campaigns]
    return render(
        request,
        "orders/campaign_list.html",
        {
            "district": district,
            "rows": rows,
            "can_run": rules.runs_campaigns(user, district.pk),
            "oversees": rules.sees_all_orders(user, district.pk),
        },
    )


@access.require(rules.runs_campaigns)
def campaign_create(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    form = forms.CampaignForm(request.POST or None, district=district)
    if request.method == "POST" and form.is_valid():
        campaign = services.open_campaign(
            district,
            form.cleaned_data["target_year"],
            form.cleaned_data["deadline"],
            reserve_percent=form.cleaned_data["reserve_percent"],
            note=form.cleaned_data["note"],
            user=request.user,
        )
        messages.success(
            request, f"Кампания открыта. Заполнено заказов школ: {campaign.orders.count()}."
        )
        return redirect(campaign)
    return render(request, "orders/campaign_form.html", {"form": form, "district": district})


@access.member_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    orders = list(campaign.orders.select_related("school").order_by("school__short_name"))
    sums = services.order_sums(campaign)
    rows = [(o, *sums.get(o.pk, (0, 0))) for o in orders]
    return render(
        request,
        "orders/campaign_detail.html",
        {
            "campaign": campaign,
            "rows": rows,
            "summary": services.campaign_summary(campaign),
            "can_run": rules.runs_campaigns(request.user, campaign.district_id),
        },
    )


@require_POST
@access.member_required
def campaign_remind(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    if not rules.runs_campaigns(request.user, campaign.district_id):
        raise PermissionDenied
    sent = services.remind(
        campaign.orders.filter(status__in=services.UNSUBMITTED).select_related(
            "school", "campaign__target_year"
        )
    )
    messages.success(request, f"Напоминаний отправлено: {sent}.")
    return redirect(campaign)


@access.member_required
@replica.report
def consolidated(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    return render(
        request,
        "orders/consolidated.html",
        {"campaign": campaign, "data": services.consolidated(campaign)},
    )


@access.member_required
@replica.report
def consolidated_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    return tables.xlsx_response(
        f"Сводный заказ {campaign.target_year.short_label.replace('/', '-')}.xlsx",
        services.consolidated_sheets(campaign),
    )


def _form_response(campaign: OrderCampaign, number: int, schools: list, name: str) -> HttpResponse:
    if number not in monitoring.FORM_TITLES:
        raise Http404("Нет такой формы")
    book = monitoring.monitoring_workbook(campaign, number, schools)
    return xlsx_file(book, f"Форма {number} {name}.xlsx")


def _campaign_schools(campaign: OrderCampaign) -> list[School]:
    return list(
        campaign.district.schools.filter(textbook_orders__campaign=campaign).order_by("short_name")
    )


@access.member_required
@replica.report
def district_form(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    return _form_response(campaign, number, _campaign_schools(campaign), campaign.district.name)


def _unified_page(
    request: HttpRequest, campaign: OrderCampaign, schools: list[School], order: SchoolOrder | None
) -> HttpResponse:
    ids = [s.pk for s in schools]
    names = {s.pk: s.short_name for s in schools}
    forms_ = []
    for part in monitoring.UNIFIED_TITLES:
        year = monitoring.unified_year(campaign, part)
        rows = monitoring.unified_rows(campaign.district, ids, year)
        forms_.append(
            {
                "part": part,
                "title": monitoring.UNIFIED_TITLES[part],
                "year": year,
                "rows": [(names[r.school_id], r) for r in rows],
                "students": sum(r.students for r in rows),
                "in_stock": sum(r.in_stock for r in rows),
                "need": sum(r.need for r in rows),
                "total": sum(r.total for r in rows),
            }
        )
    return render(
        request,
        "orders/unified.html",
        {
            "campaign": campaign,
            "order": order,
            "forms": forms_,
            "many": order is None,
            "school_count": len(schools),
        },
    )


@access.member_required
@replica.report
def district_unified(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    return _unified_page(request, campaign, _campaign_schools(campaign), None)


def _unified_xlsx(
    campaign: OrderCampaign, part: int, schools: list[School], name: str
) -> HttpResponse:
    if part not in monitoring.UNIFIED_TITLES:
        raise Http404("Нет такой формы")
    book = monitoring.unified_workbook(campaign, part, schools)
    return xlsx_file(book, f"Форма 2.{part} {name}.xlsx")


@access.member_required
@replica.report
def district_unified_xlsx(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    campaign = rules.campaign_for(request.user, pk)
    return _unified_xlsx(campaign, part, _campaign_schools(campaign), campaign.district.name)


# --- one school's order --------------------------------------------------------------


def _line_initial(line: OrderLine) -> dict[str, Any]:
    return {
        "line": line.pk,
        "quantity": line.quantity,
        "reason": line.reason,
        "note": line.note,
        "price": line.price,
    }


def _render_order(
    request: HttpRequest,
    order: SchoolOrder,
    show_all: bool,
    formset: Any = None,
    add_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    user, district_id = request.user, order.campaign.district_id
    lines = list(order.lines.select_related("entry"))
    copies, total, unpriced = services.order_totals(lines)
    can_edit = rules.can_edit(user, order)
    got = services.received(order) if order.status == SchoolOrder.Status.APPROVED else {}
    # Most of a school's textbooks need nothing: those lines wait behind a link.
    shown = [ln for ln in lines if show_all or ln.quantity or ln.computed]
    if can_edit and formset is None:
        formset = forms.LineFormSet(initial=[_line_initial(ln) for ln in shown], prefix="lines")
    by_line = {}
    if formset is not None:
        by_line = {int(f["line"].value()): f for f in formset.forms}
    return render(
        request,
        "orders/order_detail.html",
        {
            "order": order,
            "campaign": order.campaign,
            "rows": [(ln, got.get(ln.entry_id, 0), by_line.get(ln.pk)) for ln in shown],
            "formset": formset,
            "hidden": len(lines) - len(shown),
            "show_all": show_all,
            "copies": copies,
            "total": total,
            "unpriced": unpriced,
            "can_edit": can_edit,
            "can_submit": rules.can_submit(user, order),
            "can_approve": rules.can_approve(user, order),
            "can_reopen": rules.can_reopen(user, order),
            "can_ask_reopen": rules.can_ask_reopen(user, order),
            "can_receive": rules.can_receive(user, order),
            "oversees": rules.sees_all_orders(user, district_id),
            "add_form": add_form or forms.AddEntryForm(),
            "return_form": forms.ReturnForm(),
            "reopen_form": forms.ReopenForm(initial={"comment": order.reopen_request}),
            "ask_form": forms.ReopenRequestForm(),
            "deliveries": order.deliveries.select_related("document"),
            "changes": services.order_changes(order),
        },
        status=status,
    )


@access.member_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    return _render_order(request, order, request.GET.get("all") == "1")


def _back(order: SchoolOrder, anchor: str = "", show_all: bool = False) -> HttpResponse:
    query = "?all=1" if show_all else ""
    return redirect(order.get_absolute_url() + query + (f"#{anchor}" if anchor else ""))


@require_POST
@access.member_required
def lines_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save every changed line of the order table in one go; «Сохранить и подать» then
    submits. On an error the page comes back with everything typed still in place."""
    order = rules.order_for(request.user, pk, edit=True)
    show_all = request.POST.get("all") == "1"
    lines = {ln.pk: ln for ln in order.lines.select_related("entry")}
    formset = forms.LineFormSet(request.POST, prefix="lines")
    valid = formset.is_valid()
    changes = []
    for form in formset.forms:
        line = lines.get(form.cleaned_data.get("line")) if form.is_valid() else None
        if form.is_valid() and line is None:
            raise Http404("Строка не найдена в заказе")
        if line is None:
            continue
        # A form compares with what the page showed: compare with the line as stored.
        data = form.cleaned_data
        remove = data["remove"]
        price_given = data["price"] != line.price
        if (
            remove
            or price_given
            or (data["quantity"], data["reason"], data["note"])
            != (
                line.quantity,
                line.reason,
                line.note,
            )
        ):
            changes.append(
                services.LineChange(
                    line=line,
                    quantity=data["quantity"],
                    reason=data["reason"],
                    note=data["note"],
                    price=data["price"],
                    price_given=price_given,
                    remove=remove,
                )
            )
    if valid:
        try:
            saved = services.save_lines(order, changes, request.user)
        except services.LinesError as exc:
            forms_by_line = {f.cleaned_data["line"]: f for f in formset.forms}
            for line_id, errors in exc.by_line.items():
                for field, texts in errors.items():
                    for text in texts:
                        forms_by_line[line_id].add_error(
                            None if field == "__all__" else field, text
                        )
            valid = False
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
            return _back(order, show_all=show_all)
    if not valid:
        messages.error(request, "Заказ не сохранён: исправьте строки, отмеченные красным.")
        return _render_order(request, order, show_all, formset=formset, status=400)
    if request.POST.get("then") == "submit":
        try:
            services.submit(order, request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, "Заказ подан в Управление образования.")
        return _back(order, show_all=show_all)
    if saved:
        messages.success(
            request,
            ngettext(
                "Сохранена %(count)s строка заказа.",
                "Сохранено %(count)s строки заказа.",
                saved,
            )
            % {"count": saved},
        )
    else:
        messages.info(request, "Изменений нет — сохранять нечего.")
    return _back(order, show_all=show_all)


@require_POST
@access.member_required
def line_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk, edit=True)
    form = forms.AddEntryForm(request.POST)
    if not form.is_valid():
        return _render_order(request, order, False, add_form=form, status=400)
    data = form.cleaned_data
    entry = data["entry"]
    try:
        services.add_entry(
            order, entry, data["quantity"], data["reason"], data["note"], request.user
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, f"Учебник {entry.number} добавлен в заказ.")
    return _back(order)


def _action(request: HttpRequest, order: SchoolOrder, action, success: str, *args) -> HttpResponse:
    try:
        if action is services.reopen:
            action(order, request.user, *args)
        elif args:
            action(order, *args, request.user)
        else:
            action(order, request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, success)
    return _back(order)


@require_POST
@access.member_required
def order_recompute(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk, edit=True)
    return _action(
        request, order, services.recompute, "Расчёт обновлён; изменённые вами строки сохранены."
    )


@require_POST
@access.member_required
def order_submit(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk, edit=True)
    return _action(request, order, services.submit, "Заказ подан в Управление образования.")


@require_POST
@access.member_required
def order_approve(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    if not rules.approves(request.user, order.campaign.district_id):
        raise PermissionDenied("Утверждает заказы Управление образования.")
    return _action(request, order, services.approve, "Заказ утверждён.")


@require_POST
@access.member_required
def order_return(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    if not rules.approves(request.user, order.campaign.district_id):
        raise PermissionDenied("Возвращает заказы Управление образования.")
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите, что нужно исправить.")
        return _back(order)
    return _action(
        request,
        order,
        services.return_order,
        "Заказ возвращён на доработку.",
        form.cleaned_data["comment"],
    )


@require_POST
@access.member_required
def order_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    if not rules.can_reopen(request.user, order):
        raise PermissionDenied(
            "Вернуть заказ школе может руководитель ММО или Управление образования."
        )
    form = forms.ReopenForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    done = "Заказ возвращён школе." if order.status != "draft" else "Школе разрешено подать заказ."
    return _action(request, order, services.reopen, done, comment)


@require_POST
@access.member_required
def order_reopen_request(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk, edit=True)
    form = forms.ReopenRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Напишите, что и почему нужно изменить в заказе.")
        return _back(order)
    return _action(
        request,
        order,
        services.request_reopen,
        "Просьба отправлена руководителю ММО.",
        form.cleaned_data["reason"],
    )


@access.member_required
def order_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    lines = list(order.lines.select_related("entry"))
    copies, total, _ = services.order_totals(lines)
    rows = [
        [
            ln.entry.number,
            ln.entry.title,
            ln.entry.authors,
            ln.entry.publisher,
            ln.grades,
            ln.students,
            ln.need,
            ln.reserve,
            ln.usable,
            ln.incoming,
            ln.promised,
            ln.computed,
            ln.quantity,
            ln.get_reason_display(),
            ln.note,
            services.money(ln.price),
            services.money(ln.total),
        ]
        for ln in lines
    ]
    rows.append(["Итого", *[""] * 11, copies, "", "", "", services.money(total)])
    header = ["Порядковый номер", "Учебник", "Авторы", "Издатель", "Классы",
              "Обучающихся (прогноз)", "Потребность", "Резерв", "В фонде", "Поступит по обмену",
              "Обещано другим", "Расчёт", "К заказу", "Причина", "Пояснение", "Цена, руб.",
              "Сумма, руб."]  # fmt: skip
    caption = [str(order), order.school.full_name, f"Состояние: {order.get_status_display()}"]
    return tables.xlsx_response(
        f"Заказ {order.school.short_name}.xlsx",
        [tables.Sheet("Заказ", header, rows, caption, widths=[18, 40, 24, 20])],
    )


@access.member_required
@replica.report
def school_form(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    return _form_response(order.campaign, number, [order.school], order.school.short_name)


@access.member_required
@replica.report
def school_unified(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    return _unified_page(request, order.campaign, [order.school], order)


@access.member_required
@replica.report
def school_unified_xlsx(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    order = rules.order_for(request.user, pk)
    return _unified_xlsx(order.campaign, part, [order.school], order.school.short_name)


@access.member_required
def delivery_create(request: HttpRequest, pk: int) -> HttpResponse:
    order = rules.order_for(request.user, pk, edit=True)
    if order.status != SchoolOrder.Status.APPROVED:
        messages.error(request, "Поступление оформляется по утверждённому заказу.")
        return _back(order)
    lines = list(order.lines.select_related("entry").filter(quantity__gt=0))
    got = services.received(order)
    rows = [
        (ln, got.get(ln.entry_id, 0), max(0, ln.quantity - got.get(ln.entry_id, 0))) for ln in lines
    ]
    form = forms.DeliveryForm(request.POST or None, initial={"date": timezone.localdate()})
    counts = CountsForm(
        request.POST or None, [(ln.pk, str(ln.entry.number)) for ln in lines], prefix="copies"
    )
    entered: dict[int, str] = {}
    if request.method == "POST":
        entered = counts.entered()
        valid = counts.is_valid()  # both forms are checked, so every mistake is shown
        bad = counts.error_list()
        if form.is_valid() and valid:
            try:
                doc = services.create_delivery(
                    order,
                    counts.counts(),
                    number=form.cleaned_data["number"],
                    date=form.cleaned_data["date"],
                    supplier=form.cleaned_data["supplier"],
                    basis=form.cleaned_data["basis"],
                    user=request.user,
                )
            except ValidationError as exc:
                bad.extend(exc.messages)
            else:
                messages.success(request, f"{doc} проведена, учебники поступили в фонд.")
                return _back(order)
        for text in bad:
            form.add_error(None, text)
    return render(
        request,
        "orders/delivery_form.html",
        {"order": order, "form": form, "rows": rows, "entered": entered},
    )


# --- price lists ------------------------------------------------------------------------


@access.require(rules.runs_campaigns)
def price_lists(request: HttpRequest) -> HttpResponse:
    district = access.district_or_404(request)
    form = forms.PriceListForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            price_list = services.import_price_list(
                district, form.cleaned_data["file"], form.cleaned_data["title"], request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Прайс-лист «{price_list.title}» загружен: цен — {price_list.items.count()}.",
            )
            return redirect("orders:prices")
    lists = (
        PriceList.objects.filter(district=district)
        .select_related("imported_by")
        .annotate(item_count=Count("items"))
    )
    return render(
        request,
        "orders/price_lists.html",
        {"form": form, "errors": errors, "lists": lists},
    )
