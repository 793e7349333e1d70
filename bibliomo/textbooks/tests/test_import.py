# ruff: noqa: E501 — rows of a ministry table read best one per line
from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from bibliomo.fund import services
from bibliomo.fund.models import Holding
from bibliomo.fund.tests.conftest import document
from bibliomo.lib.tables import read_rows
from bibliomo.textbooks.importer import FpuImportError, import_rows
from bibliomo.textbooks.models import FederalListEdition, FederalListEntry
from bibliomo.textbooks.tests.fpu_files import HEADER, ROWS_858, csv_file, xlsx

pytestmark = pytest.mark.django_db

EDITION = "Приказ № 858 от 21.09.2022"


def load(upload, edition=EDITION):
    return import_rows(read_rows(upload), edition)


def test_import_xlsx_in_ministry_layout():
    result = load(xlsx(ROWS_858))
    assert (result.created, result.updated, result.excluded) == (5, 0, 0)
    assert result.edition.order_date == dt.date(2022, 9, 21)
    azbuka = FederalListEntry.objects.get(number="1.1.1.1.1.1")
    assert azbuka.subject == "Русский язык"
    assert (azbuka.grade_from, azbuka.grade_to) == (1, 1)
    math = FederalListEntry.objects.get(key="1.1.2.4.1.1.1")
    assert math.number == "1.1.2.4.1.1.1."  # kept as written
    assert math.subject == "Математика"
    physics = FederalListEntry.objects.get(key="1.1.3.5.1.1.1")
    assert (physics.grades, physics.grade_from, physics.grade_to) == ("10-11", 10, 11)
    old = FederalListEntry.objects.get(key="2.1.2.4.2.5.1")
    assert old.status == FederalListEntry.Status.EXCLUDED
    assert old.use_until == dt.date(2025, 9, 25)
    assert physics.status == FederalListEntry.Status.INCLUDED
    assert physics.use_until is None


def test_import_csv_cp1251_same_result():
    result = load(csv_file(ROWS_858))
    assert result.created == 5
    assert FederalListEntry.objects.get(key="2.1.2.4.2.5.1").use_until == dt.date(2025, 9, 25)


def test_repeated_header_rows_are_skipped():
    rows = [*ROWS_858[:3], HEADER, [str(i) for i in range(1, 7)], *ROWS_858[3:]]
    assert load(xlsx(rows)).created == 5


def test_bad_file_reports_every_row_and_saves_nothing():
    rows = [
        *ROWS_858,
        ["1.1.2.4.1.1.2", "", "Мерзляк А. Г.", "6", "Вентана-Граф", None],
        ["1.1.2.4.1.1.3", "Математика", "Никольский С. М.", "13", "Просвещение", None],
        ["1.1.2.4.1.1.4", "Математика", "Дорофеев Г. В.", "5", "Просвещение", "весной"],
        ["1.1.2.4.1.1.1", "Математика", "Виленкин Н. Я.", "5", "Просвещение", None],
        ["1,1,2", "Математика", "Петерсон Л. Г.", "5", "Просвещение", None],
    ]
    with pytest.raises(FpuImportError) as caught:
        load(xlsx(rows))
    errors = caught.value.errors
    # Header on rows 2–3; entries start at row 4.
    assert errors == [
        "Строка 11, столбец «Наименование учебника»: не заполнено",
        "Строка 12, столбец «Класс»: «13» — не класс (ожидается 1–11 или диапазон, например 10-11)",
        "Строка 13, столбец «Предельный срок использования»: «весной» — не дата (ожидается дд.мм.гггг)",
        "Строка 14, столбец «Порядковый номер учебника»: номер 1.1.2.4.1.1.1 уже встречался в строке 8",
        "Строка 15, столбец «Порядковый номер учебника»: «1,1,2» — не порядковый номер (например 1.1.1.1.1.1)",
    ]  # fmt: skip
    assert not FederalListEntry.objects.exists()
    assert not FederalListEdition.objects.exists()


def test_file_without_the_columns_is_refused():
    with pytest.raises(FpuImportError, match="Не найдены столбцы: «Класс»"):
        load(xlsx([["1.1", "x"]], header=["Порядковый номер", "Наименование учебника"]))


def test_not_a_spreadsheet_is_refused():
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="не является книгой Excel"):
        read_rows(SimpleUploadedFile("fpu.xlsx", b"%PDF-1.4 not a workbook"))


def test_newer_edition_updates_by_number_and_excludes_the_rest(world):
    load(xlsx(ROWS_858))
    russian = FederalListEntry.objects.get(key="1.1.1.1.1.2")
    services.post(document(world.school_a, "receipt", [(russian, 25)]))
    newer = [row for row in ROWS_858 if row[0] != "1.1.1.1.1.2"]
    newer[1] = [*newer[1][:2], "Горецкий В. Г., Кирюшкин В. А., Виноградская Л. А.", *newer[1][3:]]
    result = load(xlsx(newer), "Приказ № 119 от 21.02.2024")
    assert (result.created, result.updated) == (0, 4)
    assert result.excluded == 1
    russian.refresh_from_db()
    assert russian.status == FederalListEntry.Status.EXCLUDED
    assert russian.excluded_by == "Приказ № 119 от 21.02.2024"
    assert russian.use_until is None  # never computed
    assert Holding.objects.get(school=world.school_a, entry=russian).copies == 25
    azbuka = FederalListEntry.objects.get(key="1.1.1.1.1.1")
    assert "Виноградская" in azbuka.authors
    assert azbuka.edition.title == "Приказ № 119 от 21.02.2024"
    assert azbuka.history.count() == 2  # who and when, for each import


