"""Load test: researchers browsing, searching and annotating against gunicorn, on loopback only.

    .venv/bin/python -m benchmarks.load [--users 50] [--spawn-rate 10] [--run-time 2m] [--think-time 1-4]
                                        [--database-url URL] [--var-dir DIR]

Uses the web benchmark's seeded PostgreSQL database as it is (run `make bench-web` first; it is
never seeded, dropped or migrated here). Gives the seeded workspace one editor account per
simulated researcher, starts `gunicorn workspace.wsgi --workers 2` on a free 127.0.0.1 port with
production settings, runs locust headless (`benchmarks/locustfile.py`) for the given time, stops
gunicorn, removes what the run wrote (its annotations, the accounts' memberships), and prints
throughput, p50/p95/p99 per kind of request and overall, the error count and the machine load.
It prints figures and never fails on a missed target.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.web import DEFAULT_DATABASE_URL, database_name

BASE_DIR = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
WORKERS = 2
P95_TARGET_MS = 300
RESEARCHER = "bench-researcher-{:02d}"
SAMPLE_ARTICLES = 2_000
POPULAR_TAGS = 50
SLOWEST = 5  # requests listed with their URL
STOP_TIMEOUT = 10  # seconds locust lets a researcher finish the task in hand
SIGN_IN_ALLOWANCE = 120  # seconds the researchers have to sign in before the measured time starts anyway
LOAD_SAMPLE_SECONDS = 10
ACCESS_LOG_FORMAT = "%(s)s %(D)s %(m)s %(U)s %(q)s %({x-load-kind}i)s"  # status, microseconds, request, kind
SETTINGS_MODULE = "bench_load_settings"
# Production settings as deployed, with the collected static files in this run's folder
# (STATIC_ROOT is not read from the environment).
SETTINGS_SHIM = 'from workspace.settings import *  # noqa: F403\n\nSTATIC_ROOT = "{static}"\n'


@dataclass
class Machine:
    """Load average and CPU time over the run: the 2 cores are shared by server, client and database."""

    load_start: tuple[float, ...] = ()
    load_samples: list[float] = field(default_factory=list)
    load_end: tuple[float, ...] = ()
    busy_seconds: float = 0.0
    wall_seconds: float = 0.0
    locust_cpu: float = 0.0
    gunicorn_cpu: float = 0.0
    postgresql_cpu: float = 0.0
    serving_seconds: float = 0.0  # from the first researcher to gunicorn's exit


# --- Set-up ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent researchers")
    parser.add_argument("--spawn-rate", type=float, default=10, help="researchers started per second")
    parser.add_argument("--run-time", default="2m", help="locust's run time, e.g. 2m, 15s, 1m30s")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the web benchmark's seeded PostgreSQL database (its name must contain 'bench')",
    )
    parser.add_argument("--think-time", default="1-4", help="seconds between a researcher's clicks, MIN-MAX")
    parser.add_argument("--var-dir", type=Path, default=BASE_DIR / "var" / "bench-load", help="logs and files")
    args = parser.parse_args(argv)
    if run_seconds(args.run_time) <= 0 or args.users < 1 or args.spawn_rate <= 0:
        parser.error("--run-time, --users and --spawn-rate must be positive")
    think = re.fullmatch(r"(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)", args.think_time)
    if not think or float(think.group(1)) > float(think.group(2)):
        parser.error("--think-time is MIN-MAX seconds, e.g. 1-4")
    args.think_time = (float(think.group(1)), float(think.group(2)))
    return args


def run_seconds(run_time: str) -> int:
    """Seconds in a locust run time ("2m", "90s", "1h5m"); 0 if it is not one."""
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", run_time.strip())
    if not parts:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + seconds


def refusal(database_url: str) -> str:
    """Why this run cannot go ahead, or "" if it can."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "The load test needs the web benchmark's PostgreSQL database; skipping."
    if "bench" not in database_name(database_url):
        return "Refusing a database whose name lacks 'bench': the load test writes to it."
    if importlib.util.find_spec("locust") is None:
        return "locust is not installed: .venv/bin/pip install -r requirements-bench.txt (or make bench-load)."
    return ""


