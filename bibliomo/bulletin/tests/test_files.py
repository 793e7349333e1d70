import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bibliomo.bulletin.models import Attachment, Document, Material, News, Publication
from bibliomo.bulletin.tests.factories import bulletin_objects

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def _docx() -> bytes:
    from docx import Document as Docx

    buffer = io.BytesIO()
    Docx().save(buffer)
    return buffer.getvalue()


def _material_data(**extra):
    return {"kind": "quest", "title": "Квест", "description": "Ход квеста", **extra}


def test_material_files_are_checked_by_content(world, login):
    page = login(world.librarian)
    fake = SimpleUploadedFile("сценарий.pdf", b"MZ\x90\x00 not a pdf")
    response = page.post(reverse("material_create"), _material_data(files=[fake]))
    assert response.status_code == 200
    assert "не соответствует расширению .pdf" in response.content.decode()
    assert not Material.objects.exists()
    assert not Attachment.objects.exists()
    exe = SimpleUploadedFile("run.exe", b"MZ")
    response = page.post(reverse("material_create"), _material_data(files=[exe]))
    assert "не принимаются" in response.content.decode()
    assert not Material.objects.exists()


def test_material_with_files_downloads_and_counts(world, login, settings):
    page = login(world.librarian)
    files = [SimpleUploadedFile("сценарий.docx", _docx()), SimpleUploadedFile("памятка.pdf", PDF)]
    response = page.post(reverse("material_create"), _material_data(files=files, tags="Квест"))
    material = Material.objects.get()
    assert response.status_code == 302
    assert material.author == world.librarian
    attachment = material.files.get(name="памятка.pdf")
    # Stored privately, outside any public URL.
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    download = login(world.librarian_b).get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    material.refresh_from_db()
    assert material.downloads == 1
    assert (
        login(world.outsider).get(reverse("attachment_download", args=[attachment.pk])).status_code
        == 404
    )
    assert login(None).get(reverse("attachment_download", args=[attachment.pk])).status_code == 302
    material.refresh_from_db()
    assert material.downloads == 1


def test_news_attachments_only_by_head(world, login):
    data = {
        "kind": "competition",
        "title": "Конкурс",
        "body": "Условия",
        "deadline": "2030-01-01",
        "files": [SimpleUploadedFile("положение.pdf", PDF)],
    }
    assert login(world.librarian).post(reverse("news_create"), data).status_code == 403
    data["files"] = [SimpleUploadedFile("положение.pdf", PDF)]
    login(world.head).post(reverse("news_create"), data)
    news = News.objects.get()
    assert news.attachments.count() == 1
    assert news.deadline.year == 2030


def test_deadline_only_for_competitions(world, login):
    response = login(world.head).post(
        reverse("news_create"), {"kind": "news", "title": "Новость", "deadline": "2030-01-01"}
    )
    assert "указывается для конкурса" in response.content.decode()
    assert not News.objects.exists()


def test_document_file_served_to_members_only(world, login):
    page = login(world.head)
    page.post(
        reverse("document_create"),
        {
            "kind": "local",
            "number": "5",
            "date": "2024-09-01",
            "title": "Положение о ММО",
            "status": "in_force",
            "file": SimpleUploadedFile("положение.docx", _docx()),
        },
    )
    doc = Document.objects.get()
    url = reverse("document_file", args=[doc.pk])
    assert login(world.librarian_b).get(url).status_code == 200
    assert login(world.outsider).get(url).status_code == 404
    bad = SimpleUploadedFile("вирус.docx", b"plain text, not a docx")
    response = login(world.head).post(
        reverse("document_edit", args=[doc.pk]),
        {
            "kind": "local",
            "number": "5",
            "date": "2024-09-01",
            "title": "Положение о ММО",
            "status": "in_force",
            "file": bad,
        },
    )
    assert "не соответствует" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("librarian", 200),
        ("head", 200),
        ("department", 200),
        ("librarian_b", 403),
        ("outsider", 404),
    ],
)
def test_publication_file_for_author_and_overseers(world, login, role, status):
    publication = bulletin_objects(world).publication
    publication.file = SimpleUploadedFile("статья.pdf", PDF)
    publication.save()
    response = login(world.user(role)).get(reverse("publication_file", args=[publication.pk]))
    assert response.status_code == status
    assert Publication.objects.get().file.name.startswith("bulletin/publications/")
