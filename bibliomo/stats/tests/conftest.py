from __future__ import annotations

from bibliomo.directory.models import AcademicYear
from bibliomo.stats import oo1
from bibliomo.stats.models import FundLine, LibraryReport


def fund(held: int, received: int = 0, disposed: int = 0, textbooks: int = 0):
    """Consistent lines: the whole fund printed, ``textbooks`` of it on line 02."""
    values = {code: {"received": 0, "disposed": 0, "held": 0} for code in oo1.LINE_CODES}
    values["01"] = {"received": received, "disposed": disposed, "held": held}
    values["06"] = dict(values["01"])
    values["02"] = {"received": 0, "disposed": 0, "held": textbooks}
    return values


def make_report(
    school, start_year: int, *, submitted: bool = True, readers=(100, 0, 0, 0, 0),
    visits: int = 0, loans: int = 0, events: int = 0, values=None,
) -> LibraryReport:  # fmt: skip
    report = LibraryReport.objects.create(
        school=school,
        year=AcademicYear.get(start_year),
        readers_primary=readers[0],
        readers_basic=readers[1],
        readers_senior=readers[2],
        readers_teachers=readers[3],
        readers_others=readers[4],
        visits=visits,
        loans=loans,
        events_held=events,
        status="submitted" if submitted else "draft",
    )
    for code, row in (values or fund(0)).items():
        FundLine.objects.create(report=report, line=code, **row)
    return report
