from __future__ import annotations

from django import forms

from bibliomo.accounts.models import Role, User
from bibliomo.directory.models import District, School


class SchoolForm(forms.ModelForm):
    website = forms.URLField(label="сайт", required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = [
            "full_name",
            "short_name",
            "kind",
            "parent",
            "inn",
            "okpo",
            "director",
            "address",
            "lat",
            "lon",
            "phone",
            "email",
            "website",
        ]
        widgets = {"full_name": forms.Textarea(attrs={"rows": 2})}
        localized_fields = ["lat", "lon"]

    def __init__(self, *args, district: District, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.district = district
        parents = School.objects.filter(district=district, parent__isnull=True, is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "— самостоятельная школа —"
        self.fields["lat"].help_text = "Градусы, например 53,7905"
        self.fields["lon"].help_text = "Градусы, например 81,3461"

    def clean_lat(self):
        lat = self.cleaned_data.get("lat")
        if lat is not None and not -90 <= lat <= 90:
            raise forms.ValidationError("Широта — от −90 до 90 градусов.")
        return lat

    def clean_lon(self):
        lon = self.cleaned_data.get("lon")
        if lon is not None and not -180 <= lon <= 180:
            raise forms.ValidationError("Долгота — от −180 до 180 градусов.")
        return lon


class PersonForm(forms.ModelForm):
    send_invitation = forms.BooleanField(
        label="Отправить приглашение на e-mail",
        required=False,
        help_text="Человек получит ссылку, чтобы задать себе пароль и войти.",
    )

    class Meta:
        model = User
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "role",
            "school",
            "phone",
            "email",
            "username",
            "pd_consent",
        ]
        labels = {"username": "логин"}
        help_texts = {"username": "Латинские буквы, цифры и символы @ . + - _"}

    def __init__(self, *args, district: District, editor: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True
        self.fields["school"].queryset = School.objects.filter(district=district, is_active=True)
        roles = [c for c in Role.choices if c[0] != Role.ADMIN or editor.is_admin]
        self.fields["role"].choices = roles
        if self.instance.pk:
            self.fields.pop("send_invitation")

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email:
            clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError("Этот e-mail уже указан у другого человека.")
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("send_invitation") and not cleaned.get("email"):
            self.add_error("email", "Чтобы отправить приглашение, укажите e-mail.")
        return cleaned

    def save(self, commit: bool = True) -> User:
        person = super().save(commit=False)
        person.district = self.district
        if person._state.adding:
            person.set_unusable_password()
        if commit:
            person.save()
        return person

    def _post_clean(self) -> None:
        # The model's clean() checks the district against the school: set it first.
        self.instance.district = self.district
        super()._post_clean()
