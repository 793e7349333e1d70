"""Figures and history shown on the order pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Sum

from bibliomo.orders.models import (
    OrderCampaign,
    OrderLine,
    Reason,
    SchoolOrder,
)
from bibliomo.orders.services.common import _who


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
        elif h.history_change_reason:
            what = h.history_change_reason
            text = h.reopen_request or (
                h.comment if h.status == SchoolOrder.Status.RETURNED else ""
            )
            if text:
                what += f": «{text}»"
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