def configure_driver(var_dir: Path, database_url: str) -> None:
    """This process only sets up accounts and reads ids: development settings with DEBUG off."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "workspace.settings"
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DATABASE_URL"] = database_url
    os.environ["VAR_DIR"] = str(var_dir)  # the settings create broker folders there, never in var/
    os.environ["MEDIA_ROOT"] = str(var_dir / "media")
    os.environ["CELERY_BROKER_URL"] = "filesystem://localhost/"
    os.environ.setdefault("LOG_LEVEL", "ERROR")


def server_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """Production settings, as `DJANGO_ENV=production` documents them, behind the assumed TLS proxy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=str(var_dir),
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_BEHIND_PROXY="1",
        DATABASE_URL=database_url,
        # Browsing and annotating enqueue nothing; should anything, it lands in this run's folder.
        CELERY_BROKER_URL="filesystem://localhost/",
        VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        LOG_LEVEL="WARNING",  # 4xx as warnings, 5xx with their traceback
    )
    return env


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


# --- The data set and the researchers' accounts ---------------------------------------------


def seeded_workspace():
    from benchmarks.seed import WORKSPACE_SLUG
    from workspace.models import Workspace

    return Workspace.objects.filter(slug=WORKSPACE_SLUG).first()


def researchers(count: int):
    from workspace.models import User

    return User.objects.filter(username__in=[RESEARCHER.format(n) for n in range(1, count + 1)])


def all_researchers():
    from workspace.models import User

    return User.objects.filter(username__regex=r"^bench-researcher-\d+$")


def add_researchers(workspace, count: int, password: str) -> list[str]:
    """Editor accounts for the run (created once, kept), all with this run's password."""
    from django.contrib.auth.hashers import make_password

    from workspace.models import Role, User
    from workspace.services import add_member

    names = [RESEARCHER.format(n) for n in range(1, count + 1)]
    User.objects.bulk_create(
        [User(username=name, first_name="Researcher", last_name=name[-2:]) for name in names], ignore_conflicts=True
    )
    researchers(count).update(password=make_password(password))  # hashed once for all
    for user in researchers(count):
        add_member(workspace=workspace, user=user, role=Role.EDITOR)
    return names


def counts(workspace) -> dict[str, int]:
    from annotations.models import Annotation, Tag
    from articles.models import Article
    from dossiers.models import Dossier

    return {
        "articles": Article.objects.in_workspace(workspace).count(),
        "annotations": Annotation.objects.in_workspace(workspace).count(),
        "tags": Tag.objects.in_workspace(workspace).count(),
        "dossiers": Dossier.objects.in_workspace(workspace).count(),
    }


def remove_run_writes(workspace, tags_up_to: int) -> int:
    """Leave the data set as seeded: delete the researchers' annotations (soft-deleted ones too),
    any tag made during a run, and their memberships (`benchmarks.web --reuse` checks the counts)."""
    from annotations.models import Annotation, Tag
    from workspace.models import Membership
    from workspace.services import remove_member

    _, removed = Annotation.objects.filter(workspace=workspace, author__in=all_researchers()).delete()
    Tag.objects.in_workspace(workspace).filter(pk__gt=tags_up_to).delete()
    for membership in Membership.objects.filter(workspace=workspace, user__in=all_researchers()):
        remove_member(membership=membership)
    return removed.get(Annotation._meta.label, 0)


def load_data(workspace, usernames: list[str], password: str) -> dict:
    """What the researchers open, passed to the locustfile as JSON."""
    from annotations.models import Tag
    from articles.models import Article, Source
    from benchmarks import seed
    from dossiers.models import Dossier

    ids = list(Article.objects.in_workspace(workspace).filter(status="ready").values_list("pk", flat=True))
    sample = random.Random(seed.RANDOM_SEED).sample(ids, min(SAMPLE_ARTICLES, len(ids)))  # noqa: S311
    reader_id = seed.Scale(articles=len(ids)).reader_id
    first_published = seed.END_DATE.replace(year=seed.END_DATE.year - seed.YEARS)
    return {
        "usernames": usernames,
        "password": password,
        "articles": len(ids),
        "article_ids": sample,
        "annotate_ids": [pk for pk in sample if pk != reader_id],  # the 500-annotation page stays as seeded
        "reader_id": reader_id,
        "big_dossier_id": seed.BIG_DOSSIER_ID,
        "dossier_ids": list(Dossier.objects.in_workspace(workspace).values_list("pk", flat=True)),
        "tag_names": list(
            Tag.objects.in_workspace(workspace).order_by("pk").values_list("name", flat=True)[:POPULAR_TAGS]
        ),
        "sites": list(Source.objects.filter(workspace=workspace).values_list("name", flat=True)),
        "common_words": [seed.COMMON_WORD, "police", "council", '"public inquiry"', "minister -police"],
        "rare_words": seed.RARE_WORDS,
        "passage_words": ["evidence", "inquiry", "documents", "spokesperson", "ministry"],
        "first_published": first_published.isoformat(),
    }


