"""Operations of the circulation desk: classes from the enrolment, the class set issued
in one action, returns with their condition, lost books settled by fund documents, next
year's classes by promotion.

An issue never takes more than :func:`bibliomo.fund.services.free_copies` (the balance
less the copies already out) and the worn copies on the shelf; the entries' batches are
locked while it counts, so two librarians at once cannot both hand out the last copy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bibliomo.accounts.models import User
from bibliomo.circulation.models import Classroom, Loan, Pupil, default_return_by
from bibliomo.directory.models import AcademicYear, School
from bibliomo.fund import services as fund
from bibliomo.fund.models import Document, DocumentLine, Enrolment, Reason, Source, Stock
from bibliomo.lib import history, years
from bibliomo.lib.bulk import insert_rows
from bibliomo.textbooks.models import Curriculum, FederalListEntry

LETTERS = "АБВГДЕЖЗИК"
LOAN_FIELDS = (
    "school", "year", "entry", "copies", "kind", "pupil", "classroom", "holder", "status",
    "condition", "issued_on", "due_on", "issued_by",
)  # fmt: skip


class CirculationError(ValidationError):
    """An issue or a return that cannot be done; the message is for the librarian."""


def _today(day: dt.date | None) -> dt.date:
    return day or timezone.localdate()


# --- classes ---------------------------------------------------------------------------


def classes_from_enrolment(school: School, year: int) -> list[Classroom]:
    """Create the classes the enrolment counts (grade 5 with 2 classes → 5 А, 5 Б), each
    with its share of the grade's students; classes that exist are kept."""
    AcademicYear.open(year)
    existing = set(
        Classroom.objects.filter(school=school, year_id=year).values_list("grade", "letter")
    )
    new = []
    for row in Enrolment.objects.filter(school=school, year_id=year).order_by("grade"):
        count = max(1, min(row.classes or 1, len(LETTERS)))
        for i in range(count):
            letter = LETTERS[i]
            if (row.grade, letter) in existing:
                continue
            share = row.students // count + (1 if i < row.students % count else 0)
            new.append(
                Classroom(
                    school=school, year_id=year, grade=row.grade, letter=letter, size=share,
                    return_by=default_return_by(year),
                )
            )  # fmt: skip
    with transaction.atomic():
        for c in new:
            c.save()
    return new


@dataclass(frozen=True)
class SetItem:
    entry: FederalListEntry
    subject: str
    copies: int  # per pupil


def class_sets(school_id: int, year: int, grades: Iterable[int]) -> dict[int, list[SetItem]]:
    """Grade → the class set (комплект): the curriculum's textbooks of that grade for the
    year, or the latest earlier curriculum while this year's is not made."""
    grades = set(grades)
    rows = (
        Curriculum.objects.filter(school_id=school_id, year_id__lte=year, grade__in=grades)
        .select_related("entry")
        .order_by("-year_id", "subject", "entry__key")
    )
    latest: int | None = None
    result: dict[int, list[SetItem]] = {g: [] for g in grades}
    for row in rows:
        latest = latest or row.year_id
        if row.year_id != latest:
            break
        result[row.grade].append(SetItem(row.entry, row.subject, row.copies_per_student))
    return result


def class_set(classroom: Classroom) -> list[SetItem]:
    return class_sets(classroom.school_id, classroom.year_id, [classroom.grade])[classroom.grade]


# --- issue -----------------------------------------------------------------------------


def _available(school_id: int, entry_ids: Iterable[int]) -> dict[int, int]:
    """Copies that may be handed out now (locks the batches): on the shelf, not worn."""
    entry_ids = sorted(set(entry_ids))
    free = fund.free_copies(school_id, entry_ids, lock=True)
    worn = dict(
        Stock.objects.filter(school_id=school_id, entry_id__in=entry_ids).values_list(
            "entry_id", "worn"
        )
    )
    return {e: max(0, free[e] - worn.get(e, 0)) for e in entry_ids}


def _label(entry: FederalListEntry) -> str:
    return f"«{entry.title}» ({entry.grades} кл.)"


