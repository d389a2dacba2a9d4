"""Settings: the embedded default, switching by environment, and production's safety net."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SWITCHES = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ENV", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x8#kq2!vN7pL0wZr4tYb6mC1dF9hJ3sA5gE8uI2oP7nQ4vX0zR6yT1",
    "DJANGO_ALLOWED_HOSTS": "evidence.newsroom.test",
}
PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    " 'broker': s.CELERY_BROKER_URL, 'debug': s.DEBUG}))"
)


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "workspace.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_with(**env: str) -> dict:
    result = run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_is_sqlite_under_var_and_a_filesystem_broker(tmp_path):
    found = settings_with(VAR_DIR=str(tmp_path))
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "db.sqlite3")
    assert found["broker"].startswith("filesystem://")
    assert (tmp_path / "broker" / "queue").is_dir()


def test_database_and_broker_urls_switch_to_postgresql_and_redis():
    found = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/evidence", CELERY_BROKER_URL="redis://127.0.0.1:6379/3"
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "evidence"
    assert found["broker"] == "redis://127.0.0.1:6379/3"


def test_production_has_debug_off():
    assert settings_with(**PRODUCTION)["debug"] is False


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run(["-c", PRINT_SETTINGS], **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_check_deploy_prints_no_warning_under_production_settings():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_web_server_process_starts_with_its_long_lived_objects_frozen():
    """gunicorn's worker loads `workspace.wsgi`: every view is imported and what was loaded is kept
    out of the garbage collector's full collections (they paused a long page by 60 ms)."""
    code = "import gc, sys, workspace.wsgi; print(gc.get_freeze_count(), 'annotations.views' in sys.modules)"
    result = run(["-c", code], **PRODUCTION)
    assert result.returncode == 0, result.stderr
    frozen, views_loaded = result.stdout.split()
    assert int(frozen) > 10_000 and views_loaded == "True"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own settings")
def test_postgresql_pages_run_without_jit_or_parallel_workers():
    """Both are for long analytical queries: on a page's short ones they cost more than they save."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')")
        assert cursor.fetchone() == ("off", "0")
