"""Operations of the stocktake: opening a campaign with its count sheets, saving counts
(optimistic: a stale save is refused, never silently overwrites), the sheet as XLSX out
and back in, submission, acceptance with the adjustments posted to the fund's ledger,
reminders, and the plan item that the campaign's progress feeds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import District, School
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Holding, Reason, Source
from bibliomo.lib import reminders, years
from bibliomo.outbox.services import queue_mail, render_mail
from bibliomo.stocktake import calc
from bibliomo.stocktake.models import Campaign, CountLine, Stocktake, StocktakeConsultation
from bibliomo.textbooks.models import FederalListEntry

MAX_COUNT = 100_000
UNFINISHED = [Stocktake.Status.NEW, Stocktake.Status.COUNTING, Stocktake.Status.RETURNED]


class StocktakeError(ValidationError):
    """An action is not possible now; the message is for people, in Russian."""


class StaleCount(Exception):
    """Someone saved the line since the counter read it; ``line`` is its current state."""

    def __init__(self, line: CountLine) -> None:
        super().__init__("stale count")
        self.line = line


def _user(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _save(obj: Any, user: User | None, **kwargs: Any) -> None:
    if _user(user):
        obj._history_user = user
    obj.save(**kwargs)


def _link(path_name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(path_name, args=[pk])


def _letter(template: str, stocktake: Stocktake, **extra: object) -> str:
    link = _link("stocktake:stocktake", stocktake.pk)
    return render_mail(template, {"stocktake": stocktake, "link": link, **extra})


def who(user: User | None) -> str:
    """«Фамилия И. О.» of whoever saved a count (or an empty string)."""
    if user is None:
        return ""
    return user.short_name or user.username


# --- what pupils hold ------------------------------------------------------------------


def issued_counts(school: School) -> dict[int, int] | None:
    """Copies of each entry off the shelf by the issue records (entry id → copies), or
    ``None`` while the system keeps no issue records: then the counter enters them.

    Off the shelf are the copies in readers' hands and those lost and still awaiting
    their loss act: the count does not find them on the shelf, yet they are not missing
    — their loss act (with a replacement copy, often) settles them. Were they left out,
    the stocktake would call them a shortage, and the fund would refuse to write off
    copies it holds as «out» (or, writing them off, leave the loss act to take them a
    second time)."""
    if not apps.is_installed("bibliomo.circulation"):
        return None
    from bibliomo.circulation.selectors import out_by_entry

    return out_by_entry(school.pk)


# --- the campaign ----------------------------------------------------------------------


def scope_entries(subjects: Iterable[str], grades: Iterable[int]) -> QuerySet | None:
    """The entries a campaign counts, or ``None`` for the whole fund."""
    subjects, grades = list(subjects), list(grades)
    if not subjects and not grades:
        return None
    entries = FederalListEntry.objects.all()
    if subjects:
        entries = entries.filter(subject__in=subjects)
    if grades:
        overlap = Q()
        for g in grades:
            overlap |= Q(grade_from__lte=g) & (
                Q(grade_to__gte=g) | Q(grade_to__isnull=True, grade_from=g)
            )
        entries = entries.filter(overlap)
    return entries


def open_campaign(
    district: District,
    *,
    name: str,
    order_number: str,
    order_date: dt.date,
    deadline: dt.date,
    starts_on: dt.date | None = None,
    subjects: Iterable[str] = (),
    grades: Iterable[int] = (),
    is_blind: bool = False,
    note: str = "",
    schools: Iterable[School] | QuerySet | None = None,
    user: User | None = None,
    notify: bool = True,
) -> Campaign:
    """Open a campaign for the district's active schools (or ``schools``): a stocktake
    and a count sheet for each, and a letter to each school's librarians."""
    with transaction.atomic():
        campaign = Campaign(
            district=district,
            name=name,
            order_number=order_number,
            order_date=order_date,
            deadline=deadline,
            starts_on=starts_on or timezone.localdate(),
            subjects=sorted(set(subjects)),
            grades=sorted({int(g) for g in grades}),
            is_blind=is_blind,
            note=note,
            created_by=_user(user),
        )
        _save(campaign, user)
        if schools is None:
            schools = School.objects.filter(district=district, is_active=True)
        ids = [s.pk if isinstance(s, School) else int(s) for s in schools]
        # Another district's school or one that does not exist (an id out of thin air).
        own = set(School.objects.filter(pk__in=ids, district=district).values_list("pk", flat=True))
        if set(ids) - own:
            raise StocktakeError("В инвентаризацию района можно включить только его школы.")
        Stocktake.objects.bulk_create(Stocktake(campaign=campaign, school_id=s) for s in ids)
        make_sheets(campaign)
        if notify:
            _announce(campaign)
        feed_plan(campaign, user)
    return campaign


