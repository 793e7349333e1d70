"""Backups: the database and the uploaded files (MEDIA_ROOT) together, and their restore.

A backup is a folder: ``database.sqlite3`` (SQLite's online backup, consistent while the
site runs) or ``database.dump`` (``pg_dump --format=custom``), ``media.tar.gz`` with
every uploaded file, and ``manifest.json`` — row counts per table and a SHA-256 of every
file — so that a restore can be checked against what was backed up.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is Russian."""


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args(db: dict[str, Any]) -> list[str]:
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return args


def _run_client(program: str, args: list[str], db: dict[str, Any]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(  # noqa: S603 — arguments from settings, no shell
            [program, *args], env=_pg_env(db), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(
            f"Не найдена программа {program}: установите клиент PostgreSQL "
            "(в Debian и Ubuntu — пакет postgresql-client той же версии, что и сервер)."
        ) from exc


def table_counts() -> dict[str, int]:
    """Rows in every table of the database."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        counts = {}
        for table in sorted(tables):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def file_sums(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root`` by its relative path."""
    sums = {}
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            sums[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def backup(destination: Path) -> Path:
    """Write a backup folder under ``destination``; returns it."""
    folder = destination / f"bibliomo-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True, exist_ok=False)
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
    elif connection.vendor == "postgresql":
        result = _run_client(
            "pg_dump",
            ["--format=custom", "--no-owner", *_pg_args(db),
             "--file", str(folder / "database.dump"), str(db["NAME"])],
            db,
        )  # fmt: skip
        if result.returncode:
            raise BackupError(f"pg_dump не смог сохранить базу: {result.stderr.strip()}")
    else:  # pragma: no cover
        raise BackupError(f"Резервное копирование базы {connection.vendor} не поддерживается.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname="media")
    manifest = {
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": table_counts(),
        "files": file_sums(media),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return folder


def restore(folder: Path, *, replace: bool = False) -> dict[str, Any]:
    """Restore a backup folder into the configured database and MEDIA_ROOT, which must
    be empty unless ``replace``; then compare with the manifest. Returns the manifest."""
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"В папке {folder} нет manifest.json: это не резервная копия.")
    manifest = json.loads(manifest_path.read_text())
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"Копия сделана из базы {manifest['database']}, а настроена {connection.vendor}."
        )
    media = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if not replace and (existing or (media.is_dir() and any(media.iterdir()))):
        raise BackupError(
            "База или папка файлов не пуста. Восстанавливайте в пустую базу "
            "(или укажите --replace, чтобы заменить всё)."
        )
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        source = sqlite3.connect(folder / "database.sqlite3")
        connection.ensure_connection()
        with source:
            source.backup(connection.connection)
        source.close()
    else:
        connection.close()
        result = _run_client(
            "pg_restore",
            ["--no-owner", "--clean", "--if-exists", "--exit-on-error",
             *_pg_args(db), "--dbname", str(db["NAME"]), str(folder / "database.dump")],
            db,
        )  # fmt: skip
        if result.returncode:
            raise BackupError(f"pg_restore не смог восстановить базу: {result.stderr.strip()}")
    if media.is_dir() and replace:
        shutil.rmtree(media)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media/") or not (member.isfile() or member.isdir()):
                continue
            member.name = member.name.removeprefix("media/")
            archive.extract(member, media, filter="data")
    differences = compare(manifest)
    if differences:
        raise BackupError("Восстановленное не совпадает с копией: " + "; ".join(differences))
    return manifest


def compare(manifest: dict[str, Any]) -> list[str]:
    """What differs between the database and MEDIA_ROOT now and the manifest."""
    differences = []
    tables = table_counts()
    for table, count in manifest["tables"].items():
        if tables.get(table) != count:
            differences.append(f"таблица {table}: {tables.get(table)} строк вместо {count}")
    files = file_sums(Path(settings.MEDIA_ROOT))
    for name, digest in manifest["files"].items():
        if files.get(name) != digest:
            differences.append(f"файл {name} отсутствует или изменён")
    return differences
