import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "production-secret-key-for-the-deploy-check-" + "y" * 20,
    "ALLOWED_HOSTS": "bibliomo.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_check_deploy_is_clean_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_default_secret_key():
    env = dict(PRODUCTION)
    env.pop("SECRET_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_an_empty_secret_key():
    for blank in ("", "   "):
        result = _manage("check", **{**PRODUCTION, "SECRET_KEY": blank})
        assert result.returncode != 0
        assert "SECRET_KEY is not set" in result.stderr


def test_pages_carry_a_strict_content_security_policy(world, login):
    response = login(world.librarian).get(reverse("dashboard"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_scripts_or_styles():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                offenders.append(f"{path}: {tag}")
        if re.search(r"\sstyle=\"", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path}: inline style or event handler")
    assert not offenders, offenders


def test_static_assets_are_vendored_not_from_a_cdn():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "http://" not in base
    assert "https://" not in base
    for asset in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
    ]:
        assert (ROOT / "static" / asset).is_file()


def test_csrf_is_enforced_on_forms(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.head, backend="bibliomo.accounts.backends.UsernameOrEmailBackend")
    response = strict.post(
        reverse("school_create"), {"full_name": "X", "short_name": "X", "kind": "sosh"}
    )
    assert response.status_code == 403


def test_sqlite_file_database_is_tuned_for_several_users(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor();"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0],"
        " c.execute('PRAGMA busy_timeout').fetchone()[0],"
        " connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/scratch.sqlite3",
        DJANGO_SETTINGS_MODULE="bibliomo.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"], result.stderr


def test_workers_keep_their_database_connection():
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "print(connection.settings_dict['CONN_MAX_AGE'],"
        " connection.settings_dict['CONN_HEALTH_CHECKS'])"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DB_CONN_MAX_AGE"}
    }
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="bibliomo.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["60", "True"], result.stderr


def test_database_url_takes_postgres_urls():
    import dj_database_url

    parsed = dj_database_url.parse("postgres://u:p@db.example.org:5432/bibliomo")
    assert parsed["ENGINE"] == "django.db.backends.postgresql"
    assert parsed["NAME"] == "bibliomo"


def test_error_pages_are_russian(world, login):
    client = login(world.librarian)
    missing = client.get("/schools/999999/")
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.content.decode()
    denied = client.get(reverse("school_create"))
    assert denied.status_code == 403
    assert "Нет доступа" in denied.content.decode()


def test_collectstatic_works_in_production_mode(tmp_path):
    result = _manage(
        "collectstatic", "--noinput", **PRODUCTION, STATIC_ROOT=str(tmp_path / "static")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()  # the hashed-name manifest
