"""The textbook picker used by every form that asks for a textbook: a text field with
suggestions; it takes a порядковый номер, a chosen suggestion or words of the title or
the authors."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.html import format_html, format_html_join
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


def find(text: str, within: QuerySet[FederalListEntry] | None = None) -> list[FederalListEntry]:
    """The entries the typed text may mean: one for a number or a chosen suggestion.
    ``within`` narrows the search to the entries a form offers (what a school holds)."""
    entries = FederalListEntry.objects.all() if within is None else within
    text = text.strip()
    number = text.split(SEPARATOR, 1)[0].strip()
    if number and number[0].isdigit():
        entry = entries.filter(key=number_key(number)).first()
        if entry is not None:
            return [entry]
    return list(entries.search(text).order_by("key")[: SUGGESTIONS + 1])


class TextbookInput(forms.TextInput):
    """Suggestions from the whole Federal list, fetched as the librarian types; or, with
    ``options``, from a short list known in advance (what her school holds), which the
    page carries and the browser filters by any word of the line, with no request."""

    def __init__(self, attrs=None, options: Sequence[str] | None = None):
        base = {
            "autocomplete": "off",
            "placeholder": "название, автор или номер, например «Азбука»",
        }
        if options is None:
            base["data-suggest"] = reverse_lazy("textbook_suggest")
        super().__init__({**base, **(attrs or {})})
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        if self.options is None:
            return super().render(name, value, attrs, renderer)
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs["list"] = list_id
        field = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((o,) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)


class TextbookField(forms.CharField):
    """A textbook of the Federal list, found by number, title or author; with ``entries``,
    one of those only (the ones a school holds, the ones the exchange fund offers)."""

    widget = TextbookInput

    def __init__(self, entries: QuerySet[FederalListEntry] | None = None, **kwargs):
        self.entries = entries
        if entries is not None:
            kwargs.setdefault("widget", TextbookInput(options=[suggestion(e) for e in entries]))
            kwargs.setdefault(
                "help_text", "Начните вводить название, автора или номер и выберите из списка."
            )
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
        found = find(value, self.entries)
        if not found and self.entries is not None:
            raise forms.ValidationError(f"«{value}» нет среди учебников, из которых можно выбрать.")
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