def issue(
    school: School,
    entry: FederalListEntry,
    copies: int = 1,
    *,
    pupil: Pupil | None = None,
    kind: str = Loan.Kind.PUPIL,
    holder: str = "",
    year: int | None = None,
    user: User | None = None,
    day: dt.date | None = None,
) -> Loan:
    """Hand ``copies`` of ``entry`` to a pupil, a teacher or a classroom; refused, naming
    the entry, if the shelf has fewer free copies."""
    day = _today(day)
    if copies < 1:
        raise CirculationError("Укажите число экземпляров — не меньше одного.")
    if pupil is not None and pupil.school_id != school.pk:
        raise CirculationError("Учащийся из другой школы.")
    if pupil is None and not holder.strip():
        raise CirculationError("Укажите, кому выдаётся: учителя или кабинет.")
    classroom = pupil.classroom if pupil is not None else None
    if year is None:
        year = (
            classroom.year_id
            if classroom
            else AcademicYear.open(years.start_year_for(day)).start_year
        )
    with transaction.atomic():
        free = _available(school.pk, [entry.pk])[entry.pk]
        if copies > free:
            raise CirculationError(
                f"Нельзя выдать {copies} экз. {_label(entry)}: на полке свободно {free} экз."
            )
        return Loan.objects.create(
            school=school, year_id=year, entry=entry, copies=copies,
            kind=Loan.Kind.PUPIL if pupil else kind, pupil=pupil, classroom=classroom,
            holder="" if pupil else holder.strip(), issued_on=day,
            due_on=classroom.return_by if classroom else default_return_by(year),
            issued_by=history.author(user),
        )  # fmt: skip


@dataclass
class IssueResult:
    copies: int = 0  # copies handed out
    pupils: set[int] = field(default_factory=set)
    # entry → names of pupils who got nothing because the shelf ran out
    short: dict[FederalListEntry, list[str]] = field(default_factory=dict)

    @property
    def messages(self) -> list[str]:
        return [
            f"{_label(entry)}: не хватило {len(names)} экз. — не выдано: {', '.join(names)}."
            for entry, names in self.short.items()
        ]


def issue_set(
    classroom: Classroom, user: User | None = None, day: dt.date | None = None
) -> IssueResult:
    """«Выдать комплект»: every pupil of the class gets each textbook of the set they do
    not hold yet (those who declined it this year — «не взял» — are skipped), copies per
    pupil from the curriculum. Where the shelf runs short, pupils later in the list get
    nothing and are named in the result; nothing beyond the free copies is ever issued."""
    items = class_set(classroom)
    return _issue_sets([(classroom, items)], user, _today(day))


def issue_sets(classrooms: Sequence[Classroom], user: User | None = None, day=None) -> IssueResult:
    """The class sets of many classes at once (the first of September), in one
    transaction: the whole school in a handful of queries."""
    if not classrooms:
        return IssueResult()
    school_id = classrooms[0].school_id
    year = classrooms[0].year_id
    sets = class_sets(school_id, year, {c.grade for c in classrooms})
    return _issue_sets([(c, sets[c.grade]) for c in classrooms], user, _today(day))


def _issue_sets(
    work: list[tuple[Classroom, list[SetItem]]], user: User | None, day: dt.date
) -> IssueResult:
    result = IssueResult()
    work = [(c, items) for c, items in work if items]
    if not work:
        return result
    school_id, year = work[0][0].school_id, work[0][0].year_id
    class_ids = [c.pk for c, _ in work]
    entry_ids = {i.entry.pk for _, items in work for i in items}
    user = history.author(user)
    with transaction.atomic():
        free = _available(school_id, entry_ids)
        pupils: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for pk, class_id, last, first in (
            Pupil.objects.filter(classroom_id__in=class_ids, left_on__isnull=True)
            .order_by("last_name", "first_name", "pk")
            .values_list("pk", "classroom_id", "last_name", "first_name")
        ):
            pupils[class_id].append((pk, f"{last} {first}"))
        # What each pupil already holds or declined this year.
        had = set(
            Loan.objects.filter(
                pupil__classroom_id__in=class_ids,
                year_id=year,
                entry_id__in=entry_ids,
                status__in=[Loan.Status.ISSUED, Loan.Status.CANCELLED, Loan.Status.LOST],
            ).values_list("pupil_id", "entry_id")
        )
        # Plain rows, not model instances: a school's September is ~15,000 of them.
        rows = []
        issued_on = day.isoformat()
        user_id = user.pk if user else None
        for classroom, items in work:
            due = classroom.return_by.isoformat()
            for item in items:
                entry_id = item.entry.pk
                for pupil_id, name in pupils[classroom.pk]:
                    if (pupil_id, entry_id) in had:
                        continue
                    if free[entry_id] < item.copies:
                        result.short.setdefault(item.entry, []).append(name)
                        continue
                    free[entry_id] -= item.copies
                    rows.append(
                        (school_id, year, entry_id, item.copies, Loan.Kind.PUPIL, pupil_id,
                         classroom.pk, "", Loan.Status.ISSUED, "", issued_on, due, user_id)
                    )  # fmt: skip
                    result.copies += item.copies
                    result.pupils.add(pupil_id)
        insert_rows(Loan, LOAN_FIELDS, rows)
    return result


