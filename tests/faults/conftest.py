"""Fault tests: real worker processes that are killed, restarted and scaled out, and a broker or
database that goes away under them.

Each worker is started as if on its own machine: its own working folder (cwd, pidfile, log) and
node name. They share what production machines share: the database, the broker and the file
store for originals (`MEDIA_ROOT`). The filesystem broker is itself a folder under `VAR_DIR`, so
on the embedded default the workers keep the test's `VAR_DIR`; on Redis each has its own.
"""

import os
import random
import re
import signal
import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.core.files.base import ContentFile
from django.db import connection
from django.db.models import Count, F

from articles import services
from articles.models import Article
from tests.conftest import ROOT, celery_worker_command, database_url, wait_for
from workspace.celery import app as celery_app

FINISHED = (Article.Status.READY, Article.Status.DUPLICATE, Article.Status.FAILED)
BATCH_SIZE = 200
# Long enough to take seconds to clean, so that a fault can be made to land in the middle of it.
LONG_REPORT_PARAGRAPHS = 1500
VOCABULARY = """council school budget report minister health police court river housing teachers parents
hospital nurses patients transport railway station bridge flood harbour energy prices market workers
union strike election voters campaign leader party members village farmers harvest weather storm coast
fishing museum library theatre artists festival students university research scientists climate forest
wildlife water drought inquiry judge prison officers ambulance doctors surgery waiting lists funding
charity volunteers families children pension benefits rent landlords tenants planning homes roads buses
cyclists airport flights tourism hotels shops high street closures jobs factory exports trade tariffs
"""
WORDS = VOCABULARY.split()
SUCCEEDED = re.compile(r"articles\.tasks\.process_article\[[0-9a-f-]+\] succeeded")
RETRIED = re.compile(r"articles\.tasks\.process_article\[[0-9a-f-]+\] retry")


# --- Articles ------------------------------------------------------------------------------


def story_page(seed: int, paragraphs: int = 6) -> str:
    """A small news page whose words are drawn at random per seed: no two are (near-)duplicates."""
    rng = random.Random(seed)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()

    title = f"{sentence(7)} ({seed})"
    body = "".join(f"<p>{sentence(45)}.</p>" for _ in range(paragraphs))
    return (
        f'<html lang="en"><head><title>{title}</title></head><body><nav>Home News Sport</nav>'
        f"<article><h1>{title}</h1>{body}</article><footer>Sign up for our newsletter</footer></body></html>"
    )


def upload_batch(*, workspace, user, count: int = BATCH_SIZE, long_at: int | None = None, seed: int = 0) -> list[int]:
    """Upload `count` distinct articles, one at a time; `long_at` is the position of a long report."""
    ids = []
    for i in range(count):
        paragraphs = LONG_REPORT_PARAGRAPHS if i == long_at else 6
        page = ContentFile(story_page(seed + i, paragraphs).encode(), name=f"story-{seed + i}.html")
        article = services.submit_file(
            workspace=workspace, user=user, file=page, content_type="text/html; charset=utf-8"
        )
        ids.append(article.pk)
    return ids


def status_counts(ids: list[int]) -> dict[str, int]:
    rows = Article.objects.filter(pk__in=ids).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def finished_count(ids: list[int]) -> int:
    return Article.objects.filter(pk__in=ids, status__in=FINISHED).count()


def wait_until_finished(ids: list[int], *, timeout: float, logs: str = "") -> None:
    try:
        wait_for(lambda: finished_count(ids) == len(ids), timeout=timeout, interval=0.1, describe="the batch")
    except AssertionError as error:
        raise AssertionError(f"{error}: {status_counts(ids)} (worker logs: {logs})") from None


def wait_until_cleaning(pk: int, *, timeout: float, logs: str = "") -> None:
    wait_for(
        lambda: Article.objects.filter(pk=pk, status=Article.Status.CLEANING).exists(),
        timeout=timeout,
        interval=0.05,
        describe=f"article {pk} to be in cleaning (worker logs: {logs})",
    )


