"""The numbers the textbook fund runs on (ARCHITECTURE §6), as pure functions without Django.

Conventions shared by every function here:

- a *curriculum row* says that ``grade`` uses ``entry_id`` for ``subject`` with
  ``copies_per_student`` copies per student (a multi-part set counts as one copy);
- *students* are given per grade;
- *usable* copies of an entry are the holdings whose ``use_until`` (if any) is not before
  the end of lessons of the academic year in question (``years.use_cutoff``), less copies
  marked worn.

An entry used by several grades (a textbook for grades 10–11, or one book for two
subjects) shares its copies: they are allocated to the curriculum pairs in order of grade
and subject, so the sum over pairs never counts one copy twice.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from bibliomo.lib import years


class CurriculumRow(NamedTuple):
    # A tuple, not a dataclass: region-wide reports make a hundred thousand of them.
    grade: int
    subject: str
    entry_id: int
    copies_per_student: int = 1


class PairProvision(NamedTuple):
    """Provision of one grade × subject: ``covered`` students have a full set."""

    grade: int
    subject: str
    students: int
    copies: int  # complete sets available to this pair after sharing

    @property
    def covered(self) -> int:
        return min(self.copies, self.students)

    @property
    def percent(self) -> float | None:
        return None if self.students == 0 else 100.0 * self.covered / self.students

    @property
    def shortage(self) -> int:
        return max(0, self.students - self.copies)

    @property
    def surplus(self) -> int:
        return max(0, self.copies - self.students)


def year_end(start_year: int, lessons_end: tuple[int, int] = years.LESSONS_END) -> dt.date:
    """The day a copy must still be usable on to count for the academic year
    ``start_year``: the end of its lessons (see :func:`bibliomo.lib.years.use_cutoff`)."""
    return years.use_cutoff(start_year, lessons_end)


def need(
    rows: Iterable[CurriculumRow], students: Mapping[int, int], reserve_percent: float = 0
) -> dict[int, int]:
    """Copies of each entry the school needs: students × copies per student (+ reserve,
    rounded up per entry)."""
    raw: dict[int, int] = defaultdict(int)
    for row in rows:
        raw[row.entry_id] += students.get(row.grade, 0) * row.copies_per_student
    return _with_reserve(raw, reserve_percent)


def _with_reserve(raw: Mapping[int, int], reserve_percent: float) -> dict[int, int]:
    """The reserve, rounded up per entry (the float tolerance keeps 100 × 1.1 at 110)."""
    factor = 1 + reserve_percent / 100
    return {e: math.ceil(n * factor - 1e-9) for e, n in raw.items()}


def need_by_school(
    rows: Iterable[Sequence[int]],
    students: Mapping[int, Mapping[int, int]],
    reserve_percent: float = 0,
) -> dict[int, dict[int, int]]:
    """:func:`need` of many schools at once. ``rows`` are plain (school, curriculum year,
    grade, entry id, copies per student) ordered by school and, within a school, by year
    from the latest: only each school's first year counts (its latest curriculum)."""
    # One pass over plain rows, no row object: a region has over a hundred thousand.
    result: dict[int, dict[int, int]] = {}
    school = year = None
    needed: dict[int, int] = {}
    grades: Mapping[int, int] = {}
    for school_id, y, grade, entry_id, per in rows:
        if school_id != school:
            school, year = school_id, y
            needed = result[school_id] = {}
            grades = students.get(school_id) or {}
        elif y != year:
            continue
        needed[entry_id] = needed.get(entry_id, 0) + grades.get(grade, 0) * per
    if reserve_percent:
        return {s: _with_reserve(n, reserve_percent) for s, n in result.items()}
    return result


class StockNeed(NamedTuple):
    school_id: int
    entry_id: int
    usable: int
    need: int
    surplus: int
    shortage: int


def stock_and_need(
    usable: Mapping[int, Mapping[int, int]], needed: Mapping[int, Mapping[int, int]]
) -> list[StockNeed]:
    """(school, entry, usable, need, surplus, shortage) for every entry a school holds or
    needs, in school and entry order; an entry the school holds but no longer uses is all
    surplus, one it uses but does not hold is all shortage, and what is neither held nor
    needed is left out."""
    result: list[StockNeed] = []
    append = result.append
    # tuple.__new__ skips the NamedTuple's Python-level constructor: 300,000 rows.
    new = tuple.__new__
    empty: Mapping[int, int] = {}
    for school_id in sorted(usable.keys() | needed.keys()):
        have_by_entry = usable.get(school_id, empty)
        want_by_entry = needed.get(school_id, empty)
        for entry_id in sorted(have_by_entry.keys() | want_by_entry.keys()):
            have = have_by_entry.get(entry_id, 0)
            want = want_by_entry.get(entry_id, 0)
            if have > want:
                append(new(StockNeed, (school_id, entry_id, have, want, have - want, 0)))
            elif have < want:
                append(new(StockNeed, (school_id, entry_id, have, want, 0, want - have)))
            elif have:
                append(new(StockNeed, (school_id, entry_id, have, want, 0, 0)))
    return result


