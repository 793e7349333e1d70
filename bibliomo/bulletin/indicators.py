"""Where the bulletin reports to the work plan's execution.

The work plan records execution per item; until it is part of the system these hooks
do nothing, so the bulletin works on its own.
"""

from __future__ import annotations

from typing import Any


def publication_changed(publication: Any) -> None:
    """The count of publications for the year → the plan item about publications."""


def newsletter_sent(newsletter: Any) -> None:
    """A newsletter about webinars or competitions → the item about informing members."""


def news_saved(news: Any) -> None:
    """News about a webinar or competition → the item about informing members."""
