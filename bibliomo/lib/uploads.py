"""Uploaded files: checked by content and size, stored outside the web root, and served
only by views that have checked access.

A file is accepted when its extension is in the allowed set *and* its bytes are of that
kind (PDF, Office, OpenDocument, images are recognised by their signature; .txt/.csv must
be valid UTF-8 or Windows-1251 text). Nothing under MEDIA_ROOT has a public URL.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible

from bibliomo.lib import files

DOCUMENTS = frozenset(
    {"pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "ppt", "pptx", "odp", "txt", "csv"}
)
IMAGES = frozenset({"jpg", "jpeg", "png", "gif", "webp"})
ARCHIVES = frozenset({"zip"})
ANY_MATERIAL = DOCUMENTS | IMAGES | ARCHIVES

# Office files are ZIP containers; an old-style one may be reported by its container.
_SAME_KIND = {"jpeg": {"jpg"}, "docx": {"zip"}, "xlsx": {"zip"}, "pptx": {"zip"}, "odt": {"zip"},
              "ods": {"zip"}, "odp": {"zip"}, "doc": {"xls", "ppt"}, "xls": {"doc", "ppt"},
              "ppt": {"doc", "xls"}}  # fmt: skip
_TEXT = {"txt", "csv"}
_CONTAINERS = {"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"}


def _looks_like_text(head: bytes) -> bool:
    # UTF-16 (a byte-order mark) reads as gibberish in either encoding below.
    if b"\x00" in head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def check_upload(
    upload: Any, allowed: frozenset[str] = ANY_MATERIAL, max_mb: int | None = None
) -> str:
    """Validate an uploaded file; returns its extension, raises a Russian ValidationError."""
    limit = (max_mb or settings.MAX_UPLOAD_MB) * 1024 * 1024
    name = getattr(upload, "name", "") or ""
    ext = PurePath(name).suffix.lower().lstrip(".")
    if upload.size > limit:
        raise ValidationError(
            f"Файл «{name}» слишком большой: {upload.size / 1048576:.1f} МБ, "
            f"допускается не больше {limit // 1048576} МБ."
        )
    if ext not in allowed:
        raise ValidationError(
            f"Файлы «.{ext or '—'}» не принимаются. Допустимые форматы: "
            + ", ".join(sorted(allowed))
            + "."
        )
    if not upload.size:
        raise ValidationError(f"Файл «{name}» пуст.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if ext in _TEXT:
        if not _looks_like_text(head):
            raise ValidationError(f"Файл «{name}» не похож на текстовый файл .{ext}.")
        return ext
    kind = filetype.guess(head)
    detected = kind.extension if kind else None
    if detected != ext and detected not in _SAME_KIND.get(ext, set()):
        raise ValidationError(
            f"Содержимое файла «{name}» не соответствует расширению .{ext}"
            + (f" (похоже на .{detected})." if detected else ".")
        )
    if ext in _CONTAINERS:
        # Stored, not read here, but opened by whoever downloads it: no zip bombs.
        upload.seek(0)
        check_container(upload.read(), name, f"файл .{ext}")
        upload.seek(0)
    return ext


MAX_UNPACKED_MB = 80
MAX_RATIO = 200  # ordinary Office files pack 5–20 times; a zip bomb, thousands


def check_container(
    data: bytes, name: str, kind: str, max_unpacked_mb: int = MAX_UNPACKED_MB
) -> None:
    """Refuse an Office file (a ZIP) that is broken or unpacks to more than we read:
    300 KB can hold gigabytes of XML. ``kind`` names the format for the message
    («книга Excel (.xlsx)»). Only the ZIP directory is read, so this takes milliseconds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError(f"Файл «{name}» повреждён или обрезан: это не {kind}.") from exc
    # The sizes are what the archive claims; zipfile refuses to unpack more than that,
    # so a lie only makes the reading fail, not run long.
    if unpacked > max_unpacked_mb * 1024 * 1024 or (
        unpacked > 5 * 1024 * 1024 and unpacked > MAX_RATIO * len(data)
    ):
        raise ValidationError(
            f"Файл «{name}» слишком велик для загрузки: в распакованном виде "
            f"{unpacked / 1048576:.0f} МБ. Разделите его на части."
        )


@deconstructible
class UploadValidator:
    """A model/form field validator: ``validators=[UploadValidator(uploads.DOCUMENTS)]``."""

    def __init__(
        self, allowed: frozenset[str] | set[str] = ANY_MATERIAL, max_mb: int | None = None
    ):
        self.allowed = frozenset(allowed)
        self.max_mb = max_mb

    def __call__(self, value: Any) -> None:
        upload = getattr(value, "file", value)
        if getattr(value, "_committed", False) and not hasattr(upload, "content_type"):
            return  # an already stored file is not checked again
        if not hasattr(upload, "name") or upload.name is None:
            upload.name = value.name
        check_upload(value, self.allowed, self.max_mb)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (self.allowed, self.max_mb) == (
            other.allowed,
            other.max_mb,
        )


# MEDIA_ROOT is read lazily (and follows settings changes in tests); MEDIA_URL is not
# routed anywhere, so these files have no public address.
private_storage = FileSystemStorage()


def private_storage_callable() -> FileSystemStorage:
    """For ``FileField(storage=...)``: keeps the path out of migrations."""
    return private_storage


def serve(field_file: Any, download_name: str | None = None, inline: bool = False) -> FileResponse:
    """Stream a stored file; call only after the view has checked access."""
    if not field_file:
        raise Http404("Файл не найден")
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404("Файл не найден") from None
    name = download_name or PurePath(field_file.name).name
    response = FileResponse(handle, as_attachment=not inline, filename=name)
    response["Content-Disposition"] = files.content_disposition(name, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
