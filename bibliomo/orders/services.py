"""Operations of the order campaign: opening it with pre-filled orders, the approval
workflow, prices, the consolidated order, the monitoring forms and deliveries.

Need and usable stock always come from :func:`bibliomo.fund.services.school_data` (the
fund's own rules); the line rules are in :mod:`bibliomo.orders.calc`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.urls import reverse
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.exchange.models import Transfer, TransferLine
from bibliomo.fund import calc as fund_calc
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Source, Stock
from bibliomo.fund.models import Reason as WriteOffReason
from bibliomo.lib import bulk, tables, years
from bibliomo.orders import calc
from bibliomo.orders.models import (
    Delivery,
    OrderCampaign,
    OrderLine,
    PriceItem,
    PriceList,
    Reason,
    SchoolOrder,
)
from bibliomo.outbox.services import queue_mail
from bibliomo.textbooks.models import Curriculum, FederalListEntry, number_key

Key = tuple[int, int]  # (school id, entry id)


class OrderError(ValidationError):
    """An action on an order is not allowed now; the message is for people, in Russian."""


# --- the exchange --------------------------------------------------------------------


def exchange_flows(
    school_ids: Iterable[int], target_year: int
) -> tuple[dict[Key, int], dict[Key, int]]:
    """Copies moving between schools through the exchange fund that the orders for
    ``target_year`` must count: (incoming, promised), keyed by (school id, entry id).

    - agreed or shipped transfers: incoming at the taker, promised by the giver — the
      ledger does not show them yet;
    - received *temporary* transfers still due back no earlier than the target year
      begins: incoming at the taker, promised by the giver (the books stay on the giver's
      balance, see ``bibliomo.exchange.transfers``);
    - received *permanent* transfers are already posted (written off at the giver,
      received at the taker), so the usable stock shows them and they are not counted
      again.
    """
    ids = list(school_ids)
    status = Transfer.Status
    start = years.bounds(target_year)[0]
    moving = Q(transfer__status__in=[status.AGREED, status.SHIPPED]) | Q(
        transfer__status=status.RECEIVED,
        transfer__kind=Transfer.Kind.TEMPORARY,
        transfer__return_date__gte=start,
    )
    rows = (
        TransferLine.objects.filter(moving)
        .filter(Q(transfer__giver_id__in=ids) | Q(transfer__taker_id__in=ids))
        .values_list(
            "transfer__giver_id",
            "transfer__taker_id",
            "transfer__status",
            "entry_id",
            "copies",
            "received",
        )
    )
    incoming: dict[Key, int] = defaultdict(int)
    promised: dict[Key, int] = defaultdict(int)
    wanted = set(ids)
    for giver, taker, state, entry_id, copies, received in rows.iterator(chunk_size=10000):
        n = received if state == status.RECEIVED and received is not None else copies
        if taker in wanted:
            incoming[(taker, entry_id)] += n
        if giver in wanted:
            promised[(giver, entry_id)] += n
    return dict(incoming), dict(promised)


# --- pre-filling the orders ------------------------------------------------------------


@dataclass
class _Facts:
    """Everything besides need and stock that a line's reason needs, for many schools."""

    students_now: dict[int, dict[int, int]] = field(default_factory=dict)
    previous: dict[int, dict[tuple[int, str], set[int]]] = field(default_factory=dict)
    expired: dict[Key, int] = field(default_factory=dict)
    lost: dict[Key, int] = field(default_factory=dict)
    defective: dict[Key, int] = field(default_factory=dict)
    use_until: dict[int, dt.date | None] = field(default_factory=dict)


def _facts(school_ids: Any, year: int, data: Mapping[int, fund.SchoolData]) -> _Facts:
    """Reason facts for the target year ``year`` in seven queries, however many schools."""
    facts = _Facts()
    end = fund_calc.year_end(year)
    for school_id, grade, students in (
        fund.Enrolment.objects.filter(school_id__in=school_ids, year_id=year - 1)
        .values_list("school_id", "grade", "students")
        .iterator(chunk_size=10000)
    ):
        facts.students_now.setdefault(school_id, {})[grade] = students
    # A textbook can only have been replaced where the school has made a new curriculum
    # for the target year; elsewhere the current one simply carries on.
    renewed = [s for s, d in data.items() if d.curriculum_year == year]
    old_entries: set[int] = set()
    for school_id, grade, subject, entry_id in (
        Curriculum.objects.filter(school_id__in=renewed, year_id=year - 1)
        .values_list("school_id", "grade", "subject", "entry_id")
        .iterator(chunk_size=10000)
    ):
        facts.previous.setdefault(school_id, {}).setdefault((grade, subject), set()).add(entry_id)
        old_entries.add(entry_id)
    facts.use_until = dict(
        FederalListEntry.objects.filter(pk__in=old_entries, use_until__isnull=False).values_list(
            "pk", "use_until"
        )
    )
    # Few entries expire in a given year: naming them lets the batch index do the work.
    expiring = list(FederalListEntry.objects.filter(use_until__lt=end).values_list("pk", flat=True))
    expired = (
        Stock.objects.filter(school_id__in=school_ids, entry_id__in=expiring, copies__gt=0)
        .values_list("school_id", "entry_id", "copies")
        .order_by()
    )
    for school_id, entry_id, n in expired.iterator(chunk_size=10000):
        facts.expired[(school_id, entry_id)] = n
    start, finish = years.bounds(year - 1)
    written_off = (
        DocumentLine.objects.filter(
            document__school_id__in=school_ids,
            document__kind=Document.Kind.WRITEOFF,
            document__status=Document.Status.POSTED,
            document__reason__in=[WriteOffReason.LOST, WriteOffReason.DEFECTIVE],
            document__date__range=(start, finish),
        )
        .values_list("document__school_id", "entry_id", "document__reason")
        .annotate(n=Sum("copies"))
        .order_by()
    )
    for school_id, entry_id, reason, n in written_off:
        target = facts.lost if reason == WriteOffReason.LOST else facts.defective
        target[(school_id, entry_id)] = n
    return facts


