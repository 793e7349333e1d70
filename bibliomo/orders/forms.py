from __future__ import annotations

from django import forms
from django.utils import timezone

from bibliomo.lib.formfields import RuDecimalField
from bibliomo.orders.models import OrderCampaign, Reason
from bibliomo.textbooks.forms import TextbookField

REASON_CHOICES = [("", "—"), *Reason.choices]


class CampaignForm(forms.ModelForm):
    target_year = forms.TypedChoiceField(label="На учебный год", coerce=int)

    class Meta:
        model = OrderCampaign
        fields = ["deadline", "reserve_percent", "note"]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, district=None, **kwargs):
        super().__init__(*args, **kwargs)
        from bibliomo.lib import years

        current = years.start_year_for(timezone.localdate())
        taken = set(
            OrderCampaign.objects.filter(district=district).values_list("target_year_id", flat=True)
        )
        choices = [
            (y, years.label(y)) for y in (current + 1, current, current + 2) if y not in taken
        ]
        self.fields["target_year"].choices = choices
        self.order_fields(["target_year", "deadline", "reserve_percent", "note"])

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("Срок подачи не может быть в прошлом.")
        return deadline


class LineForm(forms.Form):
    """One line of the order table; the whole table is one formset, saved at once."""

    line = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label="К заказу",
        min_value=0,
        max_value=100000,
        widget=forms.NumberInput(attrs={"class": "qty-input", "inputmode": "numeric"}),
    )
    reason = forms.ChoiceField(label="Причина", choices=REASON_CHOICES, required=False)
    note = forms.CharField(
        label="Пояснение",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "пояснение, если изменили количество"}),
    )
    price = RuDecimalField(
        label="Цена, руб.", min_value=0, max_digits=10, decimal_places=2, required=False
    )
    remove = forms.BooleanField(label="Убрать из заказа", required=False)


LineFormSet = forms.formset_factory(LineForm, extra=0)


class AddEntryForm(forms.Form):
    entry = TextbookField()
    quantity = forms.IntegerField(label="Количество", min_value=1, max_value=100000)
    reason = forms.ChoiceField(label="Причина", choices=Reason.choices)
    note = forms.CharField(label="Пояснение", max_length=300, required=False)


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label="Что и почему нужно изменить",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ReopenForm(forms.Form):
    comment = forms.CharField(
        label="Почему заказ возвращается школе",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PriceListForm(forms.Form):
    title = forms.CharField(
        label="Название", max_length=300, help_text="Например: «Просвещение», прайс-лист 2026"
    )
    file = forms.FileField(
        label="Файл Excel (.xlsx) или CSV",
        help_text="Первая строка — заголовки: «Порядковый номер» или «ISBN» и «Цена».",
    )


class DeliveryForm(forms.Form):
    number = forms.CharField(label="Номер накладной", max_length=50)
    date = forms.DateField(
        label="Дата", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    supplier = forms.CharField(label="Поставщик", max_length=300, required=False)
    basis = forms.CharField(label="Сопроводительный документ", max_length=300, required=False)
