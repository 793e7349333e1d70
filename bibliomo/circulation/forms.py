from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from bibliomo.circulation.models import Classroom, Loan, Pupil
from bibliomo.textbooks.forms import TextbookField
from bibliomo.textbooks.models import FederalListEntry


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["grade", "letter", "teacher", "teacher_name", "size", "return_by"]
        widgets = {"return_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, school, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The class teacher may be one of the school's people in the directory.
        from bibliomo.accounts.models import User

        self.fields["teacher"].queryset = User.objects.filter(
            school=school, is_active=True
        ).order_by("last_name", "first_name")
        self.fields["teacher"].required = False


class PupilForm(forms.ModelForm):
    class Meta:
        model = Pupil
        fields = ["last_name", "first_name", "number"]


class MoveForm(forms.Form):
    LEAVE = "leave"
    target = forms.ChoiceField(label="Куда")

    def __init__(self, *args, classes, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.classes = {str(c.pk): c for c in classes}
        self.fields["target"].choices = [
            ("", "— выберите —"),
            *[(pk, f"в {c.name} класс") for pk, c in self.classes.items()],
            (self.LEAVE, "выбыл из школы"),
        ]

    def classroom(self) -> Classroom | None:
        return self.classes.get(self.cleaned_data["target"])


class IssueForm(forms.Form):
    entry = TextbookField()
    copies = forms.IntegerField(label="Экземпляров", min_value=1, max_value=200, initial=1)

    def __init__(self, *args, entries: QuerySet[FederalListEntry], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only what the school holds can be issued: the picker offers that and no more.
        self.fields["entry"] = TextbookField(entries=entries)


class StaffIssueForm(IssueForm):
    kind = forms.ChoiceField(
        label="Кому",
        choices=[(Loan.Kind.TEACHER, "учителю"), (Loan.Kind.CABINET, "в кабинет")],
    )
    holder = forms.CharField(
        label="Учитель или кабинет", max_length=200, help_text="Например: Петрова Н. А. или каб. 12"
    )


class SettleForm(forms.Form):
    how = forms.ChoiceField(
        label="Как оформить",
        choices=[
            ("replace", "заменён равноценным (списание «утрата» и поступление «взамен утерянных»)"),
            ("writeoff", "списать по акту с причиной «утрата»"),
        ],
        widget=forms.RadioSelect,
        initial="writeoff",
    )
    number = forms.CharField(label="Номер акта", max_length=50)
    date = forms.DateField(
        label="Дата", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ClassroomEditForm(ClassroomForm):
    class Meta(ClassroomForm.Meta):
        fields = ["grade", "letter", "teacher", "teacher_name", "return_by"]
