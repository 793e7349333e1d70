"""Form fields that show figures as the tables do: «1 040,00» in an input too."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms

from bibliomo.lib.templatetags import ru_number


class UploadForm(forms.Form):
    """A table to import; its content and size are checked when it is read."""

    file = forms.FileField(label="Файл .xlsx или .csv")


class RuDecimalField(forms.DecimalField):
    """A sum or price typed the Russian way: «1 040,50», «1040.5» and «1040» all work."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return ru_number(value, self.decimal_places or 0)
        return value

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(data) != (None if initial in (None, "") else Decimal(initial))
        except forms.ValidationError:
            return True


class CountsForm(forms.Form):
    """Copies per line of a document — a delivery, a transfer: one optional whole number
    (0 or more) per line, its input named «<prefix>-<line id>». A blank input gives no
    figure for that line; the service decides what a missing figure means."""

    def __init__(
        self, data: Any, lines: Iterable[tuple[int, str]], *, prefix: str, **kwargs: Any
    ) -> None:
        super().__init__(data, prefix=prefix, **kwargs)
        for pk, label in lines:
            self.fields[str(pk)] = forms.IntegerField(
                label=label,
                min_value=0,
                required=False,
                error_messages={
                    "invalid": "число экземпляров — целое неотрицательное число.",
                    "min_value": "число экземпляров — целое неотрицательное число.",
                },
            )

    def counts(self) -> dict[int, int]:
        """{line id: copies} of the filled inputs (after ``is_valid``)."""
        return {int(name): n for name, n in self.cleaned_data.items() if n is not None}

    def entered(self) -> dict[int, str]:
        """{line id: what was typed}, to show a refused form again as it was sent."""
        return {int(name): str(self[name].value() or "") for name in self.fields}

    def error_list(self) -> list[str]:
        """«<line label>: <what is wrong>» for every refused input."""
        return [
            f"{self.fields[name].label}: {text}"
            for name, errors in self.errors.items()
            for text in errors
        ]
