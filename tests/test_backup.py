"""Back up the demo, restore it into an empty database: every table and every uploaded
file is the same. Runs once, on SQLite (the demo takes a minute to load); PostgreSQL's
pg_dump/pg_restore path is the same command with the other branch."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="один раз, на SQLite",
)


def _manage(*args: str, db: Path, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}", "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def _rows(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY 1")
        ]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}  # noqa: S608


def test_backup_of_the_demo_restores_every_table_and_file(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "restored.sqlite3"
    media, restored_media = tmp_path / "media", tmp_path / "restored-media"
    for step in (("migrate", "-v", "0"), ("load_demo",)):
        result = _manage(*step, db=source, media=media)
        assert result.returncode == 0, result.stderr
    (media / "materials").mkdir(parents=True, exist_ok=True)
    (media / "materials" / "сценарий.docx").write_bytes(b"PK\x03\x04 a scenario")
    (media / "attachments").mkdir(exist_ok=True)
    (media / "attachments" / "акт.pdf").write_bytes(b"%PDF-1.4 an act")

    result = _manage("backup", str(tmp_path / "backups"), db=source, media=media)
    assert result.returncode == 0, result.stderr
    folder = next((tmp_path / "backups").iterdir())
    assert {p.name for p in folder.iterdir()} == {
        "database.sqlite3", "media.tar.gz", "manifest.json",
    }  # fmt: skip

    result = _manage("restore", str(folder), db=target, media=restored_media)
    assert result.returncode == 0, result.stderr
    assert "Восстановлено и сверено" in result.stdout

    before, after = _rows(source), _rows(target)
    assert len(before) > 50
    assert sum(map(len, before.values())) > 1000
    assert before == after
    files = sorted(p.relative_to(media) for p in media.rglob("*") if p.is_file())
    assert files
    assert files == sorted(
        p.relative_to(restored_media) for p in restored_media.rglob("*") if p.is_file()
    )
    for name in files:
        assert (media / name).read_bytes() == (restored_media / name).read_bytes()

    # A second restore over the restored data is refused: it is not empty.
    again = _manage("restore", str(folder), db=target, media=restored_media)
    assert again.returncode != 0
    assert "не пуста" in again.stderr
