"""The year-end analysis («Анализ работы ММО за … учебный год») built from stored records.

Every section takes its figures from the app that keeps them, with a fixed number of
queries; a summary in plain Russian (plural forms through the catalogue) opens it, and
the previous year's figure is given where there is one. Sections whose source app is not
installed say so plainly instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import ngettext

from bibliomo.directory.models import AcademicYear, District
from bibliomo.lib import years

NO_DATA = "нет данных"
MONTHS = [
    "сентябрь", "октябрь", "ноябрь", "декабрь", "январь", "февраль",
    "март", "апрель", "май", "июнь", "июль", "август",
]  # fmt: skip


def n(count: int, one: str, few: str) -> str:
    """«5 заседаний»: the catalogue holds the three forms of each word."""
    return ngettext(f"%(count)s {one}", f"%(count)s {few}", count) % {"count": num(count)}


def num(value: float | int | Decimal | None, digits: int = 1) -> str:
    """Decimal comma and a non-breaking space for thousands."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0")
    text = f"{float(value):,.{digits}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _date(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date()
    return f"{day:%d.%m.%Y}"


def _compare(now: int, before: int | None, what: str = "") -> str:
    """« (в прошлом году — 3)» when last year's figure is known."""
    if not before:  # nothing recorded last year: no comparison to make
        return ""
    return f" (в прошлом году{(' ' + what) if what else ''} — {num(before)})"


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Section:
    key: str
    title: str
    summary: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: dict[str, float | int | None] = field(default_factory=dict)
    available: bool = True


@dataclass
class Analysis:
    district: District
    start_year: int
    sections: list[Section]
    plan: object | None = None

    @property
    def title(self) -> str:
        return f"Анализ работы ММО за {years.label(self.start_year, 'acc')}"

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _moments(start_year: int) -> tuple[dt.datetime, dt.datetime]:
    return (
        timezone.make_aware(dt.datetime(start_year, 9, 1)),
        timezone.make_aware(dt.datetime(start_year + 1, 9, 1)),
    )


# --- 1. the plan -----------------------------------------------------------------------

STATUS_WORDS = {"done": "выполнено", "partly": "выполнено частично", "not": "не выполнено"}


def execution_state(latest_status: str | None) -> str:
    """done / partly / not from the item's latest execution record."""
    if latest_status == "done":
        return "done"
    if latest_status in ("in_progress", "postponed"):
        return "partly"
    return "not"


