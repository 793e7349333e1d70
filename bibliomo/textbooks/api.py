from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from bibliomo.lib.apihelpers import PageNumberPagination
from bibliomo.textbooks.models import FederalListEntry

router = Router(tags=["Учебники"])


class EntryOut(Schema):
    id: int
    number: str
    subject: str
    title: str
    authors: str
    grades: str
    grade_from: int | None
    grade_to: int | None
    publisher: str
    level: str
    status: str
    is_unified: bool
    excluded_by: str
    use_until: dt.date | None
    price: Decimal | None


@router.get("/textbooks", response=list[EntryOut], summary="Федеральный перечень: поиск")
@paginate(PageNumberPagination, page_size=100)
def list_entries(request: HttpRequest, q: str = "", status: str = ""):
    entries = FederalListEntry.objects.order_by("key")
    if status:
        entries = entries.filter(status=status)
    return entries.search(q) if q else entries
