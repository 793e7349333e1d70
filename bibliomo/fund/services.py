"""Operations on the textbook fund: posting documents, transfers, stock against need,
provision. Views, the API, imports and other apps (the exchange fund, the order campaign)
call these; nothing else changes ``Holding``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import (
    Case,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.directory.models import AcademicYear, District, School
from bibliomo.fund import calc
from bibliomo.fund.models import (
    Document,
    DocumentLine,
    Enrolment,
    Holding,
    Reason,
    Source,
    Stock,
)
from bibliomo.lib import collector, history, years
from bibliomo.textbooks.models import Curriculum, FederalListEntry


class PostingError(ValidationError):
    """A document cannot be posted; the message is for the librarian, in Russian."""


def _entry_label(entry: FederalListEntry) -> str:
    return f"«{entry.title}» ({entry.number})"


def _lock_holdings(
    school_id: int, keys: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], Holding]:
    """Create missing batches, then lock every batch of the entries concerned, in a fixed
    order so that two postings never wait for each other in a cycle."""
    keys = set(keys)
    Holding.objects.bulk_create(
        [Holding(school_id=school_id, entry_id=e, receipt_year=y, copies=0) for e, y in keys],
        ignore_conflicts=True,
    )
    entries = {e for e, _ in keys}
    return _locked(school_id, entries)


def _locked(school_id: int, entries: set[int]) -> dict[tuple[int, int], Holding]:
    rows = (
        Holding.objects.select_for_update()
        .filter(school_id=school_id, entry_id__in=entries)
        .order_by("pk")
    )
    return {(h.entry_id, h.receipt_year): h for h in rows}


def _sync_stock(school_id: int, held: dict[tuple[int, int], Holding]) -> None:
    """Bring ``Stock`` in line with the locked batches (all batches of each entry)."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (entry_id, _), batch in held.items():
        totals[entry_id][0] += batch.copies
        totals[entry_id][1] += batch.worn
    existing = {
        s.entry_id: s for s in Stock.objects.filter(school_id=school_id, entry_id__in=totals)
    }
    new = []
    for entry_id, (copies, worn) in totals.items():
        row = existing.get(entry_id)
        if row is None:
            new.append(Stock(school_id=school_id, entry_id=entry_id, copies=copies, worn=worn))
        else:
            row.copies, row.worn = copies, worn
    Stock.objects.bulk_create(new)
    Stock.objects.bulk_update(existing.values(), ["copies", "worn"])


def _post_receipt(doc: Document, lines: list[DocumentLine]) -> None:
    for line in lines:
        if line.receipt_year is None:
            line.receipt_year = doc.date.year
            line.save(update_fields=["receipt_year"])
    year = doc.date.year  # every line has its receipt year by now
    held = _lock_holdings(doc.school_id, {(ln.entry_id, ln.receipt_year or year) for ln in lines})
    for line in lines:
        held[(line.entry_id, line.receipt_year or year)].copies += line.copies
    Holding.objects.bulk_update(held.values(), ["copies"])
    _sync_stock(doc.school_id, held)


# --- copies that may leave the shelf -----------------------------------------------