def make_sheets(campaign: Campaign, stocktakes: Iterable[int] | None = None) -> int:
    """The count sheets: a line per batch the ledger holds, in the campaign's scope, at
    the balance of this moment. One INSERT … SELECT for all schools; the copies in
    pupils' hands are filled from the issue records when they exist."""
    line = CountLine._meta
    holding = Holding._meta
    stocktake = Stocktake._meta
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(line.db_table)} "  # noqa: S608 — names from the models' metadata
        f"({q('stocktake_id')}, {q('entry_id')}, {q('receipt_year')}, {q('on_books')}, "
        f"{q('is_added')}, {q('version')}) "
        f"SELECT s.{q('id')}, h.{q('entry_id')}, h.{q('receipt_year')}, h.{q('copies')}, %s, 0 "
        f"FROM {q(holding.db_table)} h JOIN {q(stocktake.db_table)} s "
        f"ON s.{q('school_id')} = h.{q('school_id')} "
        f"WHERE s.{q('campaign_id')} = %s AND h.{q('copies')} > 0"
    )
    params: list[Any] = [False, campaign.pk]
    if stocktakes is not None:
        ids = [int(s) for s in stocktakes]
        sql += f" AND s.{q('id')} IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    entries = scope_entries(campaign.subjects, campaign.grades)
    if entries is not None:
        sub, sub_params = entries.values("pk").query.sql_with_params()
        sql += f" AND h.{q('entry_id')} IN ({sub})"
        params += list(sub_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        made = cursor.rowcount
    if apps.is_installed("bibliomo.circulation"):
        targets = Stocktake.objects.filter(campaign=campaign).select_related("school")
        if stocktakes is not None:
            targets = targets.filter(pk__in=ids)
        for st in targets:
            fill_issued(st)
    return made


def fill_issued(stocktake: Stocktake) -> None:
    """Spread each entry's copies in pupils' hands over its batches (newest first)."""
    issued = issued_counts(stocktake.school)
    if issued is None:
        return
    lines = list(stocktake.lines.all())
    by_entry: dict[int, list[CountLine]] = defaultdict(list)
    for ln in lines:
        by_entry[ln.entry_id].append(ln)
    changed = []
    for entry_id, group in by_entry.items():
        spread = calc.spread_issued(
            issued.get(entry_id, 0), [(ln.receipt_year, ln.on_books) for ln in group]
        )
        for ln in group:
            if ln.issued != spread[ln.receipt_year]:
                ln.issued = spread[ln.receipt_year]
                changed.append(ln)
    CountLine.objects.bulk_update(changed, ["issued"], batch_size=2000)


def _recipients(school_ids: Iterable[int]) -> dict[int, list[str]]:
    result: dict[int, list[str]] = defaultdict(list)
    ids = list(school_ids)
    rows = (
        User.objects.filter(
            Q(school_id__in=ids) | Q(school__parent_id__in=ids),
            role__in=[Role.LIBRARIAN, Role.HEAD],
            is_active=True,
        )
        .exclude(email="")
        .values_list("school_id", "school__parent_id", "email")
    )
    for school_id, parent_id, email in rows:
        result[school_id if school_id in ids else parent_id].append(email)
    return result


def _heads(district_id: int) -> list[str]:
    return list(
        User.objects.filter(district_id=district_id, role=Role.HEAD, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _announce(campaign: Campaign) -> int:
    rows = list(campaign.schools.values_list("pk", "school_id", "school__short_name"))
    recipients = _recipients(s for _, s, _ in rows)
    sent = 0
    for pk, school_id, short_name in rows:
        if not recipients.get(school_id):
            continue
        queue_mail(
            recipients[school_id],
            f"Инвентаризация учебного фонда до {campaign.deadline:%d.%m.%Y}",
            render_mail(
                "stocktake/email_announced.txt",
                {
                    "campaign": campaign,
                    "school_name": short_name,
                    "link": _link("stocktake:stocktake", pk),
                },
            ),
        )
        sent += 1
    return sent


def close_campaign(campaign: Campaign, user: User | None = None) -> int:
    """The campaign ends: accepted stocktakes are closed; returns how many."""
    with transaction.atomic():
        campaign.is_open = False
        _save(campaign, user)
        closed = 0
        for st in campaign.schools.filter(status=Stocktake.Status.ACCEPTED):
            st.status = Stocktake.Status.CLOSED
            _save(st, user)
            closed += 1
        feed_plan(campaign, user)
    return closed


# --- counting --------------------------------------------------------------------------


def _check_count(value: Any, label: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise StocktakeError(f"{label}: «{value}» — не целое число.") from None
    if number < 0:
        raise StocktakeError(f"{label}: число не может быть отрицательным.")
    if number > MAX_COUNT:
        raise StocktakeError(f"{label}: больше {MAX_COUNT} экз. — проверьте число.")
    return number


def _check_countable(stocktake: Stocktake) -> None:
    if not stocktake.campaign.is_open:
        raise StocktakeError("Инвентаризация района завершена: подсчёт закрыт.")
    if not stocktake.is_countable:
        raise StocktakeError(
            f"Опись {stocktake.get_status_display()}: изменить подсчёт нельзя, "
            "пока руководитель ММО не вернёт её на пересчёт."
        )


_UNSET: Any = object()


def save_count(
    line: CountLine,
    *,
    counted: Any,
    version: int,
    issued: Any = _UNSET,
    user: User | None = None,
) -> CountLine:
    """Save one line's count made from ``version``; raise :class:`StaleCount` with the
    line as it is now if someone saved it in between. One conditional UPDATE, so two
    counters saving at the same moment cannot both win."""
    stocktake = line.stocktake
    _check_countable(stocktake)
    values: dict[str, Any] = {
        "counted": _check_count(counted, "На полке"),
        "version": F("version") + 1,
        "updated_by": _user(user),
        "updated_at": timezone.now(),
    }
    # With issue records the copies in pupils' hands come from them, not from the counter.
    if issued is not _UNSET and not apps.is_installed("bibliomo.circulation"):
        values["issued"] = _check_count(issued, "Выдано учащимся")
    # The sheet's state is part of the condition: a count that arrives after the sheet
    # was handed in does not slip in behind the submission.
    open_sheet = Stocktake.objects.filter(
        pk=stocktake.pk, status__in=UNFINISHED, campaign__is_open=True
    ).values("pk")
    with transaction.atomic():
        done = CountLine.objects.filter(
            pk=line.pk, version=int(version), stocktake_id__in=open_sheet
        ).update(**values)
        if not done:
            current = CountLine.objects.select_related("updated_by").get(pk=line.pk)
            if current.version == int(version):
                stocktake.refresh_from_db()
                _check_countable(stocktake)
            raise StaleCount(current)
        _started(stocktake, user)
    return CountLine.objects.select_related("updated_by").get(pk=line.pk)


def _started(stocktake: Stocktake, user: User | None) -> None:
    if stocktake.status != Stocktake.Status.NEW:
        return
    # Conditional, so that the first counts of two people start the stocktake once.
    if Stocktake.objects.filter(pk=stocktake.pk, status=Stocktake.Status.NEW).update(
        status=Stocktake.Status.COUNTING, started_at=timezone.now()
    ):
        stocktake.refresh_from_db()
        _save(stocktake, user, update_fields=["status"])  # one history row with the user


def add_line(
    stocktake: Stocktake,
    entry: FederalListEntry,
    receipt_year: int,
    counted: Any,
    user: User | None,
) -> CountLine:
    """A batch found on the shelf that the sheet lacks (it will show as a surplus)."""
    _check_countable(stocktake)
    if not 1950 <= int(receipt_year) <= timezone.localdate().year:
        raise StocktakeError("Год поступления: от 1950 до текущего года.")
    number = _check_count(counted, "На полке")
    with transaction.atomic():
        held = Holding.objects.filter(
            school_id=stocktake.school_id, entry=entry, receipt_year=receipt_year
        ).first()
        line, created = CountLine.objects.get_or_create(
            stocktake=stocktake,
            entry=entry,
            receipt_year=receipt_year,
            defaults={
                "on_books": held.copies if held else 0,
                "is_added": True,
                "counted": number,
                "version": 1,
                "updated_by": _user(user),
                "updated_at": timezone.now(),
            },
        )
        if not created:
            raise StocktakeError(
                f"Строка «{entry.title}» ({entry.number}) поступления {receipt_year} года "
                "уже есть в описи: исправьте её подсчёт."
            )
        _started(stocktake, user)
    return line


# --- differences -----------------------------------------------------------------------

_FOUND = F("counted") + Coalesce(F("issued"), Value(0))
_SHORT = Case(
    When(counted__isnull=False, on_books__gt=_FOUND, then=F("on_books") - _FOUND),
    default=Value(0),
    output_field=IntegerField(),
)
_SURPLUS = Case(
    When(counted__isnull=False, on_books__lt=_FOUND, then=_FOUND - F("on_books")),
    default=Value(0),
    output_field=IntegerField(),
)
_PRICE = Coalesce(F("entry__price"), Value(Decimal("0")), output_field=DecimalField())
_MONEY = DecimalField(max_digits=16, decimal_places=2)


def refresh_books(stocktake: Stocktake) -> None:
    """«По учёту» from the ledger as it is now (a batch gone to zero reads 0)."""
    balance = (
        Holding.objects.filter(
            school_id=stocktake.school_id,
            entry_id=OuterRef("entry_id"),
            receipt_year=OuterRef("receipt_year"),
        )
        .order_by()
        .values("copies")[:1]
    )
    CountLine.objects.filter(stocktake=stocktake).update(
        on_books=Coalesce(Subquery(balance), Value(0))
    )


def compute_differences(stocktakes: QuerySet) -> dict[int, tuple[int, int, Decimal, Decimal]]:
    """Shortage and surplus (copies, roubles) of each stocktake, in one aggregate query,
    stored on the stocktakes; returns them by stocktake id."""
    rows = (
        CountLine.objects.filter(stocktake__in=stocktakes)
        .values("stocktake_id")
        .annotate(
            short=Sum(_SHORT),
            surplus=Sum(_SURPLUS),
            short_sum=Sum(_SHORT * _PRICE, output_field=_MONEY),
            surplus_sum=Sum(_SURPLUS * _PRICE, output_field=_MONEY),
        )
        .order_by()
    )
    result = {
        r["stocktake_id"]: (
            r["short"] or 0,
            r["surplus"] or 0,
            Decimal(r["short_sum"] or 0).quantize(Decimal("0.01")),
            Decimal(r["surplus_sum"] or 0).quantize(Decimal("0.01")),
        )
        for r in rows
    }
    targets = list(Stocktake.objects.filter(pk__in=stocktakes.values("pk")))
    for st in targets:
        short, surplus, short_sum, surplus_sum = result.get(st.pk, (0, 0, Decimal(0), Decimal(0)))
        st.shortage_copies, st.surplus_copies = short, surplus
        st.shortage_sum, st.surplus_sum = short_sum, surplus_sum
    Stocktake.objects.bulk_update(
        targets,
        ["shortage_copies", "surplus_copies", "shortage_sum", "surplus_sum"],
        batch_size=500,
    )
    return result


@dataclass
class Progress:
    lines: int
    counted: int

    @property
    def percent(self) -> int:
        return calc.percent(self.counted, self.lines)


def progress(stocktakes: QuerySet) -> dict[int, Progress]:
    """Lines and counted lines per stocktake, in one query."""
    rows = (
        CountLine.objects.filter(stocktake__in=stocktakes)
        .values("stocktake_id")
        .annotate(n=Count("id"), done=Count("counted"))
        .order_by()
    )
    return {r["stocktake_id"]: Progress(r["n"], r["done"]) for r in rows}


# --- the workflow ----------------------------------------------------------------------


def save_commission(
    stocktake: Stocktake, commission_order: str, commission: str, user: User | None
):
    if stocktake.is_finished or stocktake.status == Stocktake.Status.SUBMITTED:
        raise StocktakeError("Опись подана: комиссию изменить нельзя.")
    stocktake.commission_order = commission_order.strip()
    stocktake.commission = "\n".join(m.strip() for m in commission.splitlines() if m.strip())
    _save(stocktake, user)


def submit(stocktake: Stocktake, user: User | None = None) -> Stocktake:
    """Hand the sheet in: every line counted, the commission named; the book balance is
    refreshed and the differences computed. Nothing reaches the ledger yet."""
    with transaction.atomic():
        stocktake = (
            Stocktake.objects.select_for_update()
            .select_related("campaign", "school")
            .get(pk=stocktake.pk)
        )
        _check_countable(stocktake)
        left = stocktake.lines.filter(counted__isnull=True).count()
        if left:
            raise StocktakeError(
                f"Не посчитано строк: {left}. Впишите количество на полке (0, если учебников "
                "нет) во все строки описи."
            )
        if not stocktake.lines.exists():
            raise StocktakeError("В описи нет ни одной строки.")
        if not stocktake.commission.strip():
            raise StocktakeError("Укажите состав инвентаризационной комиссии.")
        refresh_books(stocktake)
        fill_issued(stocktake)  # books returned by pupils while the shelves were counted
        compute_differences(Stocktake.objects.filter(pk=stocktake.pk))
        stocktake.refresh_from_db()
        stocktake.status = Stocktake.Status.SUBMITTED
        stocktake.submitted_at = timezone.now()
        stocktake.started_at = stocktake.started_at or stocktake.submitted_at
        _save(stocktake, user)
        queue_mail(
            _heads(stocktake.campaign.district_id),
            f"Инвентаризация подана: {stocktake.school.short_name}",
            _letter("stocktake/email_submitted.txt", stocktake),
        )
    return stocktake


def _check_submitted(stocktake: Stocktake) -> None:
    if stocktake.status != Stocktake.Status.SUBMITTED:
        raise StocktakeError("Принять или вернуть можно только поданную опись.")


def return_stocktake(stocktake: Stocktake, comment: str, user: User | None = None) -> Stocktake:
    """Back to the school for a recount; the ledger is not touched."""
    comment = comment.strip()
    if not comment:
        raise StocktakeError("Напишите, что нужно пересчитать или исправить.")
    with transaction.atomic():
        stocktake = (
            Stocktake.objects.select_for_update()
            .select_related("campaign", "school")
            .get(pk=stocktake.pk)
        )
        _check_submitted(stocktake)
        stocktake.status = Stocktake.Status.RETURNED
        stocktake.comment = comment
        _save(stocktake, user)
        recipients = _recipients([stocktake.school_id]).get(stocktake.school_id, [])
        queue_mail(
            recipients,
            f"Инвентаризация возвращена на пересчёт: {stocktake.school.short_name}",
            _letter("stocktake/email_returned.txt", stocktake),
        )
    return stocktake


def adjustments(stocktake: Stocktake) -> tuple[list[tuple], list[tuple]]:
    """(entry id, receipt year, copies, price) to write off and to receive; only the
    lines that differ are read."""
    rows = (
        stocktake.lines.annotate(short=_SHORT, surplus=_SURPLUS)
        .filter(Q(short__gt=0) | Q(surplus__gt=0))
        .order_by("entry__key", "receipt_year")
        .values_list("entry_id", "receipt_year", "short", "surplus", "entry__price")
    )
    short, surplus = [], []
    for entry_id, year, lack, extra, price in rows:
        price = price or Decimal("0")
        if lack:
            short.append((entry_id, year, lack, price))
        if extra:
            surplus.append((entry_id, year, extra, price))
    return short, surplus


def accept(
    stocktake: Stocktake,
    user: User | None = None,
    *,
    act_number: str = "",
    act_date: dt.date | None = None,
    shortage_reason: str = Reason.NOT_FOUND,
    feed: bool = True,
) -> Stocktake:
    """The head accepts: the act gets its number and date, and in one transaction the
    shortage is written off (reason «не обнаружено при инвентаризации» or «утрата») and
    the surplus received («выявлено при инвентаризации»), against the ledger as it is at
    this moment. If any of it cannot be posted, nothing is."""
    if shortage_reason not in Stocktake.ShortageReason.values:
        raise StocktakeError("Причина списания недостачи: «утрата» или «не обнаружено».")
    with transaction.atomic():
        stocktake = (
            Stocktake.objects.select_for_update()
            .select_related("campaign", "school")
            .get(pk=stocktake.pk)
        )
        _check_submitted(stocktake)
        refresh_books(stocktake)
        date = act_date or timezone.localdate()
        number = act_number.strip() or f"ИНВ-{stocktake.pk}"
        act = f"акт о результатах инвентаризации № {number} от {date:%d.%m.%Y}"
        short, surplus = adjustments(stocktake)
        stocktake.shortage_copies = sum(c for _, _, c, _ in short)
        stocktake.surplus_copies = sum(c for _, _, c, _ in surplus)
        stocktake.shortage_sum = sum((c * p for _, _, c, p in short), Decimal("0.00"))
        stocktake.surplus_sum = sum((c * p for _, _, c, p in surplus), Decimal("0.00"))
        common = {
            "school_id": stocktake.school_id,
            "number": number,
            "date": date,
            "basis": f"{act}; {stocktake.campaign.order_label}",
            "commission": stocktake.commission,
            "note": f"По результатам инвентаризации «{stocktake.campaign.name}».",
        }
        writeoff = receipt = None
        # The surplus first: a book counted in the wrong year's line shows as a surplus
        # in one batch and a shortage in another, and the write-off may need the copy
        # the receipt brings to the entry's free stock.
        if surplus:
            receipt = Document.objects.create(
                kind=Document.Kind.RECEIPT, source=Source.STOCKTAKE, **common
            )
            _lines(receipt, surplus)
            fund.post(receipt, user)
        if short:
            writeoff = Document.objects.create(
                kind=Document.Kind.WRITEOFF, reason=shortage_reason, **common
            )
            _lines(writeoff, short)
            fund.post(writeoff, user)
        stocktake.status = Stocktake.Status.ACCEPTED
        stocktake.accepted_at = timezone.now()
        stocktake.accepted_by = _user(user)
        stocktake.act_number, stocktake.act_date = number, date
        stocktake.shortage_reason = shortage_reason
        stocktake.writeoff, stocktake.receipt = writeoff, receipt
        stocktake.comment = ""
        _save(stocktake, user)
        if feed:
            feed_plan(stocktake.campaign, user)
        recipients = _recipients([stocktake.school_id]).get(stocktake.school_id, [])
        queue_mail(
            recipients,
            f"Инвентаризация принята: {stocktake.school.short_name}",
            _letter("stocktake/email_accepted.txt", stocktake, act=act),
        )
    return stocktake


def accept_many(
    stocktakes: Iterable[Stocktake] | QuerySet,
    user: User | None = None,
    *,
    act_date: dt.date | None = None,
    shortage_reason: str = Reason.NOT_FOUND,
) -> list[Stocktake]:
    """The head accepts many schools' submitted stocktakes at once, each with its own
    act «ИНВ-<id>» and its adjustments posted as :func:`accept` posts them. All or none:
    one transaction, and if any school's sheet is not submitted or its adjustments cannot
    be posted, nothing is — the error names every such school, so the head can return
    those and accept the rest."""
    chosen = sorted(
        Stocktake.objects.filter(pk__in=[st.pk for st in stocktakes]).select_related(
            "campaign", "school"
        ),
        key=lambda st: (st.school.short_name, st.pk),
    )
    if not chosen:
        raise StocktakeError("Не выбрано ни одной поданной описи.")
    errors: list[str] = []
    accepted: list[Stocktake] = []
    with transaction.atomic():
        for st in chosen:
            if st.status != Stocktake.Status.SUBMITTED:
                errors.append(f"«{st.school.short_name}»: опись {st.get_status_display()}.")
                continue
            try:
                # Each acceptance is a savepoint of its own: a school that fails leaves
                # no half-posted documents behind while the others are still checked.
                accepted.append(
                    accept(st, user, act_date=act_date, shortage_reason=shortage_reason, feed=False)
                )
            except ValidationError as exc:
                errors.append(f"«{st.school.short_name}»: {' '.join(exc.messages)}")
        if errors:
            raise StocktakeError(errors)
        # The plan's execution record once per campaign, not once per school.
        for campaign in {st.campaign_id: st.campaign for st in accepted}.values():
            feed_plan(campaign, user)
    return accepted


def _lines(doc: Document, rows: list[tuple]) -> None:
    DocumentLine.objects.bulk_create(
        DocumentLine(document=doc, entry_id=e, receipt_year=y, copies=c, price=p)
        for e, y, c, p in rows
    )


# --- reminders -------------------------------------------------------------------------


def send_reminders(today: dt.date | None = None, days_before: int = reminders.DAYS_BEFORE) -> int:
    """Remind the schools that have not handed in their sheet, once a day, during the
    last ``days_before`` days before the deadline; returns the number of letters."""
    today = today or timezone.localdate()
    due = reminders.due(Stocktake.objects.filter(status__in=UNFINISHED), today, days_before)
    return remind(due.select_related("campaign", "school"), today)


def remind(stocktakes: Iterable[Stocktake], today: dt.date | None = None) -> int:
    """Remind the schools of these stocktakes now; returns the number of letters."""
    stocktakes = list(stocktakes)
    recipients = _recipients(st.school_id for st in stocktakes)

    def notify(st: Stocktake) -> bool:
        to = recipients.get(st.school_id)
        if to:
            queue_mail(
                to,
                f"Напоминание: инвентаризация учебного фонда до {st.campaign.deadline:%d.%m.%Y}",
                _letter("stocktake/email_reminder.txt", st),
            )
        return bool(to)

    return reminders.send(stocktakes, notify, today)


# --- the work plan and consultations ---------------------------------------------------


def plan_items(campaign: Campaign) -> list:
    """The plan items of the campaign's academic year that the head linked to the
    stocktake (``PlanItem.FedBy.STOCKTAKE``) — by her choice, never by their wording."""
    from bibliomo.plans.models import PlanItem
    from bibliomo.plans.services import find_items

    return list(
        find_items(campaign.district_id, campaign.starts_on).filter(fed_by=PlanItem.FedBy.STOCKTAKE)
    )


def feed_plan(campaign: Campaign, user: User | None = None) -> int:
    """The campaign's progress (schools finished / all) as the execution record of the
    plan's stocktake item — one record per campaign, updated on every change."""
    from bibliomo.plans.models import ExecutionStatus
    from bibliomo.plans.services import record_execution

    items = plan_items(campaign)
    if not items:
        return 0
    counts = campaign.schools.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=[Stocktake.Status.ACCEPTED, Stocktake.Status.CLOSED])),
    )
    asked = StocktakeConsultation.objects.filter(stocktake__campaign=campaign).count()
    start, end = years.bounds(years.start_year_for(campaign.starts_on))
    day = min(max(timezone.localdate(), start), end)
    finished = counts["total"] and counts["done"] == counts["total"]
    note = (
        f"{campaign.name}: завершили {counts['done']} из "
        f"{counts['total']} школ; консультаций по инвентаризации — {asked}."
    )
    for item in items:
        record_execution(
            item,
            date=day,
            status=ExecutionStatus.DONE if finished else ExecutionStatus.IN_PROGRESS,
            note=note,
            indicator_value=counts["done"],
            source=campaign,
            user=_user(user),
        )
    return len(items)


def ask(stocktake: Stocktake, user: User | None, subject: str, question: str) -> Any:
    """A consultation «по инвентаризации» from the stocktake page, linked to the
    stocktake and recorded against the plan item."""
    from bibliomo.consultations import services as consultations
    from bibliomo.consultations.models import Category, Consultation
    from bibliomo.plans.models import ExecutionStatus
    from bibliomo.plans.services import record_execution

    with transaction.atomic():
        consultation = Consultation(
            district_id=stocktake.campaign.district_id,
            author=user,
            school=stocktake.school,
            category=Category.FUND,
            subject=subject.strip() or f"Инвентаризация: {stocktake.school.short_name}",
            question=question.strip(),
        )
        consultations.ask(consultation)
        StocktakeConsultation.objects.create(stocktake=stocktake, consultation=consultation)
        for item in plan_items(stocktake.campaign):
            record_execution(
                item,
                date=timezone.localdate(),
                status=ExecutionStatus.IN_PROGRESS,
                note=f"Консультация по инвентаризации: {consultation.subject} "
                f"({stocktake.school.short_name}).",
                source=consultation,
                user=_user(user),
            )
        feed_plan(stocktake.campaign, user)
    return consultation


def sheet_lines(stocktake: Stocktake) -> list[CountLine]:
    """The sheet in shelf order: subject, grade, title, year of receipt."""
    return list(
        stocktake.lines.select_related("entry", "updated_by").order_by(
            "entry__subject", "entry__grade_from", "entry__title", "entry__key", "receipt_year"
        )
    )