def price_map(district_id: int, entry_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """The price of each entry: the district's latest price list, else the Federal list's."""
    entries = FederalListEntry.objects.filter(price__isnull=False)
    items = PriceItem.objects.filter(price_list__district_id=district_id)
    if entry_ids is not None:
        ids = list(entry_ids)
        entries = entries.filter(pk__in=ids)
        items = items.filter(entry_id__in=ids)
    prices = dict(entries.values_list("pk", "price"))
    # Older lists first, so the newest price wins.
    for entry_id, price in items.order_by("price_list__imported_at", "price_list_id").values_list(
        "entry_id", "price"
    ):
        prices[entry_id] = price
    return prices


# The computed fields of a line, in the order they are inserted.
LINE_FIELDS = (
    "entry_id", "grades", "students", "copies_per_student", "need", "reserve", "usable",
    "incoming", "promised", "computed", "quantity", "reason", "price",
)  # fmt: skip


def _line_rows(campaign: OrderCampaign, school_ids: Any) -> Iterator[tuple[int, tuple]]:
    """(school id, the line's values in ``LINE_FIELDS`` order) for every curriculum entry
    of the target year, schools and entries in order. Tuples, not dicts or model
    instances: a region's campaign makes ~100,000 lines and their building is what costs."""
    year = campaign.target_year_id
    reserve_percent = float(campaign.reserve_percent)
    data = fund.school_data(school_ids, year)
    facts = _facts(school_ids, year, data)
    incoming, promised = exchange_flows(list(data), year)
    end = fund_calc.year_end(year)
    # The whole price list: naming the region's ~1,500 entries costs more than reading all.
    prices = price_map(campaign.district_id)
    use_until = facts.use_until
    for school_id, d in data.items():
        students = d.students
        needed = fund_calc.need(d.rows, students)
        by_entry: dict[int, list[fund_calc.CurriculumRow]] = defaultdict(list)
        for row in d.rows:
            by_entry[row.entry_id].append(row)
        previous = facts.previous.get(school_id, {})
        now = facts.students_now.get(school_id, {})
        for entry_id, rows in sorted(by_entry.items()):
            grades = sorted({r.grade for r in rows})
            key = (school_id, entry_id)
            need = needed.get(entry_id, 0)
            reserve = calc.reserve_copies(need, reserve_percent)
            usable = d.usable.get(entry_id, 0)
            inc, prom = incoming.get(key, 0), promised.get(key, 0)
            qty = calc.quantity(need, reserve, usable, inc, prom)
            forecast = sum(students.get(g, 0) for g in grades)
            reason = ""
            if qty > 0:  # nothing ordered has no reason (calc.derive_reason)
                replaced: set[int] = set()
                if previous:
                    for r in rows:
                        old = previous.get((r.grade, r.subject))
                        if old and entry_id not in old:
                            replaced |= old
                expiring = {e for e in replaced if (u := use_until.get(e)) and u < end}
                reason = calc.derive_reason(
                    qty,
                    calc.ReasonFacts(
                        students_now=sum(now.get(g, 0) for g in grades),
                        students_forecast=forecast,
                        expired_copies=facts.expired.get(key, 0),
                        replaces_expired=bool(expiring),
                        replaces_other=bool(replaced - expiring),
                        lost=facts.lost.get(key, 0),
                        defective=facts.defective.get(key, 0),
                    ),
                )
            yield (
                school_id,
                (
                    entry_id,
                    ", ".join(map(str, grades)),
                    forecast,
                    max(r.copies_per_student for r in rows),
                    need,
                    reserve,
                    usable,
                    inc,
                    prom,
                    qty,
                    qty,
                    reason,
                    prices.get(entry_id),
                ),
            )


def compute_lines(campaign: OrderCampaign, school_ids: Any) -> dict[int, list[dict[str, Any]]]:
    """The computed lines per school (field → value, see ``LINE_FIELDS``), one per
    curriculum entry of the target year."""
    result: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for school_id, values in _line_rows(campaign, school_ids):
        result[school_id].append(dict(zip(LINE_FIELDS, values, strict=True)))
    return dict(result)


def open_campaign(
    district: District,
    target_year: int,
    deadline: dt.date,
    *,
    reserve_percent: Decimal | int = 0,
    note: str = "",
    user: Any = None,
) -> OrderCampaign:
    """Open the campaign and pre-fill the order of every active school of the district."""
    with transaction.atomic():
        AcademicYear.get(target_year)
        campaign = OrderCampaign(
            district=district,
            target_year_id=target_year,
            deadline=deadline,
            reserve_percent=Decimal(reserve_percent),
            note=note,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if campaign.created_by:
            campaign._history_user = campaign.created_by
        campaign.save()
        prefill(campaign)
    return campaign


# A region's campaign makes ~100,000 computed lines; they are inserted without a model
# instance each. (History records people's changes; computed figures are reproducible.)
_INSERTED_LINE_FIELDS = ["order_id", *LINE_FIELDS, "note", "price_typed", "is_manual"]


def prefill(campaign: OrderCampaign, schools: Any = None) -> int:
    """Create the orders (for the district's active schools, or ``schools``) that the
    campaign lacks, with their computed lines; returns the number of lines."""
    if schools is None:
        schools = School.objects.filter(district_id=campaign.district_id, is_active=True)
    school_ids = list(schools.values_list("pk", flat=True))
    existing = set(campaign.orders.values_list("school_id", flat=True))
    new_ids = [s for s in school_ids if s not in existing]
    SchoolOrder.objects.bulk_create(SchoolOrder(campaign=campaign, school_id=s) for s in new_ids)
    orders = dict(campaign.orders.filter(school_id__in=new_ids).values_list("school_id", "pk"))
    rows = [
        (orders[school_id], *values, "", False, False)
        for school_id, values in _line_rows(campaign, new_ids)
    ]
    bulk.insert_rows(OrderLine, _INSERTED_LINE_FIELDS, rows)
    return len(rows)


def recompute(order: SchoolOrder, user: Any = None) -> None:
    """Refresh the computed figures from today's data; keep the librarian's changed
    quantities and manually added entries."""
    _check_editable(order)
    fresh = {
        ln["entry_id"]: OrderLine(**ln)
        for ln in compute_lines(order.campaign, [order.school_id]).get(order.school_id, [])
    }
    with transaction.atomic():
        for line in order.lines.all():
            new = fresh.pop(line.entry_id, None)
            if new is None:
                if not line.is_manual and not line.is_changed:
                    line.delete()
                continue
            kept = line.is_changed
            for name in (
                "grades",
                "students",
                "copies_per_student",
                "need",
                "reserve",
                "usable",
                "incoming",
                "promised",
                "computed",
            ):
                setattr(line, name, getattr(new, name))
            if not kept:
                line.quantity, line.reason = new.quantity, new.reason
            _set_user(line, user)
            line.save()
        for new in fresh.values():
            new.order = order
            _set_user(new, user)
            new.save()
        _touch(order, user)


# --- the librarian's edits ----------------------------------------------------------------


def _set_user(obj: Any, user: Any) -> None:
    if getattr(user, "pk", None):
        obj._history_user = user


def _touch(order: SchoolOrder, user: Any) -> None:
    if order.started_at is None:
        order.started_at = timezone.now()
        _set_user(order, user)
        order.save(update_fields=["started_at"])


def _check_editable(order: SchoolOrder) -> None:
    if not order.campaign.is_open:
        raise OrderError("Кампания закрыта: заказ изменить нельзя.")
    if order.status not in (SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED):
        raise OrderError(f"Заказ {order.get_status_display()}: изменить его нельзя.")


def update_line(
    line: OrderLine,
    *,
    quantity: int,
    reason: str,
    note: str = "",
    price: Decimal | None = None,
    price_given: bool = False,
    user: Any = None,
) -> OrderLine:
    """Change a line. A quantity other than the computed one needs a reason and an
    explanation; a typed price replaces the price list's."""
    _check_editable(line.order)
    errors: dict[str, str] = {}
    if quantity < 0:
        errors["quantity"] = "Количество не может быть отрицательным."
    note = note.strip()
    if reason and reason not in Reason.values:
        errors["reason"] = "Выберите причину из списка."
    if quantity != line.computed and not line.is_manual:
        if not reason:
            errors["reason"] = "Количество отличается от расчётного: укажите причину."
        if not note:
            errors["note"] = "Количество отличается от расчётного: поясните изменение."
    if quantity > 0 and not reason:
        errors.setdefault("reason", "Укажите причину заказа.")
    if price_given and price is not None and price < 0:
        errors["price"] = "Цена не может быть отрицательной."
    if errors:
        raise OrderError(errors)
    line.quantity, line.reason, line.note = quantity, reason, note
    if price_given:
        line.price, line.price_typed = price, price is not None
    _set_user(line, user)
    line.save()
    _touch(line.order, user)
    return line


def add_entry(
    order: SchoolOrder,
    entry: FederalListEntry,
    quantity: int,
    reason: str,
    note: str = "",
    user: Any = None,
) -> OrderLine:
    _check_editable(order)
    if order.lines.filter(entry=entry).exists():
        raise OrderError(f"Учебник {entry.number} уже есть в заказе.")
    if quantity <= 0:
        raise OrderError({"quantity": "Укажите количество больше нуля."})
    if reason not in Reason.values:
        raise OrderError({"reason": "Укажите причину заказа."})
    price = price_map(order.campaign.district_id, [entry.pk]).get(entry.pk)
    line = OrderLine(
        order=order,
        entry=entry,
        grades=entry.grades,
        quantity=quantity,
        reason=reason,
        note=note.strip(),
        price=price,
        is_manual=True,
    )
    _set_user(line, user)
    line.save()
    _touch(order, user)
    return line


def remove_line(line: OrderLine, user: Any = None) -> None:
    _check_editable(line.order)
    _set_user(line, user)
    line.delete()
    _touch(line.order, user)


# --- the workflow ------------------------------------------------------------------------


def _recipients(school_id: int) -> list[str]:
    return list(
        User.objects.filter(
            Q(school_id=school_id) | Q(school__parent_id=school_id),
            role__in=[Role.LIBRARIAN, Role.HEAD],
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _link(order: SchoolOrder) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("orders:order", args=[order.pk])


def submit(order: SchoolOrder, user: Any = None, today: dt.date | None = None) -> None:
    _check_editable(order)
    if not order.may_submit_now(today):
        raise OrderError(
            f"Срок подачи заказов истёк {order.campaign.deadline:%d.%m.%Y}. Подать заказ "
            "можно, только если руководитель ММО разрешит подачу после срока."
        )
    missing = order.lines.filter(quantity__gt=0, reason="").count()
    if missing:
        raise OrderError("Не у всех строк с количеством указана причина заказа.")
    order.status = SchoolOrder.Status.SUBMITTED
    order.submitted_at = timezone.now()
    order.started_at = order.started_at or order.submitted_at
    order.reopened = False
    _set_user(order, user)
    order.save()


def _check_submitted(order: SchoolOrder) -> None:
    if order.status != SchoolOrder.Status.SUBMITTED:
        raise OrderError("Утвердить или вернуть можно только поданный заказ.")


def approve(order: SchoolOrder, user: Any = None) -> None:
    _check_submitted(order)
    order.status = SchoolOrder.Status.APPROVED
    order.approved_at = timezone.now()
    order.comment = ""
    _set_user(order, user)
    order.save()
    queue_mail(
        _recipients(order.school_id),
        f"Заказ учебников утверждён: {order.school.short_name}",
        f"Заказ учебников школы «{order.school.short_name}» на "
        f"{order.campaign.target_year.label('acc')} утверждён.\n\n{_link(order)}\n",
    )


def return_order(order: SchoolOrder, comment: str, user: Any = None) -> None:
    """Back to the librarian with the department's comment. After the deadline the
    school may resubmit without asking the head: the department asked for the change."""
    _check_submitted(order)
    comment = comment.strip()
    if not comment:
        raise OrderError({"comment": "Напишите, что нужно исправить."})
    order.status = SchoolOrder.Status.RETURNED
    order.comment = comment
    order.reopened = order.campaign.deadline_passed
    _set_user(order, user)
    order.save()
    queue_mail(
        _recipients(order.school_id),
        f"Заказ учебников возвращён на доработку: {order.school.short_name}",
        f"Заказ учебников школы «{order.school.short_name}» возвращён на доработку.\n\n"
        f"Комментарий Управления образования:\n{comment}\n\n{_link(order)}\n",
    )


def reopen(order: SchoolOrder, user: Any = None) -> None:
    """The head lets a school submit after the deadline (a submitted or approved order
    goes back to draft)."""
    if not order.campaign.is_open:
        raise OrderError("Кампания закрыта.")
    if order.status in (SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED):
        order.status = SchoolOrder.Status.RETURNED
        order.approved_at = None
    order.reopened = True
    _set_user(order, user)
    order.save()


# --- reminders --------------------------------------------------------------------------


def send_reminders(today: dt.date | None = None, days_before: int = 3) -> int:
    """Remind the librarians of schools that have not submitted, once a day, during the
    last ``days_before`` days before the deadline; returns the number of letters."""
    today = today or timezone.localdate()
    sent = 0
    orders = SchoolOrder.objects.filter(
        campaign__is_open=True,
        campaign__deadline__gte=today,
        campaign__deadline__lte=today + dt.timedelta(days=days_before),
        status__in=[SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED],
    ).filter(Q(reminded_on__isnull=True) | Q(reminded_on__lt=today))
    for order in orders.select_related("campaign__target_year", "school"):
        if remind(order, today):
            sent += 1
    return sent


def remind(order: SchoolOrder, today: dt.date | None = None) -> bool:
    recipients = _recipients(order.school_id)
    order.reminded_on = today or timezone.localdate()
    order.save(update_fields=["reminded_on"])
    if not recipients:
        return False
    deadline = order.campaign.deadline
    queue_mail(
        recipients,
        f"Напоминание: заказ учебников до {deadline:%d.%m.%Y}",
        f"Заказ учебников школы «{order.school.short_name}» на "
        f"{order.campaign.target_year.label('acc')} ещё не подан ({order.get_status_display()}).\n"
        f"Срок подачи — {deadline:%d.%m.%Y}.\n\n{_link(order)}\n",
    )
    return True


# --- prices ------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx").upper()


def _parse_price(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal):
        result = Decimal(str(value))
    else:
        text = tables.clean(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        text = text.removesuffix("руб.").removesuffix("р.")
        result = Decimal(text)
    if result < 0:
        raise InvalidOperation
    return result.quantize(Decimal("0.01"))


_NUMBER_HEADERS = ("порядковый номер", "номер", "№ фпу", "номер фпу", "код")
_ISBN_HEADERS = ("isbn",)
_PRICE_HEADERS = ("цена", "цена, руб.", "цена с ндс", "стоимость")


def import_price_list(district: District, upload: Any, title: str, user: Any = None) -> PriceList:
    """Read a publisher's price list (XLSX or CSV): a header row with a column of entry
    numbers or ISBNs and a price column. All or nothing: every bad row is reported with
    its row number and column, and nothing is saved."""
    rows = tables.read_rows(upload)
    if not rows:
        raise ValidationError("Файл пуст.")
    header_no, header = rows[0]
    names = [tables.clean(c).lower() for c in header]

    def find(options: tuple[str, ...]) -> int | None:
        for i, name in enumerate(names):
            if any(name == o or name.startswith(o) for o in options):
                return i
        return None

    col_number, col_isbn, col_price = (
        find(_NUMBER_HEADERS),
        find(_ISBN_HEADERS),
        find(_PRICE_HEADERS),
    )
    if col_price is None or (col_number is None and col_isbn is None):
        raise ValidationError(
            f"Строка {header_no}: не найдены заголовки столбцов. Нужны «Цена» и «Порядковый "
            "номер» или «ISBN»."
        )
    by_key = dict(FederalListEntry.objects.values_list("key", "pk"))
    by_isbn: dict[str, int] = {}
    for pk, isbns in FederalListEntry.objects.exclude(isbn="").values_list("pk", "isbn"):
        for part in isbns.replace(";", ",").split(","):
            if _digits(part):
                by_isbn[_digits(part)] = pk

    def letter(col: int) -> str:
        return tables.get_column_letter(col + 1)

    errors: list[str] = []
    prices: dict[int, Decimal] = {}
    for row_no, cells in rows[1:]:
        cells = list(cells) + [None] * (len(names) - len(cells))
        entry_id = None
        number = tables.clean(cells[col_number]) if col_number is not None else ""
        isbn = tables.clean(cells[col_isbn]) if col_isbn is not None else ""
        if number:
            entry_id = by_key.get(number_key(number))
        if entry_id is None and isbn:
            entry_id = by_isbn.get(_digits(isbn))
        if entry_id is None:
            if number or isbn:
                what = f"номер «{number}»" if number else f"ISBN «{isbn}»"
                col = col_number if number else col_isbn
                errors.append(
                    f"Строка {row_no}, столбец {letter(col)}: {what} "
                    "не найден в федеральном перечне."
                )
            else:
                col = col_number if col_number is not None else col_isbn
                errors.append(
                    f"Строка {row_no}, столбец {letter(col)}: нет номера учебника и ISBN."
                )
            continue
        try:
            prices[entry_id] = _parse_price(cells[col_price])
        except (InvalidOperation, ValueError):
            errors.append(
                f"Строка {row_no}, столбец {letter(col_price)}: «{tables.clean(cells[col_price])}» "
                "— не цена (нужно число не меньше нуля)."
            )
    if errors:
        raise ValidationError(errors)
    if not prices:
        raise ValidationError("В файле нет ни одной цены.")
    with transaction.atomic():
        price_list = PriceList.objects.create(
            district=district,
            title=title or getattr(upload, "name", "Прайс-лист"),
            file_name=getattr(upload, "name", ""),
            imported_by=user if getattr(user, "pk", None) else None,
        )
        PriceItem.objects.bulk_create(
            PriceItem(price_list=price_list, entry_id=e, price=p) for e, p in prices.items()
        )
        # Orders still being written follow the new prices, unless a price was typed.
        editable = OrderLine.objects.filter(
            order__campaign__district=district,
            order__campaign__is_open=True,
            order__status__in=[SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED],
            price_typed=False,
        )
        for entry_id, price in prices.items():
            editable.filter(entry_id=entry_id).update(price=price)
    return price_list


# --- the consolidated order ----------------------------------------------------------


@dataclass
class ConsolidatedRow:
    entry: FederalListEntry
    price: Decimal | None
    per_school: dict[int, int]

    @property
    def quantity(self) -> int:
        return sum(self.per_school.values())

    @property
    def total(self) -> Decimal | None:
        return None if self.price is None else self.price * self.quantity


@dataclass
class Consolidated:
    schools: list[School]
    publishers: list[tuple[str, list[ConsolidatedRow]]]

    @property
    def total(self) -> Decimal:
        return sum((r.total or Decimal(0) for _, rows in self.publishers for r in rows), Decimal(0))

    @property
    def quantity(self) -> int:
        return sum(r.quantity for _, rows in self.publishers for r in rows)


COUNTED = [SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED]


def consolidated(campaign: OrderCampaign, statuses: Iterable[str] = COUNTED) -> Consolidated:
    """Сводный заказ: by publisher and entry, copies per school, in two queries."""
    lines = (
        OrderLine.objects.filter(
            order__campaign=campaign, order__status__in=list(statuses), quantity__gt=0
        )
        .values_list("entry_id", "order__school_id", "quantity", "price")
        .order_by()
    )
    per_entry: dict[int, dict[int, int]] = defaultdict(dict)
    prices: dict[int, Decimal | None] = {}
    school_ids: set[int] = set()
    for entry_id, school_id, qty, price in lines.iterator(chunk_size=20000):
        per_entry[entry_id][school_id] = qty
        school_ids.add(school_id)
        if price is not None:
            prices[entry_id] = price
    # The entries by a subquery, not a list of ~1,500 ids (building and binding such a
    # list costs more than the query), and only the columns the order shows.
    entries = FederalListEntry.objects.filter(pk__in=lines.values("entry_id").distinct()).only(
        "number", "title", "authors", "grades", "publisher", "key"
    )
    entries = {e.pk: e for e in entries.order_by()}
    schools = list(School.objects.filter(pk__in=school_ids).order_by("short_name"))
    by_publisher: dict[str, list[ConsolidatedRow]] = defaultdict(list)
    for entry_id, per_school in per_entry.items():
        entry = entries[entry_id]
        by_publisher[entry.publisher or "издатель не указан"].append(
            ConsolidatedRow(entry, prices.get(entry_id), per_school)
        )
    publishers = [
        (name, sorted(rows, key=lambda r: r.entry.key))
        for name, rows in sorted(by_publisher.items())
    ]
    return Consolidated(schools, publishers)


def money(value: Decimal | None) -> float | None:
    return None if value is None else float(value.quantize(Decimal("0.01")))


def consolidated_sheets(campaign: OrderCampaign) -> list[tables.Sheet]:
    data = consolidated(campaign)
    names = [s.short_name for s in data.schools]
    header = [
        "Издатель",
        "Порядковый номер",
        "Учебник",
        "Авторы",
        "Класс",
        *names,
        "Всего, экз.",
        "Цена, руб.",
        "Сумма, руб.",
    ]
    rows: list[list[Any]] = []
    for publisher, items in data.publishers:
        for r in items:
            rows.append(
                [
                    publisher,
                    r.entry.number,
                    r.entry.title,
                    r.entry.authors,
                    r.entry.grades,
                    *[r.per_school.get(s.pk) or None for s in data.schools],
                    r.quantity,
                    money(r.price),
                    money(r.total),
                ]
            )
    rows.append(
        ["Итого", "", "", "", "", *[None] * len(names), data.quantity, None, money(data.total)]
    )
    caption = [
        f"Сводный заказ учебников: {campaign.district.name}",
        f"На {campaign.target_year.label('acc')}; заказы в состоянии «подан» и «утверждён».",
    ]
    by_school = [
        [
            s.short_name,
            r.entry.number,
            r.entry.title,
            publisher,
            r.per_school[s.pk],
            money(r.price),
            money(None if r.price is None else r.price * r.per_school[s.pk]),
        ]
        for publisher, items in data.publishers
        for r in items
        for s in data.schools
        if s.pk in r.per_school
    ]
    return [
        tables.Sheet("Сводный заказ", header, rows, caption, widths=[24, 18, 40, 24, 8]),
        tables.Sheet(
            "По школам",
            [
                "Школа",
                "Порядковый номер",
                "Учебник",
                "Издатель",
                "Экз.",
                "Цена, руб.",
                "Сумма, руб.",
            ],
            by_school,
            widths=[28, 18, 40, 24, 8, 12, 14],
        ),
    ]


# --- the federal monitoring forms ------------------------------------------------------


FORM_REASON = {
    calc.GROWTH: "увеличение контингента",
    calc.LOST: "утрата",
    calc.DEFECTIVE: "дефектность",
}
WRITEOFF_REASON = {
    WriteOffReason.LOST: "утрата",
    WriteOffReason.DEFECTIVE: "дефектность",
    WriteOffReason.EXPIRED: "истечение предельного срока",
}


@dataclass
class FormRow:
    school_id: int
    subject: str
    grade: int | str
    students_now: int = 0
    students: int = 0  # forecast
    in_stock: int = 0
    additional: int = 0
    reasons: set[str] = field(default_factory=set)


def need_rows(
    campaign: OrderCampaign, school_ids: list[int], only_reason: str | None = None
) -> list[FormRow]:
    """Subject × grade rows of forms 1 and 3 for the schools' orders."""
    year = campaign.target_year_id
    data = fund.school_data(school_ids, year)
    now: dict[int, dict[int, int]] = defaultdict(dict)
    for school_id, grade, students in fund.Enrolment.objects.filter(
        school_id__in=school_ids, year_id=year - 1
    ).values_list("school_id", "grade", "students"):
        now[school_id][grade] = students
    lines = OrderLine.objects.filter(
        order__campaign=campaign, order__school_id__in=school_ids
    ).values_list(
        "order__school_id", "entry_id", "usable", "incoming", "promised", "quantity", "reason"
    )
    rows: dict[tuple[int, str, int], FormRow] = {}
    for school_id, entry_id, usable, incoming, promised, qty, reason in lines:
        if only_reason and reason != only_reason:
            continue
        d = data.get(school_id)
        curriculum = [r for r in d.rows if r.entry_id == entry_id] if d else []
        students = d.students if d else {}
        stock = max(0, usable - promised) + incoming
        if not curriculum:
            continue  # an entry added by hand has no grade of the curriculum to report
        subjects = {r.grade: r.subject for r in curriculum}
        split = calc.split_by_grade(
            [(r.grade, r.copies_per_student) for r in curriculum], students, stock, qty
        )
        for g in split:
            key = (school_id, subjects[g.grade], g.grade)
            row = rows.get(key)
            if row is None:
                row = rows[key] = FormRow(
                    school_id,
                    subjects[g.grade],
                    g.grade,
                    now[school_id].get(g.grade, 0),
                    g.students,
                )
            row.in_stock += g.in_stock
            row.additional += g.additional
            if g.additional and reason:
                row.reasons.add(FORM_REASON.get(reason, "иное"))
    return sorted(rows.values(), key=lambda r: (r.school_id, r.subject, r.grade))


@dataclass
class WriteOffRow:
    school_id: int
    subject: str
    grade: str
    years_in_use: int
    reason: str
    copies: int = 0
    total: Decimal = Decimal(0)


def writeoff_rows(school_ids: list[int], year: int) -> list[WriteOffRow]:
    """Form 4: textbooks written off in the academic year ``year`` (its start year)."""
    start, finish = years.bounds(year)
    lines = (
        DocumentLine.objects.filter(
            document__school_id__in=school_ids,
            document__kind=Document.Kind.WRITEOFF,
            document__status=Document.Status.POSTED,
            document__date__range=(start, finish),
            document__reverses__isnull=True,
        )
        .exclude(document__reason__in=[WriteOffReason.TRANSFER, WriteOffReason.REVERSAL])
        .exclude(document__reversed_by__isnull=False)
        .values_list(
            "document__school_id",
            "entry__subject",
            "entry__grades",
            "document__date",
            "receipt_year",
            "document__reason",
            "copies",
            "price",
        )
    )
    rows: dict[tuple, WriteOffRow] = {}
    for school_id, subject, grades, date, receipt_year, reason, copies, price in lines:
        used = max(0, date.year - (receipt_year or date.year))
        label = WRITEOFF_REASON.get(reason, "иное")
        key = (school_id, subject, grades, used, label)
        row = rows.get(key) or rows.setdefault(
            key, WriteOffRow(school_id, subject, grades, used, label)
        )
        row.copies += copies
        row.total += price * copies
    return sorted(rows.values(), key=lambda r: (r.school_id, r.subject, r.grade, r.years_in_use))


FORM_TITLES = {
    1: "Форма 1. Учебники, подлежащие закупке в связи с истечением предельного срока использования",
    3: "Форма 3. Обеспеченность учебниками и дополнительная потребность на 1 сентября",
    4: "Форма 4. Учебники, списанные в учебном году",
}
SCHOOL_COLUMNS = ["Орган управления образованием", "ИНН", "Образовательная организация"]


def _thousands(value: Decimal) -> float:
    return float((value / 1000).quantize(Decimal("0.001")))


def monitoring_form(campaign: OrderCampaign, number: int, schools: list[School]) -> tables.Sheet:
    """One of the monitoring forms 1, 3, 4 for the given schools, with a totals row. The
    first three columns name the school (hidden in a single school's form)."""
    by_id = {s.pk: s for s in schools}
    ids = list(by_id)
    body = campaign.district.education_department or campaign.district.name

    def who(school_id: int) -> list[Any]:
        s = by_id[school_id]
        return [body, s.inn, s.full_name]

    year = campaign.target_year_id
    if number in (1, 3):
        rows = need_rows(campaign, ids, calc.EXPIRED if number == 1 else None)
        if number == 1:
            header = [
                "Предмет",
                "Класс",
                "Контингент (прогноз), чел.",
                "Учебники в наличии, шт. (1 комплект = 1 шт.)",
                "Дополнительная потребность, шт.",
            ]
            data = [
                [*who(r.school_id), r.subject, r.grade, r.students, r.in_stock, r.additional]
                for r in rows
            ]
            totals = [
                "Итого",
                "",
                "",
                "",
                "",
                sum(r.students for r in rows),
                sum(r.in_stock for r in rows),
                sum(r.additional for r in rows),
            ]
        else:
            header = [
                "Учебный предмет (курс)",
                "Класс",
                "Обучающихся сейчас, чел.",
                "Прогноз, чел.",
                "В наличии, шт.",
                "Дополнительная потребность, шт.",
                "Причина",
            ]
            data = [
                [
                    *who(r.school_id),
                    r.subject,
                    r.grade,
                    r.students_now,
                    r.students,
                    r.in_stock,
                    r.additional,
                    ", ".join(sorted(r.reasons)),
                ]
                for r in rows
            ]
            totals = [
                "Итого",
                "",
                "",
                "",
                "",
                sum(r.students_now for r in rows),
                sum(r.students for r in rows),
                sum(r.in_stock for r in rows),
                sum(r.additional for r in rows),
                "",
            ]
        caption_year = f"на {years.label(year, 'acc')}"
    elif number == 4:
        wrows = writeoff_rows(ids, year - 1)
        header = [
            "Предмет",
            "Класс",
            "Лет использования",
            "Списано, шт.",
            "Причина",
            "Сумма, тыс. руб.",
        ]
        data = [
            [
                *who(r.school_id),
                r.subject,
                r.grade,
                r.years_in_use,
                r.copies,
                r.reason,
                _thousands(r.total),
            ]
            for r in wrows
        ]
        totals = [
            "Итого",
            "",
            "",
            "",
            "",
            "",
            sum(r.copies for r in wrows),
            "",
            _thousands(sum((r.total for r in wrows), Decimal(0))),
        ]
        caption_year = f"в {years.label(year - 1, 'pre')}"
    else:
        raise ValueError(number)
    caption = [FORM_TITLES[number] + f" ({caption_year})", campaign.district.name]
    if len(schools) == 1:
        caption.append(schools[0].full_name)
    return tables.Sheet(
        f"Форма {number}",
        [*SCHOOL_COLUMNS, *header],
        [*data, totals],
        caption,
        widths=[24, 12, 36, 28, 8, 16, 16, 16, 16, 20],
    )


def monitoring_workbook(campaign: OrderCampaign, number: int, schools: list[School]):
    book = tables.workbook([monitoring_form(campaign, number, schools)])
    if len(schools) == 1:
        ws = book.worksheets[0]
        for letter in "ABC":
            ws.column_dimensions[letter].hidden = True
    return book


# --- deliveries ------------------------------------------------------------------------


def received(order: SchoolOrder) -> dict[int, int]:
    """Copies received so far per entry, from the posted receipts made from the order."""
    rows = (
        DocumentLine.objects.filter(
            document__order_delivery__order=order, document__status=Document.Status.POSTED
        )
        .values_list("entry_id")
        .annotate(n=Sum("copies"))
        .order_by()
    )
    return dict(rows)


def create_delivery(
    order: SchoolOrder,
    copies: Mapping[int, int],
    *,
    number: str,
    date: dt.date,
    supplier: str = "",
    basis: str = "",
    user: Any = None,
) -> Document:
    """A receipt from an approved order: ``copies`` per order line id, each at most what
    is still to come. Posted through the fund's ledger; all or nothing."""
    if order.status != SchoolOrder.Status.APPROVED:
        raise OrderError("Поступление оформляется по утверждённому заказу.")
    lines = {ln.pk: ln for ln in order.lines.select_related("entry")}
    got = received(order)
    errors = []
    wanted = {pk: n for pk, n in copies.items() if n}
    for pk, n in wanted.items():
        line = lines.get(pk)
        if line is None:
            errors.append("Строка не из этого заказа.")
            continue
        left = max(0, line.quantity - got.get(line.entry_id, 0))
        if n < 0 or n > left:
            errors.append(
                f"{line.entry.number} «{line.entry.title}»: можно принять от 0 до {left} экз., "
                f"указано {n}."
            )
    if errors:
        raise OrderError(errors)
    if not wanted:
        raise OrderError("Укажите, сколько экземпляров поступило.")
    if not number.strip():
        raise OrderError({"number": "Укажите номер накладной."})
    with transaction.atomic():
        doc = Document(
            school_id=order.school_id,
            kind=Document.Kind.RECEIPT,
            number=number.strip(),
            date=date,
            source=Source.PURCHASE,
            supplier=supplier.strip(),
            basis=basis.strip(),
            note=f"По заказу учебников на {order.campaign.target_year.label('acc')}",
        )
        _set_user(doc, user)
        doc.save()
        DocumentLine.objects.bulk_create(
            DocumentLine(
                document=doc,
                entry_id=lines[pk].entry_id,
                copies=n,
                price=lines[pk].price or Decimal("0.00"),
            )
            for pk, n in wanted.items()
        )
        Delivery.objects.create(order=order, document=doc)
        fund.post(doc, user)
    return doc


def order_totals(lines: Iterable[OrderLine]) -> tuple[int, Decimal, int]:
    """(copies, sum, lines without a price) of an order's lines."""
    copies, total, unpriced = 0, Decimal(0), 0
    for line in lines:
        copies += line.quantity
        if line.quantity and line.price is None:
            unpriced += 1
        total += line.total or 0
    return copies, total, unpriced


def campaign_summary(campaign: OrderCampaign) -> dict[str, int]:
    counts = dict.fromkeys(["not_started", "draft", "submitted", "returned", "approved"], 0)
    for status, started in campaign.orders.values_list("status", "started_at"):
        key = "not_started" if status == SchoolOrder.Status.DRAFT and started is None else status
        counts[key] += 1
    return counts


def order_sums(campaign: OrderCampaign) -> dict[int, tuple[int, Decimal]]:
    """Copies and sum of each order of the campaign, in one query."""
    rows = (
        OrderLine.objects.filter(order__campaign=campaign)
        .values_list("order_id")
        .annotate(copies=Sum("quantity"), total=Sum(F("quantity") * F("price")))
        .order_by()
    )
    return {pk: (c or 0, t or Decimal(0)) for pk, c, t in rows}


@dataclass(frozen=True)
class Change:
    when: dt.datetime
    who: str
    what: str


def order_changes(order: SchoolOrder, limit: int = 30) -> list[Change]:
    """The latest changes of an order and its lines, newest first, in two queries."""
    status_labels = dict(SchoolOrder.Status.choices)
    reasons = dict(Reason.choices)
    changes = []
    for h in order.history.select_related("history_user").order_by("-history_date")[:limit]:
        if h.history_type == "+":
            what = "заказ создан"
        else:
            what = f"состояние: {status_labels.get(h.status, h.status)}"
            if h.comment and h.status == SchoolOrder.Status.RETURNED:
                what += f" («{h.comment}»)"
        changes.append(Change(h.history_date, _who(h.history_user), what))
    lines = (
        OrderLine.history.filter(order_id=order.pk)
        .select_related("history_user", "entry")
        .order_by("-history_date")[:limit]
    )
    for h in lines:
        kind = {"+": "добавлен", "-": "убран"}.get(h.history_type, "изменён")
        what = f"{h.entry.number}: {kind}, к заказу {h.quantity}"
        if h.reason:
            what += f", {reasons.get(h.reason, h.reason)}"
        if h.note:
            what += f" — {h.note}"
        changes.append(Change(h.history_date, _who(h.history_user), what))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]


def _who(user: Any) -> str:
    return user.short_name if user is not None else "система"