def _pair_sets(
    rows: Iterable[CurriculumRow | Sequence[Any]],
    students: Mapping[int, int],
    usable: Mapping[int, int],
) -> list[tuple[int, str, int, int]]:
    """(grade, subject, students, complete sets) per pair; rows are CurriculumRows or plain
    tuples in the same order (grade, subject, entry id, copies per student)."""
    pairs: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for row in rows:
        pairs[(row[0], row[1])].append(row)
    ordered = sorted(pairs.items())
    left = dict(usable)
    # First pass: each pair takes what it needs, in order; the last pair using an entry
    # also gets what is left of it, so that a surplus shows where it lies.
    takes: list[list[list[int]]] = []
    last_user: dict[int, list[int]] = {}
    for (grade, _), pair_rows in ordered:
        n = students.get(grade, 0)
        pair_takes = []
        for _, _, entry_id, per in pair_rows:
            per = per or 1
            have = left.get(entry_id, 0)
            take = have if have < n * per else n * per
            left[entry_id] = have - take
            item = [take, per]
            pair_takes.append(item)
            last_user[entry_id] = item
        takes.append(pair_takes)
    for entry_id, item in last_user.items():
        item[0] += left.get(entry_id, 0)
    result = []
    for ((grade, subject), _), pair_takes in zip(ordered, takes, strict=True):
        if len(pair_takes) == 1:  # the usual case: one book per subject
            sets = pair_takes[0][0] // pair_takes[0][1]
        else:
            sets = min(t // p for t, p in pair_takes)
        result.append((grade, subject, students.get(grade, 0), sets))
    return result


def provision_pairs(
    rows: Iterable[CurriculumRow | Sequence[Any]],
    students: Mapping[int, int],
    usable: Mapping[int, int],
) -> list[PairProvision]:
    """Per grade × subject: the students and the complete sets they have.

    A pair may use several entries (e.g. two textbooks for «Математика»); a student is
    provided for only with all of them, so the pair's sets are the minimum over its entries.
    """
    return [PairProvision(*pair) for pair in _pair_sets(rows, students, usable)]


def provision_total(
    rows: Iterable[tuple[int, str, int, int]],
    students: Mapping[int, int],
    usable: Mapping[int, int],
) -> Provision:
    """``provision(provision_pairs(...))`` without building the pairs: for region totals."""
    total = covered = 0
    for _, _, n, sets in _pair_sets(rows, students, usable):
        total += n
        covered += sets if sets < n else n
    return Provision(total, covered)


@dataclass(frozen=True)
class Provision:
    students: int  # Σ students over the curriculum's pairs
    covered: int  # Σ min(copies, students)

    @property
    def percent(self) -> float | None:
        return None if self.students == 0 else 100.0 * self.covered / self.students

    def __add__(self, other: Provision) -> Provision:
        return Provision(self.students + other.students, self.covered + other.covered)


def provision(pairs: Iterable[PairProvision]) -> Provision:
    """Σ min(copies, students) / Σ students: a surplus in one subject never hides a
    shortage in another."""
    students = covered = 0
    for p in pairs:
        students += p.students
        covered += p.covered
    return Provision(students, covered)


# The grade after which pupils leave a school that teaches fewer than eleven grades.
LAST_GRADE = 11


def cohort_forecast(
    current: Mapping[int, int],
    first_grade_intake: int,
    *,
    last_grade: int = LAST_GRADE,
    stay_in_10th: float = 1.0,
) -> dict[int, int]:
    """Next year's students by grade within the school's grades 1…``last_grade``:
    grade g next year = grade g−1 now; grade 1 from the expected intake; grade 10 only
    the share ``stay_in_10th`` of the 9th (the others go to college or to work), rounded
    half up. The last grade leaves: a basic school (ООШ, up to 9) has no 10th next year,
    a primary school (НОШ, up to 4) no 5th."""
    forecast = {1: first_grade_intake}
    for grade in range(2, last_grade + 1):
        if grade - 1 not in current:
            continue
        before = current[grade - 1]
        forecast[grade] = half_up(before * stay_in_10th) if grade == 10 else before
    return forecast


def half_up(value: float) -> int:
    """``value`` rounded to a whole pupil, halves up (12.5 → 13), never below zero."""
    # The epsilon keeps 0.6 × 20 (11.999… in binary) at 12.
    return max(0, math.floor(value + 0.5 + 1e-9))


class StayShare(NamedTuple):
    value: float
    source: str  # one of the STAY_* codes below


STAY_SCHOOL = "school"  # set by the school
STAY_ACTUAL = "actual"  # last year's 10th-graders / the 9th-graders the year before
STAY_DISTRICT = "district"  # the district's default


def stay_share(
    own: float | None, tenth_now: int | None, ninth_before: int | None, district_default: float
) -> StayShare:
    """The share of 9th-graders who go on to the school's 10th grade: the school's own
    figure if set; else the actual ratio of this year's 10th to last year's 9th where both
    are entered (it may exceed 1 where a school takes pupils from basic schools nearby,
    and the forecast should then grow the 10th grade too); else the district's default."""
    if own is not None:
        return StayShare(float(own), STAY_SCHOOL)
    if tenth_now is not None and ninth_before:
        return StayShare(round(tenth_now / ninth_before, 2), STAY_ACTUAL)
    return StayShare(float(district_default), STAY_DISTRICT)
