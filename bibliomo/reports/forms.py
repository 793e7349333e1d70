from __future__ import annotations

from django import forms


class NoteForm(forms.Form):
    conclusions = forms.CharField(
        label="Выводы", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    tasks = forms.CharField(
        label="Задачи на следующий год (каждая с новой строки)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label="Общие выводы", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