# --- Server and client --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect_static(env: dict[str, str], var_dir: Path) -> None:
    """Production's hashed static file names need the manifest that collectstatic writes."""
    (var_dir / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SHIM.format(static=var_dir / "static"))
    command = [sys.executable, "manage.py", "collectstatic", "--no-input", "--verbosity", "0"]
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True)  # noqa: S603


def start_gunicorn(env: dict[str, str], port: int, var_dir: Path, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "workspace.wsgi", "--workers", str(WORKERS)]
    # Time in the worker (not in the listen queue) per kind of request, which the researchers name in a header.
    command += ["--access-logfile", str(var_dir / "access.log"), "--access-logformat", ACCESS_LOG_FORMAT]
    # No control socket: its default path is one per machine, shared with any other gunicorn.
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket"]
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603


def wait_until_answering(server: subprocess.Popen, url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310 (loopback)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"gunicorn did not answer {url} within {timeout:.0f} s")


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        process.terminate()  # gunicorn: graceful shutdown; locust: stops its users
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_locust(args: argparse.Namespace, host: str, data: dict, var_dir: Path, machine: Machine) -> None:
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
    # The locustfile ends the run `run_seconds` after the last researcher signed in; this is a bound.
    limit = run_seconds(args.run_time) + SIGN_IN_ALLOWANCE
    command += ["-u", str(args.users), "-r", str(args.spawn_rate), "--run-time", f"{limit}s"]
    command += ["--host", host, "--csv", str(var_dir / "locust"), "--json-file", str(var_dir / "locust")]
    command += ["--stop-timeout", str(STOP_TIMEOUT)]
    env = {**os.environ, "BENCH_LOAD_DATA": json.dumps(data)}
    deadline = time.monotonic() + limit + STOP_TIMEOUT + 60
    with (var_dir / "locust.log").open("w") as log:
        client = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            while time.monotonic() < deadline:
                try:
                    client.wait(timeout=LOAD_SAMPLE_SECONDS)
                    break
                except subprocess.TimeoutExpired:
                    machine.load_samples.append(os.getloadavg()[0])
        finally:
            stop(client)


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # processes this one has waited for
    return usage.ru_utime + usage.ru_stime


def postgresql_cpu() -> float:
    """CPU seconds so far of the PostgreSQL server (all its databases): the postmaster, the
    backends it has reaped, and the live ones."""
    import psutil
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        postmaster = psutil.Process(psutil.Process(cursor.fetchone()[0]).ppid())
    own = postmaster.cpu_times()
    live = [child.cpu_times() for child in postmaster.children()]
    return own.user + own.system + own.children_user + own.children_system + sum(t.user + t.system for t in live)


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds so far of gunicorn's master and workers."""
    import psutil  # installed with locust

    master = psutil.Process(server.pid)
    times = [process.cpu_times() for process in (master, *master.children())]
    return sum(t.user + t.system for t in times)


def machine_busy() -> tuple[float, float]:
    """(busy CPU seconds of all cores, wall seconds) since boot, from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / ticks, time.monotonic()


# --- Report -------------------------------------------------------------------------------------


@dataclass
class Kind:
    """One kind of request (a locust name), or several merged, with locust's response time histogram."""

    name: str
    requests: int = 0
    failures: int = 0
    times: Counter = field(default_factory=Counter)  # ms, rounded as locust rounds them -> count
    merged: list[Kind] | None = None  # the kinds it sums up

    @classmethod
    def from_locust(cls, entry: dict) -> Kind:
        times = Counter({int(float(ms)): n for ms, n in entry["response_times"].items()})
        return cls(entry["name"], entry["num_requests"], entry["num_failures"], times)

    @classmethod
    def merge(cls, name: str, kinds: list[Kind]) -> Kind:
        times = sum((k.times for k in kinds), Counter())
        return cls(name, sum(k.requests for k in kinds), sum(k.failures for k in kinds), times, kinds)

    def percentile(self, fraction: float) -> float:
        """The smallest time that `fraction` of the requests did not exceed."""
        total = sum(self.times.values())
        seen = 0
        for ms in sorted(self.times):
            seen += self.times[ms]
            if seen >= fraction * total:
                return ms
        return float("nan")


