from __future__ import annotations

import datetime as dt

from django import forms

from bibliomo.directory.models import School
from bibliomo.exchange.models import Adjustment, Transfer
from bibliomo.textbooks.forms import TextbookField
from bibliomo.textbooks.models import FederalListEntry


class AdjustmentForm(forms.ModelForm):
    class Meta:
        model = Adjustment
        fields = ["hold_back", "offer_extra", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "hold_back": "Сколько экземпляров излишка школа оставляет себе.",
            "offer_extra": "Сколько экземпляров сверх расчёта школа готова отдать.",
        }


class PlanForm(forms.Form):
    max_km = forms.FloatField(
        label="наибольшее расстояние, км",
        required=False,
        min_value=0.1,
        help_text="Пусто — без ограничения.",
    )
    exclude_schools = forms.ModelMultipleChoiceField(
        label="школы не участвуют",
        queryset=School.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    exclude_entries = forms.CharField(
        label="учебники не участвуют",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Порядковые номера ФПУ через запятую или с новой строки.",
    )

    def __init__(self, *args, district, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exclude_schools"].queryset = School.objects.filter(
            district=district, is_active=True
        ).order_by("short_name")

    def clean_exclude_entries(self) -> list[FederalListEntry]:
        numbers = [
            n.strip() for n in self.cleaned_data["exclude_entries"].replace(",", "\n").split()
        ]
        numbers = [n for n in numbers if n]
        found = {e.number: e for e in FederalListEntry.objects.filter(number__in=numbers)}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError("Нет в федеральном перечне: " + ", ".join(missing) + ".")
        return list(found.values())


class ApplyPlanForm(forms.Form):
    kind = forms.ChoiceField(
        label="вид передачи", choices=Transfer.Kind.choices, initial=Transfer.Kind.PERMANENT
    )
    return_date = forms.DateField(
        label="вернуть до",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Только для временного пользования.",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == Transfer.Kind.TEMPORARY and not data.get("return_date"):
            self.add_error("return_date", "Для временного пользования укажите срок возврата.")
        if data.get("return_date") and data["return_date"] <= dt.date.today():
            self.add_error("return_date", "Срок возврата должен быть позже сегодняшнего дня.")
        return data


class RequestForm(ApplyPlanForm):
    """A school asks another for copies of one entry."""

    giver = forms.ModelChoiceField(label="у какой школы", queryset=School.objects.none())
    entry = TextbookField()
    copies = forms.IntegerField(label="экземпляров", min_value=1, max_value=10000)
    comment = forms.CharField(
        label="комментарий", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    field_order = ["giver", "entry", "copies", "kind", "return_date", "comment"]

    def __init__(self, *args, taker: School, entries, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = (
            School.objects.filter(district_id=taker.district_id, is_active=True)
            .exclude(pk=taker.pk)
            .order_by("short_name")
        )
        # Only what other schools offer can be asked for: the picker offers that and no more.
        self.fields["entry"] = TextbookField(entries=entries, label="учебник")


class ReceiveForm(forms.Form):
    discrepancy = forms.CharField(
        label="расхождения",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Обязательно, если получено меньше отправленного.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="причина", required=False, max_length=500)


class PlanFilterForm(forms.Form):
    """The plan page's filters: a school (giving or taking) and a subject."""

    school = forms.TypedChoiceField(label="Школа", required=False, coerce=int, empty_value=None)
    subject = forms.ChoiceField(label="Предмет", required=False)

    def __init__(self, *args, schools, subjects, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [
            ("", "все школы"),
            *((s.pk, s.short_name) for s in schools),
        ]
        self.fields["subject"].choices = [("", "все предметы"), *((s, s) for s in subjects)]

    def chosen(self) -> tuple[int | None, str]:
        if not self.is_bound or not self.is_valid():
            return None, ""
        return self.cleaned_data["school"], self.cleaned_data["subject"]


class PlanLineForm(forms.Form):
    """The head changes a line's copies or removes it."""

    copies = forms.IntegerField(label="Экземпляров", min_value=0, max_value=100000, required=False)
    remove = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("remove") and data.get("copies") is None:
            raise forms.ValidationError("Укажите число экземпляров.")
        return data

    def wanted(self) -> int:
        return 0 if self.cleaned_data["remove"] else self.cleaned_data["copies"]
