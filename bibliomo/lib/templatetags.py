"""Template filters available in every template (registered as a builtin)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple

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
