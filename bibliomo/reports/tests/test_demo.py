from __future__ import annotations

import io

from django.core.management import call_command

from bibliomo.directory.models import District
from bibliomo.reports import builder, documents
from bibliomo.stats import demo, oo1
from bibliomo.stats.models import Course, FundLine, LibraryReport, Qualification


def test_demo_year_gives_a_full_analysis(db):
    call_command("load_demo", stdout=io.StringIO())
    counts = [m.objects.count() for m in (LibraryReport, FundLine, Course, Qualification)]
    demo.load()  # idempotent
    assert counts == [m.objects.count() for m in (LibraryReport, FundLine, Course, Qualification)]
    assert all(not oo1.check(r.fund_values()) for r in LibraryReport.objects.all())
    district = District.objects.get(name="Каменский район")
    analysis = builder.build(district, 2021)
    available = {s.key for s in analysis.sections if s.available}
    assert {"plan", "meetings", "webinars", "consultations", "publications", "informing",
            "library", "training"} <= available  # fmt: skip
    assert analysis.section("library").figures["schools"] == district.schools.count()
    data = documents.build_docx(analysis, {}, "", "Соколова А. В.")
    assert data.startswith(b"PK")
