"""The rules of an order line, as pure functions without Django.

Need and usable stock come from the fund's own computation (``bibliomo.fund.calc`` through
``bibliomo.fund.services.school_data``); this module only turns them into the quantity to
order, its reason, and the per-grade rows of the ministry's monitoring forms.

Line rule (ARCHITECTURE §6, with the exchange):

    available = max(0, usable − promised) + incoming
    quantity  = max(0, need + reserve − available)

- *usable*: copies whose entry's use-until date is not before the end of the target year,
  less worn copies (copies past the date count for nothing);
- *promised*: copies this school agreed to give to other schools — they leave its shelves;
- *incoming*: copies other schools agreed to give, shipped or already delivered;
- *reserve*: a school's line orders none (``reserve`` stays 0 on computed lines): the
  campaign's reserve % is the district's, added once per entry on the district's total
  in the consolidated order (:func:`reserve_copies`), so that rounding up per school
  does not inflate it;
- a multi-part set counts as one copy everywhere (copies per student is per set).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Reason codes; the Russian labels live on the model's choices.
GROWTH = "growth"  # рост контингента
EXPIRED = "expired"  # истечение предельного срока использования
LOST = "lost"  # утрата
DEFECTIVE = "defective"  # дефектность
CHANGE = "change"  # смена учебника
OTHER = "other"  # иное


def reserve_copies(need: int, reserve_percent: float) -> int:
    """Copies of reserve for ``need`` (the district's total of an entry): the percentage,
    rounded up once to a whole copy — 2 % of 301 is 7, where rounding each school's
    share up would give one copy more per school."""
    if need <= 0 or reserve_percent <= 0:
        return 0
    return math.ceil(need * reserve_percent / 100 - 1e-9)


def quantity(need: int, reserve: int, usable: int, incoming: int = 0, promised: int = 0) -> int:
    """Copies to order (see the module's docstring)."""
    available = max(0, usable - promised) + incoming
    return max(0, need + reserve - available)


@dataclass(frozen=True)
class ReasonFacts:
    """What the stored data says about one line of a school's order."""

    students_now: int = 0  # students of the line's grades this year
    students_forecast: int = 0  # … in the target year
    expired_copies: int = 0  # copies of this entry held but past use-until in the target year
    replaces_expired: bool = False  # the entry replaces, for a grade × subject, an expiring one
    replaces_other: bool = False  # the entry replaces another one still usable (new choice)
    lost: int = 0  # copies written off as lost this year
    defective: int = 0  # copies written off as defective this year


def derive_reason(qty: int, facts: ReasonFacts) -> str:
    """The reason the data tells for ordering ``qty`` copies, or '' when nothing is ordered.

    In order of precedence: the old book's use-until date runs out (its own copies or the
    entry it replaces) → истечение срока; the school chose a different textbook → смена
    учебника; more students → рост контингента; books lost → утрата; books written off as
    defective → дефектность; otherwise иное (the librarian may choose better).
    """
    if qty <= 0:
        return ""
    if facts.expired_copies > 0 or facts.replaces_expired:
        return EXPIRED
    if facts.replaces_other:
        return CHANGE
    if facts.students_forecast > facts.students_now:
        return GROWTH
    if facts.lost > 0:
        return LOST
    if facts.defective > 0:
        return DEFECTIVE
    return OTHER


@dataclass(frozen=True)
class GradeRow:
    """One grade's share of an order line, for the monitoring forms."""

    grade: int
    students: int  # forecast
    need: int
    in_stock: int  # copies of the line's stock allocated to this grade
    additional: int  # copies to order for this grade


def split_by_grade(
    grades: Iterable[tuple[int, int]],
    students: Mapping[int, int],
    stock: int,
    order_quantity: int,
) -> list[GradeRow]:
    """Share one entry's stock and ordered copies among the grades using it.

    ``grades``: (grade, copies per student) of the curriculum rows using the entry. Stock
    goes to the lowest grades first; each grade's additional need is what it still lacks,
    and whatever the order holds beyond that (reserve, a librarian's change) is shown on the
    last grade, so the rows always add up to the order's quantity.
    """
    rows: list[GradeRow] = []
    left = stock
    ordered = sorted(grades)
    for grade, per in ordered:
        n = students.get(grade, 0)
        grade_need = n * per
        take = min(left, grade_need)
        left -= take
        rows.append(GradeRow(grade, n, grade_need, take, grade_need - take))
    if not rows:
        return rows
    last = rows[-1]
    rows[-1] = GradeRow(last.grade, last.students, last.need, last.in_stock + left, last.additional)
    # Beyond the shortfall (reserve, a raised quantity) → the last grade; below it (a
    # lowered quantity) → taken from the last grades first.
    diff = order_quantity - sum(r.additional for r in rows)
    for i in range(len(rows) - 1, -1, -1):
        r = rows[i]
        change = diff if diff >= 0 else max(diff, -r.additional)
        rows[i] = GradeRow(r.grade, r.students, r.need, r.in_stock, r.additional + change)
        diff -= change
        if diff == 0:
            break
    return rows