def read_stats(var_dir: Path) -> tuple[list[Kind], float]:
    """The kinds of request of the measured minutes, and the seconds from their first request to the last."""
    path = var_dir / "locust.json"
    entries = [e for e in (json.loads(path.read_text()) if path.exists() else []) if e["num_requests"]]
    if not entries:
        return [], 0.0
    seconds = max(e["last_request_timestamp"] for e in entries) - min(e["start_time"] for e in entries)
    return sorted((Kind.from_locust(e) for e in entries), key=lambda k: k.name), seconds


def read_sign_in(var_dir: Path) -> list[Kind]:
    """The sign-in requests, kept apart by the locustfile before the measured minutes began."""
    path = var_dir / "sign-in.json"
    return [Kind.from_locust(e) for e in (json.loads(path.read_text()) if path.exists() else [])]


def access_log(log_path: Path) -> list[tuple[float, str, str]]:
    """(milliseconds in a gunicorn worker, request, kind) of each researcher's request, from the access log."""
    requests = []
    for line in log_path.read_text().splitlines() if log_path.exists() else []:
        _status, micros, method, path, query, kind = line.split(" ", 5)
        if kind != "-":  # not a researcher's: the driver's readiness probe
            requests.append((int(micros) / 1000, f"{method} {path}{'?' + query if query else ''}", kind))
    return requests


def worker_times(requests: list[tuple[float, str, str]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    for ms, _, kind in requests:
        times.setdefault(kind, []).append(ms)
    return times


def exact_percentile(times: list[float], fraction: float) -> float:
    if not times:
        return float("nan")
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(fraction * len(ordered)) - 1))]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_report(args: argparse.Namespace, var_dir: Path, machine: Machine) -> None:
    kinds, seconds = read_stats(var_dir)
    if not kinds:
        print(f"No statistics from locust: see {var_dir / 'locust.log'}")
        return
    overall = Kind.merge("overall", kinds)
    print(
        f"\nLoad test: {args.users} researchers (started {args.spawn_rate:g}/s), measured for {seconds:.0f} s ", end=""
    )
    print(f"once all had signed in; gunicorn {WORKERS} sync workers, DJANGO_ENV=production, loopback")
    print(
        f"  think time {args.think_time[0]:g}-{args.think_time[1]:g} s; times in ms as the researchers saw them, ",
        end="",
    )
    print("then inside a gunicorn worker (without the wait for a free worker)")
    requests = access_log(var_dir / "access.log")
    worker = worker_times(requests)
    measured = [r for r in requests if r[2] in {k.name for k in kinds}]
    busy = sum(ms for ms, _, _ in measured) / 1000 or float("nan")
    print_kinds([*kinds, overall], kinds, worker, seconds, busy)
    print(f"  (share: of the {busy:.0f} s the {WORKERS} workers were busy with these requests)")
    for ms, request, _ in sorted(measured, reverse=True)[:SLOWEST]:
        print(f"  slowest in a worker: {ms:8.0f} ms  {request}")
    print_sign_in(read_sign_in(var_dir), worker)
    errors = overall.failures + count_exceptions(var_dir)
    p95 = overall.percentile(0.95)
    print(f"\n  throughput: {overall.requests / seconds:.1f} requests/s ({overall.requests} in {seconds:.0f} s)")
    print(f"  errors: {errors} (the sign-in included)")
    print(f"  target p95 < {P95_TARGET_MS} ms (overall): {p95:.0f} ms, {verdict(p95 < P95_TARGET_MS)}")
    slow = [f"{k.name} ({k.percentile(0.95):.0f})" for k in kinds if k.percentile(0.95) >= P95_TARGET_MS]
    print(f"  kinds with p95 >= {P95_TARGET_MS} ms: {', '.join(slow) or 'none'}")
    print(f"  target no errors: {errors}, {verdict(errors == 0)}")
    print("  (times as locust records them: rounded to 2 significant digits over 100 ms)")
    print_machine(machine)
    print_failures(var_dir)


