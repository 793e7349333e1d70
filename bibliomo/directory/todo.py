"""The home page's to-do list: what needs the user's action now, with its deadline.

One small function per source (orders, transfers, consultations, events, the work plan,
the stocktake, textbooks in the pupils' hands); each looks at the user's role itself and
returns its tasks. A new section adds its function to ``SOURCES``. Each function costs a
bounded number of queries.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from bibliomo.accounts import access
from bibliomo.accounts.models import User
from bibliomo.lib import years

SHOWN_PER_SOURCE = 6


@dataclass(frozen=True)
class Task:
    title: str  # what to do, as a librarian says it
    url: str
    deadline: dt.date | None = None
    note: str = ""  # the state of things: «черновик», «ответ дан»
    overdue: bool = False
    section: str = ""  # where it comes from: «Заказ учебников»

    def due_text(self, today: dt.date) -> str:
        if self.deadline is None:
            return ""
        days = (self.deadline - today).days
        if days < 0:
            return f"срок истёк {self.deadline:%d.%m.%Y}"
        if days == 0:
            return "срок — сегодня"
        left = ngettext("остался %(count)s день", "осталось %(count)s дня", days) % {"count": days}
        return f"до {self.deadline:%d.%m.%Y}, {left}"


def _mine(user: User) -> Q:
    """The user's school and its branches."""
    return Q(pk=user.school_id) | Q(parent_id=user.school_id)


def _edits_a_school(user: User) -> bool:
    return user.school is not None and access.can_edit_school_data(user, user.school)


def orders(user: User, district: Any, today: dt.date) -> list[Task]:
    from bibliomo.orders.models import SchoolOrder

    S = SchoolOrder.Status
    section = "Заказ учебников"
    tasks: list[Task] = []
    open_orders = SchoolOrder.objects.filter(
        campaign__district=district, campaign__is_open=True
    ).select_related("campaign__target_year", "school")
    if _edits_a_school(user):
        from bibliomo.directory.models import School

        own = list(
            open_orders.filter(
                school__in=School.objects.filter(_mine(user)), status__in=[S.DRAFT, S.RETURNED]
            )
        )
        for order in own:
            year = order.campaign.target_year.label("acc")
            if order.status == S.RETURNED:
                title = f"Исправить и снова подать заказ учебников на {year}"
                note = f"возвращён: {order.comment}" if order.comment else "возвращён"
            else:
                title = f"Заполнить и подать заказ учебников на {year}"
                note = "не начат" if order.started_at is None else "черновик"
            if len(own) > 1 or order.school_id != user.school_id:
                title += f" — {order.school.short_name}"
            tasks.append(
                Task(
                    title,
                    order.get_absolute_url(),
                    order.campaign.deadline,
                    note,
                    order.campaign.deadline < today,
                    section,
                )
            )
    if access.is_head_of(user, district.pk) or access.is_department_of(user, district.pk):
        campaigns = (
            open_orders.values("campaign", "campaign__deadline", "campaign__target_year")
            .annotate(
                waiting=Count("pk", filter=Q(status__in=[S.DRAFT, S.RETURNED])),
                submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
            )
            .order_by("campaign__deadline")
        )
        for c in campaigns:
            url = reverse("orders:campaign", args=[c["campaign"]])
            year = years.label(c["campaign__target_year"], "acc")
            if c["waiting"] and access.is_head_of(user, district.pk):
                count = ngettext(
                    "%(count)s школа ещё не подала", "%(count)s школ ещё не подали", c["waiting"]
                ) % {"count": c["waiting"]}
                tasks.append(
                    Task(
                        f"Заказ учебников на {year}: {count}",
                        url,
                        c["campaign__deadline"],
                        overdue=c["campaign__deadline"] < today,
                        section=section,
                    )
                )
            if c["submitted"] and access.is_department_of(user, district.pk):
                count = ngettext(
                    "%(count)s заказ ждёт утверждения",
                    "%(count)s заказа ждут утверждения",
                    c["submitted"],
                ) % {"count": c["submitted"]}
                tasks.append(Task(f"Заказ учебников на {year}: {count}", url, section=section))
    if access.is_head_of(user, district.pk):
        for order in open_orders.exclude(reopen_request="")[:SHOWN_PER_SOURCE]:
            tasks.append(
                Task(
                    f"{order.school.short_name} просит вернуть заказ на доработку",
                    order.get_absolute_url(),
                    note=order.reopen_request,
                    section=section,
                )
            )
    return tasks


