"""The PostgreSQL path of backup and restore: pg_dump of a filled database and its uploaded
files, pg_restore into an empty database, and every table's rows and every file the same.
Runs once, on PostgreSQL; the SQLite path is tests/test_backup.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from bibliomo.directory import backup

ROOT = Path(__file__).resolve().parent.parent
URL = os.environ.get("DATABASE_URL", "sqlite")

pytestmark = pytest.mark.skipif(not URL.startswith("postgres"), reason="только на PostgreSQL")


def _url(name: str) -> str:
    return URL.rsplit("/", 1)[0] + f"/{name}"


def _server():
    db = dj_database_url.parse(URL)
    return psycopg.connect(
        host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname="postgres", autocommit=True,
    )  # fmt: skip


@pytest.fixture
def scratch_databases():
    """Two empty databases of their own, dropped afterwards."""
    names = [f"bibliomo_backup_{role}_{os.getpid()}" for role in ("source", "target")]
    with _server() as conn:
        for name in names:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield names
    with _server() as conn:
        for name in names:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _manage(*args: str, db: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": _url(db), "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _rows(name: str) -> dict[str, list[str]]:
    db = dj_database_url.parse(_url(name))
    with psycopg.connect(
        host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"] or None,
        password=db["PASSWORD"] or None, dbname=db["NAME"],
    ) as conn:  # fmt: skip
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        select = sql.SQL("SELECT * FROM {}")
        return {
            t: sorted(map(repr, conn.execute(select.format(sql.Identifier(t))))) for t in tables
        }


def test_pg_dump_backup_restores_every_table_and_file(tmp_path, scratch_databases):
    source, target = scratch_databases
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    for step in (("migrate", "-v", "0"), ("generate_region", "--schools", "6", "--entries", "200")):
        result = _manage(*step, db=source, media=media)
        assert result.returncode == 0, result.stderr
    (media / "materials").mkdir(parents=True)
    (media / "materials" / "сценарий.docx").write_bytes(b"PK\x03\x04 a scenario")
    (media / "attachments").mkdir()
    (media / "attachments" / "акт.pdf").write_bytes(b"%PDF-1.4 an act")

    result = _manage("backup", str(tmp_path / "backups"), db=source, media=media)
    assert result.returncode == 0, result.stderr
    folder = next((tmp_path / "backups").iterdir())
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    result = _manage("restore", str(folder), db=target, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "Восстановлено и сверено" in result.stdout

    before, after = _rows(source), _rows(target)
    assert len(before) > 50
    assert sum(map(len, before.values())) > 1000
    assert before == after
    for name in ("materials/сценарий.docx", "attachments/акт.pdf"):
        assert (media / name).read_bytes() == (restored_media / name).read_bytes()

    again = _manage("restore", str(folder), db=target, media=restored_media)
    assert again.returncode != 0
    assert "не пуста" in again.stderr


def test_missing_postgresql_client_is_a_russian_message(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(backup.BackupError, match="Не найдена программа pg_dump"):
        backup._run_client("pg_dump", ["--version"], {})
