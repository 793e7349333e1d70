"""The ministry's textbook-provision monitoring forms (1, 2.1, 2.2, 3, 4), filled from
stored data.

The forms report the real additional need, max(0, forecast need − usable copies) per
subject × grade: the order's reserve is the district's business and stays out of them.
Form 4 covers the write-offs of the previous calendar year (the 2025 monitoring asked for
«учебники, списанные в 2024 году»). Forms 2.1 and 2.2 are about the единые государственные
учебники (ЕГУ) of the schools' curricula: 2.1 how the current year is provided with them,
2.2 what the campaign's target year still needs, in copies and roubles. They read the
fund directly, not the orders: an ЕГУ is needed whether or not a school ordered it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from bibliomo.directory.models import District, School
from bibliomo.fund import services as fund
from bibliomo.fund.calc import CurriculumRow
from bibliomo.fund.models import Document, DocumentLine
from bibliomo.fund.models import Reason as WriteOffReason
from bibliomo.lib import tables, years
from bibliomo.orders import calc
from bibliomo.orders.models import (
    OrderCampaign,
    OrderLine,
)
from bibliomo.textbooks.models import FederalListEntry

# --- the federal monitoring forms ------------------------------------------------------


# The form's own reasons; any other is «иное» with the reason named in brackets.
FORM_REASON = {
    calc.GROWTH: "увеличение контингента",
    calc.LOST: "утрата",
    calc.DEFECTIVE: "дефектность",
}
OTHER_REASON = {
    calc.EXPIRED: "истечение предельного срока использования",
    calc.CHANGE: "смена учебника",
}
WRITEOFF_REASON = {
    WriteOffReason.LOST: "утрата",
    # A copy the stocktake did not find is lost: the form knows no other word for it.
    WriteOffReason.NOT_FOUND: "утрата",
    WriteOffReason.DEFECTIVE: "дефектность",
    WriteOffReason.EXPIRED: "истечение предельного срока использования",
}


def form_reason(reason: str) -> str:
    if reason in FORM_REASON:
        return FORM_REASON[reason]
    named = OTHER_REASON.get(reason)
    return f"иное ({named})" if named else "иное"


def writeoff_reason(reason: str) -> str:
    if reason in WRITEOFF_REASON:
        return WRITEOFF_REASON[reason]
    return f"иное ({WriteOffReason(reason).label})" if reason else "иное"


@dataclass
class FormRow:
    school_id: int
    subject: str
    grade: int | str
    students_now: int = 0
    students: int = 0  # forecast
    in_stock: int = 0
    additional: int = 0
    reasons: set[str] = field(default_factory=set)


def need_rows(
    campaign: OrderCampaign, school_ids: list[int], only_reason: str | None = None
) -> list[FormRow]:
    """Subject × grade rows of forms 1 and 3 for the schools' orders."""
    year = campaign.target_year_id
    data = fund.school_data(school_ids, year, campaign.district.lessons_end)
    now: dict[int, dict[int, int]] = defaultdict(dict)
    for school_id, grade, students in fund.Enrolment.objects.filter(
        school_id__in=school_ids, year_id=year - 1
    ).values_list("school_id", "grade", "students"):
        now[school_id][grade] = students
    lines = OrderLine.objects.filter(
        order__campaign=campaign, order__school_id__in=school_ids
    ).values_list("order__school_id", "entry_id", "usable", "incoming", "promised", "reason")
    rows: dict[tuple[int, str, int], FormRow] = {}
    for school_id, entry_id, usable, incoming, promised, reason in lines:
        if only_reason and reason != only_reason:
            continue
        d = data.get(school_id)
        curriculum = [r for r in d.rows if r.entry_id == entry_id] if d else []
        students = d.students if d else {}
        stock = max(0, usable - promised) + incoming
        if not curriculum:
            continue  # an entry added by hand has no grade of the curriculum to report
        subjects = {r.grade: r.subject for r in curriculum}
        grades = [(r.grade, r.copies_per_student) for r in curriculum]
        # The real shortfall, without the order's reserve or a librarian's rounding.
        need = sum(students.get(g, 0) * per for g, per in grades)
        split = calc.split_by_grade(grades, students, stock, calc.quantity(need, 0, stock))
        for g in split:
            key = (school_id, subjects[g.grade], g.grade)
            row = rows.get(key)
            if row is None:
                row = rows[key] = FormRow(
                    school_id,
                    subjects[g.grade],
                    g.grade,
                    now[school_id].get(g.grade, 0),
                    g.students,
                )
            row.in_stock += g.in_stock
            row.additional += g.additional
            if g.additional and reason:
                row.reasons.add(form_reason(reason))
    return sorted(rows.values(), key=lambda r: (r.school_id, r.subject, r.grade))


@dataclass
class WriteOffRow:
    school_id: int
    years_in_use: int
    reason: str
    copies: int = 0
    total: Decimal = Decimal(0)