def print_kinds(
    rows: list[Kind], kinds: list[Kind], worker: dict[str, list[float]], seconds: float, busy: float
) -> None:
    print(f"  {'request kind':<26}{'requests':>9}{'errors':>7}{'req/s':>7}{'p50':>7}{'p95':>7}{'p99':>7}", end="")
    print(f"   {'worker p50':>10}{'p95':>7}{'share':>7}")
    for kind in rows:
        print(f"  {kind.name:<26}{kind.requests:>9}{kind.failures:>7}{kind.requests / seconds:>7.2f}", end="")
        print("".join(f"{kind.percentile(q):>7.0f}" for q in (0.5, 0.95, 0.99)), end="")
        times = worker.get(kind.name) or [t for k in kinds if k in (kind.merged or []) for t in worker.get(k.name, [])]
        print(f"   {exact_percentile(times, 0.5):>10.0f}{exact_percentile(times, 0.95):>7.0f}", end="")
        print(f"{sum(times) / 1000 / busy:>7.0%}" if busy == busy else "")


def print_sign_in(kinds: list[Kind], worker: dict[str, list[float]]) -> None:
    """The ramp: every researcher signing in at once, before the measured minutes (not in their figures)."""
    if not kinds:
        print("\n  sign-in: no figures (the measured minutes never started: see locust.log)")
        return
    print("\n  signing in, before the measured minutes (all researchers at once; a password hash each):")
    for kind in kinds:
        times = worker.get(kind.name, [])
        print(f"    {kind.name:<24}{kind.requests:>9}{kind.failures:>7}", end="")
        print("".join(f"{kind.percentile(q):>7.0f}" for q in (0.5, 0.95, 0.99)), end="")
        print(f"   {exact_percentile(times, 0.5):>10.0f}{exact_percentile(times, 0.95):>7.0f}")


def print_machine(machine: Machine) -> None:
    cores = os.cpu_count() or 1
    samples = machine.load_samples or [float("nan")]
    print(f"\n  machine: {cores} cores; load average (1, 5, 15 min) at start {fmt(machine.load_start)}, ", end="")
    print(f"at end {fmt(machine.load_end)}; 1-min average during the run: max {max(samples):.2f}")
    busy = machine.busy_seconds / machine.wall_seconds / cores * 100 if machine.wall_seconds else float("nan")
    other = machine.busy_seconds - machine.gunicorn_cpu - machine.locust_cpu - machine.postgresql_cpu
    print(f"  CPU during the run: machine {busy:.0f}% busy; CPU seconds: gunicorn {machine.gunicorn_cpu:.0f}, ", end="")
    print(f"PostgreSQL (all databases) {machine.postgresql_cpu:.0f}, locust {machine.locust_cpu:.0f}, ", end="")
    print(f"everything else (other work) {other:.0f}, in {machine.wall_seconds:.0f} s")


def fmt(load: tuple[float, ...]) -> str:
    return " ".join(f"{value:.2f}" for value in load)


def count_exceptions(var_dir: Path) -> int:
    """Errors inside the locustfile itself (they are not requests, so not failures)."""
    path = var_dir / "locust_exceptions.csv"
    if not path.exists():
        return 0
    with path.open(newline="") as exceptions:
        return sum(int(row.get("Count") or 0) for row in csv.DictReader(exceptions))


def print_failures(var_dir: Path) -> None:
    """Failed requests grouped by kind and error (query strings left out), then the server's view."""
    path = var_dir / "locust_failures.csv"
    grouped: Counter = Counter()
    for row in csv.DictReader(path.open(newline="")) if path.exists() else []:
        grouped[row["Method"], row["Name"], re.sub(r"\?[^,' ]*", "", row["Error"])] += int(row["Occurrences"])
    for (method, name, error), occurrences in grouped.most_common():
        print(f"  failed: {occurrences} x {method} {name}: {error}")
    path = var_dir / "locust_exceptions.csv"
    for row in csv.DictReader(path.open(newline="")) if path.exists() else []:
        print(f"  locustfile exception: {row['Count']} x {row['Message']} at {row['Traceback'][-300:]}")
    server_log(var_dir / "gunicorn.log")