def transfers(user: User, district: Any, today: dt.date) -> list[Task]:
    from bibliomo.exchange.models import Transfer

    S = Transfer.Status
    section = "Обменный фонд"
    qs = Transfer.objects.filter(district=district).select_related("giver", "taker")
    tasks: list[Task] = []
    if _edits_a_school(user):
        from bibliomo.directory.models import School

        mine = School.objects.filter(_mine(user))
        steps = [
            (Q(giver__in=mine, status=S.PROPOSED), "Согласовать передачу учебников в «{taker}»"),
            (Q(giver__in=mine, status=S.AGREED), "Отправить учебники в «{taker}»"),
            (Q(taker__in=mine, status=S.SHIPPED), "Принять учебники от «{giver}»"),
            (
                Q(giver__in=mine, status=S.RECEIVED, kind=Transfer.Kind.TEMPORARY),
                "Получить обратно учебники, выданные «{taker}»",
            ),
        ]
        for condition, text in steps:
            for t in qs.filter(condition)[:SHOWN_PER_SOURCE]:
                late = t.return_date if t.status == S.RECEIVED else None
                tasks.append(
                    Task(
                        text.format(giver=t.giver.short_name, taker=t.taker.short_name),
                        t.get_absolute_url(),
                        late,
                        f"{t} — {t.get_status_display()}",
                        bool(late and late < today),
                        section,
                    )
                )
    if access.oversees(user, district.pk):
        waiting = qs.filter(status=S.PROPOSED).count()
        if waiting:
            count = ngettext(
                "%(count)s передача ждёт согласования школой",
                "%(count)s передачи ждут согласования школами",
                waiting,
            ) % {"count": waiting}
            tasks.append(
                Task(count[:1].upper() + count[1:], reverse("exchange_transfers"), section=section)
            )
    return tasks


def consultations(user: User, district: Any, today: dt.date) -> list[Task]:
    from bibliomo.consultations.models import Consultation

    S = Consultation.Status
    section = "Консультации"
    tasks: list[Task] = []
    own = Consultation.objects.filter(district=district, author=user)
    for c in own.filter(status=S.ANSWERED).order_by("-answered_at")[:SHOWN_PER_SOURCE]:
        tasks.append(
            Task(
                f"Прочитайте ответ: «{c.subject}»",
                c.get_absolute_url(),
                None,
                "ответ дан",
                section=section,
            )
        )
    for c in own.open().order_by("waiting_since")[:SHOWN_PER_SOURCE]:
        tasks.append(
            Task(
                f"Ваш вопрос ждёт ответа: «{c.subject}»",
                c.get_absolute_url(),
                c.due_date,
                c.get_status_display().lower(),
                section=section,
            )
        )
    if access.is_head_of(user, district.pk):
        waiting = list(
            Consultation.objects.filter(district=district)
            .open()
            .exclude(author=user)
            .select_related("school")
            .order_by("waiting_since")
        )
        waiting.sort(key=lambda c: (not c.is_overdue(today), c.waiting_since))
        for c in waiting[:SHOWN_PER_SOURCE]:
            who = f" ({c.school.short_name})" if c.school else ""
            tasks.append(
                Task(
                    f"Ответить на вопрос{who}: «{c.subject}»",
                    c.get_absolute_url(),
                    c.due_date,
                    "просрочен" if c.is_overdue(today) else c.get_status_display().lower(),
                    c.is_overdue(today),
                    section,
                )
            )
        if len(waiting) > SHOWN_PER_SOURCE:
            more = len(waiting) - SHOWN_PER_SOURCE
            tasks.append(
                Task(
                    ngettext(
                        "Ещё %(count)s вопрос ждёт ответа",
                        "Ещё %(count)s вопроса ждут ответа",
                        more,
                    )
                    % {"count": more},
                    reverse("consultation_list"),
                    section=section,
                )
            )
    return tasks


def events(user: User, district: Any, today: dt.date) -> list[Task]:
    """This month's events (webinars too) from today on, and registrations to make."""
    from bibliomo.events.models import Event, Registration

    section = "Мероприятия"
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(month_end, dt.time.max))
    upcoming = list(
        Event.objects.filter(district=district, starts_at__range=(start, end))
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at")[: SHOWN_PER_SOURCE * 2]
    )
    mine = set(
        Registration.objects.filter(
            event__in=upcoming, person=user, status__in=["registered", "waiting"]
        ).values_list("event_id", flat=True)
    )
    tasks = []
    for e in upcoming:
        day = timezone.localtime(e.starts_at)
        title = e.labelled_title
        note = f"{day:%d.%m.%Y в %H:%M}"
        if e.pk in mine:
            note += " · вы записаны"
        elif e.registration_open():
            title = f"Записаться: {title}"
            note += f" · запись до {timezone.localtime(e.deadline):%d.%m.%Y}"
        tasks.append(Task(title, e.get_absolute_url(), None, note, section=section))
    return tasks