def plan_section(district: District, start_year: int) -> tuple[Section, object | None]:
    from bibliomo.plans.models import PlanItem, PlanItemExecution, WorkPlan

    section = Section("plan", "Выполнение плана работы")
    plan = WorkPlan.objects.filter(district=district, year__start_year=start_year).first()
    if plan is None:
        section.available = False
        section.summary = [f"План работы на этот год в системе не найден — {NO_DATA}."]
        return section, None
    items = list(
        PlanItem.objects.filter(section__plan=plan, parent__isnull=True)
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    records: dict[int, list] = defaultdict(list)
    for record in PlanItemExecution.objects.filter(item__in=items).order_by(
        "item_id", "-date", "-created_at", "-pk"
    ):
        records[record.item_id].append(record)
    counts: Counter[str] = Counter()
    rows = []
    for item in items:
        mine = records.get(item.pk, [])
        state = execution_state(mine[0].status if mine else None)
        counts[state] += 1
        dates = sorted({r.date for r in mine})
        evidence = []
        for r in mine[:3]:
            bits = [r.note.strip()] if r.note.strip() else []
            if r.indicator_value is not None:
                bits.append(f"показатель: {r.indicator_value}")
            if r.evidence_url and not r.source_id:  # a linked object is named by its note
                bits.append(r.evidence_url)
            if r.evidence_file:
                bits.append("файл-подтверждение")
            if bits:
                evidence.append("; ".join(bits))
        rows.append(
            [
                item.number,
                item.content,
                STATUS_WORDS[state],
                ", ".join(_date(d) for d in dates[-3:]) or "—",
                "; ".join(evidence) or "—",
            ]
        )
    total = len(items)
    percent = round(100 * counts["done"] / total) if total else 0
    section.summary = [
        f"Тема: {plan.theme}" if plan.theme else "",
        f"Цель: {plan.goal}" if plan.goal else "",
    ]
    section.summary = [s for s in section.summary if s]
    if plan.task_list:
        section.summary.append("Задачи:")
        section.summary += [f"– {task.rstrip(' ;.')};" for task in plan.task_list]
        section.summary[-1] = section.summary[-1].rstrip(";") + "."
    section.summary.append(
        f"В плане {n(total, 'пункт', 'пункта')}: выполнено — {counts['done']}, "
        f"выполнено частично — {counts['partly']}, не выполнено — {counts['not']} "
        f"({percent} % пунктов выполнено)."
    )
    section.figures = {"items": total, **{k: counts[k] for k in STATUS_WORDS}, "percent": percent}
    section.tables = [Table(["№ п/п", "Содержание", "Выполнение", "Даты", "Подтверждение"], rows)]
    return section, plan


# --- 2. meetings, 3. webinars and other events -----------------------------------------


def _events(district: District, start_year: int):
    from bibliomo.events.models import Event

    first, last = _moments(start_year)
    return (
        Event.objects.filter(district=district, starts_at__gte=first, starts_at__lt=last)
        .exclude(status=Event.Status.CANCELLED)
        .annotate(present=Count("registrations", filter=Q(registrations__attended=True)))
        .order_by("starts_at")
    )


def meetings_section(district: District, start_year: int) -> Section:
    from bibliomo.events.models import AgendaItem, Event

    section = Section("meetings", "Заседания ММО")
    meetings = list(
        _events(district, start_year).filter(kind=Event.Kind.MEETING).select_related("minutes")
    )
    agenda: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in (
        AgendaItem.objects.filter(event__in=meetings)
        .select_related("speaker", "speaker__school")
        .order_by("event_id", "order", "pk")
    ):
        agenda[item.event_id].append(item)
    held = [m for m in meetings if m.status == Event.Status.HELD]
    before = (
        _events(district, start_year - 1)
        .filter(kind=Event.Kind.MEETING, status=Event.Status.HELD)
        .count()
    )
    talks = sum(len(agenda[m.pk]) for m in meetings)
    speakers = {a.speaker_id or a.speaker_name for m in meetings for a in agenda[m.pk]}
    present = [m.present for m in held if m.present]
    if not meetings:
        section.summary = [f"Заседаний за год не было{_compare(0, before or None)}."]
        section.figures = {"meetings": 0}
        return section
    text = (
        f"Проведено {n(len(held), 'заседание', 'заседания')}{_compare(len(held), before)}"
        f"; на них прозвучало {n(talks, 'выступление', 'выступления')}, "
        f"выступали {n(len(speakers), 'человек', 'человека')}."
    )
    if present:
        text += f" В среднем присутствовало {num(sum(present) / len(present))} человека."
    planned = len(meetings) - len(held)
    if planned:
        text += f" Ещё {n(planned, 'заседание', 'заседания')} не отмечено проведённым."
    section.summary = [text]
    section.figures = {
        "meetings": len(held),
        "talks": talks,
        "speakers": len(speakers),
        "average_present": round(sum(present) / len(present), 1) if present else None,
        "previous": before,
    }
    rows = []
    for m in meetings:
        topics = "; ".join(
            f"{a.topic} — {a.speaker_short}" if a.speaker_short else a.topic for a in agenda[m.pk]
        )
        minutes = getattr(m, "minutes", None)
        rows.append(
            [
                _date(m.starts_at),
                m.title + (f" (протокол № {minutes.number})" if minutes else ""),
                topics or "—",
                str(m.present) if m.present else "—",
            ]
        )
    section.tables = [
        Table(["Дата", "Заседание", "Повестка и выступающие", "Присутствовали"], rows)
    ]
    return section


def events_section(district: District, start_year: int) -> Section:
    from bibliomo.events.models import Event

    section = Section("webinars", "Вебинары, семинары и другие мероприятия")
    events = list(_events(district, start_year).exclude(kind=Event.Kind.MEETING))
    before = _events(district, start_year - 1).exclude(kind=Event.Kind.MEETING).count()
    webinars = [e for e in events if e.kind == Event.Kind.WEBINAR]
    participations = sum(e.present for e in events)
    webinar_participations = sum(e.present for e in webinars)
    if not events:
        section.summary = [
            f"Вебинаров и других мероприятий за год не было{_compare(0, before or None)}."
        ]
        section.figures = {"events": 0, "webinars": 0, "participations": 0}
        return section
    section.summary = [
        f"За год — {n(len(events), 'мероприятие', 'мероприятия')}{_compare(len(events), before)}, "
        f"из них {n(len(webinars), 'вебинар', 'вебинара')}. "
        f"Отмечено {n(participations, 'участие', 'участия')} библиотекарей, "
        f"в том числе в вебинарах — {webinar_participations}."
    ]
    section.figures = {
        "events": len(events),
        "webinars": len(webinars),
        "participations": participations,
        "webinar_participations": webinar_participations,
        "previous": before,
    }
    section.tables = [
        Table(
            ["Дата", "Вид", "Мероприятие", "Организатор", "Участников"],
            [
                [_date(e.starts_at), e.get_kind_display(), e.title, e.get_organiser_display(),
                 str(e.present) if e.present else "—"]
                for e in events
            ],
        )
    ]  # fmt: skip
    return section


# --- 4. consultations ------------------------------------------------------------------


def consultations_section(district: District, start_year: int) -> Section:
    from bibliomo.consultations.models import Category, Consultation
    from bibliomo.consultations.workdays import is_working_day

    def working_days_between(start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to ``end``: an answer the next working day is 1."""
        days, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            days += is_working_day(day)
        return days

    section = Section("consultations", "Консультации")
    first, last = _moments(start_year)
    rows = list(
        Consultation.objects.filter(
            district=district, created_at__gte=first, created_at__lt=last
        ).values_list("category", "created_at", "answered_at")
    )
    before = Consultation.objects.filter(
        district=district, created_at__gte=_moments(start_year - 1)[0], created_at__lt=first
    ).count()
    if not rows:
        section.summary = [f"Консультаций за год не было{_compare(0, before or None)}."]
        section.figures = {"total": 0}
        return section
    by_category: Counter[str] = Counter(c for c, _, _ in rows)
    by_month: Counter[int] = Counter()
    answer_days: list[int] = []
    for _, created, answered in rows:
        local = timezone.localtime(created)
        by_month[(local.month - 9) % 12] += 1
        if answered:
            answer_days.append(
                working_days_between(local.date(), timezone.localtime(answered).date())
            )
    labels = dict(Category.choices)
    top = by_category.most_common(1)[0]
    text = (
        f"Поступило {n(len(rows), 'вопрос', 'вопроса')}{_compare(len(rows), before)}; "
        f"чаще всего спрашивали о теме «{labels.get(top[0], top[0])}» ({top[1]}). "
        f"Отвечено — {len(answer_days)}"
    )
    if answer_days:
        text += (
            f", в среднем за {num(sum(answer_days) / len(answer_days))} рабочего дня "
            f"(самый долгий ответ — {n(max(answer_days), 'день', 'дня')})"
        )
    section.summary = [text + "."]
    section.figures = {
        "total": len(rows),
        "answered": len(answer_days),
        "average_days": round(sum(answer_days) / len(answer_days), 1) if answer_days else None,
        "previous": before,
    }
    section.tables = [
        Table(
            ["Тема", "Вопросов"],
            [
                [label, str(by_category[value])]
                for value, label in Category.choices
                if by_category[value]
            ],
            "По темам",
        ),
        Table(
            ["Месяц", "Вопросов"],
            [[MONTHS[i], str(by_month[i])] for i in range(12) if by_month[i]],
            "По месяцам",
        ),
    ]  # fmt: skip
    return section


# --- 5. publications, 6. informing and partners ----------------------------------------


def publications_section(district: District, start_year: int) -> Section:
    from bibliomo.bulletin.models import Publication
    from bibliomo.bulletin.services import publication_stats

    section = Section("publications", "Публикации участников ММО")
    stats = publication_stats(district.pk, start_year)
    before = publication_stats(district.pk, start_year - 1).total
    venues = dict(Publication.Venue.choices)
    if not stats.total:
        section.summary = [f"Публикаций за год не было{_compare(0, before or None)}."]
        section.figures = {"total": 0}
        return section
    section.summary = [
        f"За год — {n(stats.total, 'публикация', 'публикации')} участников ММО"
        f"{_compare(stats.total, before)}; авторов — {len(stats.by_author)}."
    ]
    section.figures = {"total": stats.total, "authors": len(stats.by_author), "previous": before}
    section.tables = [
        Table(["Где", "Публикаций"], [[venues.get(v, v), str(c)] for v, c in stats.by_venue]),
        Table(["Автор", "Публикаций"], [[u.short_name, str(c)] for u, c in stats.by_author]),
    ]
    return section


def informing_section(district: District, start_year: int) -> Section:
    from bibliomo.bulletin.models import JointEvent, News, Newsletter, Partner

    section = Section("informing", "Информирование и социальное партнёрство")
    first, last = _moments(start_year)
    news = Counter(
        dict(
            News.objects.filter(district=district, published_at__gte=first, published_at__lt=last)
            .values_list("kind")
            .annotate(c=Count("pk"))
            .values_list("kind", "c")
        )
    )
    sent = Newsletter.objects.filter(
        district=district, sent_at__gte=first, sent_at__lt=last
    ).count()
    day_first, day_last = years.bounds(start_year)
    joint = list(
        JointEvent.objects.filter(partner__district=district, date__range=(day_first, day_last))
        .select_related("partner")
        .order_by("date")
    )
    partners = Partner.objects.filter(district=district).count()
    total_news = sum(news.values())
    kinds = dict(News.Kind.choices)
    section.summary = [
        f"Новостей и объявлений за год — {num(total_news)}"
        + (
            " (" + ", ".join(f"{kinds[k].lower()} — {c}" for k, c in news.most_common()) + ")"
            if news
            else ""
        )
        + f", рассылок участникам ММО — {num(sent)}. "
        f"Социальных партнёров — {num(partners)}, совместных мероприятий за год — {len(joint)}."
    ]
    section.figures = {
        "news": total_news,
        "newsletters": sent,
        "partners": partners,
        "joint_events": len(joint),
    }
    if joint:
        section.tables = [
            Table(
                ["Дата", "Партнёр", "Мероприятие", "Участников"],
                [
                    [_date(j.date), j.partner.name, j.title, str(j.participants or "—")]
                    for j in joint
                ],
            )
        ]
    return section


# --- 7. the fund: stocktake, provision and exchange, orders, circulation ----------------


def _optional(app: str, title: str, key: str, district: District, start_year: int) -> Section:
    """A section from an app that may not be installed: its own ``analysis.section``
    builds it; without the app the section says «нет данных»."""
    section = Section(key, title)
    if apps.is_installed(f"bibliomo.{app}"):
        try:
            from importlib import import_module

            built = import_module(f"bibliomo.{app}.analysis").section(district, start_year)
        except (ImportError, AttributeError):
            built = None
        if built is not None:
            return built
    section.available = False
    section.summary = [f"{title}: {NO_DATA}."]
    return section


def provision_section(district: District, start_year: int) -> Section:
    from bibliomo.exchange.models import ExchangePlan, Transfer
    from bibliomo.exchange.services import provision_change, summary

    section = Section("provision", "Обеспеченность учебниками и обменный фонд")
    plan = (
        ExchangePlan.objects.filter(
            district=district, year__start_year__in=[start_year + 1, start_year]
        )
        .select_related("year")
        .order_by("-year__start_year", "-pk")
        .first()
    )
    first, last = _moments(start_year)
    transfers = Counter(
        dict(
            Transfer.objects.filter(district=district, created_at__gte=first, created_at__lt=last)
            .values_list("status")
            .annotate(c=Count("pk"))
            .values_list("status", "c")
        )
    )
    if plan is None:
        section.available = False
        section.summary = [f"Плана обмена учебниками за этот год нет — {NO_DATA}."]
        return section
    changes = provision_change(plan)
    before = sum((c.before for c in changes.values()), start=_zero_provision())
    after = sum((c.after for c in changes.values()), start=_zero_provision())
    figures = summary(plan)
    from bibliomo.directory.models import School

    names = dict(School.objects.filter(pk__in=changes).values_list("pk", "short_name"))
    section.summary = [
        f"План обмена на {years.label(plan.year.start_year, 'acc')}: "
        f"обеспеченность района учебниками до обмена — {num(before.percent)} %, "
        f"после обмена — {num(after.percent)} %; планом предусмотрено передать "
        f"{n(figures['covered'], 'экземпляр', 'экземпляра')} "
        f"({n(figures['transfers'], 'передача', 'передачи')}), "
        f"не покрыто — {num(figures['uncovered'])}."
        + (f" Передач за год оформлено: {sum(transfers.values())}." if transfers else "")
    ]
    section.figures = {
        "before": round(before.percent, 1) if before.percent is not None else None,
        "after": round(after.percent, 1) if after.percent is not None else None,
        "covered": figures["covered"],
        "uncovered": figures["uncovered"],
    }
    section.tables = [
        Table(
            ["Школа", "До обмена, %", "После обмена, %"],
            [
                [names.get(pk, str(pk)), num(c.before.percent), num(c.after.percent)]
                for pk, c in sorted(changes.items(), key=lambda kv: names.get(kv[0], ""))
            ],
        )
    ]
    return section


def _zero_provision():
    from bibliomo.fund.calc import Provision

    return Provision(0, 0)


def orders_section(district: District, start_year: int) -> Section:
    from bibliomo.orders.models import OrderCampaign
    from bibliomo.orders.services import campaign_summary, consolidated

    section = Section("orders", "Заказ учебников")
    campaign = (
        OrderCampaign.objects.filter(
            district=district, target_year__start_year__in=[start_year + 1, start_year]
        )
        .select_related("target_year")
        .order_by("-target_year__start_year", "-pk")
        .first()
    )
    if campaign is None:
        section.available = False
        section.summary = [f"Кампании заказа учебников за этот год нет — {NO_DATA}."]
        return section
    counts = campaign_summary(campaign)
    total_orders = sum(counts.values())
    result = consolidated(campaign)
    section.summary = [
        f"Заказ учебников на {years.label(campaign.target_year.start_year, 'acc')}: "
        f"заказов школ — {num(total_orders)}; утверждено — {counts['approved']}, "
        f"подано — {counts['submitted']}, возвращено — {counts['returned']}, "
        f"в работе — {counts['draft'] + counts['not_started']}. "
        f"В поданных и утверждённых заказах — {n(result.quantity, 'экземпляр', 'экземпляра')} "
        f"на {num(result.total, 2)} руб."
    ]
    section.figures = {
        "orders": total_orders,
        "approved": counts["approved"],
        "copies": result.quantity,
        "sum": float(result.total),
    }
    return section


# --- 8. library statistics, 9. professional development --------------------------------


def library_section(district: District, start_year: int) -> Section:
    from bibliomo.stats.services import district_table

    section = Section("library", "Статистика школьных библиотек")
    table = district_table(district, AcademicYear.get(start_year))
    t, p = table.totals, table.previous_totals
    if not t.schools:
        section.available = False
        section.summary = [f"Ни одна школа не сдала статистику за этот год — {NO_DATA}."]
        return section
    ind = {i.name: i for i in t.indicators()}
    missing = table.missing
    text = (
        f"Сдали статистику: {n(t.schools, 'школа', 'школы')} из {len(table.rows)}"
        + (f" (не сдали: {', '.join(s.short_name for s in missing)})" if missing else "")
        + f". Читателей — {num(t.readers)}{_compare(t.readers, p.readers if p.schools else None)}, "
        f"посещений — {num(t.visits)}, книговыдача — {num(t.loans)}"
        f"{_compare(t.loans, p.loans if p.schools else None)}; фонд на конец года — "
        f"{n(t.fund['01']['held'], 'экземпляр', 'экземпляра')}, из них учебников — "
        f"{num(t.fund['02']['held'])}. Читаемость — {num(ind['Читаемость'].value, 2)}, "
        f"посещаемость — {num(ind['Посещаемость'].value, 2)}, "
        f"книгообеспеченность — {num(ind['Книгообеспеченность'].value, 2)}, "
        f"обновляемость фонда — {num(ind['Обновляемость фонда'].value, 2)} %."
    )
    section.summary = [text]
    section.figures = {
        "schools": t.schools,
        "readers": t.readers,
        "visits": t.visits,
        "loans": t.loans,
        "fund": t.fund["01"]["held"],
        **{i.name: i.value for i in t.indicators()},
    }
    rows = []
    for row in table.rows:
        if not row.submitted:
            rows.append([row.school.short_name, "не сдан", "", "", "", ""])
            continue
        r, im = row.report, row.indicator_map()
        rows.append(
            [
                row.school.short_name,
                num(r.readers),
                num(r.loans),
                num(row.values["01"]["held"]),
                num(im.get("Читаемость"), 2),
                num(im.get("Книгообеспеченность"), 2),
            ]
        )
    rows.append(
        ["Итого", num(t.readers), num(t.loans), num(t.fund["01"]["held"]),
         num(ind["Читаемость"].value, 2), num(ind["Книгообеспеченность"].value, 2)]
    )  # fmt: skip
    section.tables = [
        Table(
            ["Школа", "Читателей", "Книговыдача", "Фонд, экз.", "Читаемость",
             "Книгообеспеченность"],
            rows,
        )
    ]  # fmt: skip
    return section


def training_section(district: District, start_year: int) -> Section:
    from bibliomo.stats.models import Course
    from bibliomo.stats.services import training_table

    section = Section("training", "Повышение квалификации")
    rows = training_table(district, start_year)
    as_of = min(timezone.localdate(), years.bounds(start_year)[1])
    day_first, day_last = years.bounds(start_year)
    courses = list(
        Course.objects.filter(
            person__in=[r.person for r in rows], date_to__range=(day_first, day_last)
        )
        .select_related("person")
        .order_by("date_to")
    )
    people = {c.person_id for c in courses}
    hours = sum(c.hours for c in courses)
    outdated = [r for r in rows if r.outdated]
    webinars = sum(r.webinars for r in rows)
    section.summary = [
        f"Прошли курсы повышения квалификации: {n(len(people), 'библиотекарь', 'библиотекаря')} "
        f"из {len(rows)}, всего {n(hours, 'час', 'часа')} обучения. "
        f"Участий в вебинарах — {webinars}. "
        + (
            f"На {as_of:%d.%m.%Y} последние курсы окончены более трёх лет назад или не указаны: "
            f"{n(len(outdated), 'библиотекарь', 'библиотекаря')} "
            f"({', '.join(r.person.short_name for r in outdated)})."
            if outdated
            else "У всех библиотекарей курсы не старше трёх лет."
        )
    ]
    section.figures = {
        "trained": len(people),
        "librarians": len(rows),
        "hours": hours,
        "webinars": webinars,
        "outdated": len(outdated),
    }
    if courses:
        section.tables = [
            Table(
                ["Библиотекарь", "Курсы", "Организация", "Часов", "Окончание"],
                [
                    [c.person.short_name, c.title, c.organisation, str(c.hours), _date(c.date_to)]
                    for c in courses
                ],
            )
        ]  # fmt: skip
    return section


def build(district: District, start_year: int) -> Analysis:
    plan, plan_obj = plan_section(district, start_year)
    sections = [
        plan,
        meetings_section(district, start_year),
        events_section(district, start_year),
        consultations_section(district, start_year),
        publications_section(district, start_year),
        informing_section(district, start_year),
        _optional("stocktake", "Инвентаризация учебного фонда", "stocktake", district, start_year),
        provision_section(district, start_year),
        orders_section(district, start_year),
        _optional(
            "circulation", "Выдача учебников обучающимся", "circulation", district, start_year
        ),
        library_section(district, start_year),
        training_section(district, start_year),
    ]
    return Analysis(district, start_year, sections, plan_obj)
