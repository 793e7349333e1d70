"""Login throttling with two limits: one for a username tried from one address, a higher
one for an address trying many usernames (django-axes has a single limit)."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        # get_user_attempts follows AXES_LOCKOUT_PARAMETERS: (username, address), address.
        pair, address = (
            sum(a.failures_since_start for a in attempts)
            for attempts in self.get_user_attempts(request, credentials)
        )
        # Scale the address's count to the pair's limit, so that one comparison with
        # AXES_FAILURE_LIMIT applies both limits.
        scaled = address * settings.AXES_FAILURE_LIMIT // settings.AXES_ADDRESS_FAILURE_LIMIT
        return max(pair, scaled)
