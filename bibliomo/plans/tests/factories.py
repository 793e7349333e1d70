"""Small builders for plan tests."""

from __future__ import annotations

from bibliomo.directory.models import AcademicYear
from bibliomo.plans import timing as tm
from bibliomo.plans.models import PlanItem, PlanSection, WorkPlan


def make_plan(district, start_year: int = 2021, **extra) -> WorkPlan:
    return WorkPlan.objects.create(
        district=district,
        year=AcademicYear.open(start_year),
        title=extra.pop("title", f"План работы ММО на {start_year}-{start_year + 1} учебный год"),
        theme=extra.pop("theme", "Тема года"),
        goal=extra.pop("goal", "Цель года"),
        tasks=extra.pop("tasks", "- первая задача\n- вторая задача"),
        **extra,
    )


def make_section(plan: WorkPlan, title: str = "Организационные мероприятия", **extra):
    order = extra.pop("order", plan.sections.count())
    return PlanSection.objects.create(plan=plan, title=title, order=order, **extra)


def make_item(section: PlanSection, content: str = "Заседание ММО", **extra) -> PlanItem:
    when = extra.pop("timing", tm.Timing(tm.YEAR))
    item = PlanItem(
        section=section,
        content=content,
        number=extra.pop("number", str(section.items.count() + 1)),
        order=extra.pop("order", section.items.count()),
        **extra,
    )
    item.timing = when
    item.save()
    return item