# --- return ----------------------------------------------------------------------------


def return_loans(
    loans: Iterable[Loan] | QuerySet,
    condition: str = Loan.Condition.GOOD,
    user: User | None = None,
    day: dt.date | None = None,
) -> int:
    """Take back loans in the given condition: good → on the shelf; worn or damaged →
    on the shelf and marked worn in the fund (awaiting a write-off); lost → off the
    shelf until settled by an act (:func:`settle_lost`). Returns the copies taken."""
    if condition not in Loan.Condition.values:
        raise CirculationError("Неизвестное состояние учебника.")
    day, user = _today(day), history.author(user)
    with transaction.atomic():
        if isinstance(loans, QuerySet):
            loans = loans.filter(status=Loan.Status.ISSUED)
        else:
            loans = Loan.objects.filter(pk__in=[ln.pk for ln in loans], status=Loan.Status.ISSUED)
        rows = list(loans.select_for_update().values_list("pk", "school_id", "entry_id", "copies"))
        if not rows:
            return 0
        lost = condition == Loan.Condition.LOST
        ids = [pk for pk, *_ in rows]
        for start in range(0, len(ids), 500):
            Loan.objects.filter(pk__in=ids[start : start + 500]).update(
                status=Loan.Status.LOST if lost else Loan.Status.RETURNED,
                condition=condition, returned_on=day, returned_by=user,
            )  # fmt: skip
        if condition in (Loan.Condition.WORN, Loan.Condition.DAMAGED):
            by_entry: dict[tuple[int, int], int] = defaultdict(int)
            for _, school_id, entry_id, copies in rows:
                by_entry[school_id, entry_id] += copies
            for (school_id, entry_id), copies in sorted(by_entry.items()):
                fund.add_worn(school_id, entry_id, copies)
    return sum(copies for *_, copies in rows)


def accept_all(classroom: Classroom, user: User | None = None, day: dt.date | None = None) -> int:
    """«Принять всё»: every book the class still holds comes back in good condition."""
    return return_loans(
        Loan.objects.filter(classroom=classroom, status=Loan.Status.ISSUED), user=user, day=day
    )


def cancel(loan: Loan, user: User | None = None) -> Loan:
    """«Не взял»: the pupil did not take the book; the set will not offer it again."""
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        if loan.status != Loan.Status.ISSUED:
            raise CirculationError("Отменить можно только выдачу, которая ещё на руках.")
        loan.status, loan.returned_by = Loan.Status.CANCELLED, history.author(user)
        loan.returned_on = timezone.localdate()
        loan.save(update_fields=["status", "returned_by", "returned_on"])
    return loan


