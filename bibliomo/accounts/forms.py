from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from bibliomo.accounts.models import User
from bibliomo.outbox.services import queue_mail, render_mail


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="Логин или e-mail", widget=forms.TextInput(attrs={"autofocus": True})
    )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the letter going through the outbox."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        subject = " ".join(render_mail(subject_template_name, context).split())
        body = render_mail(email_template_name, context)
        queue_mail(to_email, subject, body)

    def get_users(self, email):
        # Unlike Django's default, people added by the head without a password may set
        # their first one this way.
        return iter(User.objects.filter(email__iexact=email, is_active=True))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "last_name",
            "first_name",
            "patronymic",
            "position",
            "phone",
            "email",
            "pd_consent",
            "uses_api",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["first_name"].required = True

    def clean_email(self) -> str:
        email = self.cleaned_data.get("email", "").strip()
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Этот e-mail уже указан у другого человека.")
        return email


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Название токена", max_length=100, help_text="Например: «Выгрузка в Excel»"
    )