def plan(user: User, district: Any, today: dt.date) -> list[Task]:
    """For the head: this month's plan items with nothing recorded yet."""
    if not access.is_head_of(user, district.pk):
        return []
    from bibliomo.plans import services
    from bibliomo.plans.models import PlanItemExecution, WorkPlan

    work_plan = WorkPlan.objects.filter(
        district=district, year__start_year=years.start_year_for(today)
    ).first()
    if work_plan is None:
        return [
            Task(
                "Составить план работы ММО на текущий учебный год",
                reverse("plan_list"),
                section="План работы",
            )
        ]
    items = services.month_items(work_plan, today)
    done = set(PlanItemExecution.objects.filter(item__in=items).values_list("item_id", flat=True))
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    return [
        Task(
            f"Отметить выполнение: {item.content[:120]}",
            reverse("plan_item", args=[item.pk]),
            month_end,
            item.timing_text,
            section="План работы",
        )
        for item in items
        if item.pk not in done
    ][: SHOWN_PER_SOURCE * 2]


def stocktake(user: User, district: Any, today: dt.date) -> list[Task]:
    """The school's stocktake to count and submit; for the head, counts to accept."""
    if not apps.is_installed("bibliomo.stocktake"):
        return []
    Stocktake = apps.get_model("stocktake", "Stocktake")
    qs = Stocktake.objects.filter(
        campaign__district=district, campaign__is_open=True
    ).select_related("campaign", "school")
    tasks = []
    if _edits_a_school(user):
        from bibliomo.directory.models import School

        for s in qs.filter(
            school__in=School.objects.filter(_mine(user)),
            status__in=["new", "counting", "returned"],
        ):
            # The school's branch has its own stocktake: say whose it is.
            whose = f" — {s.school.short_name}" if s.school_id != user.school_id else ""
            tasks.append(
                Task(
                    f"Провести инвентаризацию: {s.campaign.name}{whose}",
                    s.get_absolute_url(),
                    s.campaign.deadline,
                    s.get_status_display(),
                    s.campaign.deadline < today,
                    "Инвентаризация",
                )
            )
    if access.is_head_of(user, district.pk):
        for s in qs.filter(status="submitted")[:SHOWN_PER_SOURCE]:
            tasks.append(
                Task(
                    f"Проверить и принять инвентаризацию «{s.school.short_name}»",
                    s.get_absolute_url(),
                    s.campaign.deadline,
                    section="Инвентаризация",
                )
            )
    return tasks


# A class's textbooks come onto the list this many days before their return date.
RETURN_SOON_DAYS = 14


