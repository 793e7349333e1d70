"""Who made a change, for django-simple-history.

In a request the middleware records the user; a service called outside one (a command,
a test, the API with a token) names the author here before it saves.
"""

from __future__ import annotations

from typing import Any


def explain(obj: Any, reason: str) -> None:
    """The reason shown with the next saved change of ``obj`` in its history."""
    obj._change_reason = reason


def record_by(obj: Any, user: Any) -> None:
    """Record ``user`` as the author of the next saved change of ``obj``."""
    if getattr(user, "pk", None):
        # simple_history reads this attribute when it writes the historical row.
        obj._history_user = user
