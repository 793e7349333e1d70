"""The Federal list import at the ministry's size: a 10,000-row XLSX read, checked and
stored (first load, then the next edition over it), against openpyxl's own read of the
same file as the baseline. Target: ≤ 3 × the bare read.

    python bench/fpu_import.py            # the database of BENCH_DATABASE_URL

The entries are created and updated inside a transaction that is rolled back, so the
database is left as it was.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common

ROWS = 10_000
MAX_RATIO = 3.0
HEADER = [
    "Порядковый номер учебника", "Наименование учебника", "Автор/авторский коллектив",
    "Класс", "Наименование издателя(ей) учебника", "Предельный срок использования",
]  # fmt: skip


def _file(rows: int, year: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for i in range(rows):
        grade = i % 11 + 1
        sheet.append(
            [
                f"1.1.{i // 1000 + 1}.{i % 1000 + 1}.1.1",
                f"Учебник {i} для {grade} класса",
                f"Иванов И. И., Петрова А. А. и др. ({i})",
                str(grade),
                "АО «Издательство «Просвещение»",
                f"31.05.{year}" if i % 7 == 0 else None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _bare_read(data: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for _ in book.active.iter_rows(values_only=True))


def main() -> int:
    _common.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import transaction

    from bibliomo.lib.tables import read_rows
    from bibliomo.textbooks.importer import import_rows

    call_command("migrate", verbosity=0)
    first, second = _file(ROWS, 2027), _file(ROWS, 2028)
    base, base_cpu, counted = _common.timed(lambda: _bare_read(first), repeat=2)
    assert counted == ROWS + 1

    def load(data: bytes, title: str):
        rows = read_rows(SimpleUploadedFile("fpu.xlsx", data), max_mb=100)
        return import_rows(rows, title)

    ok = True
    with transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        result = load(first, "Приказ № 858 от 21.09.2022")
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        assert result.created == ROWS, result
        print(f"  processor time {used / base_cpu:.1f} × the read's", flush=True)
        ok &= _common.figure(
            f"Federal list import, {ROWS:,} new entries ({_common.vendor()})",
            wall, base * MAX_RATIO, cpu=used,
            baseline=("openpyxl's read of the file", base), max_ratio=MAX_RATIO,
        )  # fmt: skip
        started, cpu = time.perf_counter(), time.process_time()
        result = load(second, "Приказ № 769 от 05.11.2024")
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        assert result.updated == ROWS, result
        print(f"  processor time {used / base_cpu:.1f} × the read's", flush=True)
        ok &= _common.figure(
            f"the next edition over it, {ROWS:,} entries updated",
            wall, base * MAX_RATIO, cpu=used,
            baseline=("openpyxl's read of the file", base), max_ratio=MAX_RATIO,
        )  # fmt: skip
        transaction.set_rollback(True)
    # On a machine shared with other work the processor times compare more fairly.
    print(f"  processor time of openpyxl's read: {base_cpu:.2f} s", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