def test_next_edition_rewrites_only_what_changed(world):
    import_rows(read_rows(xlsx(ROWS_858)), EDITION, world.admin)
    created = FederalListEntry.objects.get(key="1.1.1.1.1.1").history.get()
    assert (created.history_type, created.history_user) == ("+", world.admin)
    assert created.title == "Русский язык. Азбука (в 2 частях)"
    newer = [list(row) for row in ROWS_858]
    newer[2][5] = dt.date(2027, 5, 31)  # «Русский язык», 2 кл.: a use-until date arrives
    result = load(xlsx(newer), "Приказ № 769 от 05.11.2024")
    assert (result.created, result.updated, result.excluded) == (0, 5, 0)
    edition = FederalListEdition.objects.get(title="Приказ № 769 от 05.11.2024")
    assert set(FederalListEntry.objects.values_list("edition", flat=True)) == {edition.pk}
    changed = FederalListEntry.objects.get(key="1.1.1.1.1.2")
    assert changed.use_until == dt.date(2027, 5, 31)
    assert changed.status == FederalListEntry.Status.EXCLUDED
    assert changed.history.count() == 2
    assert changed.history.first().use_until == dt.date(2027, 5, 31)
    # An entry the new edition repeats word for word only moves to it.
    same = FederalListEntry.objects.get(key="1.1.2.4.1.1.1")
    assert same.history.count() == 1
    assert same.title == "Математика (в 2 частях)"


def test_next_edition_records_who_and_when_for_each_changed_entry(world):
    import_rows(read_rows(xlsx(ROWS_858)), EDITION, world.admin)
    newer = [list(row) for row in ROWS_858 if row[0] != "1.1.1.1.1.1"]
    newer[1][5] = dt.date(2027, 5, 31)  # «Русский язык», 2 кл.
    before = dt.datetime.now(dt.UTC)
    import_rows(read_rows(xlsx(newer)), "Приказ № 769 от 05.11.2024", world.head)
    changed = FederalListEntry.objects.get(key="1.1.1.1.1.2").history.first()
    assert (changed.history_type, changed.history_user) == ("~", world.head)
    assert changed.history_date >= before
    # The history row is the whole entry after the change, not only the changed field.
    assert (changed.use_until, changed.status) == (dt.date(2027, 5, 31), "excluded")
    assert changed.title == "Русский язык"
    assert changed.edition.title == "Приказ № 769 от 05.11.2024"
    gone = FederalListEntry.objects.get(key="1.1.1.1.1.1").history.first()
    assert (gone.history_type, gone.history_user) == ("~", world.head)
    assert (gone.status, gone.excluded_by) == ("excluded", "Приказ № 769 от 05.11.2024")
    assert gone.title == "Русский язык. Азбука (в 2 частях)"


def test_search_cyrillic_case_insensitive():
    load(xlsx(ROWS_858))
    assert FederalListEntry.objects.search("ВИЛЕНКИН математика").get().key == "1.1.2.4.1.1.1"
    assert FederalListEntry.objects.search("азбука").count() == 1
    assert FederalListEntry.objects.search("физика мякишев").count() == 1
    assert not FederalListEntry.objects.search("химия").exists()


def test_import_fpu_command(tmp_path, capsys):
    path = tmp_path / "fpu.xlsx"
    path.write_bytes(xlsx(ROWS_858).read())
    call_command("import_fpu", str(path), "--edition", EDITION)
    assert FederalListEntry.objects.count() == 5
    assert "добавлено 5" in capsys.readouterr().out

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx([["1.1.1.1.1.9", "Русский язык", "Канакина В. П.", "15", "П", None]]).read()
    )
    with pytest.raises(CommandError, match="ничего не изменено"):
        call_command("import_fpu", str(bad))
    assert "Строка 4, столбец «Класс»" in capsys.readouterr().err


def test_import_page_for_admin_only(world, login):
    from django.urls import reverse

    url = reverse("textbook_import")
    response = login(world.head).post(url, {"edition": EDITION, "file": xlsx(ROWS_858)})
    assert response.status_code == 403
    assert not FederalListEntry.objects.exists()
    client = login(world.admin)
    bad = xlsx([["1.1.1.1.1.9", "Русский язык", "Канакина В. П.", "15", "П", None]])
    response = client.post(url, {"edition": EDITION, "file": bad})
    assert "Строка 4, столбец «Класс»: «15» — не класс" in response.content.decode()
    assert not FederalListEntry.objects.exists()
    response = client.post(url, {"edition": EDITION, "file": xlsx(ROWS_858)})
    assert response.status_code == 302
    assert FederalListEntry.objects.count() == 5
    assert (
        FederalListEntry.objects.get(key="1.1.1.1.1.1").history.first().history_user == world.admin
    )
    listing = client.get(reverse("textbook_list"), {"q": "МЯКИШЕВ"})
    assert [e.key for e in listing.context["page"]] == ["1.1.3.5.1.1.1"]


