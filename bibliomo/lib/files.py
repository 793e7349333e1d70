"""Files the site hands out: a download response with a Cyrillic file name, and DOCX → PDF
through LibreOffice. Every document of every app goes out through here."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

from django.http import HttpResponse

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
_TYPES = {".docx": DOCX, ".xlsx": XLSX, ".pdf": PDF, ".csv": "text/csv; charset=utf-8"}


def content_disposition(filename: str, *, inline: bool = False) -> str:
    # RFC 6266: a Cyrillic file name reaches every browser through filename*.
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(filename)}"


def download(content: bytes, filename: str, content_type: str | None = None) -> HttpResponse:
    """``content`` as a download named ``filename`` (the type guessed from its ending)."""
    kind = content_type or _TYPES.get(Path(filename).suffix.lower(), "application/octet-stream")
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition(filename)
    return response


class ConversionUnavailable(Exception):
    """No PDF: LibreOffice is missing or failed. The message is for the user."""


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, timeout: int = 180) -> bytes:
    """Convert with ``soffice --headless --convert-to pdf`` in a private profile (two
    conversions at once would otherwise fight over the user's profile)."""
    binary = libreoffice()
    if binary is None:
        raise ConversionUnavailable("LibreOffice не установлен: PDF недоступен, скачайте DOCX.")
    with tempfile.TemporaryDirectory(prefix="bibliomo-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        try:
            subprocess.run(  # noqa: S603 — fixed arguments, no shell
                [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                 "pdf", "--outdir", str(folder), str(source)],
                check=True, capture_output=True, timeout=timeout,
            )  # fmt: skip
        except (subprocess.SubprocessError, OSError):
            raise ConversionUnavailable(
                "Не удалось получить PDF. Скачайте документ в формате DOCX."
            ) from None
        result = folder / "document.pdf"
        if not result.exists():
            raise ConversionUnavailable("LibreOffice не смог преобразовать документ в PDF.")
        return result.read_bytes()


def docx_or_pdf(data: bytes, name: str, fmt: str) -> HttpResponse:
    """A document as DOCX, or with ``fmt == "pdf"`` as PDF through the one conversion;
    without LibreOffice the user is told to take the DOCX (503), never a server error."""
    if fmt != "pdf":
        return download(data, f"{name}.docx")
    try:
        pdf = docx_to_pdf(data)
    except ConversionUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return download(pdf, f"{name}.pdf")
