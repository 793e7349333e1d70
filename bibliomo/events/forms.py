from __future__ import annotations

from django import forms

from bibliomo.accounts.models import User
from bibliomo.directory.models import District
from bibliomo.events.models import AgendaItem, Event, Minutes


def _members(district: District):
    return User.objects.filter(district=district, is_active=True).order_by(
        "last_name", "first_name"
    )


def plan_items(district: District):
    from bibliomo.plans.models import PlanItem

    return (
        PlanItem.objects.filter(section__plan__district=district, parent__isnull=True)
        .select_related("section__plan__year")
        .order_by("-section__plan__year__start_year", "section__order", "order", "pk")
    )


def plan_item_label(item) -> str:
    return f"{item.section.plan.year.short_label}: {item}"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "organiser",
            "description",
            "plan_item",
            "capacity",
            "registration_deadline",
            "reminder_hours",
            "status",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
        }

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["plan_item"].queryset = plan_items(district)
        self.fields["plan_item"].label_from_instance = plan_item_label
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d.%m.%Y %H:%M"]


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "order",
            "topic",
            "speaker",
            "speaker_name",
            "speaker_org",
            "duration_minutes",
            "material_url",
            "material",
        ]

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = _members(district)
        self.fields["speaker"].empty_label = "— докладчик со стороны —"


class MinutesItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["heard", "discussed", "decision", "decision_plan_item"]
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in fields[:3]}

    def __init__(self, *args, plan_choices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision_plan_item"]
        field.queryset = plan_choices if plan_choices is not None else field.queryset.none()
        field.label_from_instance = plan_item_label


class MinutesForm(forms.ModelForm):
    class Meta:
        model = Minutes
        fields = ["number", "date", "chair", "secretary", "invited", "is_published"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "invited": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = _members(district)
        self.fields["secretary"].queryset = _members(district)
