from __future__ import annotations

from django import forms

from bibliomo.stats import oo1
from bibliomo.stats.models import Course, LibraryReport, Qualification


class ReportForm(forms.ModelForm):
    class Meta:
        model = LibraryReport
        fields = [
            "readers_primary",
            "readers_basic",
            "readers_senior",
            "readers_teachers",
            "readers_others",
            "visits",
            "loans",
            "events_held",
            "working_days",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


def field_name(line: str, column: str) -> str:
    return f"l{line}_{column}"


class FundForm(forms.Form):
    """Section 2.6 as a grid: a number field per line × column. Line 02 is read-only when
    the fund ledger supplies it."""

    def __init__(self, *args, ledger_locked: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.ledger_locked = ledger_locked
        for code, _title in oo1.LINES:
            for number, column, heading in oo1.COLUMNS:
                label = f"Строка {code}, графа {number}: {heading.lower()}"
                # The grid shows no <label>: the cell names itself to a screen reader.
                attrs = {"class": "text-end", "min": 0, "aria-label": label}
                field = forms.IntegerField(
                    label=label,
                    min_value=0,
                    required=False,
                    widget=forms.NumberInput(attrs=attrs),
                )
                if code in oo1.LEDGER_LINES and ledger_locked:
                    field.disabled = True
                self.fields[field_name(code, column)] = field

    def values(self) -> dict[str, dict[str, int]]:
        data = self.cleaned_data
        return {
            code: {c: int(data.get(field_name(code, c)) or 0) for c in oo1.COLUMN_FIELDS}
            for code in oo1.LINE_CODES
        }

    def grid(self) -> list[tuple[str, str, list]]:
        """(line, title, bound fields of columns 3–5) for the template."""
        return [
            (code, title, [self[field_name(code, c)] for c in oo1.COLUMN_FIELDS])
            for code, title in oo1.LINES
        ]


def fund_initial(values: dict[str, dict[str, int]]) -> dict[str, int]:
    return {
        field_name(code, column): value
        for code, row in values.items()
        for column, value in row.items()
    }


class QualificationForm(forms.ModelForm):
    class Meta:
        model = Qualification
        fields = [
            "education",
            "education_note",
            "category",
            "category_date",
            "service_since",
            "service_before_years",
        ]
        widgets = {
            "category_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "service_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "organisation",
            "hours",
            "date_from",
            "date_to",
            "document",
            "document_number",
            "file",
        ]
        widgets = {
            "date_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "date_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