ORDER_769 = "Приказ Минпросвещения России от 05.11.2024 № 769"
HEADER_769 = [
    "Порядковый номер учебника",
    "Наименование учебника",
    "Автор/авторский коллектив",
    "Класс",
    "Предельный срок использования исключенных учебников",
    "ЕГУ",
]


def test_amending_order_769_changes_only_what_it_names(world):
    load(xlsx(ROWS_858))
    old = FederalListEntry.objects.get(key="2.1.2.4.2.5.1")
    assert old.use_until == dt.date(2025, 9, 25)
    rows = [
        # A new use-until date for an entry already excluded; authors left empty: kept.
        ["2.1.2.4.2.5.1.", "Математика. Алгебра (старое издание)", None, "7", dt.date(2027, 8, 31), None],
        # Physics keeps its place in the list and becomes an ЕГУ.
        ["1.1.3.5.1.1.1", "Физика", None, "10-11", None, "да"],
        # Excluded by this order with its own date.
        ["1.1.1.1.1.2", "Русский язык", None, "2", "31.05.2026", None],
        # Added by it.
        ["1.1.3.3.1.1.1", "История. История России. 1914—1945 годы", "Мединский В. Р., Торкунов А. В.", "10", None, "да"],
    ]  # fmt: skip
    result = import_rows(read_rows(xlsx(rows, header=HEADER_769)), ORDER_769, amends=True)
    assert (result.created, result.updated, result.excluded) == (1, 3, 0)
    edition = FederalListEdition.objects.get(title=ORDER_769)
    assert edition.order_date == dt.date(2024, 11, 5)
    assert edition.entry_count == 4
    old.refresh_from_db()
    assert old.use_until == dt.date(2027, 8, 31)
    assert old.authors == "Мордкович А. Г."  # the empty cell kept it
    assert old.publisher == "ООО «ИОЦ МНЕМОЗИНА»"  # no such column: kept
    assert old.edition == edition
    assert old.status == FederalListEntry.Status.EXCLUDED
    physics = FederalListEntry.objects.get(key="1.1.3.5.1.1.1")
    assert physics.is_unified
    assert physics.status == FederalListEntry.Status.INCLUDED
    assert physics.authors.startswith("Мякишев")
    russian = FederalListEntry.objects.get(key="1.1.1.1.1.2")
    assert (russian.status, russian.use_until) == ("excluded", dt.date(2026, 5, 31))
    assert russian.excluded_by == ORDER_769
    history = FederalListEntry.objects.get(key="1.1.3.3.1.1.1")
    assert history.is_unified
    assert history.edition == edition
    # Entries the amendment does not name are neither excluded nor re-dated.
    azbuka = FederalListEntry.objects.get(key="1.1.1.1.1.1")
    assert azbuka.status == FederalListEntry.Status.INCLUDED
    assert azbuka.edition.title == EDITION
    assert azbuka.history.count() == 1
    assert list(FederalListEdition.objects.values_list("title", flat=True)) == [ORDER_769, EDITION]


def test_amendment_from_the_page_and_the_command(world, login, tmp_path, capsys):
    from django.urls import reverse

    load(xlsx(ROWS_858))
    rows = [["1.1.1.1.1.2", "Русский язык", None, "2", "31.05.2026", None]]
    client = login(world.admin)
    response = client.post(
        reverse("textbook_import"),
        {"edition": ORDER_769, "amends": "on", "file": xlsx(rows, header=HEADER_769)},
    )
    assert response.status_code == 302
    assert FederalListEntry.objects.filter(status="included").count() == 3  # none excluded
    path = tmp_path / "769.xlsx"
    path.write_bytes(xlsx([[*rows[0][:4], "31.08.2027", None]], header=HEADER_769).read())
    call_command("import_fpu", str(path), "--edition", ORDER_769, "--amends")
    assert "исключено 0" in capsys.readouterr().out
    assert FederalListEntry.objects.get(key="1.1.1.1.1.2").use_until == dt.date(2027, 8, 31)
    assert FederalListEntry.objects.count() == 5


def test_import_page_asks_for_the_order_and_keeps_what_was_typed(world, login):
    from django.urls import reverse

    client = login(world.admin)
    url = reverse("textbook_import")
    response = client.post(url, {"edition": "  ", "amends": "on", "file": xlsx(ROWS_858)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Укажите приказ, например «Приказ № 858 от 21.09.2022»." in page
    # The box stays ticked, so that a second try does not exclude the whole list.
    assert 'name="amends" id="id_amends" class="form-check-input" checked' in page
    assert not FederalListEntry.objects.exists()