def as_if_minutes_passed(ids: list[int], minutes: int) -> None:
    """Age the unfinished articles' last change: the worker has been down that long."""
    Article.objects.filter(pk__in=ids, status__in=Article.ACTIVE_STATUSES).update(
        status_changed_at=F("status_changed_at") - timedelta(minutes=minutes)
    )


# --- Worker processes ----------------------------------------------------------------------


class Worker:
    """A `celery worker --pool=solo` process in its own working folder; can be killed and restarted."""

    def __init__(self, name: str, folder: Path, env: dict[str, str]):
        self.name, self.folder, self.env = name, folder, env
        self.log_path = folder / "worker.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0
        folder.mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        return celery_worker_command(f"{self.name}-{os.getpid()}@%h", "--pidfile", str(self.folder / "worker.pid"))

    def start(self, *, wait: bool = True) -> "Worker":
        with open(self.log_path, "ab") as log:  # a restart appends, as on a real machine
            self.process = subprocess.Popen(
                self.command(), cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.starts += 1
        if wait:
            self.wait_until_ready()
        return self

    def wait_until_ready(self) -> None:
        wait_for(self.is_ready, timeout=90, describe=f"worker {self.name} to start (log: {self.log_path})")

    def is_ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"Worker {self.name} exited with {self.process.returncode}:\n{self.log()[-3000:]}")
        return self.log().count(" ready.") >= self.starts

    def kill(self) -> None:
        """SIGKILL: no warm shutdown, no acknowledgement, nothing handed back to the broker."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self, *, wait: bool = True) -> None:
        """Warm shutdown (it takes a few seconds: stop several without waiting, then wait)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
        if wait:
            self.wait_until_stopped()

    def wait_until_stopped(self) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def succeeded(self) -> int:
        """How many process_article messages this worker has run to the end."""
        return len(SUCCEEDED.findall(self.log()))


class Machines:
    """Starts workers as if each ran on its own machine, sharing the database, broker and file store."""

    def __init__(self, folder: Path, media_root: Path, var_dir: Path):
        self.folder, self.media_root, self.shared_var_dir = folder, media_root, var_dir
        self.workers: list[Worker] = []

    def worker(self, name: str, *, broker_url: str | None = None) -> Worker:
        broker_url = broker_url or celery_app.conf.broker_url
        folder = self.folder / name
        filesystem_broker = broker_url.startswith("filesystem://")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "DATABASE_URL": database_url(connection.settings_dict),
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(self.media_root),
            "VAR_DIR": str(self.shared_var_dir if filesystem_broker else folder / "var"),
            "LOG_LEVEL": "INFO",
        }
        worker = Worker(name, folder, env)
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        return ", ".join(str(w.log_path) for w in self.workers)

    def start(self, *workers: Worker) -> list[Worker]:
        """Start workers together (each takes seconds to boot) and wait until all are ready."""
        for worker in workers:
            worker.start(wait=False)
        for worker in workers:
            worker.wait_until_ready()
        return list(workers)

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.stop(wait=False)
        for worker in self.workers:
            worker.wait_until_stopped()


def purge_queue() -> None:
    with celery_app.connection_for_write() as conn:
        celery_app.control.purge(connection=conn)


@pytest.fixture
def machines(transactional_db, settings, tmp_path):
    """Worker processes on the test database; the queue starts empty and is emptied afterwards."""
    celery_app.conf.task_always_eager = False
    purge_queue()
    pool = Machines(tmp_path / "machines", settings.MEDIA_ROOT, settings.VAR_DIR)
    yield pool
    pool.stop_all()
    purge_queue()


def uses_redis_broker() -> bool:
    return celery_app.conf.broker_url.startswith(("redis://", "rediss://"))


# --- A private Redis server ----------------------------------------------------------------


