"""The life of a transfer between schools: proposed → agreed by the giver → shipped →
received (in full or partly, with a note) → closed; cancelled; for temporary use,
returned. Every step is atomic, records who did it (history) and mails both schools.

Copies agreed for one transfer are reserved in the giver's fund until they leave it
(``fund.services.reservations``): another agreement or a write-off can take only the
free copies (``fund.services.free_copies``), and cancelling frees them. The giver's
batches are locked (``SELECT … FOR UPDATE``) while the free copies are counted, so two
agreements at once cannot both take the last copies.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bibliomo.accounts.access import Visitor
from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import School
from bibliomo.exchange.models import ExchangePlan, Transfer, TransferLine

# The rules live in exchange.rules; the steps below check them, and callers that know the
# transfers module find them here too.
from bibliomo.exchange.rules import actions as actions
from bibliomo.exchange.rules import can_view as can_view
from bibliomo.exchange.rules import visible as visible
from bibliomo.fund import services as fund
from bibliomo.fund.models import Stock
from bibliomo.lib import history
from bibliomo.outbox.services import queue_mail, render_mail

S = Transfer.Status


class TransferError(ValidationError):
    """A step that cannot be taken; the message is for the librarian, in Russian."""


def on_loan(school_ids: Iterable[int]) -> list[tuple[int, int, int, int]]:
    """(giver, taker, entry, copies) of temporary transfers now at the taker."""
    return list(
        TransferLine.objects.filter(
            transfer__kind=Transfer.Kind.TEMPORARY,
            transfer__status__in=[S.SHIPPED, S.RECEIVED],
        )
        .filter(Q(transfer__giver_id__in=school_ids) | Q(transfer__taker_id__in=school_ids))
        .values_list("transfer__giver_id", "transfer__taker_id", "entry_id")
        .annotate(n=Sum(F("copies")))
        .order_by()
    )


# --- who may do what: exchange.rules (can_view, visible, actions, re-exported here) ---


def _check(user: Visitor, t: Transfer, action: str) -> None:
    if action not in actions(user, t):
        raise TransferError(
            f"Сейчас ({t.get_status_display()}) это действие с передачей вам недоступно."
        )


# --- steps ----------------------------------------------------------------------------


def create(
    giver: School,
    taker: School,
    lines: Iterable[tuple[int, int]],
    *,
    user: User,
    origin: str = Transfer.Origin.REQUEST,
    kind: str = Transfer.Kind.PERMANENT,
    return_date: dt.date | None = None,
    plan: ExchangePlan | None = None,
    comment: str = "",
    notify: bool = True,
) -> Transfer:
    """A proposed transfer; ``lines`` are (entry id, copies)."""
    merged: dict[int, int] = defaultdict(int)
    for entry_id, copies in lines:
        if copies > 0:
            merged[entry_id] += copies
    if not merged:
        raise TransferError("В передаче нет ни одного учебника.")
    if giver.district_id != taker.district_id:
        raise TransferError("Передавать учебники можно только между школами одного района.")
    t = Transfer(
        district_id=giver.district_id,
        giver=giver,
        taker=taker,
        kind=kind,
        return_date=return_date,
        origin=origin,
        plan=plan,
        comment=comment,
        created_by=user if getattr(user, "pk", None) else None,
    )
    try:
        t.full_clean(exclude=["number", "district", "created_by", "plan"])
    except ValidationError as exc:
        raise TransferError(exc.messages) from None
    with transaction.atomic():
        _save(t, user)
        t.number = f"{timezone.localdate():%Y}-{t.pk}"
        t.save(update_fields=["number"])
        bulk_create_with_history(
            [TransferLine(transfer=t, entry_id=e, copies=c) for e, c in sorted(merged.items())],
            TransferLine,
            default_user=t.created_by,
        )
        if notify:
            _notify(t, "новая передача учебников")
    return t


def _locked(t: Transfer) -> Transfer:
    return Transfer.objects.select_for_update().select_related("giver", "taker").get(pk=t.pk)


def _by(obj: Any, user: User) -> None:
    """Record ``user`` as the author of the next change (outside a request, too)."""
    history.record_by(obj, user)


def _save(t: Transfer, user: User, fields: list[str] | None = None) -> None:
    _by(t, user)
    if fields:
        t.save(update_fields=fields)
    else:
        t.save()


def agree(t: Transfer, user: User, copies: Mapping[int, int] | None = None) -> Transfer:
    """The giver agrees, perhaps to fewer copies (``copies``: line id → copies; 0 drops a
    line). Fails, naming each entry, if the copies are not free — on the balance and not
    promised to another transfer."""
    with transaction.atomic():
        t = _locked(t)
        _check(user, t, "agree")
        lines = list(t.lines.select_related("entry"))
        if copies is not None:
            for line in lines:
                wanted = copies.get(line.pk, line.copies)
                if wanted < 0 or wanted > line.copies:
                    raise TransferError(
                        f"«{line.entry.title}»: можно согласовать от 0 до {line.copies} экз."
                    )
                line.copies = wanted
        kept = [ln for ln in lines if ln.copies > 0]
        if not kept:
            raise TransferError("Не осталось ни одного экземпляра: отклоните передачу.")
        entry_ids = sorted(ln.entry_id for ln in kept)
        # What may leave the shelf (balance less promised), locked; worn copies are not
        # given away either.
        free = fund.free_copies(t.giver_id, entry_ids, lock=True)
        for entry_id, worn in Stock.objects.filter(
            school_id=t.giver_id, entry_id__in=entry_ids
        ).values_list("entry_id", "worn"):
            free[entry_id] = max(0, free[entry_id] - worn)
        errors = [
            f"«{ln.entry.title}» ({ln.entry.number}): свободно {free[ln.entry_id]} экз., "
            f"а нужно {ln.copies}."
            for ln in kept
            if ln.copies > free[ln.entry_id]
        ]
        if errors:
            raise TransferError(errors)
        for line in lines:
            _by(line, user)
            if line.copies == 0:
                line.delete()
            else:
                line.save(update_fields=["copies"])
        t.status = S.AGREED
        _save(t, user, ["status", "changed_at"])
        _notify(t, "передача согласована передающей школой")
    return t


def decline(t: Transfer, user: User, reason: str = "") -> Transfer:
    return _cancel(t, user, "decline", reason, "передающая школа отказала")


def cancel(t: Transfer, user: User, reason: str = "") -> Transfer:
    return _cancel(t, user, "cancel", reason, "передача отменена")


def _cancel(t: Transfer, user: User, action: str, reason: str, what: str) -> Transfer:
    with transaction.atomic():
        t = _locked(t)
        _check(user, t, action)
        t.status = S.CANCELLED
        if reason:
            t.comment = (t.comment + "\n" if t.comment else "") + f"{what}: {reason}"
        _save(t, user, ["status", "comment", "changed_at"])
        _notify(t, what, reason)
    return t


def ship(t: Transfer, user: User, day: dt.date | None = None) -> Transfer:
    with transaction.atomic():
        t = _locked(t)
        _check(user, t, "ship")
        t.status, t.shipped_on = S.SHIPPED, day or timezone.localdate()
        _save(t, user, ["status", "shipped_on", "changed_at"])
        _notify(t, "учебники отправлены")
    return t


def receive(
    t: Transfer,
    user: User,
    received: Mapping[int, int] | None = None,
    discrepancy: str = "",
    day: dt.date | None = None,
) -> Transfer:
    """The taker confirms what arrived (line id → copies; all by default). Less than
    shipped needs a note. A permanent transfer then posts, together, a write-off at the
    giver and a receipt at the taker of the copies received."""
    with transaction.atomic():
        t = _locked(t)
        _check(user, t, "receive")
        lines = list(t.lines.select_related("entry"))
        short = False
        for line in lines:
            got = (received or {}).get(line.pk, line.copies)
            if got < 0 or got > line.copies:
                raise TransferError(
                    f"«{line.entry.title}»: получено может быть от 0 до {line.copies} экз."
                )
            line.received = got
            short |= got < line.copies
        if short and not discrepancy.strip():
            raise TransferError("Получено меньше отправленного: опишите расхождение.")
        if not any(line.received for line in lines):
            raise TransferError(
                "Не получено ни одного экземпляра: опишите это и отмените передачу."
            )
        for line in lines:
            _by(line, user)
            line.save(update_fields=["received"])
        t.status, t.received_on, t.discrepancy = (
            S.RECEIVED,
            day or timezone.localdate(),
            discrepancy,
        )
        if t.kind == Transfer.Kind.PERMANENT:
            # Received, the copies are no longer held for this transfer: its own
            # write-off may take them (the full save below records the history).
            Transfer.objects.filter(pk=t.pk).update(status=S.RECEIVED)
            try:
                t.writeoff, t.receipt = fund.transfer(
                    t.giver,
                    t.taker,
                    [(ln.entry_id, ln.received) for ln in lines if ln.received],
                    number=t.number,
                    date=t.received_on,
                    user=user,
                )
            except fund.PostingError as exc:
                raise TransferError(exc.messages) from None
        _save(t, user)
        _notify(t, "учебники получены" + (" с расхождениями" if short else ""), discrepancy)
    return t


def mark_returned(t: Transfer, user: User) -> Transfer:
    return _step(t, user, "return", S.RETURNED, "учебники возвращены")


def close(t: Transfer, user: User) -> Transfer:
    return _step(t, user, "close", S.CLOSED, "передача закрыта")


def _step(t: Transfer, user: User, action: str, status: str, what: str) -> Transfer:
    with transaction.atomic():
        t = _locked(t)
        _check(user, t, action)
        t.status = status
        _save(t, user, ["status", "changed_at"])
        _notify(t, what)
    return t


# --- mail -----------------------------------------------------------------------------


def recipients(t: Transfer) -> list[str]:
    """The librarians of both schools (the head keeps her own school too)."""
    return list(
        User.objects.filter(
            school_id__in=[t.giver_id, t.taker_id],
            role__in=[Role.LIBRARIAN, Role.HEAD],
            is_active=True,
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _notify(t: Transfer, what: str, note: str = "") -> None:
    context = {
        "transfer": t,
        "what": what,
        "note": note,
        "lines": list(t.lines.select_related("entry")),
        "link": settings.SITE_URL + t.get_absolute_url(),
    }
    queue_mail(
        recipients(t),
        f"{t}: {what}",
        render_mail("exchange/transfer_email.txt", context),
    )
