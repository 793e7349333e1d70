import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bibliomo.lib import uploads


def _docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def test_real_docx_and_pdf_are_accepted():
    assert uploads.check_upload(SimpleUploadedFile("план.docx", _docx_bytes())) == "docx"
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
    assert uploads.check_upload(SimpleUploadedFile("акт.pdf", pdf)) == "pdf"


def test_text_files_in_utf8_or_cp1251():
    assert (
        uploads.check_upload(SimpleUploadedFile("a.csv", "№;Название\n".encode("cp1251"))) == "csv"
    )
    with pytest.raises(ValidationError, match="не похож на текстовый"):
        uploads.check_upload(SimpleUploadedFile("a.txt", b"\x00\x01\x02"))


def test_content_must_match_extension():
    with pytest.raises(ValidationError, match=r"не соответствует расширению \.pdf"):
        uploads.check_upload(SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 an executable"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(ValidationError, match="не соответствует"):
        uploads.check_upload(SimpleUploadedFile("image.png", buffer.getvalue()))


def test_extension_and_size_limits(settings):
    with pytest.raises(ValidationError, match="не принимаются"):
        uploads.check_upload(SimpleUploadedFile("run.exe", b"MZ"))
    settings.MAX_UPLOAD_MB = 1
    with pytest.raises(ValidationError, match="слишком большой"):
        uploads.check_upload(SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1)))


def test_serve_sets_download_headers(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    name = uploads.private_storage.save("x/отчёт.txt", io.BytesIO(b"hello"))
    from django.db.models.fields.files import FieldFile

    class Holder:
        pass

    field_file = FieldFile(
        Holder(), type("F", (), {"storage": uploads.private_storage, "name": "f"})(), name
    )
    response = uploads.serve(field_file)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"hello"
