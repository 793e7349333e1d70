from __future__ import annotations

import pytest
from django.utils import timezone

from bibliomo.circulation import demo, selectors
from bibliomo.circulation.models import Classroom, Loan, Pupil
from bibliomo.directory import demo as directory_demo
from bibliomo.directory.models import School
from bibliomo.fund import demo as fund_demo
from bibliomo.lib import years


@pytest.mark.django_db
def test_demo_has_an_issue_a_return_with_debtors_and_loads_once():
    directory_demo.load()
    fund_demo.load()
    demo.load()
    counts = (Classroom.objects.count(), Pupil.objects.count(), Loan.objects.count())
    demo.load()
    assert (Classroom.objects.count(), Pupil.objects.count(), Loan.objects.count()) == counts
    year = years.start_year_for(timezone.localdate())
    by_school = selectors.counts_by_school(School.objects.values_list("pk", flat=True), year - 1)
    assert by_school
    assert all(c.issued > 0 for c in by_school.values())
    total = selectors.Counts(*(sum(c[i] for c in by_school.values()) for i in range(5)))
    # Most came back in May–June, a few are debtors, some books were lost.
    assert total.returned > 0.8 * total.issued
    assert 0 < total.debt < 0.1 * total.issued
    assert total.lost > 0
    # This year's classes were promoted and got their sets in September.
    assert Loan.objects.filter(year_id=year, status=Loan.Status.ISSUED).exists()
    assert Pupil.objects.filter(classroom__year_id=year).count() > 0.8 * Pupil.objects.count()
