"""Deliveries: receiving an approved order into the fund, in parts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from bibliomo.accounts.models import User
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Source
from bibliomo.orders.models import (
    Delivery,
    SchoolOrder,
)
from bibliomo.orders.services.common import OrderError, _set_user

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
    user: User | None = None,
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
