"""Every importer fed hostile and broken files: each is refused with a Russian message
(no traceback, no server error), nothing is saved, and the answer comes quickly."""

from __future__ import annotations

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from bibliomo.bulletin.forms import MaterialForm
from bibliomo.bulletin.models import Material
from bibliomo.consultations.forms import QuestionForm
from bibliomo.fund.models import Document, Holding
from bibliomo.lib import uploads
from bibliomo.orders.models import PriceList
from bibliomo.plans.models import PlanItem, WorkPlan
from bibliomo.textbooks.models import FederalListEntry
from bibliomo.textbooks.tests.fpu_files import HEADER as FPU_HEADER
from tests import hostile

CYRILLIC = re.compile("[а-яё]{4}", re.IGNORECASE)
# Each refusal takes milliseconds (the bombs are refused before anything is unpacked);
# the bound leaves room for a busy test machine.
SECONDS = 5


def _errors(response) -> list[str]:
    """The messages shown on an import page: the importer's and the form's."""
    found = list(response.context.get("errors") or [])
    form = response.context.get("form")
    if form is not None:
        found += [m for messages in form.errors.values() for m in messages]
    return [str(m) for m in found]


def _refused(response, started: float, name: str) -> None:
    elapsed = time.monotonic() - started
    assert response.status_code == 200, name
    html = response.content.decode()
    assert "Traceback" not in html, name
    messages = _errors(response)
    assert messages, name
    assert all(CYRILLIC.search(m) for m in messages), (name, messages)
    assert elapsed < SECONDS, (name, elapsed)


TABLE_IMPORTERS = {
    "federal list": (
        "admin",
        lambda w: reverse("textbook_import"),
        FPU_HEADER,
        {"edition": "Приказ № 858 от 21.09.2022"},
        lambda: FederalListEntry.objects.count(),
    ),
    "opening balances": (
        "librarian",
        lambda w: reverse("fund_stock_import", args=[w.school_a.pk]),
        ["Порядковый номер", "Наименование", "Год поступления", "Количество экземпляров"],
        {},
        lambda: (Document.objects.count(), Holding.objects.count()),
    ),
    "price lists": (
        "head",
        lambda w: reverse("orders:prices"),
        ["Порядковый номер", "Цена"],
        {"title": "Просвещение"},
        lambda: PriceList.objects.count(),
    ),
}


@pytest.mark.parametrize("importer", list(TABLE_IMPORTERS))
def test_table_importers_refuse_hostile_files(importer, world, login):
    role, url, header, fields, saved = TABLE_IMPORTERS[importer]
    client = login(getattr(world, role))
    before = saved()
    files = hostile.tables(header)
    assert client.get(url(world)).status_code == 200  # templates loaded before timing
    for name, content in files.items():
        started = time.monotonic()
        upload = SimpleUploadedFile(name, content)
        response = client.post(url(world), {**fields, "file": upload})
        _refused(response, started, f"{importer}: {name}")
    assert saved() == before
    assert len(files) >= 15


def test_import_fpu_command_refuses_hostile_files(tmp_path, db):
    for name, content in hostile.tables(FPU_HEADER).items():
        path = tmp_path / name
        path.write_bytes(content)
        started = time.monotonic()
        with pytest.raises(CommandError) as failure:
            call_command("import_fpu", str(path), "--edition", "Приказ № 1 от 01.01.2024")
        assert CYRILLIC.search(str(failure.value)), name
        assert time.monotonic() - started < SECONDS, name
    assert not FederalListEntry.objects.exists()


def test_plan_import_refuses_hostile_documents(world, login):
    client = login(world.head)
    from bibliomo.plans.tests.test_files import CHOICE

    assert client.get(reverse("plan_import")).status_code == 200
    for name, content in hostile.documents().items():
        started = time.monotonic()
        upload = SimpleUploadedFile(name, content)
        response = client.post(reverse("plan_import"), {"start_year": CHOICE, "file": upload})
        _refused(response, started, name)
    assert not WorkPlan.objects.exists()
    assert not PlanItem.objects.exists()


def test_plan_exchange_refuses_hostile_scenarios(tmp_path):
    for name, content in hostile.scenarios().items():
        path = tmp_path / name
        path.write_bytes(content)
        out = tmp_path / "plan.json"
        started = time.monotonic()
        with pytest.raises(CommandError) as failure:
            call_command("plan_exchange", "--input", str(path), "--output", str(out))
        assert CYRILLIC.search(str(failure.value)), name
        assert "Traceback" not in str(failure.value)
        assert time.monotonic() - started < SECONDS, name
        assert not out.exists(), name


def _upload_files() -> dict[str, bytes]:
    docx = hostile.docx(["Сценарий"])
    return {
        "пустой.docx": b"",
        "пустой.txt": b"",
        "обрезанный.docx": docx[: len(docx) // 2],
        "картинка.pdf": hostile.PNG,
        "картинка.docx": hostile.PNG,
        "программа.jpg": b"MZ\x90\x00" + b"\x00" * 100,
        "бомба.docx": hostile.docx_bomb(),
        "бомба.xlsx": hostile.xlsx_bomb(),
        "utf-16.txt": "текст".encode("utf-16"),
        "вирус.exe": b"MZ\x90\x00",
    }


def test_material_and_attachment_uploads_refuse_hostile_files(world):
    files = _upload_files()
    for name, content in files.items():
        started = time.monotonic()
        form = MaterialForm(
            {"kind": Material.Kind.values[0], "title": "Сценарий", "description": "Праздник"},
            {"files": SimpleUploadedFile(name, content)},
            district=world.district,
        )
        assert not form.is_valid(), name
        assert list(form.errors) == ["files"], (name, form.errors)
        assert all(CYRILLIC.search(m) for m in form.errors["files"]), (name, form.errors)
        question = QuestionForm(
            {"subject": "Вопрос", "question": "Как быть?", "category": "fund"},
            {"attachment": SimpleUploadedFile(name, content)},
        )
        assert not question.is_valid(), name
        assert all(CYRILLIC.search(m) for m in question.errors["attachment"]), name
        assert time.monotonic() - started < SECONDS, name
    assert not Material.objects.exists()


def test_a_real_office_file_still_passes_the_container_check():
    uploads.check_container(hostile.docx(["Сценарий"]), "a.docx", "документ Word (.docx)")
    good = SimpleUploadedFile("сценарий.docx", hostile.docx(["Сценарий"]))
    assert uploads.check_upload(good) == "docx"