def writeoff_rows(school_ids: list[int], year: int) -> list[WriteOffRow]:
    """Form 4: textbooks written off in the calendar year ``year``, by years in use and
    reason. Transfers to other schools and reversed acts are not write-offs."""
    start, finish = dt.date(year, 1, 1), dt.date(year, 12, 31)
    lines = (
        DocumentLine.objects.filter(
            document__school_id__in=school_ids,
            document__kind=Document.Kind.WRITEOFF,
            document__status=Document.Status.POSTED,
            document__date__range=(start, finish),
            document__reverses__isnull=True,
        )
        .exclude(document__reason__in=[WriteOffReason.TRANSFER, WriteOffReason.REVERSAL])
        .exclude(document__reversed_by__isnull=False)
        .values_list(
            "document__school_id",
            "document__date",
            "receipt_year",
            "document__reason",
            "copies",
            "price",
        )
    )
    rows: dict[tuple, WriteOffRow] = {}
    for school_id, date, receipt_year, reason, copies, price in lines:
        used = max(0, date.year - (receipt_year or date.year))
        label = writeoff_reason(reason)
        key = (school_id, used, label)
        row = rows.get(key) or rows.setdefault(key, WriteOffRow(school_id, used, label))
        row.copies += copies
        row.total += price * copies
    return sorted(rows.values(), key=lambda r: (r.school_id, r.years_in_use, r.reason))


FORM_TITLES = {
    1: "Форма 1. Учебники, подлежащие закупке в связи с истечением предельного срока использования",
    3: "Форма 3. Обеспеченность учебниками и дополнительная потребность на 1 сентября",
    4: "Форма 4. Учебники, списанные",
}
SCHOOL_COLUMNS = ["Орган управления образованием", "ИНН", "Образовательная организация"]


def _thousands(value: Decimal) -> float:
    return float((value / 1000).quantize(Decimal("0.001")))


def monitoring_form(campaign: OrderCampaign, number: int, schools: list[School]) -> tables.Sheet:
    """One of the monitoring forms 1, 3, 4 for the given schools, with a totals row. The
    first three columns name the school (hidden in a single school's form)."""
    by_id = {s.pk: s for s in schools}
    ids = list(by_id)
    body = campaign.district.education_department or campaign.district.name

    def who(school_id: int) -> list[Any]:
        s = by_id[school_id]
        return [body, s.inn, s.full_name]

    year = campaign.target_year_id
    if number in (1, 3):
        rows = need_rows(campaign, ids, calc.EXPIRED if number == 1 else None)
        if number == 1:
            header = [
                "Предмет",
                "Класс",
                "Контингент (прогноз), чел.",
                "Учебники в наличии, шт. (1 комплект = 1 шт.)",
                "Дополнительная потребность, шт.",
            ]
            data = [
                [*who(r.school_id), r.subject, r.grade, r.students, r.in_stock, r.additional]
                for r in rows
            ]
            totals = [
                "Итого",
                "",
                "",
                "",
                "",
                sum(r.students for r in rows),
                sum(r.in_stock for r in rows),
                sum(r.additional for r in rows),
            ]
        else:
            header = [
                "Учебный предмет (курс)",
                "Класс",
                "Обучающихся сейчас, чел.",
                "Прогноз, чел.",
                "В наличии, шт.",
                "Дополнительная потребность, шт.",
                "Причина",
            ]
            data = [
                [
                    *who(r.school_id),
                    r.subject,
                    r.grade,
                    r.students_now,
                    r.students,
                    r.in_stock,
                    r.additional,
                    ", ".join(sorted(r.reasons)),
                ]
                for r in rows
            ]
            totals = [
                "Итого",
                "",
                "",
                "",
                "",
                sum(r.students_now for r in rows),
                sum(r.students for r in rows),
                sum(r.in_stock for r in rows),
                sum(r.additional for r in rows),
                "",
            ]
        caption_year = f"на {years.label(year, 'acc')}"
    elif number == 4:
        # The monitoring of the target year's spring asks for the calendar year before.
        written_in = year - 1
        wrows = writeoff_rows(ids, written_in)
        header = [
            "Лет использования",
            "Списано, шт.",
            "Причина",
            "Сумма, тыс. руб.",
        ]
        data = [
            [
                *who(r.school_id),
                r.years_in_use,
                r.copies,
                r.reason,
                _thousands(r.total),
            ]
            for r in wrows
        ]
        totals = [
            "Итого",
            "",
            "",
            "",
            sum(r.copies for r in wrows),
            "",
            _thousands(sum((r.total for r in wrows), Decimal(0))),
        ]
        caption_year = f"в {written_in} году"  # «списанные в 2025 году»
    else:
        raise ValueError(number)
    title = FORM_TITLES[number]
    title += f" {caption_year}" if number == 4 else f" ({caption_year})"
    caption = [title, campaign.district.name]
    if len(schools) == 1:
        caption.append(schools[0].full_name)
    return tables.Sheet(
        f"Форма {number}",
        [*SCHOOL_COLUMNS, *header],
        [*data, totals],
        caption,
        widths=[24, 12, 36, 28, 8, 16, 16, 16, 16, 20][: len(SCHOOL_COLUMNS) + len(header)],
        # The district's form has thousands of rows: landscape, one page wide.
        landscape=True,
        hidden=range(len(SCHOOL_COLUMNS)) if len(schools) == 1 else (),
    )


