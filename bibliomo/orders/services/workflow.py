"""The librarian's edits, submission, approval, return, reopening and reminders."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.lib import history, reminders
from bibliomo.orders.models import (
    OrderLine,
    Reason,
    SchoolOrder,
)
from bibliomo.orders.services.common import (
    OrderError,
    _check_editable,
    _lock,
    _set_user,
    _touch,
)
from bibliomo.orders.services.prefilling import price_map
from bibliomo.outbox.services import queue_mail, render_mail
from bibliomo.textbooks.models import FederalListEntry


def update_line(
    line: OrderLine,
    *,
    quantity: int,
    reason: str,
    note: str = "",
    price: Decimal | None = None,
    price_given: bool = False,
    user: User | None = None,
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


@dataclass(frozen=True)
class LineChange:
    """What the librarian changed in one line of the order table."""

    line: OrderLine
    quantity: int
    reason: str
    note: str
    price: Decimal | None
    price_given: bool
    remove: bool = False


class LinesError(OrderError):
    """Some lines could not be saved: ``by_line`` maps a line's id to its field errors."""

    def __init__(self, by_line: dict[int, dict[str, list[str]]]):
        self.by_line = by_line
        super().__init__("Строки заказа не сохранены: исправьте отмеченные поля.")


def save_lines(order: SchoolOrder, changes: list[LineChange], user: User | None = None) -> int:
    """Save every changed line of the order table at once, or none of them: a line with
    an error keeps the others from half-saving, and the page shows them all again."""
    _check_editable(order)
    errors: dict[int, dict[str, list[str]]] = {}
    with transaction.atomic():
        for change in changes:
            if change.line.order_id != order.pk:
                raise OrderError("Строка не из этого заказа.")
            try:
                if change.remove:
                    remove_line(change.line, user)
                else:
                    update_line(
                        change.line,
                        quantity=change.quantity,
                        reason=change.reason,
                        note=change.note,
                        price=change.price,
                        price_given=change.price_given,
                        user=user,
                    )
            except ValidationError as exc:
                errors[change.line.pk] = (
                    exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
                )
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise LinesError(errors)
    return len(changes)


def add_entry(
    order: SchoolOrder,
    entry: FederalListEntry,
    quantity: int,
    reason: str,
    note: str = "",
    user: User | None = None,
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


def remove_line(line: OrderLine, user: User | None = None) -> None:
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


def _letter(template: str, order: SchoolOrder) -> str:
    return render_mail(template, {"order": order, "link": _link(order)})


@transaction.atomic
def submit(order: SchoolOrder, user: User | None = None, today: dt.date | None = None) -> None:
    _lock(order)
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
    order.save(update_fields=["status", "submitted_at", "started_at", "reopened"])


def _check_submitted(order: SchoolOrder) -> None:
    if order.status != SchoolOrder.Status.SUBMITTED:
        raise OrderError("Утвердить или вернуть можно только поданный заказ.")


@transaction.atomic
def approve(order: SchoolOrder, user: User | None = None) -> None:
    _lock(order)
    _check_submitted(order)
    order.status = SchoolOrder.Status.APPROVED
    order.approved_at = timezone.now()
    order.comment = ""
    _set_user(order, user)
    order.save(update_fields=["status", "approved_at", "comment"])
    queue_mail(
        _recipients(order.school_id),
        f"Заказ учебников утверждён: {order.school.short_name}",
        _letter("orders/email_approved.txt", order),
    )


@transaction.atomic
def return_order(order: SchoolOrder, comment: str, user: User | None = None) -> None:
    """Back to the librarian with the department's comment. After the deadline the
    school may resubmit without asking the head: the department asked for the change."""
    _lock(order)
    _check_submitted(order)
    comment = comment.strip()
    if not comment:
        raise OrderError({"comment": "Напишите, что нужно исправить."})
    order.status = SchoolOrder.Status.RETURNED
    order.comment = comment
    order.reopened = order.campaign.deadline_passed
    _set_user(order, user)
    order.save(update_fields=["status", "comment", "reopened"])
    queue_mail(
        _recipients(order.school_id),
        f"Заказ учебников возвращён на доработку: {order.school.short_name}",
        _letter("orders/email_returned.txt", order),
    )


# How the order's history names these steps (the comment itself is kept in full).
REQUESTED = "школа просит вернуть заказ"
REOPENED = "заказ возвращён школе"
LATE = "подача разрешена после срока"


def _heads(district_id: int) -> list[str]:
    return list(
        User.objects.filter(district_id=district_id, role=Role.HEAD, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


@transaction.atomic
def request_reopen(order: SchoolOrder, comment: str, user: User | None = None) -> None:
    """The school asks to change a submitted or approved order; the head decides."""
    _lock(order)
    if not order.campaign.is_open:
        raise OrderError("Кампания закрыта.")
    if order.status not in (SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED):
        raise OrderError("Заказ и так можно изменить.")
    comment = comment.strip()
    if not comment:
        raise OrderError({"reason": "Напишите, что и почему нужно изменить."})
    order.reopen_request = comment
    history.explain(order, REQUESTED)
    _set_user(order, user)
    order.save(update_fields=["reopen_request"])
    queue_mail(
        _heads(order.campaign.district_id),
        f"Школа просит вернуть заказ учебников: {order.school.short_name}",
        _letter("orders/email_reopen_request.txt", order),
    )


@transaction.atomic
def reopen(order: SchoolOrder, user: User | None = None, comment: str = "") -> None:
    """The head lets a school change its order again (a submitted or approved order goes
    back to the school) or submit after the deadline; the comment says why."""
    _lock(order)
    if not order.campaign.is_open:
        raise OrderError("Кампания закрыта.")
    comment = comment.strip() or order.reopen_request
    if order.status in (SchoolOrder.Status.SUBMITTED, SchoolOrder.Status.APPROVED):
        order.status = SchoolOrder.Status.RETURNED
        order.approved_at = None
        order.comment = comment
    order.reopened = True
    order.reopen_request = ""
    history.explain(order, REOPENED if comment else LATE)
    _set_user(order, user)
    order.save(update_fields=["status", "approved_at", "comment", "reopened", "reopen_request"])


# --- reminders --------------------------------------------------------------------------


UNSUBMITTED = [SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED]


def send_reminders(today: dt.date | None = None, days_before: int = reminders.DAYS_BEFORE) -> int:
    """Remind the librarians of schools that have not submitted, once a day, during the
    last ``days_before`` days before the deadline; returns the number of letters."""
    today = today or timezone.localdate()
    orders = reminders.due(SchoolOrder.objects.filter(status__in=UNSUBMITTED), today, days_before)
    return remind(orders.select_related("campaign__target_year", "school"), today)


def remind(orders: Iterable[SchoolOrder], today: dt.date | None = None) -> int:
    """Remind the schools of these orders now; returns the number of letters."""
    return reminders.send(orders, _remind, today)


def _remind(order: SchoolOrder) -> bool:
    recipients = _recipients(order.school_id)
    if recipients:
        queue_mail(
            recipients,
            f"Напоминание: заказ учебников до {order.campaign.deadline:%d.%m.%Y}",
            _letter("orders/email_reminder.txt", order),
        )
    return bool(recipients)
