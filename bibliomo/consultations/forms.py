from __future__ import annotations

from django import forms

from bibliomo.accounts.models import User
from bibliomo.consultations.models import Channel, Consultation, Message
from bibliomo.directory.models import District


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["category", "subject", "question", "attachment"]
        widgets = {"question": forms.Textarea(attrs={"rows": 6})}


class RecordedQuestionForm(forms.ModelForm):
    """The head records a question that came by phone, e-mail or in person."""

    class Meta:
        model = Consultation
        fields = ["author", "channel", "category", "subject", "question", "attachment"]
        widgets = {"question": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["author"].queryset = User.objects.filter(
            district=district, is_active=True
        ).select_related("school")
        self.fields["author"].label_from_instance = lambda p: (
            f"{p.short_name}" + (f" — {p.school.short_name}" if p.school_id else "")
        )
        self.fields["channel"].choices = [c for c in Channel.choices if c[0] != Channel.WEB]
        self.initial.setdefault("channel", Channel.PHONE)


class ReplyForm(forms.ModelForm):
    class Meta:
        model = Message
        fields = ["text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        labels = {"text": "Сообщение"}


class PublishForm(forms.Form):
    question = forms.CharField(label="Вопрос", widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(label="Ответ", widget=forms.Textarea(attrs={"rows": 6}))