def server_log(log_path: Path, limit: int = 3) -> None:
    """Refusals the server logged (4xx as warnings), then its first ERROR records with their tracebacks."""
    lines = log_path.read_text(errors="replace").splitlines() if log_path.exists() else []
    warnings = Counter(m.group(1) for line in lines if (m := re.search(r" WARNING (\S+: [^:]+):", line)))
    for message, occurrences in warnings.most_common():
        print(f"  server warning: {occurrences} x {message}")
    starts = [i for i, line in enumerate(lines) if re.search(r" (ERROR|CRITICAL) |\[(ERROR|CRITICAL)\]", line)]
    print(f"  server log: {len(starts)} error records ({log_path})", end="")
    print(f"; the first {min(limit, len(starts))}:" if starts else "")
    for start in starts[:limit]:
        block = [lines[start]]
        for line in lines[start + 1 : start + 60]:
            if re.match(r"^(\d{4}-\d\d-\d\d|\[\d{4})", line):
                break
            block.append(line)
        print("\n".join(f"    {line}" for line in block))


# --- Main ---------------------------------------------------------------------------------------


def run(args: argparse.Namespace, var_dir: Path) -> None:
    from django.db import OperationalError

    try:
        workspace = seeded_workspace()
    except OperationalError as error:
        print(f"Cannot use {database_name(args.database_url)}: {str(error).strip()}; run `make bench-web` first.")
        return
    if workspace is None:
        print("No seeded benchmark workspace in this database: run `make bench-web` first.")
        return
    if pending := pending_migrations():
        print(f"The database lacks migrations {', '.join(pending)}: `python -m benchmarks.web --reuse` applies them.")
        return
    from annotations.models import Tag

    tags_up_to = Tag.objects.in_workspace(workspace).order_by("-pk").values_list("pk", flat=True).first() or 0
    remove_run_writes(workspace, tags_up_to)  # a killed earlier run's leftovers
    before = counts(workspace)
    print(f"Data set: {describe(before)} (workspace {workspace.slug}).")
    postgresql_started = postmaster_start()
    try:
        password = secrets.token_urlsafe(16)
        data = load_data(workspace, add_researchers(workspace, args.users, password), password)
        data.update(
            think_time=args.think_time,
            users=args.users,
            run_seconds=run_seconds(args.run_time),
            sign_in_file=str(var_dir / "sign-in.json"),
        )
        machine = load_test(args, var_dir, data)
    finally:
        close_connections()  # a new connection, should the server have been restarted meanwhile
        removed = remove_run_writes(workspace, tags_up_to)
        after = counts(workspace)
        postgresql_now = postmaster_start()
        close_connections()
    print_report(args, var_dir, machine)
    if postgresql_now != postgresql_started:
        print(f"  PostgreSQL was restarted during the run, by other work (at {postgresql_now:%H:%M:%S} UTC)")
    print(f"\n  annotations written by the run, removed: {removed:,}; data set back as found: ", end="")
    print(f"{verdict(after == before)} ({describe(after)})")


def postmaster_start():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


def describe(found: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in found.items())


def load_test(args: argparse.Namespace, var_dir: Path, data: dict) -> Machine:
    env = server_environment(var_dir, args.database_url)
    collect_static(env, var_dir)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    machine = Machine(load_start=os.getloadavg())
    wall = 0.0
    with (var_dir / "gunicorn.log").open("w") as log:
        server = start_gunicorn(env, port, var_dir, log)
        try:
            wait_until_answering(server, f"{host}/accounts/login/")
            print(f"gunicorn on {host}; {args.users} researchers for {args.run_time}…", flush=True)
            cpu, served, database, (busy, wall) = children_cpu(), server_cpu(server), postgresql_cpu(), machine_busy()
            run_locust(args, host, data, var_dir, machine)
            busy_end, wall_end = machine_busy()
            machine.postgresql_cpu = postgresql_cpu() - database
            machine.busy_seconds, machine.wall_seconds = busy_end - busy, wall_end - wall
            machine.load_end = os.getloadavg()
            machine.locust_cpu = children_cpu() - cpu
            machine.gunicorn_cpu = server_cpu(server) - served
        finally:
            stop(server)
            machine.serving_seconds = time.monotonic() - wall if wall else 0.0
    return machine


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reason = refusal(args.database_url)
    if reason:
        print(reason)
        return 0 if "needs" in reason or "locust" in reason else 2
    import django

    var_dir = args.var_dir.resolve()
    shutil.rmtree(var_dir, ignore_errors=True)  # this run's logs and statistics only
    var_dir.mkdir(parents=True)
    try:
        configure_driver(var_dir, args.database_url)
        django.setup()
        run(args, var_dir)
    finally:
        close_connections()
    return 0


def close_connections() -> None:
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
