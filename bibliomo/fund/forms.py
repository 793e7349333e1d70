from __future__ import annotations

from django import forms

from bibliomo.directory.models import District, School
from bibliomo.fund.models import Document, DocumentLine, Reason, Source
from bibliomo.lib.formfields import RuDecimalField
from bibliomo.textbooks.forms import TextbookField
from bibliomo.textbooks.models import Curriculum


class EntryField(TextbookField):
    """The textbook of a fund form's line: picked by title, author or number."""


class CurriculumForm(forms.ModelForm):
    entry = EntryField()

    class Meta:
        model = Curriculum
        fields = ["grade", "subject", "entry", "copies_per_student"]

    def __init__(self, *args, school, year, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.school = school
        self.instance.year_id = year

    def clean(self):
        data = super().clean()
        entry, grade = data.get("entry"), data.get("grade")
        if (
            entry
            and grade
            and entry.grade_from
            and not (entry.grade_from <= grade <= (entry.grade_to or grade))
        ):
            self.add_error(
                "entry", f"Учебник предназначен для {entry.grades} кл., а не для {grade} кл."
            )
        if entry and grade and data.get("subject"):
            exists = Curriculum.objects.filter(
                school=self.instance.school, year_id=self.instance.year_id, grade=grade,
                subject=data["subject"], entry=entry,
            ).exists()  # fmt: skip
            if exists:
                raise forms.ValidationError(
                    "Этот учебник уже есть в перечне для этого класса и предмета."
                )
        return data


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "number", "date", "source", "reason", "supplier", "basis",
            "commission_order", "commission_order_date", "commission", "responsible", "note",
        ]  # fmt: skip
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commission_order_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commission": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = kind
        if kind == Document.Kind.RECEIPT:
            for name in ("reason", "commission", "commission_order", "commission_order_date",
                         "responsible"):  # fmt: skip
                del self.fields[name]
            self.fields["source"].required = True
            # Reversals and transfers are made by their own actions, not typed by hand.
            self.fields["source"].choices = [
                c for c in Source.choices if c[0] not in (Source.REVERSAL, Source.OPENING)
            ]
        else:
            del self.fields["source"]
            self.fields["reason"].required = True
            self.fields["reason"].choices = [
                c for c in Reason.choices if c[0] not in (Reason.REVERSAL, Reason.TRANSFER)
            ]
            self.fields["supplier"].label = "кому передано (если передано)"


class LineForm(forms.ModelForm):
    entry = EntryField()
    # «1 040,00» as in the tables; «1040.5» works too.
    price = RuDecimalField(
        label="Цена, руб.", min_value=0, max_digits=10, decimal_places=2, initial=0
    )

    class Meta:
        model = DocumentLine
        fields = ["entry", "copies", "price", "receipt_year"]

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copies"].min_value = 1
        if kind == Document.Kind.RECEIPT:
            self.fields["receipt_year"].help_text = "Пусто — год даты документа."
        else:
            self.fields["receipt_year"].help_text = "Пусто — списать из самых старых поступлений."


class IntakeForm(forms.Form):
    intake = forms.IntegerField(label="ожидаемый набор в 1 класс", min_value=0, max_value=1000)


def _share_field(**kwargs) -> RuDecimalField:
    # «0,6» as people write it; the model's validators keep it within 0…1.
    return RuDecimalField(min_value=0, max_value=1, max_digits=3, decimal_places=2, **kwargs)


class SchoolStayShareForm(forms.ModelForm):
    """The school's own share of 9th-graders who stay for the 10th; empty — automatic."""

    stay_in_10th = _share_field(
        label="Доля переходящих в 10 класс",
        required=False,
        help_text="От 0 до 1, например 0,6. Пусто — по факту прошлого года или по району.",
    )

    class Meta:
        model = School
        fields = ["stay_in_10th"]


class DistrictStayShareForm(forms.ModelForm):
    stay_in_10th_default = _share_field(
        label="Доля переходящих в 10 класс по умолчанию",
        help_text="От 0 до 1; для школ без своей доли и без данных прошлого года.",
    )

    class Meta:
        model = District
        fields = ["stay_in_10th_default"]


class WornForm(forms.Form):
    """How many copies of one batch (its year of receipt) are worn out."""

    receipt_year = forms.IntegerField(min_value=1900, max_value=2100)
    worn = forms.IntegerField(
        label="изношено",
        min_value=0,
        error_messages={
            "required": "Укажите число изношенных экземпляров.",
            "invalid": "Укажите число изношенных экземпляров.",
            "min_value": "Число изношенных экземпляров не может быть отрицательным.",
        },
    )