def reservations(school_id: int, entry_ids: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
    """Copies still on the school's balance but promised away, per entry: (what holds
    them — «передача № 2026-7 в Луговская СОШ», copies). A transfer holds its copies from
    the giver's agreement until they leave the balance (a permanent one when received)
    or come back (a temporary one when returned)."""
    # The exchange app builds on the fund; the model is looked up, not imported.
    line_model = apps.get_model("exchange", "TransferLine")
    transfer: Any = line_model._meta.get_field("transfer").related_model
    status, kind = transfer.Status, transfer.Kind
    rows = (
        line_model.objects.filter(
            Q(transfer__status__in=[status.AGREED, status.SHIPPED])
            | Q(transfer__status=status.RECEIVED, transfer__kind=kind.TEMPORARY),
            transfer__giver_id=school_id,
            entry_id__in=list(entry_ids),
        )
        .values_list("entry_id", "transfer__number", "transfer__taker__short_name", "copies")
        .order_by("entry_id", "transfer_id")
    )
    result: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for entry_id, number, taker, copies in rows:
        result[entry_id].append((f"передача № {number} в «{taker}»", copies))
    return dict(result)


def free_copies(school_id: int, entry_ids: Iterable[int], *, lock: bool = False) -> dict[int, int]:
    """Entry id → copies that may leave the shelf now: the balance less the copies off the
    shelf (in pupils' hands, or lost and awaiting the act — they stay on the balance) and
    less the copies promised in agreed transfers (see :func:`reservations`). This, not the
    balance, bounds an issue, a write-off and a transfer agreement. With ``lock`` the
    school's batches of these entries are locked (``SELECT … FOR UPDATE``, in a fixed
    order) until the end of the transaction, so that two people cannot both take the last
    free copies."""
    return {e: s.free for e, s in shelf(school_id, entry_ids, lock=lock).items()}


@dataclass(frozen=True)
class Shelf:
    """One entry's balance at a school and what of it is not free."""

    balance: int
    out: int  # in pupils' hands or lost, not yet written off
    promised: list[tuple[str, int]]  # (which transfer, copies)

    @property
    def free(self) -> int:
        return max(0, self.balance - self.out - sum(c for _, c in self.promised))


def shelf(school_id: int, entry_ids: Iterable[int], *, lock: bool = False) -> dict[int, Shelf]:
    """Balance, copies off the shelf and copies promised per entry (see :func:`free_copies`)."""
    # Circulation builds on the fund; its selector is imported here, where it is needed.
    from bibliomo.circulation.selectors import out_by_entry

    entry_ids = sorted(set(entry_ids))
    batches = Holding.objects.filter(school_id=school_id, entry_id__in=entry_ids)
    if lock:
        batches = batches.select_for_update().order_by("pk")
    balance: dict[int, int] = dict.fromkeys(entry_ids, 0)
    for entry_id, copies in batches.values_list("entry_id", "copies"):
        balance[entry_id] += copies
    out = out_by_entry(school_id, entry_ids)
    reserved = reservations(school_id, entry_ids)
    return {e: Shelf(n, out.get(e, 0), reserved.get(e, [])) for e, n in balance.items()}


def _shelf_errors(doc: Document, lines: list[DocumentLine]) -> list[str]:
    """A write-off may take only free copies: name what holds the others."""
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted[line.entry_id] += line.copies
    errors = []
    for entry_id, s in shelf(doc.school_id, wanted).items():
        count = wanted[entry_id]
        if count <= s.free:
            continue
        entry = next(ln.entry for ln in lines if ln.entry_id == entry_id)
        held = []
        if s.out:
            held.append(f"выданы читателям {s.out}")
        if s.promised:
            why = "; ".join(f"{c} экз. — {what}" for what, c in s.promised)
            held.append(f"обещаны другим школам {sum(c for _, c in s.promised)} ({why})")
        errors.append(
            f"Нельзя списать {count} экз. {_entry_label(entry)}: из {s.balance} экз. в фонде "
            f"{', '.join(held)}; свободно {s.free} экз. Спишите не больше свободных"
            + (" или сначала отмените передачу." if s.promised else ".")
        )
    return errors


def _post_writeoff(doc: Document, lines: list[DocumentLine]) -> None:
    held = _locked(doc.school_id, {ln.entry_id for ln in lines})
    # Check everything before changing anything, and name every entry that falls short.
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted[line.entry_id] += line.copies
    errors = []
    for line in lines:
        if line.receipt_year is not None:
            have = held.get((line.entry_id, line.receipt_year))
            have_copies = have.copies if have else 0
            batch_want = sum(
                ln.copies
                for ln in lines
                if ln.entry_id == line.entry_id and ln.receipt_year == line.receipt_year
            )
            if batch_want > have_copies:
                errors.append(
                    f"Нельзя списать {batch_want} экз. {_entry_label(line.entry)} "
                    f"поступления {line.receipt_year} года: в фонде {have_copies} экз."
                )
    for entry_id, count in wanted.items():
        total = sum(h.copies for (e, _), h in held.items() if e == entry_id)
        if count > total:
            entry = next(ln.entry for ln in lines if ln.entry_id == entry_id)
            errors.append(
                f"Нельзя списать {count} экз. {_entry_label(entry)}: в фонде школы {total} экз."
            )
    if not errors:
        errors = _shelf_errors(doc, lines)
    if errors:
        raise PostingError(list(dict.fromkeys(errors)))

    for line in list(lines):
        if line.receipt_year is not None:
            batch = held[(line.entry_id, line.receipt_year)]
            batch.copies -= line.copies
            # Copies leave the worn ones first: worn books are what acts write off.
            batch.worn = max(0, batch.worn - line.copies)
            continue
        # No batch named: take from the oldest, and record the split in the act itself.
        remaining = line.copies
        parts = []
        for (e, year), batch in sorted(held.items(), key=lambda kv: kv[0][1]):
            if e != line.entry_id or batch.copies == 0 or remaining == 0:
                continue
            take = min(batch.copies, remaining)
            batch.copies -= take
            batch.worn = max(0, batch.worn - take)
            remaining -= take
            parts.append((year, take))
        first_year, first_take = parts[0]
        line.receipt_year, line.copies = first_year, first_take
        line.save(update_fields=["receipt_year", "copies"])
        for year, take in parts[1:]:
            DocumentLine.objects.create(
                document=doc,
                entry_id=line.entry_id,
                copies=take,
                price=line.price,
                receipt_year=year,
            )
    _price_from_batches(doc)
    Holding.objects.bulk_update(held.values(), ["copies", "worn"])
    _sync_stock(doc.school_id, held)


def batch_price(school_id: int, entry_id: int, receipt_year: int | None) -> Decimal:
    """The price a batch was received at (its latest priced receipt), or 0 if none."""
    found = (
        DocumentLine.objects.filter(
            document__school_id=school_id,
            document__kind=Document.Kind.RECEIPT,
            document__status=Document.Status.POSTED,
            entry_id=entry_id,
            price__gt=0,
        )
        .filter(
            Q(receipt_year=receipt_year)
            | Q(receipt_year__isnull=True, document__date__year=receipt_year)
        )
        .order_by("-document__date", "-pk")
        .values_list("price", flat=True)
        .first()
    )
    return found or Decimal("0.00")


def unpriced_lines(doc: Document) -> list[DocumentLine]:
    """Lines of a write-off that would go into the act without a price: neither the line
    nor the batch it leaves has one. The act cannot be booked so; the page asks for it
    before posting."""
    if doc.is_receipt:
        return []
    lines = [ln for ln in doc.lines.select_related("entry") if not ln.price]
    if doc.is_posted:
        return lines
    # A line without a year takes its batches only when posted; until then it is asked
    # for only if no batch of the entry was received with a price.
    priced = set(
        DocumentLine.objects.filter(
            document__school_id=doc.school_id,
            document__kind=Document.Kind.RECEIPT,
            document__status=Document.Status.POSTED,
            entry_id__in=[ln.entry_id for ln in lines if ln.receipt_year is None],
            price__gt=0,
        ).values_list("entry_id", flat=True)
    )
    return [
        ln
        for ln in lines
        if (ln.entry_id not in priced if ln.receipt_year is None
            else not batch_price(doc.school_id, ln.entry_id, ln.receipt_year))
    ]  # fmt: skip


def _price_from_batches(doc: Document) -> None:
    # A write-off is valued at the price its batch came in at: the accountant books the
    # act by it, and the ministry's Form 4 asks for the sum.
    for line in doc.lines.filter(price=0):
        price = batch_price(doc.school_id, line.entry_id, line.receipt_year)
        if price:
            line.price = price
            line.save(update_fields=["price"])


def post(document: Document, user: User | None = None) -> Document:
    """Post a draft document: a receipt adds its lines to the school's holdings, a
    write-off removes them. All or nothing; a write-off that would take any batch below
    zero raises :class:`PostingError` naming the entry, and changes nothing — also when
    two people post at once (the batches are locked with ``SELECT … FOR UPDATE``)."""
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        if doc.is_posted:
            raise PostingError("Документ уже проведён; его можно только отменить (сторно).")
        lines = list(doc.lines.select_related("entry"))
        if not lines:
            raise PostingError("В документе нет ни одной строки.")
        if doc.is_receipt:
            _post_receipt(doc, lines)
        else:
            _post_writeoff(doc, lines)
        doc.status = Document.Status.POSTED
        doc.posted_at = timezone.now()
        doc.posted_by = user if getattr(user, "pk", None) else None
        if doc.posted_by is not None:
            history.record_by(doc, doc.posted_by)
        doc.save(update_fields=["status", "posted_at", "posted_by"])
    document.refresh_from_db()
    return document


def mark_worn(school: School, entry: FederalListEntry, receipt_year: int, worn: int) -> Holding:
    """Mark how many copies of a batch are worn out (not lent, awaiting write-off); they
    stay on the balance but do not count as usable stock."""
    with transaction.atomic():
        held = _locked(school.pk, {entry.pk})
        batch = held.get((entry.pk, receipt_year))
        copies = batch.copies if batch else 0
        if batch is None or worn < 0 or worn > copies:
            raise PostingError(
                f"В партии {_entry_label(entry)} поступления {receipt_year} года {copies} экз.: "
                f"изношенных может быть от 0 до {copies}."
            )
        batch.worn = worn
        batch.save(update_fields=["worn"])
        _sync_stock(school.pk, held)
    return batch


def add_worn(school_id: int, entry_id: int, copies: int) -> int:
    """Mark ``copies`` more copies of an entry worn (a returned book in poor condition),
    oldest batches first; returns how many could be marked (not more than the balance)."""
    with transaction.atomic():
        held = _locked(school_id, {entry_id})
        left = copies
        for _, batch in sorted(held.items(), key=lambda kv: kv[0][1]):
            take = min(left, batch.copies - batch.worn)
            if take > 0:
                batch.worn += take
                left -= take
        Holding.objects.bulk_update(held.values(), ["worn"])
        _sync_stock(school_id, held)
    return copies - left


def reverse(
    document: Document, user: User | None = None, *, date: dt.date | None = None
) -> Document:
    """Undo a posted document by posting its mirror image (сторно); the original stays."""
    with transaction.atomic():
        # Lock the original first: of two reversals at once (a double click) the second
        # waits here and then finds the first one's mirror.
        document = Document.objects.select_for_update().get(pk=document.pk)
        if not document.is_posted:
            raise PostingError("Отменить (сторно) можно только проведённый документ.")
        if Document.objects.filter(reverses=document).exists():
            raise PostingError("Этот документ уже отменён (сторнирован).")
        mirror = Document.objects.create(
            school_id=document.school_id,
            kind=Document.Kind.WRITEOFF if document.is_receipt else Document.Kind.RECEIPT,
            number=f"{document.number}-С",
            date=date or timezone.localdate(),
            reason=Reason.REVERSAL if document.is_receipt else "",
            source="" if document.is_receipt else Source.REVERSAL,
            note=f"Сторно: {document}",
            reverses=document,
        )
        DocumentLine.objects.bulk_create(
            DocumentLine(
                document=mirror,
                entry_id=ln.entry_id,
                copies=ln.copies,
                price=ln.price,
                receipt_year=ln.receipt_year,
            )
            for ln in document.lines.all()
        )
        return post(mirror, user)


def transfer(
    giver: School,
    taker: School,
    lines: Iterable[tuple[int, int]],
    *,
    number: str,
    date: dt.date,
    user: User | None = None,
) -> tuple[Document, Document]:
    """A permanent transfer between schools: a write-off «передача в другую школу» at the
    giver and a receipt «передача из другой школы» at the taker, posted together.
    ``lines`` are (entry id, copies)."""
    lines = list(lines)
    with transaction.atomic():
        out = Document.objects.create(
            school=giver,
            kind=Document.Kind.WRITEOFF,
            number=number,
            date=date,
            reason=Reason.TRANSFER,
            counterparty=taker,
            supplier=taker.short_name,
        )
        into = Document.objects.create(
            school=taker,
            kind=Document.Kind.RECEIPT,
            number=number,
            date=date,
            source=Source.TRANSFER,
            counterparty=giver,
            supplier=giver.short_name,
        )
        for doc in (out, into):
            DocumentLine.objects.bulk_create(
                DocumentLine(document=doc, entry_id=e, copies=c) for e, c in lines
            )
        post(out, user)
        post(into, user)
    return out, into


def stay_shares(school_ids: Any, year: int) -> dict[int, calc.StayShare]:
    """Each school's share of 9th-graders who go on to its 10th grade after ``year``: its
    own figure, else the actual ratio of ``year``'s 10th to the 9th of the year before
    (rows entered as actual, not forecast), else its district's default. Two queries."""
    schools = School.objects.filter(pk__in=school_ids).values_list(
        "pk", "stay_in_10th", "district__stay_in_10th_default"
    )
    counts: dict[tuple[int, int], int] = {}
    rows = Enrolment.objects.filter(
        Q(year_id=year, grade=10) | Q(year_id=year - 1, grade=9),
        school_id__in=school_ids,
        is_forecast=False,
    ).values_list("school_id", "grade", "students")
    for school_id, grade, students in rows:
        counts[(school_id, grade)] = students
    return {
        pk: calc.stay_share(own, counts.get((pk, 10)), counts.get((pk, 9)), default)
        for pk, own, default in schools
    }


def cohort_forecast(
    school: School, now: dict[int, int], intake: int, share: calc.StayShare
) -> dict[int, int]:
    """The pure forecast with the school's own grade range and 9 → 10 share."""
    return calc.cohort_forecast(now, intake, last_grade=school.last_grade, stay_in_10th=share.value)


def fill_forecast(
    school: School, year: int, intake: int, user: User | None = None
) -> list[Enrolment]:
    """Next year's enrolment by cohort from ``year``'s: grade g next year = grade g−1 now
    (its classes too) within the school's grades, the 10th only the share of the 9th that
    stays (:func:`stay_shares`), grade 1 from the expected ``intake``. Existing forecast
    rows are replaced; rows of the next year entered as actual are kept."""
    now = {e.grade: e for e in Enrolment.objects.filter(school=school, year_id=year)}
    share = stay_shares([school.pk], year)[school.pk]
    students = cohort_forecast(school, {g: e.students for g, e in now.items()}, intake, share)
    AcademicYear.open(year + 1)
    result = []
    with transaction.atomic():
        actual = set(
            Enrolment.objects.filter(
                school=school, year_id=year + 1, is_forecast=False
            ).values_list("grade", flat=True)
        )
        Enrolment.objects.filter(school=school, year_id=year + 1, is_forecast=True).delete()
        for grade, count in sorted(students.items()):
            if grade in actual:
                continue
            before = now.get(grade - 1)
            # Fewer pupils in the 10th than in the 9th may need fewer classes.
            classes = before.classes if before and grade != 10 else max(1, -(-count // 25))
            row = Enrolment(
                school=school, year_id=year + 1, grade=grade, students=count,
                classes=classes, is_forecast=True,
            )  # fmt: skip
            if getattr(user, "pk", None):
                history.record_by(row, user)
            row.save()
            result.append(row)
    return result


# --- stock against need ---------------------------------------------------------------


SchoolsArg = District | QuerySet | Iterable[int] | Iterable[School]


def _lessons_end(schools: SchoolsArg, given: tuple[int, int] | None) -> tuple[int, int]:
    """The end of lessons that decides what is usable: as given, else the district's."""
    if given is not None:
        return given
    if isinstance(schools, District):
        return schools.lessons_end
    # Schools of one district follow its day; a mix of districts (a region's report) falls
    # back to the common 31 May.
    days = set(
        District.objects.filter(schools__in=_schools_queryset(schools).values("pk"))
        .values_list("lessons_end_month", "lessons_end_day")
        .distinct()
    )
    return days.pop() if len(days) == 1 else years.LESSONS_END


def _schools_queryset(schools: SchoolsArg) -> QuerySet:
    if isinstance(schools, District):
        return School.objects.filter(district=schools, is_active=True)
    if isinstance(schools, QuerySet):
        return schools
    ids = [s.pk if isinstance(s, School) else int(s) for s in schools]
    return School.objects.filter(pk__in=ids)


@dataclass
class SchoolData:
    rows: list[calc.CurriculumRow]
    students: dict[int, int]
    usable: dict[int, int]
    curriculum_year: int | None = None


def _iter_rows(queryset: QuerySet) -> Iterator[tuple]:
    """The rows of a ``values_list`` query read with the cursor one by one: a row not
    kept dies at once instead of waiting in a list of hundreds of thousands (which also
    keeps the garbage collector scanning them)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor.cursor


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` query of integers and text, read with the cursor:
    at a region's scale the ORM's per-row machinery is most of the time."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@contextmanager
def _bulk_read() -> Iterator[None]:
    """One transaction for a report's reads; on PostgreSQL without JIT compilation, which
    the planner's pessimistic estimates of per-row subqueries trigger and which costs more
    than these queries run (SET LOCAL ends with the transaction). The transaction is on
    the database the reads go to (a report's may go to the replica)."""
    using = router.db_for_read(Stock)
    with transaction.atomic(using=using):
        if connections[using].vendor == "postgresql":
            with connections[using].cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _curriculum(school_ids: QuerySet, year: int) -> dict[int, tuple[int, list[calc.CurriculumRow]]]:
    """Each school's curriculum for ``year``, or its latest earlier one if not yet made."""
    found: dict[int, tuple[int, list[calc.CurriculumRow]]] = {}
    rows = (
        Curriculum.objects.filter(school_id__in=school_ids, year_id__lte=year)
        .order_by("school_id", "-year_id")
        .values_list("school_id", "year_id", "grade", "subject", "entry_id", "copies_per_student")
    )
    for school_id, y, grade, subject, entry_id, cps in _raw_rows(rows):
        current = found.get(school_id)
        if current is None:
            current = found[school_id] = (y, [])
        if current[0] == y:
            current[1].append(calc.CurriculumRow(grade, subject, entry_id, cps))
    return found


def _students(school_ids: QuerySet, year: int) -> dict[int, dict[int, int]]:
    """Students per grade in ``year``: entered (actual or forecast) or, where the school
    has none, the cohort forecast from the year before (within the school's grades, the
    10th from its share of the 9th)."""
    by_year: dict[int, dict[int, dict[int, int]]] = {year: {}, year - 1: {}}
    rows = Enrolment.objects.filter(
        school_id__in=school_ids, year_id__in=[year, year - 1]
    ).values_list("school_id", "year_id", "grade", "students")
    for school_id, y, grade, students in _raw_rows(rows):
        by_year[y].setdefault(school_id, {})[grade] = students
    result = dict(by_year[year])
    missing = [s for s in by_year[year - 1] if s not in result]
    if missing:
        shares = stay_shares(missing, year - 1)
        kinds = dict(School.objects.filter(pk__in=missing).values_list("pk", "kind"))
        for school_id in missing:
            before = by_year[year - 1][school_id]
            result[school_id] = calc.cohort_forecast(
                before,
                before.get(1, 0),
                last_grade=School.last_grade_of(kinds[school_id]),
                stay_in_10th=shares[school_id].value,
            )
    return result


def _usable(
    school_ids: QuerySet, year: int, lessons_end: tuple[int, int]
) -> dict[int, dict[int, int]]:
    # The entries past their use-until date are few: leave them out by id, no join.
    end = calc.year_end(year, lessons_end)
    expired = list(FederalListEntry.objects.filter(use_until__lt=end).values_list("pk", flat=True))
    rows = (
        Stock.objects.filter(school_id__in=school_ids, copies__gt=0)
        .exclude(entry_id__in=expired)
        .values_list("school_id", "entry_id", F("copies") - F("worn"))
        .order_by()
    )
    result: dict[int, dict[int, int]] = {}
    # A school's rows come together (the database walks the school index), so each run
    # of them fills its dictionary without a line of Python per row; should a school's
    # rows come in two runs, the second adds to the first.
    for school_id, run in groupby(_iter_rows(rows), itemgetter(0)):
        result.setdefault(school_id, {}).update(map(itemgetter(1, 2), run))
    return result


def _need(
    school_ids: QuerySet, year: int, students: dict[int, dict[int, int]], reserve_percent: float
) -> dict[int, dict[int, int]]:
    """Each school's need per entry in ``year`` from its curriculum for that year, else its
    latest earlier one; the subjects, which need does not depend on, are not read."""
    rows = (
        Curriculum.objects.filter(school_id__in=school_ids, year_id__lte=year)
        .order_by("school_id", "-year_id")
        .values_list("school_id", "year_id", "grade", "entry_id", "copies_per_student")
    )
    return calc.need_by_school(_iter_rows(rows), students, reserve_percent)


def usable_and_need(
    schools: SchoolsArg, year: int, reserve_percent: float = 0
) -> tuple[dict[int, dict[int, int]], dict[int, dict[int, int]]]:
    """Usable stock and need (+ reserve %) per school and entry in the academic year
    ``year``, as :func:`stock_and_need` counts them, without a row object per school ×
    entry: what region-wide reports and the exchange plan read. Five queries."""
    ids = _schools_queryset(schools).values("pk")
    with _bulk_read():
        usable = _usable(ids, year, _lessons_end(schools, None))
        needed = _need(ids, year, _students(ids, year), reserve_percent)
    return usable, needed


def school_data(
    schools: SchoolsArg, year: int, lessons_end: tuple[int, int] | None = None
) -> dict[int, SchoolData]:
    """Curriculum, students and usable stock of each school for the academic year
    ``year`` (its start year) in four queries, however many schools. A copy is usable if
    its use-until date reaches the end of lessons (``lessons_end``, else the district's)."""
    ids = _schools_queryset(schools).values("pk")
    with _bulk_read():
        curriculum = _curriculum(ids, year)
        students = _students(ids, year)
        usable = _usable(ids, year, _lessons_end(schools, lessons_end))
    result = {}
    for school_id in set(curriculum) | set(students) | set(usable):
        cy, rows = curriculum.get(school_id, (None, []))
        result[school_id] = SchoolData(
            rows=rows,
            students=students.get(school_id, {}),
            usable=usable.get(school_id, {}),
            curriculum_year=cy,
        )
    return result


def students_by_grade(schools: SchoolsArg, year: int) -> dict[int, dict[int, int]]:
    """Students per school and grade in ``year``: entered, or the cohort forecast."""
    return _students(_schools_queryset(schools).values("pk"), year)


StockNeed = calc.StockNeed


def stock_and_need(
    schools: SchoolsArg, target_year: int | AcademicYear, reserve_percent: float = 0
) -> list[StockNeed]:
    """Usable stock, need, surplus and shortage per school × entry for a target year.

    ``schools``: a District (its active schools), a School queryset, or school ids/objects.
    ``target_year``: the academic year's start year (2025 for 2025/2026) or an AcademicYear.

    - need = students of the grade(s) using the entry × copies per student (+ reserve %,
      rounded up), from the school's curriculum for the target year — or its latest
      earlier curriculum while the new one is not made — and its enrolment for the target
      year (entered or forecast), else the cohort forecast from the year before;
    - usable = holdings whose entry's ``use_until`` is not before the end of the target
      year, less worn copies;
    - surplus = max(0, usable − need), shortage = max(0, need − usable); stock of an entry
      the school no longer uses is all surplus.

    Rows with nothing in stock and no need are left out. Ordered by school, entry.
    """
    year = target_year.start_year if isinstance(target_year, AcademicYear) else int(target_year)
    usable, needed = usable_and_need(schools, year, reserve_percent)
    with collector.paused():
        return calc.stock_and_need(usable, needed)


def provision_by_school(
    schools: SchoolsArg,
    year: int,
    *,
    pairs: bool = True,
    lessons_end: tuple[int, int] | None = None,
) -> dict[int, tuple[calc.Provision, list[calc.PairProvision]]]:
    """Each school's provision in the academic year ``year`` and its grade × subject pairs.

    Same inputs as :func:`school_data`, but only the stock of the entries in the
    curriculum matters here, so it is read with the curriculum rows themselves (one row
    per curriculum line instead of one per entry held): three queries in all. With
    ``pairs=False`` the pair lists are left empty (district and region totals).
    """
    ids = _schools_queryset(schools).values("pk")
    end = calc.year_end(year, _lessons_end(schools, lessons_end))
    stock = Stock.objects.filter(school_id=OuterRef("school_id"), entry_id=OuterRef("entry_id"))
    rows = (
        Curriculum.objects.filter(school_id__in=ids, year_id__lte=year)
        .annotate(
            have=Subquery(stock.values(n=F("copies") - F("worn"))[:1]),
            # An integer flag rather than the date: no per-row conversion.
            usable=Case(
                When(entry__use_until__lt=end, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("school_id", "-year_id")
        .values_list(
            "school_id", "year_id", "grade", "subject", "entry_id", "copies_per_student",
            "have", "usable",
        )
    )  # fmt: skip
    curriculum: dict[int, tuple[int, list[tuple[int, str, int, int]], dict[int, int]]] = {}
    with _bulk_read():
        raw = _raw_rows(rows)
        students = _students(ids, year)
    for school_id, y, grade, subject, entry_id, cps, have, usable in raw:
        current = curriculum.get(school_id)
        if current is None:
            current = curriculum[school_id] = (y, [], {})
        if current[0] != y:
            continue
        current[1].append((grade, subject, entry_id, cps))
        current[2][entry_id] = (have or 0) if usable else 0
    result = {}
    for school_id in set(curriculum) | set(students):
        _, pair_rows, usable = curriculum.get(school_id, (None, [], {}))
        grades = students.get(school_id, {})
        if pairs:
            school_pairs = calc.provision_pairs(pair_rows, grades, usable)
            result[school_id] = (calc.provision(school_pairs), school_pairs)
        else:
            result[school_id] = (calc.provision_total(pair_rows, grades, usable), [])
    return result
