"""Who made a change, for django-simple-history.

In a request the middleware records the user; a service called outside one (a command,
a test, the API with a token) names the author here before it saves.
"""

from __future__ import annotations

from typing import Any

from bibliomo.accounts.access import Visitor
from bibliomo.accounts.models import User


def author(user: Visitor | None) -> User | None:
    """The user to record as a change's author: a saved account, or nobody (an anonymous
    visitor, a command without a user)."""
    return user if isinstance(user, User) and user.pk else None


def explain(obj: Any, reason: str) -> None:
    """The reason shown with the next saved change of ``obj`` in its history."""
    obj._change_reason = reason


def record_by(obj: Any, user: Visitor | None) -> None:
    """Record ``user`` as the author of the next saved change of ``obj``."""
    if (who := author(user)) is not None:
        # simple_history reads this attribute when it writes the historical row.
        obj._history_user = who
