"""The fund's reports as XLSX workbooks (the same figures as on screen)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse

from bibliomo.directory.models import District, School
from bibliomo.fund import calc, reports
from bibliomo.fund.models import Source
from bibliomo.fund.reports import CardLine
from bibliomo.lib import years
from bibliomo.lib.tables import Sheet, xlsx_response
from bibliomo.textbooks.models import FederalListEntry


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


KSU_PART1 = [
    "Дата записи", "№ записи", "Источник поступления", "Поставщик",
    "Сопроводительный документ", "№ документа", "Дата документа",
    "Поступило всего, экз.", "На сумму, руб.",
    "В т. ч. учебники, экз.", "Учебники, руб.",
    "Учебные пособия, экз.", "Учебные пособия, руб.",
]  # fmt: skip
KSU_PART2 = [
    "Дата записи", "№ записи", "№ акта", "Дата акта", "Выбыло всего, экз.", "На сумму, руб.",
    *(f"{label}, экз." for _key, label in reports.REASON_COLUMNS),
    "В т. ч. учебники, экз.", "Учебные пособия, экз.",
]  # fmt: skip
KSU_PART3 = [
    "Итоги движения", "Всего, экз.", "Всего, руб.", "Учебники, экз.", "Учебники, руб.",
    "Учебные пособия, экз.", "Учебные пособия, руб.",
]  # fmt: skip
CARD_HEADER = [
    "Дата", "Документ", "№ записи в КСУ", "Год поступления", "Цена, руб.", "Поступило, экз.",
    "Выбыло, экз.", "Сумма, руб.", "Остаток, экз.",
]  # fmt: skip
_TEXTBOOK, _AID = (kind.value for kind in reports.KINDS)


def accompanying(doc) -> tuple[str, str, dt.date | None]:
    """(document, number, date) of a receipt; the opening balance has no document."""
    if doc.source == Source.OPENING:
        return "Остаток на начало учёта", "", None
    if doc.reverses_id:
        return f"Сторно: {doc.reverses}", doc.number, doc.date
    return doc.basis or "Накладная", doc.number, doc.date


def ksu_xlsx(report: reports.Ksu) -> HttpResponse:
    caption = [
        f"Книга суммарного учёта учебного фонда за {report.year} год",
        report.school.full_name,
    ]
    receipts: list[list] = []
    for ln in report.receipts:
        name, number, day = accompanying(ln.document)
        kinds = ln.by_kind
        receipts.append([
            ln.document.date, ln.number, ln.source_label, ln.document.supplier, name, number,
            day, ln.copies, ln.amount, kinds[_TEXTBOOK].copies, kinds[_TEXTBOOK].amount,
            kinds[_AID].copies, kinds[_AID].amount,
        ])  # fmt: skip
    got = report.received_by_kind
    receipts.append(["Итого за год", None, None, None, None, None, None,
                     report.received.copies, report.received.amount,
                     got[_TEXTBOOK].copies, got[_TEXTBOOK].amount,
                     got[_AID].copies, got[_AID].amount])  # fmt: skip
    disposals: list[list] = []
    for ln in report.disposals:
        disposals.append([
            ln.document.date, ln.number, ln.document.number, ln.document.date, ln.copies,
            ln.amount, *ln.by_reason, ln.by_kind[_TEXTBOOK].copies, ln.by_kind[_AID].copies,
        ])  # fmt: skip
    gone = report.disposed_by_kind
    disposals.append(["Итого за год", None, None, None, report.disposed.copies,
                      report.disposed.amount, *report.disposed_by_reason, gone[_TEXTBOOK].copies,
                      gone[_AID].copies])  # fmt: skip
    totals = [
        [label, total.copies, total.amount, kinds[_TEXTBOOK].copies, kinds[_TEXTBOOK].amount,
         kinds[_AID].copies, kinds[_AID].amount]
        for label, total, kinds in report.movement()
    ]  # fmt: skip
    return xlsx_response(
        f"КСУ {report.school.short_name} {report.year}.xlsx",
        [
            Sheet("Часть 1. Поступление", KSU_PART1, receipts, caption,
                  [11, 8, 22, 22, 24, 10, 11, 11, 13, 11, 13, 11, 13], landscape=True),
            Sheet("Часть 2. Выбытие", KSU_PART2, disposals, caption,
                  [11, 8, 10, 11, 10, 13, 10, 11, 11, 9, 11, 10, 8, 11, 11], landscape=True),
            Sheet("Часть 3. Итоги движения", KSU_PART3, totals, caption,
                  [28, 11, 14, 11, 14, 11, 14], landscape=True),
        ],
    )  # fmt: skip


def card_xlsx(school: School, entry: FederalListEntry, lines: list[CardLine]) -> HttpResponse:
    rows = [
        [ln.date, str(ln.document), ln.ksu_label, ln.receipt_year, ln.price,
         ln.received or None, ln.disposed or None, ln.amount, ln.balance]
        for ln in lines
    ]  # fmt: skip
    return xlsx_response(
        f"Учётная карточка {entry.key}.xlsx",
        [
            Sheet(
                "Учётная карточка",
                CARD_HEADER,
                rows,
                ["Учётная карточка учебника", f"{entry.number} {entry.citation}",
                 school.full_name],
                [11, 36, 18, 11, 11, 11, 10, 13, 11],
                landscape=True,
            )
        ],
    )  # fmt: skip


def school_provision_xlsx(
    school: School, year: int, total: calc.Provision | None, rows: list[dict]
) -> HttpResponse:
    data = [
        [r["pair"].grade, r["pair"].subject, r["pair"].students, r["next_students"],
         r["pair"].copies, _pct(r["pair"].percent), r["pair"].shortage, r["pair"].surplus]
        for r in rows
    ]  # fmt: skip
    if total is not None:
        data.append(["Итого", None, total.students, None, total.covered, _pct(total.percent)])
    header = ["Класс", "Предмет", "Обучающихся", f"Прогноз на {years.short_label(year + 1)}",
              "Комплектов", "Обеспеченность, %", "Не хватает", "Излишек"]  # fmt: skip
    return xlsx_response(
        f"Книгообеспеченность {school.short_name} {years.short_label(year)}.xlsx",
        [
            Sheet(
                "Книгообеспеченность",
                header,
                data,
                [f"Книгообеспеченность на {years.label(year, 'acc')}", school.full_name],
                [8, 28, 13, 14, 12, 16, 12, 10],
            )
        ],
    )


def district_provision_xlsx(
    district: District, year: int, total: calc.Provision, rows: list[dict]
) -> HttpResponse:
    data = [
        [r["school"].short_name, r["prov"].students, r["prov"].covered, r["shortage"],
         _pct(r["prov"].percent)]
        for r in rows
    ]  # fmt: skip
    data.append(["Итого по району", total.students, total.covered,
                 total.students - total.covered, _pct(total.percent)])  # fmt: skip
    return xlsx_response(
        f"Книгообеспеченность {district.name} {years.short_label(year)}.xlsx",
        [
            Sheet(
                "По школам",
                ["Школа", "Потребность (ученико-предметы)", "Обеспечено", "Не хватает",
                 "Обеспеченность, %"],
                data,
                [f"Книгообеспеченность на {years.label(year, 'acc')}", district.name],
                [36, 20, 14, 14, 16],
            )
        ],
    )  # fmt: skip