def free_loopback_port() -> int:
    """A free port below the ephemeral range, so that no outgoing connection takes it meanwhile."""
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.randrange(20000, 30000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("No free loopback port between 20000 and 30000")


class PrivateRedis:
    """A throw-away redis-server on a loopback port; never the shared one."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_loopback_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        folder.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        command = ["/usr/bin/redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, timeout=30, describe=f"redis-server on port {self.port}")

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited: {(self.folder / 'redis.log').read_text()[-2000:]}")
        try:
            with redis.Redis.from_url(self.url, socket_timeout=2) as client:
                return client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def use_broker(url: str | None) -> None:
    """Point this process (the web side, which only sends) at another broker; None: back to the configured one.

    Celery prefers the CELERY_BROKER_URL environment variable to its settings, but not to a write URL.
    """
    kombu.pools.reset()  # closes every pooled connection and forgets the pools, as Celery does after a fork
    celery_app._pool = celery_app.amqp._producer_pool = None
    celery_app.conf.broker_write_url = url


# --- PostgreSQL ----------------------------------------------------------------------------


def postgresql_cluster() -> tuple[str, str] | None:
    """(version, name) of the local cluster serving the test database, or None."""
    port = str(connection.settings_dict["PORT"] or 5432)
    try:
        output = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    for line in output.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    return None


def postgresql_ready() -> bool:
    host, port = connection.settings_dict["HOST"] or "127.0.0.1", str(connection.settings_dict["PORT"] or 5432)
    return subprocess.run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode == 0


def pg_ctlcluster(cluster: tuple[str, str], action: str) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action], check=True, timeout=120)


def restart_postgresql(cluster: tuple[str, str]) -> None:
    """A real restart (fast shutdown: every connection is cut). PostgreSQL is never left stopped."""
    try:
        pg_ctlcluster(cluster, "restart")
    finally:
        if not postgresql_ready():
            pg_ctlcluster(cluster, "start")
        wait_for(postgresql_ready, timeout=120, describe="PostgreSQL to accept connections again")
        connection.close()  # this process's connection was cut too


@pytest.fixture
def postgresql(transactional_db):
    """The local PostgreSQL cluster of the test database, which the test may restart."""
    if connection.vendor != "postgresql":
        pytest.skip("Restarting the database only applies to PostgreSQL (DATABASE_URL=postgres://…)")
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    cluster = postgresql_cluster() if host in {"127.0.0.1", "localhost", "::1"} else None
    if cluster is None:
        pytest.skip("The test database is not served by a local pg_ctlcluster cluster that this test may restart")
    yield cluster
    if not postgresql_ready():
        pg_ctlcluster(cluster, "start")


# --- A broker that is down -----------------------------------------------------------------


class QueueFolderOutage:
    """The filesystem broker's queue folder is unavailable (as when its network share is unmounted)."""

    def __init__(self):
        self.url = celery_app.conf.broker_url
        self.folder = Path(celery_app.conf.broker_transport_options["data_folder_out"])
        self.away = self.folder.with_name(f"{self.folder.name}-unavailable")

    def begin(self) -> None:
        self.folder.rename(self.away)

    def end(self) -> None:
        if self.away.exists():
            self.away.rename(self.folder)


class RedisOutage:
    """The web side's broker is a Redis server that is not running yet."""

    def __init__(self, server: PrivateRedis):
        self.server, self.url = server, server.url

    def begin(self) -> None:
        use_broker(self.url)

    def end(self) -> None:
        if self.server.process is None:
            self.server.start()


@pytest.fixture
def broker_outage(machines, tmp_path):
    """begin(): the broker goes down; end(): it is back. Never the shared Redis: a private one."""
    if uses_redis_broker():
        server = PrivateRedis(tmp_path / "redis")
        yield RedisOutage(server)
        use_broker(None)
        machines.stop_all()  # before their broker goes away
        server.stop()
    elif celery_app.conf.broker_url.startswith("filesystem://"):
        outage = QueueFolderOutage()
        yield outage
        outage.end()
    else:
        pytest.skip("A broker outage is simulated for the filesystem and Redis brokers only")
