"""Python's cyclic garbage collector held off while a region-wide report builds its rows.

A report that keeps hundreds of thousands of row tuples makes the collector run every
700 allocations and, now and then, scan the whole heap — to find no garbage, since
every row is kept. At a region's scale that is most of the time of building the rows.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Hold the collector off inside the block; reference counting still frees whatever
    is dropped, and cycles made meanwhile wait for the next collection. The collector is
    turned back on only if it was on: a nested or concurrent pause keeps it off."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
