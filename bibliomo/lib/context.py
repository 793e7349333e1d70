from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from bibliomo.lib import menu, years


def site(request: HttpRequest) -> dict[str, object]:
    start = years.start_year_for(timezone.localdate())
    return {
        "brand_name": settings.SITE_NAME,
        "menu": menu.for_request(request),
        "current_year_label": years.label(start),
    }
