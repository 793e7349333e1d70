"""The ЕГУ mark of the Federal list: read from its own column, shown and editable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bibliomo.lib.tables import read_rows
from bibliomo.textbooks.importer import FpuImportError, import_rows
from bibliomo.textbooks.models import FederalListEntry
from bibliomo.textbooks.tests.fpu_files import HEADER, ROWS_858, xlsx

pytestmark = pytest.mark.django_db

EDITION = "Приказ № 858 от 21.09.2022"
HEADER_EGU = [*HEADER, "Единый государственный учебник"]


def _with_mark(marks: dict[str, object]) -> list[list[object]]:
    return [[*row, marks.get(row[0])] for row in ROWS_858]


def _unified() -> set[str]:
    return set(FederalListEntry.objects.filter(is_unified=True).values_list("key", flat=True))


def test_the_column_marks_unified_textbooks():
    rows = _with_mark(
        {"1.1.1.1.1.1": "да", "1.1.2.4.1.1.1.": "+", "1.1.3.5.1.1.1": 1, "1.1.1.1.1.2": "нет"}
    )
    import_rows(read_rows(xlsx(rows, header=HEADER_EGU)), EDITION)
    assert _unified() == {"1.1.1.1.1.1", "1.1.2.4.1.1.1", "1.1.3.5.1.1.1"}
    # An empty cell is «no».
    assert not FederalListEntry.objects.get(key="2.1.2.4.2.5.1").is_unified


def test_short_header_egu_is_found_too():
    rows = _with_mark({"1.1.1.1.1.2": "Да"})
    import_rows(read_rows(xlsx(rows, header=[*HEADER, "ЕГУ"])), EDITION)
    assert _unified() == {"1.1.1.1.1.2"}


def test_without_the_column_nothing_is_unified_and_a_later_list_keeps_the_flag():
    import_rows(read_rows(xlsx(ROWS_858)), EDITION)
    assert _unified() == set()
    FederalListEntry.objects.filter(key="1.1.1.1.1.1").update(is_unified=True)  # set by hand
    import_rows(read_rows(xlsx(ROWS_858)), "Приказ № 119 от 21.02.2024")
    assert _unified() == {"1.1.1.1.1.1"}
    # A list that has the column decides.
    import_rows(read_rows(xlsx(_with_mark({}), header=HEADER_EGU)), "Приказ № 347 от 21.05.2024")
    assert _unified() == set()


def test_an_unknown_mark_is_reported_and_nothing_saved():
    rows = _with_mark({"1.1.1.1.1.1": "может быть"})
    with pytest.raises(FpuImportError) as caught:
        import_rows(read_rows(xlsx(rows, header=HEADER_EGU)), EDITION)
    # Title on row 1, header on 2, column numbers on 3; the Азбука is the second data row.
    assert caught.value.errors == [
        "Строка 5, столбец «ЕГУ»: «может быть» — ожидается «да» или «нет»"
    ]
    assert not FederalListEntry.objects.exists()


def test_list_shows_the_badge(world, login):
    import_rows(read_rows(xlsx(_with_mark({"1.1.1.1.1.1": "да"}), header=HEADER_EGU)), EDITION)
    page = login(world.librarian).get(reverse("textbook_list"), {"q": "азбука"}).content.decode()
    assert 'title="Единый государственный учебник">ЕГУ</span>' in page
    page = login(world.librarian).get(reverse("textbook_list"), {"q": "физика"}).content.decode()
    assert ">ЕГУ</span>" not in page


def test_admin_edits_the_flag(world, login):
    import_rows(read_rows(xlsx(ROWS_858)), EDITION)
    entry = FederalListEntry.objects.get(key="1.1.1.1.1.2")
    client = login(world.admin)
    url = reverse("admin:textbooks_federallistentry_change", args=[entry.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "edition"}
    data.update({"is_unified": "on", "edition": entry.edition_id})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry.refresh_from_db()
    assert entry.is_unified
