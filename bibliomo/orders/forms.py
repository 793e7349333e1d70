from __future__ import annotations

from django import forms
from django.utils import timezone

from bibliomo.orders.models import OrderCampaign, Reason

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
    quantity = forms.IntegerField(label="К заказу", min_value=0, max_value=100000)
    reason = forms.ChoiceField(label="Причина", choices=REASON_CHOICES, required=False)
    note = forms.CharField(label="Пояснение", max_length=300, required=False)
    price = forms.DecimalField(
        label="Цена, руб.", min_value=0, max_digits=10, decimal_places=2, required=False
    )


class AddEntryForm(forms.Form):
    number = forms.CharField(
        label="Порядковый номер учебника в ФПУ",
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "1.1.1.1.1.1.1"}),
    )
    quantity = forms.IntegerField(label="Количество", min_value=1, max_value=100000)
    reason = forms.ChoiceField(label="Причина", choices=Reason.choices)
    note = forms.CharField(label="Пояснение", max_length=300, required=False)


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
