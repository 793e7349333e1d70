from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from bibliomo.accounts.models import PersonalDataExport
from bibliomo.circulation.importer import PupilImportError, import_pupils, parse_class
from bibliomo.circulation.models import Classroom, Pupil
from bibliomo.circulation.tests.conftest import YEAR
from bibliomo.directory.models import AcademicYear


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    ws = book.active
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("ученики.xlsx", buffer.getvalue())


def test_parse_class():
    assert parse_class("5 А") == (5, "А")
    assert parse_class("10б") == (10, "Б")
    assert parse_class("11-«В»") == (11, "В")
    assert parse_class("7 г класс") == (7, "Г")
    assert parse_class("1") == (1, "")
    assert parse_class("12 А") is None
    assert parse_class("пятый") is None


def test_import_creates_classes_pupils_and_logs(world, login):
    AcademicYear.open(YEAR)
    rows = [("ФИО", "Класс", "Личный номер")]
    rows += [(f"Иванов{i} Пётр Сергеевич", f"{5 + i % 7} {'АБВ'[i % 3]}", "") for i in range(1500)]
    client = login(world.librarian)
    url = reverse("circulation_import", args=[world.school_a.pk]) + f"?year={YEAR}"
    response = client.post(url, {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Pupil.objects.filter(school=world.school_a).count() == 1500
    assert Classroom.objects.filter(school=world.school_a, year_id=YEAR).count() == 21
    pupil = Pupil.objects.get(last_name="Иванов0")
    assert (pupil.first_name, pupil.classroom.name) == ("Пётр", "5 А")
    log = PersonalDataExport.objects.get()
    assert (log.user, log.rows) == (world.librarian, 1500)


def test_bad_file_names_every_row_and_saves_nothing(world):
    rows = [
        ("ФИО", "Класс"),
        ("Петров Иван", "5 А"),
        ("Сидорова Анна", ""),  # row 3: no class
        ("Петров Иван", "6 Б"),  # row 4: the same pupil in two classes
        ("Кузнецов", "5 А"),  # row 5: no first name
        ("Орлова Мария", "13"),  # row 6: no such grade
    ]
    try:
        import_pupils(world.school_a, YEAR, list(enumerate(rows, start=1)), world.librarian)
    except PupilImportError as exc:
        errors = exc.errors
    else:  # pragma: no cover
        raise AssertionError("the import should fail")
    assert errors == [
        "Строка 3, столбец B «Класс»: не указан класс (Сидорова Анна).",
        "Строка 4: «Петров Иван» уже указан в строке 2 в классе 5 А — ученик не может "
        "учиться в двух классах. Исправьте одну из строк.",
        "Строка 5, столбец A «ФИО»: нужны фамилия и имя, а указано «Кузнецов».",
        "Строка 6, столбец B «Класс»: «13» — не класс; пишите так: 5 А, 10Б, 1.",
    ]
    assert not Pupil.objects.exists()
    assert not Classroom.objects.exists()
    assert not PersonalDataExport.objects.exists()


def test_reimport_moves_pupils_by_number(world):
    AcademicYear.open(YEAR)
    import_pupils(world.school_a, YEAR, [(1, ["Петров Иван", "5 А", "17"])], world.librarian)
    result = import_pupils(
        world.school_a, YEAR, [(1, ["Петров Иван", "5 Б", "17"])], world.librarian
    )
    assert (result.created, result.moved, result.classes) == (0, 1, 1)
    assert Pupil.objects.get().classroom.name == "5 Б"


def test_import_page_shows_errors(world, login):
    client = login(world.librarian)
    url = reverse("circulation_import", args=[world.school_a.pk]) + f"?year={YEAR}"
    response = client.post(url, {"file": _xlsx([("Петров Иван", "")])})
    assert response.status_code == 200
    assert "Строка 1, столбец B «Класс»: не указан класс" in response.content.decode()
    assert not Pupil.objects.exists()
    # Another school's librarian may not load this school's pupils.
    assert login(world.librarian_b).get(url).status_code == 403
