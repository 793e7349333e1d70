import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bibliomo.bulletin import demo
from bibliomo.bulletin.models import Document


@pytest.fixture
def registry(world):
    def doc(number, title, status=Document.Status.IN_FORCE, **extra):
        return Document.objects.create(
            district=world.district,
            kind=extra.pop("kind", Document.Kind.ORDER),
            number=number,
            date=extra.pop("date", dt.date(2022, 9, 21)),
            issuer=extra.pop("issuer", "Минпросвещения России"),
            title=title,
            status=status,
            **extra,
        )

    new = doc("858", "Об утверждении федерального перечня учебников", tags="ФПУ, Учебники")
    old = doc(
        "254",
        "Об утверждении федерального перечня учебников",
        Document.Status.REPLACED,
        replaced_by=new,
        date=dt.date(2020, 5, 20),
    )
    law = doc(
        "78-ФЗ",
        "О библиотечном деле",
        kind=Document.Kind.LAW,
        issuer="",
        date=dt.date(1994, 12, 29),
    )
    return new, old, law


def _titles(response):
    return [d.number for d in response.context["page"]]


def test_reference_reads_as_in_russian_documents(registry):
    new, _, law = registry
    assert new.reference == "Приказ Минпросвещения России от 21.09.2022 № 858"
    assert law.reference == "Федеральный закон от 29.12.1994 № 78-ФЗ"
    assert new.tag_list == ["ФПУ", "Учебники"]
    assert new.tag_keys == "|фпу|учебники|"


def test_cyrillic_search_by_title_words_and_number(world, login, registry):
    page = login(world.librarian)
    url = reverse("document_list")
    # Case and ё are folded on both databases.
    assert _titles(page.get(url, {"q": "БИБЛИОТЕЧНОМ"})) == ["78-ФЗ"]
    assert _titles(page.get(url, {"q": "учёт перечня"})) == []
    assert sorted(_titles(page.get(url, {"q": "Федерального Перечня"}))) == ["254", "858"]
    assert _titles(page.get(url, {"q": "858"})) == ["858"]
    assert _titles(page.get(url, {"q": "78-фз"})) == ["78-ФЗ"]


def test_in_force_filter_and_replacement_link(world, login, registry):
    new, old, _ = registry
    page = login(world.librarian)
    in_force = _titles(page.get(reverse("document_list"), {"in_force": "1"}))
    assert sorted(in_force) == ["78-ФЗ", "858"]
    detail = page.get(reverse("document_detail", args=[old.pk])).content.decode()
    assert "Заменён" in detail
    assert reverse("document_detail", args=[new.pk]) in detail
    assert _titles(page.get(reverse("document_list"), {"tag": "учебники"})) == ["858"]


def test_replaced_needs_the_replacing_document(world, registry):
    new, old, _ = registry
    old.replaced_by = None
    with pytest.raises(ValidationError, match="которым заменён"):
        old.full_clean()
    new.replaced_by = old
    with pytest.raises(ValidationError, match="Заменён"):
        new.full_clean()


def test_head_adds_a_document_with_a_link_or_file(world, login):
    page = login(world.head)
    data = {
        "kind": "letter",
        "number": "01-123",
        "date": "2024-03-01",
        "title": "О заказе",
        "status": "in_force",
    }
    response = page.post(reverse("document_create"), data)
    assert response.status_code == 200
    assert "ссылку на официальный текст" in response.content.decode()
    page.post(reverse("document_create"), {**data, "url": "https://example.org/letter"})
    assert Document.objects.get(number="01-123").district == world.district
    assert login(world.librarian).post(reverse("document_create"), data).status_code == 403


def test_demo_registry_holds_the_domain_documents(world):
    from bibliomo.directory import demo as directory_demo

    directory_demo.load()
    demo.load()
    demo.load()  # idempotent
    docs = {d.number: d for d in Document.objects.filter(district__name="Каменский район")}
    assert len(docs) == len(demo.DOCUMENTS)
    assert docs["273-ФЗ"].date == dt.date(2012, 12, 29)
    assert docs["78-ФЗ"].date == dt.date(1994, 12, 29)
    assert docs["403-ФЗ"].date == dt.date(2019, 12, 2)
    assert docs["1077"].reference == "Приказ Минкультуры России от 08.10.2012 № 1077"
    assert docs["2488"].date == dt.date(2000, 8, 24)
    assert docs["858"].date == dt.date(2022, 9, 21)
    assert docs["858"].status == "in_force"
    assert {a.number for a in docs["858"].amendments.all()} == {"556", "119", "347", "769"}
    assert docs["769"].date == dt.date(2024, 11, 5)
    assert docs["769"].reference == "Приказ Минпросвещения России от 05.11.2024 № 769"
    assert docs["769"].amends == docs["858"]
    assert docs["556"].date == dt.date(2023, 7, 21)
    assert docs["119"].date == dt.date(2024, 2, 21)
    assert docs["347"].date == dt.date(2024, 5, 21)
    assert docs["254"].status == "replaced"
    assert docs["254"].replaced_by == docs["858"]
    assert docs["766"].amends == docs["254"]
    assert docs["766"].date == dt.date(2020, 12, 23)
    assert docs["345"].status == "replaced"
    assert docs["345"].date == dt.date(2018, 12, 28)
    assert docs["1053"].date == dt.date(2022, 12, 2)
    assert docs["499"].date == dt.date(2024, 7, 18)
    assert docs["715"].date == dt.date(2016, 6, 15)
    assert "информационно-библиотечных" in docs["715"].title
    assert docs["Р 7.0.97-2016"].reference == "ГОСТ Р 7.0.97-2016"
    for doc in docs.values():
        doc.full_clean()  # every demo document obeys the registry's rules
