from __future__ import annotations

from django import forms

from bibliomo.accounts.models import User
from bibliomo.directory.models import District
from bibliomo.lib import names, uploads, years
from bibliomo.plans import timing as tm
from bibliomo.plans.models import PlanItem, PlanItemExecution, PlanSection, WorkPlan

MONTH_CHOICES = [("", "—")] + [(m, tm.MONTH_NAMES[m - 1].capitalize()) for m in tm.ACADEMIC_MONTHS]


def year_choices(around: int, span: int = 3) -> list[tuple[int, str]]:
    return [(y, years.label(y)) for y in range(around - span, around + span + 1)]


class WorkPlanForm(forms.ModelForm):
    class Meta:
        model = WorkPlan
        fields = ["title", "theme", "goal", "tasks"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "theme": forms.Textarea(attrs={"rows": 3}),
            "goal": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 8}),
        }


class YearForm(forms.Form):
    start_year = forms.TypedChoiceField(label="Учебный год", coerce=int)

    def __init__(self, *args, around: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = year_choices(around)


class PlanCreateForm(WorkPlanForm):
    start_year = forms.TypedChoiceField(label="Учебный год", coerce=int)

    class Meta(WorkPlanForm.Meta):
        fields = ["start_year", *WorkPlanForm.Meta.fields]

    def __init__(self, *args, around: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = year_choices(around)


class ReturnForm(forms.Form):
    comment = forms.CharField(label="Что нужно исправить", widget=forms.Textarea(attrs={"rows": 3}))


class SectionForm(forms.ModelForm):
    class Meta:
        model = PlanSection
        fields = ["number", "title", "layout"]


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        short = names.short_name(obj.last_name, obj.first_name, obj.patronymic)
        return f"{short} ({obj.school.short_name})" if obj.school_id else short


class PlanItemForm(forms.ModelForm):
    month_from = forms.TypedChoiceField(
        label="С месяца", choices=MONTH_CHOICES, coerce=int, required=False, empty_value=None
    )
    month_to = forms.TypedChoiceField(
        label="По месяц",
        choices=MONTH_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Пусто — один месяц.",
    )

    def save(self, commit: bool = True):
        # Edited by the head after copying: the dates are hers now.
        self.instance.review_note = ""
        return super().save(commit)

    class Meta:
        model = PlanItem
        fields = [
            "number",
            "content",
            "responsible",
            "responsible_people",
            "timing_kind",
            "month_from",
            "month_to",
            "date",
            "place",
            "expected_result",
            "indicator",
            "subitems_title",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "responsible": forms.Textarea(attrs={"rows": 2}),
            "place": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, district: District, is_subitem: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_people"] = PeopleChoice(
            queryset=User.objects.filter(district=district, is_active=True).select_related(
                "school"
            ),
            required=False,
            label="Ответственные участники",
            help_text="Они смогут сами отмечать выполнение пункта.",
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )
        if is_subitem:
            # A sub-item is a line of the nested table: a number and a text.
            for name in list(self.fields):
                if name not in ("number", "content"):
                    del self.fields[name]


class ExecutionForm(forms.ModelForm):
    class Meta:
        model = PlanItemExecution
        fields = ["date", "status", "note", "indicator_value", "evidence_url", "evidence_file"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, item: PlanItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not item.indicator:
            del self.fields["indicator_value"]
        else:
            self.fields["indicator_value"].label = item.get_indicator_display()


class ImportForm(forms.Form):
    start_year = forms.TypedChoiceField(label="Учебный год", coerce=int)
    file = forms.FileField(label="Файл плана (.docx)")

    def __init__(self, *args, around: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_year"].choices = year_choices(around)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        uploads.check_upload(upload, frozenset({"docx"}))
        return upload
