"""What the order services share: the error people see, who made a change, and whether an
order may still be edited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.lib import history
from bibliomo.orders.models import SchoolOrder


class OrderError(ValidationError):
    """An action on an order is not allowed now; the message is for people, in Russian."""


def _set_user(obj: Any, user: User | None) -> None:
    history.record_by(obj, user)


def _who(user: User | None) -> str:
    return user.short_name if user is not None else "система"


def _touch(order: SchoolOrder, user: User | None) -> None:
    if order.started_at is None:
        order.started_at = timezone.now()
        _set_user(order, user)
        order.save(update_fields=["started_at"])


STATE_FIELDS = [
    "status",
    "started_at",
    "submitted_at",
    "approved_at",
    "comment",
    "reopened",
    "reopen_request",
]


def _lock(order: SchoolOrder) -> None:
    """Lock the order's row until the transaction ends and read its state again: of two
    people who press «утвердить» at the same moment, the second sees the order approved
    and is told so, instead of approving it twice. Call inside ``transaction.atomic``."""
    order.refresh_from_db(
        fields=STATE_FIELDS, from_queryset=SchoolOrder.objects.select_for_update()
    )


def _check_editable(order: SchoolOrder) -> None:
    if not order.campaign.is_open:
        raise OrderError("Кампания закрыта: заказ изменить нельзя.")
    if order.status not in (SchoolOrder.Status.DRAFT, SchoolOrder.Status.RETURNED):
        raise OrderError(f"Заказ {order.get_status_display()}: изменить его нельзя.")
