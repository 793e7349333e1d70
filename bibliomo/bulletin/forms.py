from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from bibliomo.bulletin.models import (
    Document,
    JointEvent,
    Material,
    News,
    Newsletter,
    Partner,
    Publication,
)
from bibliomo.directory.models import District, School
from bibliomo.lib import uploads

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once; each is checked by content and size."""

    def __init__(self, *args, allowed: frozenset[str] = uploads.ANY_MATERIAL, **kwargs) -> None:
        self.allowed = allowed
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            uploads.check_upload(upload, self.allowed)
        return [f for f in cleaned if f]


class DistrictForm(forms.ModelForm):
    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district


class NewsForm(DistrictForm):
    files = MultipleFileField(label="Вложения", help_text="Можно выбрать несколько файлов.")

    class Meta:
        model = News
        fields = [
            "kind",
            "title",
            "body",
            "event_date",
            "deadline",
            "link",
            "participants",
            "is_public",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "event_date": DATE,
            "deadline": DATE,
        }


class DocumentForm(DistrictForm):
    class Meta:
        model = Document
        fields = [
            "kind",
            "number",
            "date",
            "issuer",
            "title",
            "summary",
            "url",
            "file",
            "status",
            "replaced_by",
            "amends",
            "tags",
        ]
        widgets = {
            "date": DATE,
            "title": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, district=district, **kwargs)
        others = Document.objects.filter(district=district).order_by("-date")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for name in ("replaced_by", "amends"):
            self.fields[name].queryset = others
            self.fields[name].empty_label = "— нет —"
            self.fields[name].label_from_instance = lambda d: f"{d.reference} {d.title[:80]}"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("url") and not cleaned.get("file"):
            self.add_error("url", "Укажите ссылку на официальный текст или приложите файл.")
        return cleaned


class NewsletterForm(DistrictForm):
    class Meta:
        model = Newsletter
        fields = ["subject", "body", "audience", "news", "documents"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "news": forms.SelectMultiple(attrs={"size": 6}),
            "documents": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, district=district, **kwargs)
        self.fields["news"].queryset = News.objects.filter(district=district)
        self.fields["documents"].queryset = Document.objects.filter(district=district)
        self.fields["documents"].label_from_instance = lambda d: d.reference
        self.fields["news"].help_text = "Ссылки на выбранные новости попадут в письмо."
        self.fields["documents"].help_text = "Ссылки на выбранные документы попадут в письмо."


class PublicationForm(DistrictForm):
    class Meta:
        model = Publication
        fields = ["title", "venue_kind", "venue", "date", "url", "file"]
        widgets = {"date": DATE, "title": forms.Textarea(attrs={"rows": 2})}


class MaterialForm(DistrictForm):
    files = MultipleFileField(label="Файлы", help_text="Можно выбрать несколько файлов.")

    class Meta:
        model = Material
        fields = ["kind", "title", "description", "grade_from", "grade_to", "tags"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


class PartnerForm(DistrictForm):
    class Meta:
        model = Partner
        fields = [
            "kind",
            "name",
            "address",
            "contact_person",
            "phone",
            "email",
            "website",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class JointEventForm(forms.ModelForm):
    class Meta:
        model = JointEvent
        fields = ["date", "title", "school", "participants", "link"]
        widgets = {"date": DATE}

    def __init__(self, *args, partner: Partner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.partner = partner
        self.fields["school"].queryset = School.objects.filter(
            district_id=partner.district_id, is_active=True
        ).order_by("short_name")
        self.fields["school"].empty_label = "— не указана —"
