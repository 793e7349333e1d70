"""The textbook picker: by title, author or number, with suggestions."""

from __future__ import annotations

import pytest
from django import forms
from django.urls import reverse

from bibliomo.textbooks.forms import TextbookField, suggestion
from bibliomo.textbooks.models import FederalListEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(db):
    make = FederalListEntry.objects.create
    return {
        "abc": make(number="1.1.1.1.1.1.1", title="Азбука", authors="Горецкий В. Г.", grades="1"),
        "ru1": make(number="1.1.1.1.1.2.1", title="Русский язык", authors="Канакина В. П.",
                    grades="1"),
        "ru2": make(number="1.1.1.1.1.2.2", title="Русский язык", authors="Канакина В. П.",
                    grades="2"),
    }  # fmt: skip


def test_field_takes_a_title_an_author_a_number_or_a_suggestion(books):
    field = TextbookField()
    assert field.clean("Азбука") == books["abc"]
    assert field.clean("азбука") == books["abc"]
    assert field.clean("Горецкий") == books["abc"]
    assert field.clean("1.1.1.1.1.1.1.") == books["abc"]
    assert field.clean(suggestion(books["ru2"])) == books["ru2"]
    with pytest.raises(forms.ValidationError, match="подходят 2 учебника"):
        field.clean("Русский язык")
    with pytest.raises(forms.ValidationError, match="не найден учебник «Букварь»"):
        field.clean("Букварь")


def test_suggestions_for_members_only(world, books, login):
    url = reverse("textbook_suggest")
    got = login(world.librarian).get(url, {"q": "Азбу"}).json()["results"]
    assert got == ["1.1.1.1.1.1.1 — Азбука (Горецкий В. Г.), 1 кл."]
    assert len(login(world.librarian).get(url, {"q": "канакина"}).json()["results"]) == 2
    assert login(world.librarian).get(url, {"q": "А"}).json()["results"] == []
    assert login(None).get(url, {"q": "Азбука"}).status_code == 302