def circulation(user: User, district: Any, today: dt.date) -> list[Task]:
    """Textbooks in the pupils' hands, for the school's librarian: copies not returned
    by their date (or due soon), lost copies waiting for an act, classes of the new
    academic year not made or without their set. Counts and class names only. Four
    queries however many classes and loans."""
    if not _edits_a_school(user):
        return []
    from django.db.models import Exists, Min, OuterRef, Sum

    from bibliomo.circulation.models import Classroom, Loan
    from bibliomo.directory.models import School
    from bibliomo.textbooks.models import Curriculum

    section = "Выдача учебников"
    mine = list(School.objects.filter(_mine(user)).values_list("pk", "short_name"))
    names = dict(mine)
    ids = list(names)

    def named(text: str, school_id: int) -> str:
        return f"{text} — {names[school_id]}" if len(mine) > 1 else text

    tasks: list[Task] = []
    soon = today + dt.timedelta(days=RETURN_SOON_DAYS)
    in_hands = (
        Loan.objects.filter(school_id__in=ids, status=Loan.Status.ISSUED)
        .values(
            "school_id",
            "classroom_id",
            "classroom__grade",
            "classroom__letter",
            "classroom__year_id",
        )
        .annotate(
            due=Min("due_on"),
            held=Sum("copies"),
            late=Sum("copies", filter=Q(due_on__lt=today)),
        )
        .filter(due__lte=soon)
        .order_by("due", "classroom__grade", "classroom__letter")
    )
    year = years.start_year_for(today)

    def who(row: dict[str, Any], single: bool) -> str:
        if not row["classroom_id"]:
            return "учителя и кабинеты"
        name = f"{row['classroom__grade']} {row['classroom__letter']}".strip()
        old = row["classroom__year_id"] != year  # last year's 5 А is this year's 6 А
        if single:
            name += " класс"
            return name + (
                f" {years.short_label(row['classroom__year_id'])} учебного года" if old else ""
            )
        return name + (f" ({years.short_label(row['classroom__year_id'])})" if old else "")

    # One task per school and kind — a school of eleven classes gets one line, not eleven.
    groups: dict[tuple[int, bool], list[Any]] = {}
    for row in in_hands:
        groups.setdefault((row["school_id"], bool(row["late"])), []).append(row)
    for (school_id, late), rows in sorted(groups.items(), key=lambda g: (not g[0][1], g[0][0])):
        single = len(rows) == 1
        listed = ", ".join(who(r, single) for r in rows)
        if late:
            url = reverse("circulation_debtors", args=[school_id])
            if single and rows[0]["classroom_id"]:
                url += f"?class={rows[0]['classroom_id']}"
            copies = sum(r["late"] for r in rows)
            title = "Собрать учебники, не сданные в срок" + (f": {listed}" if single else "")
            note = f"не сдано {copies} экз." + ("" if single else f": {listed}")
        else:
            if single and rows[0]["classroom_id"]:
                url = reverse("circulation_class", args=[rows[0]["classroom_id"]])
            elif single:
                url = reverse("circulation_staff", args=[school_id])
            else:
                url = reverse("circulation_school", args=[school_id]) + f"?year={year}"
            copies = sum(r["held"] for r in rows)
            title = "Принять учебники" + (f": {listed}" if single else " у классов")
            note = f"на руках {copies} экз." + ("" if single else f": {listed}")
        due = min(r["due"] for r in rows)
        tasks.append(Task(named(title, school_id), url, due, note, late, section))
    lost = (
        Loan.objects.filter(school_id__in=ids, status=Loan.Status.LOST)
        .values("school_id")
        .annotate(held=Sum("copies"))
        .order_by("school_id")
    )
    for lost_row in lost:
        tasks.append(
            Task(
                named("Оформить утерянные учебники: замена или списание", lost_row["school_id"]),
                reverse("circulation_lost", args=[lost_row["school_id"]]),
                note=f"ждут акта: {lost_row['held']} экз.",
                section=section,
            )
        )
    # The new academic year: its classes made (promotion) and their sets issued by the
    # first of September. Only a school that keeps classes here is asked.
    starts = dt.date(year, 9, 1)
    classes = list(
        Classroom.objects.filter(school_id__in=ids, year_id__in=[year - 1, year])
        .annotate(
            has_set=Exists(
                Curriculum.objects.filter(
                    school_id=OuterRef("school_id"), grade=OuterRef("grade"), year_id__lte=year
                )
            ),
            issued=Exists(Loan.objects.filter(classroom_id=OuterRef("pk"), year_id=year)),
        )
        .order_by("grade", "letter")
    )
    for school_id in names:
        this_year = [c for c in classes if c.school_id == school_id and c.year_id == year]
        if not this_year:
            if any(c.school_id == school_id and c.year_id == year - 1 for c in classes):
                url = reverse("circulation_promote", args=[school_id]) + f"?year={year - 1}"
                tasks.append(
                    Task(
                        named(f"Перевести классы на {years.label(year, 'acc')}", school_id),
                        url,
                        starts,
                        "классов этого года ещё нет",
                        starts < today,
                        section,
                    )
                )
            continue
        waiting = [c.name for c in this_year if c.has_set and not c.issued]
        if waiting:
            url = reverse("circulation_school", args=[school_id]) + f"?year={year}"
            shown = ", ".join(waiting[:8]) + (" …" if len(waiting) > 8 else "")
            tasks.append(
                Task(
                    named(f"Выдать комплекты учебников на {years.label(year, 'acc')}", school_id),
                    url,
                    starts,
                    f"не выданы: {shown}",
                    starts < today,
                    section,
                )
            )
    return tasks


Source = Callable[[Any, Any, dt.date], list[Task]]
# In the order the home page shows them.
SOURCES: list[Source] = [orders, stocktake, circulation, transfers, consultations, plan, events]


def tasks_for(user: User, district: Any, today: dt.date | None = None) -> list[Task]:
    today = today or timezone.localdate()
    result: list[Task] = []
    for source in SOURCES:
        result.extend(source(user, district, today))
    return result
