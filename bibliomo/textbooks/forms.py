"""The textbook picker used by every form that asks for a textbook: a text field with
suggestions; it takes a порядковый номер, a chosen suggestion or words of the title or
the authors."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import ngettext

from bibliomo.lib.formfields import UploadForm
from bibliomo.textbooks.models import FederalListEntry, number_key

SUGGESTIONS = 10
# A suggestion reads «1.1.1.1.1.1.1 — Азбука (Горецкий В. Г.), 1 кл.»: the number before
# the dash identifies the textbook.
SEPARATOR = " — "


def suggestion(entry: FederalListEntry) -> str:
    authors = f" ({entry.authors})" if entry.authors else ""
    return f"{entry.number}{SEPARATOR}{entry.title}{authors}, {entry.grades} кл."


def find(text: str) -> list[FederalListEntry]:
    """The entries the typed text may mean: one for a number or a chosen suggestion."""
    text = text.strip()
    number = text.split(SEPARATOR, 1)[0].strip()
    if number and number[0].isdigit():
        entry = FederalListEntry.objects.filter(key=number_key(number)).first()
        if entry is not None:
            return [entry]
    return list(FederalListEntry.objects.search(text).order_by("key")[: SUGGESTIONS + 1])


class TextbookInput(forms.TextInput):
    def __init__(self, attrs=None):
        base = {
            "data-suggest": reverse_lazy("textbook_suggest"),
            "autocomplete": "off",
            "placeholder": "название, автор или номер, например «Азбука»",
        }
        super().__init__({**base, **(attrs or {})})


class TextbookField(forms.CharField):
    """A textbook of the Federal list, found by number, title or author."""

    widget = TextbookInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Учебник")
        kwargs.setdefault("max_length", 700)
        kwargs.setdefault(
            "help_text",
            "Начните вводить название, автора или порядковый номер в ФПУ и выберите "
            "учебник из подсказок.",
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, FederalListEntry):
            return suggestion(value)
        return value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        found = find(value)
        if not found and value[:1].isdigit():
            raise forms.ValidationError(f"В федеральном перечне нет учебника с номером {value}.")
        if not found:
            raise forms.ValidationError(
                f"В федеральном перечне не найден учебник «{value}». Проверьте название или номер."
            )
        if len(found) > 1:
            if len(found) > SUGGESTIONS:
                many = f"более {SUGGESTIONS} учебников"
            else:
                many = ngettext("%(count)s учебник", "%(count)s учебника", len(found)) % {
                    "count": len(found)
                }
            raise forms.ValidationError(
                f"Под «{value}» подходят {many}: выберите нужный из подсказок или введите "
                "его номер."
            )
        return found[0]


class ImportForm(UploadForm):
    """The Ministry's table of the Federal list and the order that approved it."""

    edition = forms.CharField(
        label="Приказ",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Приказ № 858 от 21.09.2022"}),
        error_messages={"required": "Укажите приказ, например «Приказ № 858 от 21.09.2022»."},
    )
    amends = forms.BooleanField(
        label="Приказ вносит изменения в перечень (например, № 769 от 05.11.2024)",
        required=False,
        help_text="В файле — только изменённые и добавленные учебники: остальные не "
        "исключаются, пустые ячейки не меняют сохранённых данных.",
    )
    field_order = ["edition", "amends", "file"]
