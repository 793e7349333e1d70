"""Who may do what with the Federal list of textbooks: one set of rules for the pages,
their templates and the API.

The list is the Ministry's and the same for every district: every member reads it, and
only an administrator loads a new edition, because it changes every district's order.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from bibliomo.accounts import access
from bibliomo.accounts.access import Visitor


def can_import(user: Visitor) -> bool:
    return access.is_admin(user)


def check_import(user: Visitor) -> None:
    if not can_import(user):
        raise PermissionDenied("Загружать федеральный перечень может администратор.")
