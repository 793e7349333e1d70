"""The fund's reports as XLSX workbooks (the same figures as on screen)."""

from __future__ import annotations

from django.http import HttpResponse

from bibliomo.directory.models import District, School
from bibliomo.fund import calc
from bibliomo.fund.reports import CardLine, Ksu
from bibliomo.lib import years
from bibliomo.lib.tables import Sheet, xlsx_response
from bibliomo.textbooks.models import FederalListEntry


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def ksu_xlsx(report: Ksu) -> HttpResponse:
    caption = [
        f"Книга суммарного учёта учебного фонда за {report.year} год",
        report.school.full_name,
    ]
    receipts = [
        [
            i,
            ln.document.date,
            ln.document.get_source_display(),
            ln.document.number,
            ln.document.basis,
            ln.document.supplier,
            ln.copies,
            float(ln.amount),
        ]
        for i, ln in enumerate(report.receipts, 1)
    ]
    receipts.append(["Итого", None, None, None, None, None, report.received.copies,
                     float(report.received.amount)])  # fmt: skip
    disposals = [
        [i, ln.document.date, ln.document.number, ln.document.get_reason_display(), ln.copies,
         float(ln.amount)]
        for i, ln in enumerate(report.disposals, 1)
    ]  # fmt: skip
    disposals.append(["Итого", None, None, None, report.disposed.copies,
                      float(report.disposed.amount)])  # fmt: skip
    totals = [
        ["Состояло на 1 января", report.start.copies, float(report.start.amount)],
        ["Поступило за год", report.received.copies, float(report.received.amount)],
        ["Выбыло за год", report.disposed.copies, float(report.disposed.amount)],
        ["Состоит на 31 декабря", report.end.copies, float(report.end.amount)],
    ]
    return xlsx_response(
        f"КСУ {report.school.short_name} {report.year}.xlsx",
        [
            Sheet(
                "Часть 1. Поступление",
                ["№ записи", "Дата", "Источник", "№ документа", "Сопроводительный документ",
                 "Поставщик", "Экземпляров", "Сумма, руб."],
                receipts, caption, [9, 12, 22, 12, 30, 25, 12, 14],
            ),
            Sheet(
                "Часть 2. Выбытие",
                ["№ записи", "Дата", "№ акта", "Причина", "Экземпляров", "Сумма, руб."],
                disposals, caption, [9, 12, 12, 36, 12, 14],
            ),
            Sheet("Часть 3. Итоги движения", ["Показатель", "Экземпляров", "Сумма, руб."],
                  totals, caption, [28, 14, 16]),
        ],
    )  # fmt: skip


def card_xlsx(school: School, entry: FederalListEntry, lines: list[CardLine]) -> HttpResponse:
    rows = [
        [ln.date, str(ln.document), ln.receipt_year, ln.received or None, ln.disposed or None,
         ln.balance]
        for ln in lines
    ]  # fmt: skip
    return xlsx_response(
        f"Учётная карточка {entry.key}.xlsx",
        [
            Sheet(
                "Учётная карточка",
                ["Дата", "Документ", "Год поступления", "Поступило", "Выбыло", "Остаток"],
                rows,
                ["Учётная карточка учебника", str(entry), school.full_name],
                [12, 40, 14, 11, 11, 11],
            )
        ],
    )


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