def monitoring_workbook(campaign: OrderCampaign, number: int, schools: list[School]):
    return tables.workbook([monitoring_form(campaign, number, schools)])


# --- forms 2.1 and 2.2: the единые государственные учебники ---------------------------


@dataclass
class UnifiedRow:
    school_id: int
    subject: str
    grade: int
    entry: FederalListEntry
    students: int
    in_stock: int  # usable copies given to this grade, lowest grade first
    need: int  # max(0, students × copies per student − in_stock)

    @property
    def total(self) -> Decimal:
        return (self.entry.price or Decimal(0)) * self.need


def unified_rows(district: District, school_ids: list[int], year: int) -> list[UnifiedRow]:
    """Subject × grade × ЕГУ rows of the schools' curricula for the academic year ``year``:
    its students (entered, else the cohort forecast) and the copies usable in it — the
    same cut-off (the district's end of lessons) as forms 1 and 3."""
    unified = {e.pk: e for e in FederalListEntry.objects.filter(is_unified=True)}
    if not unified or not school_ids:
        return []
    data = fund.school_data(school_ids, year, district.lessons_end)
    rows: list[UnifiedRow] = []
    for school_id, d in data.items():
        by_entry: dict[int, list[CurriculumRow]] = defaultdict(list)
        for r in d.rows:
            if r.entry_id in unified:
                by_entry[r.entry_id].append(r)
        for entry_id, curriculum in by_entry.items():
            subjects = {r.grade: r.subject for r in curriculum}
            grades = [(r.grade, r.copies_per_student) for r in curriculum]
            stock = d.usable.get(entry_id, 0)
            need = sum(d.students.get(g, 0) * per for g, per in grades)
            for g in calc.split_by_grade(grades, d.students, stock, calc.quantity(need, 0, stock)):
                rows.append(
                    UnifiedRow(
                        school_id,
                        subjects[g.grade],
                        g.grade,
                        unified[entry_id],
                        g.students,
                        g.in_stock,
                        g.additional,
                    )
                )
    return sorted(rows, key=lambda r: (r.school_id, r.subject, r.grade, r.entry.key))


UNIFIED_TITLES = {
    1: "Форма 2.1. Обеспеченность едиными государственными учебниками по предметам и классам",
    2: "Форма 2.2. Потребность в единых государственных учебниках на следующий учебный год",
}


def unified_year(campaign: OrderCampaign, part: int) -> int:
    """2.1 is about the year now running, 2.2 about the campaign's target year."""
    return campaign.target_year_id - 1 if part == 1 else campaign.target_year_id


def unified_form(campaign: OrderCampaign, part: int, schools: list[School]) -> tables.Sheet:
    """Form 2.1 (``part`` 1) or 2.2 (``part`` 2) for the given schools, with a totals row;
    the school columns as in the other forms."""
    if part not in UNIFIED_TITLES:
        raise ValueError(part)
    by_id = {s.pk: s for s in schools}
    body = campaign.district.education_department or campaign.district.name
    year = unified_year(campaign, part)
    rows = unified_rows(campaign.district, list(by_id), year)

    def who(r: UnifiedRow) -> list[Any]:
        s = by_id[r.school_id]
        return [body, s.inn, s.full_name, r.subject, r.grade, r.entry.citation]

    if part == 1:
        header = [
            "Предмет",
            "Класс",
            "Наименование ЕГУ",
            "Обучающихся, чел.",
            "В наличии пригодных ЕГУ, шт.",
            "Потребность, шт.",
        ]
        data = [[*who(r), r.students, r.in_stock, r.need] for r in rows]
        totals: list[Any] = [
            "Итого", "", "", "", "", "",
            sum(r.students for r in rows), sum(r.in_stock for r in rows), sum(r.need for r in rows),
        ]  # fmt: skip
        caption_year = years.label(year, "nom")
    else:
        header = ["Предмет", "Класс", "Наименование ЕГУ", "Количество, шт.", "Сумма, руб."]
        data = [[*who(r), r.need, r.total] for r in rows]
        totals = [
            "Итого", "", "", "", "", "",
            sum(r.need for r in rows), sum((r.total for r in rows), Decimal(0)),
        ]  # fmt: skip
        caption_year = f"на {years.label(year, 'acc')}"
    caption = [f"{UNIFIED_TITLES[part]} ({caption_year})", campaign.district.name]
    if len(schools) == 1:
        caption.append(schools[0].full_name)
    columns = [*SCHOOL_COLUMNS, *header]
    return tables.Sheet(
        f"Форма 2.{part}",
        columns,
        [*data, totals],
        caption,
        widths=[24, 12, 36, 24, 8, 40, 16, 16, 16][: len(columns)],
        money=[len(columns) - 1] if part == 2 else [],
        landscape=True,
        hidden=range(len(SCHOOL_COLUMNS)) if len(schools) == 1 else (),
    )


def unified_workbook(campaign: OrderCampaign, part: int, schools: list[School]) -> Workbook:
    return tables.workbook([unified_form(campaign, part, schools)])
