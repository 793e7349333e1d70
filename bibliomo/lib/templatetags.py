"""Template filters available in every template (registered as a builtin)."""

from __future__ import annotations

import functools
from decimal import Decimal

from django import template
from django.conf import settings
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple
from django.templatetags.static import static
from django.utils.html import format_html

from bibliomo.lib import years

register = template.Library()


@register.filter
def widget(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap's classes and its error state."""
    w = field.field.widget
    if isinstance(w, CheckboxInput | RadioSelect):
        css = "form-check-input"
    elif isinstance(w, Select | SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = w.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.filter
def year_label(start_year: int | str | None, case: str = "nom") -> str:
    """{{ 2021|year_label:"gen" }} → «2021/2022 учебного года»."""
    if start_year is None or start_year == "":
        return ""
    return years.label(int(start_year), case)


@register.filter
def ru_number(value: object, digits: int = 0) -> str:
    """1234567.5 → «1 234 567,50»: non-breaking thousands, decimal comma."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    text = f"{number:,.{int(digits)}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


@functools.lru_cache(maxsize=4)
def _sprite(static_url: str, storage: str) -> str:
    # The sprite's hashed name is fixed for the life of a process; a page has a dozen icons.
    return static("img/icons.svg")


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """{% icon "check-lg" %} → an icon from the one SVG sprite (static/img/icons.svg).

    One small cached file instead of an icon font: a new icon needs its symbol added to
    the sprite (the Bootstrap Icons source, MIT)."""
    classes = f"bi {css}".strip()
    href = _sprite(settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"])
    return format_html(
        '<svg class="{}" width="1em" height="1em" fill="currentColor" aria-hidden="true"'
        ' focusable="false"><use href="{}#{}"></use></svg>',
        classes,
        href,
        name,
    )
