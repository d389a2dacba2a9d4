import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import ArticleFactory, MembershipFactory, UserFactory, WorkspaceFactory
from workspace.celery import app as celery_app
from workspace.models import Role

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def eager_tasks():
    """Unit tests run tasks in-process; worker tests start a real worker instead.

    Errors are not propagated, as in a worker: retries run and failures reach `on_failure`.
    """
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Investigations desk")


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory(name="Sports desk")


def member_client(workspace, role) -> Client:
    membership = MembershipFactory(workspace=workspace, role=role)
    client = Client()
    client.force_login(membership.user)
    client.user = membership.user
    return client


@pytest.fixture
def owner_client(workspace):
    return member_client(workspace, Role.OWNER)


@pytest.fixture
def editor_client(workspace):
    return member_client(workspace, Role.EDITOR)


@pytest.fixture
def viewer_client(workspace):
    return member_client(workspace, Role.VIEWER)


@pytest.fixture
def outsider_client(other_workspace):
    """A signed-in member of another workspace."""
    return member_client(other_workspace, Role.OWNER)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def article(workspace):
    return ArticleFactory(workspace=workspace)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the test database, so a worker process uses the same one."""
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
    return f"postgres://{auth}@{settings_dict['HOST']}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def celery_worker_command(hostname: str, *extra: str) -> list[str]:
    """A `celery worker` of this project in one process (solo pool), as the tests start it."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workspace",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-mingle",
        "--without-gossip",
        "--hostname",
        hostname,
        *extra,
    ]


@pytest.fixture
def worker_settings() -> str:
    """The settings module of the worker process a test starts; a test module may override it
    (`tests.worker_settings` lets the worker fetch from a `local_site` on 127.0.0.1)."""
    return "workspace.settings"


@pytest.fixture
def celery_worker_process(transactional_db, settings, tmp_path, worker_settings):
    """A real `celery worker` process consuming the configured broker and the test database."""
    from django.db import connection

    celery_app.conf.task_always_eager = False
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": worker_settings,
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            celery_worker_command(f"test-{os.getpid()}@%h"),
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    process.log_path = log_path
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(predicate, *, timeout: float = 60, interval: float = 0.25, describe: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {describe}")


class LocalSite:
    """A real HTTP server on 127.0.0.1 serving the pages a test registers."""

    def __init__(self):
        self.pages: dict[str, tuple[int, dict[str, str], bytes]] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                site.hits.append(self.path)
                status, headers, body = site.pages.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def add(self, path: str, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, {"Content-Type": content_type}, data)
        return self.url(path)

    def redirect(self, path: str, location: str):
        self.pages[path] = (302, {"Location": location}, b"")
        return self.url(path)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"


@pytest.fixture
def local_site():
    site = LocalSite()
    site.thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def claimed_article():
    """`services.claim` as the tests of claiming use it: the article taken (its original aside), or None."""
    from articles import services

    def claim(article_id: int, resume_attempt: int | None = None):
        claimed = services.claim(article_id, resume_attempt)
        return claimed[0] if claimed else None

    return claim