def settle_lost(
    school: School,
    loans: Iterable[Loan],
    *,
    replaced: bool,
    number: str,
    day: dt.date | None = None,
    user: User | None = None,
    commission: str = "",
) -> tuple[Document, Document | None]:
    """Settle lost books: written off by an act with the reason «утрата» and, when the
    reader brought an equal copy, received back «взамен утерянных» — both posted through
    the fund's ledger, so they appear in the КСУ and the write-off figures (Form 4)."""
    day = _today(day)
    if not number.strip():
        raise CirculationError("Укажите номер акта.")
    with transaction.atomic():
        rows = list(
            Loan.objects.select_for_update(of=("self",))
            .filter(pk__in=[loan.pk for loan in loans], school=school, status=Loan.Status.LOST)
            .select_related("entry", "pupil")
        )
        if not rows:
            raise CirculationError("Не выбрано ни одного утерянного учебника.")
        by_entry: dict[int, tuple[FederalListEntry, int]] = {}
        for loan in rows:
            entry, n = by_entry.get(loan.entry_id, (loan.entry, 0))
            by_entry[loan.entry_id] = (entry, n + loan.copies)
        who = ", ".join(sorted({loan.holder_label for loan in rows}))
        act = Document.objects.create(
            school=school, kind=Document.Kind.WRITEOFF, number=number.strip(), date=day,
            reason=Reason.LOST, commission=commission,
            note=f"Утеряны читателями: {who}" + ("; заменены равноценными" if replaced else ""),
        )  # fmt: skip
        _lines(act, by_entry)
        # The loans leave the «off the shelf» count first, so the act may take them.
        for loan in rows:
            loan.status, loan.document = Loan.Status.SETTLED, act
        Loan.objects.bulk_update(rows, ["status", "document"])
        try:
            fund.post(act, user)
        except fund.PostingError as exc:
            raise CirculationError(exc.messages) from None
        receipt = None
        if replaced:
            receipt = Document.objects.create(
                school=school, kind=Document.Kind.RECEIPT, number=number.strip(), date=day,
                source=Source.REPLACEMENT, supplier=who[:300],
                basis=f"Акт списания № {number.strip()} от {day:%d.%m.%Y}",
            )  # fmt: skip
            _lines(receipt, by_entry)
            fund.post(receipt, user)
    return act, receipt


def _lines(doc: Document, by_entry: dict[int, tuple[FederalListEntry, int]]) -> None:
    DocumentLine.objects.bulk_create(
        DocumentLine(document=doc, entry=entry, copies=n, price=entry.price or 0)
        for entry, n in by_entry.values()
    )


# --- pupils and promotion --------------------------------------------------------------


def move(pupil: Pupil, classroom: Classroom | None, day: dt.date | None = None) -> Pupil:
    """Move a pupil to another class of the school, or out of the school (``None``)."""
    if classroom is not None and classroom.school_id != pupil.school_id:
        raise CirculationError("Класс другой школы.")
    pupil.classroom = classroom
    pupil.left_on = None if classroom else _today(day)
    pupil.save(update_fields=["classroom", "left_on"])
    return pupil


@dataclass
class Step:
    classroom: Classroom
    target: int | None  # the grade next year; None — the class leaves the school
    pupils: int


def promotion_plan(school: School, year: int) -> list[Step]:
    """Next year's classes proposed: 5 А → 6 А; the last grade leaves; grade 9 goes on
    to 10 where the school teaches grade 10. The librarian reviews before applying."""
    from django.db.models import Count, Q

    top = school.last_grade
    classes = (
        Classroom.objects.filter(school=school, year_id=year)
        .annotate(n=Count("pupils", filter=Q(pupils__left_on__isnull=True)))
        .order_by("grade", "letter")
    )
    return [Step(c, c.grade + 1 if c.grade < top else None, c.n) for c in classes]


def promote(
    school: School, year: int, targets: dict[int, int | None], day: dt.date | None = None
) -> list[Classroom]:
    """Apply the reviewed plan (classroom id → next year's grade or ``None`` for
    leavers): the classes of the next year are created (same letter and teacher) and
    the pupils move in; leavers leave the school. All or nothing."""
    AcademicYear.open(year + 1)
    day = day or dt.date(year + 1, 6, 30)
    made = []
    with transaction.atomic():
        current = {c.pk: c for c in Classroom.objects.filter(school=school, year_id=year)}
        for class_id, target in targets.items():
            old = current.get(class_id)
            if old is None:
                raise CirculationError("Класс не найден в этом учебном году.")
            active = Pupil.objects.filter(classroom=old, left_on__isnull=True)
            if target is None:
                active.update(classroom=None, left_on=day)
                continue
            if not 1 <= target <= 11:
                raise CirculationError(f"{old.name}: параллель должна быть от 1 до 11.")
            new, created = Classroom.objects.get_or_create(
                school=school, year_id=year + 1, grade=target, letter=old.letter,
                defaults={
                    "teacher": old.teacher, "teacher_name": old.teacher_name,
                    "size": old.size, "return_by": default_return_by(year + 1),
                },
            )  # fmt: skip
            if created:
                made.append(new)
            active.update(classroom=new)
    return made
