from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from bibliomo.accounts.models import User


class UsernameOrEmailBackend(ModelBackend):
    """Logs in by username or by e-mail, case-insensitively for the e-mail."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = username.strip()
        user = (
            User.objects.filter(Q(username=login) | Q(email__iexact=login)).order_by("id").first()
        )
        if user is None:
            # Spend the same time as a real check so that timing does not reveal logins.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
