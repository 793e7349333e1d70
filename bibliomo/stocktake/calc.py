"""Pure arithmetic of a stocktake (no Django): differences, how the copies in pupils'
hands are spread over an entry's batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Difference(NamedTuple):
    shortage: int  # недостача: on the books but neither on the shelf nor with pupils
    surplus: int  # излишки: found but not on the books


def difference(on_books: int, counted: int | None, issued: int | None) -> Difference:
    """Shelf + pupils' hands against the books; an uncounted line has no difference."""
    if counted is None:
        return Difference(0, 0)
    found = counted + (issued or 0)
    return Difference(max(0, on_books - found), max(0, found - on_books))


def spread_issued(issued: int, batches: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Copies in pupils' hands per batch (receipt year → copies), when only the entry's
    total is known: the newest batches first, as a class set is issued from the latest
    delivery, each up to its balance; what is left over goes to the newest batch (the
    books then show a surplus, which is what the count found)."""
    result = {year: 0 for year, _ in batches}
    if not batches or issued <= 0:
        return result
    left = issued
    for year, copies in sorted(batches, key=lambda b: -b[0]):
        take = min(left, max(0, copies))
        result[year] += take
        left -= take
    if left:
        result[max(year for year, _ in batches)] += left
    return result


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded down so that 99.6 % is not shown as finished."""
    return 100 * part // whole if whole else 0
