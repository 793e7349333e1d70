"""Plan operations that span models: execution records (the integration point for the
events, consultations and bulletin apps), progress, copying a plan into a new year and the
approval workflow.

Other apps feed a plan like this::

    from bibliomo.plans.services import find_items, record_execution

    for item in find_items(event.district, event.date, PlanItem.Indicator.PARTICIPANTS):
        record_execution(item, date=event.date, status=ExecutionStatus.DONE,
                         indicator_value=attended, source=event, user=request.user)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import AcademicYear, District
from bibliomo.lib import history, years
from bibliomo.plans import staleness
from bibliomo.plans.models import (
    ExecutionStatus,
    PlanItem,
    PlanItemExecution,
    PlanSection,
    WorkPlan,
)


def _start_year(year: AcademicYear | int | dt.date) -> int:
    if isinstance(year, AcademicYear):
        return year.start_year
    if isinstance(year, dt.date):
        return years.start_year_for(year)
    return int(year)


def find_items(
    district: District | int,
    year: AcademicYear | int | dt.date,
    indicator: str | None = None,
) -> QuerySet[PlanItem]:
    """The plan items of ``district``'s plan for an academic year, in plan order.

    ``year`` is an ``AcademicYear``, its start year (2021 for 2021/2022) or any date inside
    it (an event's date). ``indicator`` narrows the items to one measurable kind, e.g.
    ``PlanItem.Indicator.PUBLICATIONS`` («количество публикаций»); ``None`` gives them
    all. The plan's status does not matter: a draft plan is tracked as well.
    """
    district_id = district.pk if isinstance(district, District) else int(district)
    items = PlanItem.objects.of_district_year(district_id, _start_year(year))
    if indicator:
        items = items.filter(indicator=indicator)
    return items.select_related("section", "section__plan").order_by(
        "section__order", "section__pk", "order", "pk"
    )


def record_execution(
    item: PlanItem,
    *,
    date: dt.date,
    status: str,
    note: str = "",
    indicator_value: int | None = None,
    evidence_url: str = "",
    source: models.Model | None = None,
    user: User | None = None,
) -> PlanItemExecution:
    """Record what was done for ``item`` and return the record.

    With a ``source`` (any saved model instance: an event, a consultation, a publication)
    the call is idempotent: there is at most one record per (item, source), and calling
    again updates it — so an app may call this every time its object changes. Without a
    source every call adds a new record (a person's manual note). ``user`` is stored as
    the author (on creation) and in the history. Raises ``ValidationError`` for an
    unknown status or a malformed link.
    """
    if status not in ExecutionStatus.values:
        raise ValidationError(f"Неизвестный статус выполнения «{status}».")
    values = {
        "date": date,
        "status": status,
        "note": note,
        "indicator_value": indicator_value,
        "evidence_url": evidence_url,
    }
    with transaction.atomic():
        record = None
        if source is not None:
            if source.pk is None:
                raise ValueError("source must be saved before it is linked to a plan item")
            source_type = ContentType.objects.get_for_model(source)
            record = (
                PlanItemExecution.objects.select_for_update()
                .filter(item=item, source_type=source_type, source_id=source.pk)
                .first()
            )
            if record is None:
                record = PlanItemExecution(item=item, source_type=source_type, source_id=source.pk)
        else:
            record = PlanItemExecution(item=item)
        for field, value in values.items():
            setattr(record, field, value)
        if record.pk is None and user is not None and user.is_authenticated:
            record.created_by = user
        record.full_clean(exclude=["item", "created_by", "source_type", "evidence_file"])
        if user is not None:
            history.record_by(record, user)
        record.save()
    return record


# --- progress ------------------------------------------------------------------------


@dataclass
class Progress:
    done: int
    due: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.due) if self.due else 0


def latest_statuses(item_ids: list[int]) -> dict[int, PlanItemExecution]:
    """Each item's latest execution record (by date, then entry time), in one query."""
    latest: dict[int, PlanItemExecution] = {}
    records = PlanItemExecution.objects.filter(item_id__in=item_ids).order_by(
        "item_id", "-date", "-created_at", "-pk"
    )
    for record in records:
        latest.setdefault(record.item_id, record)
    return latest


def indicator_totals(item_ids: list[int]) -> dict[int, int]:
    """The sum of the recorded indicator values per item («Количество публикаций: 12»)."""
    if not item_ids:
        return {}
    rows = (
        PlanItemExecution.objects.filter(item_id__in=item_ids, indicator_value__isnull=False)
        .values("item_id")
        .annotate(total=Sum("indicator_value"))
    )
    return {row["item_id"]: row["total"] for row in rows}


def progress(
    items: list[PlanItem], latest: dict[int, PlanItemExecution], start_year: int, today: dt.date
) -> Progress:
    """Top-level items done / due by ``today`` (an item done early counts as due)."""
    top = [i for i in items if i.parent_id is None]
    done_ids = {i.pk for i in top if (r := latest.get(i.pk)) and r.status == "done"}
    due = sum(1 for i in top if i.pk in done_ids or i.due_by(today, start_year))
    return Progress(done=len(done_ids), due=due, total=len(top))


# --- copying and the workflow ---------------------------------------------------------


def _retitle(text: str, old: int, new: int) -> str:
    for sep in ("-", "–", "/"):
        text = text.replace(f"{old}{sep}{old + 1}", f"{new}{sep}{new + 1}")
    return text


@transaction.atomic
def copy_plan(plan: WorkPlan, year: AcademicYear, user: User | None = None) -> WorkPlan:
    """A draft copy of ``plan`` for another academic year: header, sections, items and
    sub-items with their timing (exact dates move by whole years); no execution records.
    Years in titles («2021-2022») are changed to the new year's."""
    old, new = plan.year.start_year, year.start_year
    if WorkPlan.objects.filter(district_id=plan.district_id, year=year).exists():
        raise ValidationError(f"План на {year.label('acc')} уже есть.")
    copy = WorkPlan(
        district_id=plan.district_id,
        year=year,
        title=_retitle(plan.title, old, new),
        theme=plan.theme,
        goal=plan.goal,
        tasks=plan.tasks,
    )
    history.record_by(copy, user)
    copy.save()
    items = list(
        PlanItem.objects.filter(section__plan=plan)
        .prefetch_related("responsible_people")
        .order_by("parent_id", "order", "pk")
    )
    for section in plan.sections.order_by("order", "pk"):
        new_section = PlanSection.objects.create(
            plan=copy,
            order=section.order,
            number=section.number,
            title=_retitle(section.title, old, new),
            layout=section.layout,
        )
        mapping: dict[int, PlanItem] = {}
        # Parents first (parent_id NULL sorts first on SQLite, last on PostgreSQL).
        ordered = sorted(
            (i for i in items if i.section_id == section.pk), key=lambda i: i.parent_id is not None
        )
        for item in ordered:
            people = list(item.responsible_people.all())
            content = _retitle(item.content, old, new)
            new_item = PlanItem(
                review_note=staleness.review_note(
                    [content, item.place, item.expected_result, item.responsible], new
                ),
                section=new_section,
                parent=mapping.get(item.parent_id) if item.parent_id else None,
                order=item.order,
                number=item.number,
                content=content,
                subitems_title=item.subitems_title,
                responsible=item.responsible,
                timing_kind=item.timing_kind,
                month_from=item.month_from,
                month_to=item.month_to,
                date=_shift_date(item.date, new - old),
                place=item.place,
                expected_result=item.expected_result,
                indicator=item.indicator,
                fed_by=item.fed_by,
            )
            new_item.save()
            if people:
                new_item.responsible_people.set(people)
            mapping[item.pk] = new_item
    return copy


def _shift_date(day: dt.date | None, years_ahead: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years_ahead)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years_ahead, day=28)


def _save_status(plan: WorkPlan, user: User, fields: list[str]) -> WorkPlan:
    history.record_by(plan, user)
    plan.save(update_fields=[*fields, "status", "updated_at"])
    return plan


def _notify(plan: WorkPlan, role: str, subject: str, step: str) -> None:
    """A letter to the district's people of ``role`` (the department on submission, the
    head on a decision), with a link to the plan."""
    from bibliomo.accounts.models import User
    from bibliomo.outbox.services import queue_mail, render_mail

    emails = list(
        User.objects.filter(district_id=plan.district_id, role=role, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    body = render_mail(
        "plans/email_status.txt",
        {"plan": plan, "step": step, "link": settings.SITE_URL + plan.get_absolute_url()},
    )
    for email in emails:
        queue_mail(email, subject, body)


def submit(plan: WorkPlan, user: User) -> WorkPlan:
    if not plan.is_editable:
        raise ValidationError("Отправить на утверждение можно черновик или возвращённый план.")
    plan.status = WorkPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    _save_status(plan, user, ["submitted_at"])
    _notify(plan, Role.DEPARTMENT, "План работы ММО направлен на утверждение", "submitted")
    return plan


def approve(plan: WorkPlan, user: User, on: dt.date | None = None) -> WorkPlan:
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise ValidationError("Утвердить можно только план, направленный на утверждение.")
    plan.status = WorkPlan.Status.APPROVED
    plan.approved_by = user
    plan.approved_on = on or timezone.localdate()
    plan.return_comment = ""
    _save_status(plan, user, ["approved_by", "approved_on", "return_comment"])
    _notify(plan, Role.HEAD, "План работы ММО утверждён", "approved")
    return plan


def return_for_revision(plan: WorkPlan, user: User, comment: str) -> WorkPlan:
    if plan.status != WorkPlan.Status.SUBMITTED:
        raise ValidationError("Вернуть можно только план, направленный на утверждение.")
    if not comment.strip():
        raise ValidationError("Напишите, что нужно исправить.")
    plan.status = WorkPlan.Status.RETURNED
    plan.return_comment = comment.strip()
    _save_status(plan, user, ["return_comment"])
    _notify(plan, Role.HEAD, "План работы ММО возвращён на доработку", "returned")
    return plan


def reopen(plan: WorkPlan, user: User) -> WorkPlan:
    """An approved plan becomes a draft again (its approval is cleared)."""
    if plan.status != WorkPlan.Status.APPROVED:
        raise ValidationError("Открыть для изменений можно только утверждённый план.")
    plan.status = WorkPlan.Status.DRAFT
    plan.approved_by = None
    plan.approved_on = None
    return _save_status(plan, user, ["approved_by", "approved_on"])


# --- the whole plan, loaded once for the page, the calendar and the files -------------


@dataclass
class Row:
    item: PlanItem
    children: list[PlanItem]
    latest: PlanItemExecution | None = None
    indicator_total: int | None = None


@dataclass
class SectionView:
    section: PlanSection
    rows: list[Row]
    progress: Progress


@dataclass
class Block:
    """Consecutive sections printed as one table (the seed's six-column table holds
    several sections; the participation block is a table of its own)."""

    layout: str
    sections: list[SectionView]


@dataclass
class Document:
    plan: WorkPlan
    blocks: list[Block]
    progress: Progress

    @property
    def sections(self) -> list[SectionView]:
        return [s for b in self.blocks for s in b.sections]

    @property
    def items(self) -> list[PlanItem]:
        return [i for s in self.sections for r in s.rows for i in (r.item, *r.children)]


def load_document(plan: WorkPlan, today: dt.date | None = None) -> Document:
    """The plan with its sections, items, sub-items, responsible people and each item's
    latest execution record — five queries however long the plan is."""
    today = today or timezone.localdate()
    start_year = plan.year.start_year
    sections = list(plan.sections.order_by("order", "pk"))
    items = list(
        PlanItem.objects.filter(section__plan=plan)
        .prefetch_related("responsible_people")
        .order_by("order", "pk")
    )
    latest = latest_statuses([i.pk for i in items])
    totals = indicator_totals([i.pk for i in items if i.indicator])
    children: dict[int, list[PlanItem]] = {}
    for item in items:
        if item.parent_id:
            children.setdefault(item.parent_id, []).append(item)
    blocks: list[Block] = []
    all_top: list[PlanItem] = []
    for section in sections:
        top = [i for i in items if i.section_id == section.pk and i.parent_id is None]
        all_top += top
        rows = [Row(i, children.get(i.pk, []), latest.get(i.pk), totals.get(i.pk)) for i in top]
        view = SectionView(section, rows, progress(top, latest, start_year, today))
        if blocks and blocks[-1].layout == section.layout == PlanSection.Layout.FULL:
            blocks[-1].sections.append(view)
        else:
            blocks.append(Block(section.layout, [view]))
    return Document(plan, blocks, progress(all_top, latest, start_year, today))


def month_items(plan: WorkPlan, month: dt.date) -> list[PlanItem]:
    """Top-level items planned for the month of ``month`` (a month or a range that covers
    it, or an exact date in it) — the dashboard's «Что запланировано на этот месяц»."""
    from bibliomo.plans import timing as tm

    items = PlanItem.objects.filter(
        section__plan=plan, parent=None, timing_kind__in=[tm.MONTHS, tm.DATE]
    ).order_by("section__order", "order", "pk")
    first = month.replace(day=1)
    return [i for i in items if first in tm.month_dates(i.timing, plan.year.start_year)]
