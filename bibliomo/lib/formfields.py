"""Form fields that show figures as the tables do: «1 040,00» in an input too."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from bibliomo.lib.templatetags import ru_number


class RuDecimalField(forms.DecimalField):
    """A sum or price typed the Russian way: «1 040,50», «1040.5» and «1040» all work."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return ru_number(value, self.decimal_places or 0)
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (None if initial in (None, "") else Decimal(initial))
        except forms.ValidationError:
            return True
