from __future__ import annotations

from django import forms
from django.utils import timezone

from bibliomo.directory.models import School
from bibliomo.stocktake.models import Campaign, Stocktake
from bibliomo.textbooks.forms import TextbookField
from bibliomo.textbooks.models import FederalListEntry

DATE = {"type": "date"}


class CampaignForm(forms.ModelForm):
    subjects = forms.MultipleChoiceField(
        label="Предметы", required=False, help_text="Ничего не выбрано — весь учебный фонд."
    )
    grades = forms.TypedMultipleChoiceField(
        label="Классы",
        required=False,
        coerce=int,
        choices=[(g, f"{g} класс") for g in range(1, 12)],
        help_text="Ничего не выбрано — все классы.",
    )
    schools = forms.ModelMultipleChoiceField(
        label="Школы",
        queryset=School.objects.none(),
        required=False,
        help_text="Ничего не выбрано — все действующие школы района.",
    )

    class Meta:
        model = Campaign
        fields = ["name", "order_number", "order_date", "starts_on", "deadline", "is_blind", "note"]
        widgets = {
            "order_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "starts_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "deadline": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = School.objects.filter(
            district=district, is_active=True
        ).order_by("short_name")
        subjects = (
            FederalListEntry.objects.exclude(subject="")
            .values_list("subject", flat=True)
            .distinct()
            .order_by("subject")
        )
        self.fields["subjects"].choices = [(s, s) for s in subjects]
        for name in ("subjects", "grades", "schools"):
            self.fields[name].widget.attrs["size"] = 6
        if not self.is_bound:
            year = timezone.localdate().year
            self.initial.setdefault("name", f"Инвентаризация учебного фонда {year} года")

    def clean(self):
        data = super().clean()
        start, deadline = data.get("starts_on"), data.get("deadline")
        if start and deadline and deadline < start:
            self.add_error("deadline", "Срок завершения не может быть раньше начала.")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", "Срок завершения не может быть в прошлом.")
        return data


class CommissionForm(forms.ModelForm):
    class Meta:
        model = Stocktake
        fields = ["commission_order", "commission"]
        widgets = {"commission": forms.Textarea(attrs={"rows": 3})}


class AcceptForm(forms.Form):
    act_number = forms.CharField(label="Номер акта", max_length=50)
    act_date = forms.DateField(
        label="Дата акта", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    shortage_reason = forms.ChoiceField(
        label="Причина списания недостачи", choices=Stocktake.ShortageReason.choices
    )


class AcceptManyForm(forms.Form):
    """The campaign page's «accept the submitted sheets»: each gets its act «ИНВ-<id>»."""

    stocktakes = forms.ModelMultipleChoiceField(
        label="Школы", queryset=Stocktake.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    act_date = forms.DateField(
        label="Дата актов", widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    shortage_reason = forms.ChoiceField(
        label="Причина списания недостачи", choices=Stocktake.ShortageReason.choices
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        submitted = campaign.schools.filter(status=Stocktake.Status.SUBMITTED)
        field = self.fields["stocktakes"]
        field.queryset = submitted.select_related("school").order_by("school__short_name")
        field.label_from_instance = lambda st: (
            f"{st.school.short_name}: недостача {st.shortage_copies} экз., "
            f"излишки {st.surplus_copies} экз."
        )
        self.initial.setdefault("stocktakes", list(field.queryset))
        self.initial.setdefault("act_date", timezone.localdate())
        self.initial.setdefault("shortage_reason", Stocktake.ShortageReason.NOT_FOUND)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что пересчитать или исправить", widget=forms.Textarea(attrs={"rows": 3})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Заполненная опись (.xlsx)")


class AddLineForm(forms.Form):
    # Found on the shelf, the book is at hand: its title is what the librarian reads.
    entry = TextbookField()
    receipt_year = forms.IntegerField(label="Год поступления", min_value=1950, max_value=2100)
    counted = forms.IntegerField(label="На полке, экз.", min_value=0, max_value=100000)


class AskForm(forms.Form):
    subject = forms.CharField(label="Кратко", max_length=300)
    question = forms.CharField(label="Вопрос", widget=forms.Textarea(attrs={"rows": 5}))
