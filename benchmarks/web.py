"""Web benchmark: server time of the main pages on a large PostgreSQL workspace.

    .venv/bin/python -m benchmarks.web [--articles N] [--annotations N] [--tags N] [--dossiers N]
                                       [--reuse] [--requests N] [--database-url URL]

Seeds a dedicated database (``benchmarks/seed.py``), then requests each page of a fixed mix
in-process with Django's test client, signed in as the workspace owner, with DEBUG off.
For each page: p50 and p95 of the server time, the number of queries, the database time
(``EXPLAIN (ANALYZE)`` of each SELECT of one request: planning + execution) and the ratio
p50 / database time, the "Django overhead ratio". It prints figures and never fails on a
missed target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/evidence_bench"
WARM_UP = 3
PAGE_TARGET_MS, SEARCH_TARGET_MS, RATIO_TARGET = 50.0, 150.0, 2.0
PLAN_LINES = 14
PHRASE = '"public inquiry"'


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    target_ms: float | None = PAGE_TARGET_MS  # None: a download, not a page the issue sets a target for


@dataclass
class Result:
    page: Page
    timings_ms: list[float]
    queries: list[str]
    db_ms: float
    slowest: tuple[float, str, dict]  # (ms, sql, plan) of the slowest query

    @property
    def p50(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        if len(self.timings_ms) < 2:  # quantiles need two samples
            return max(self.timings_ms)
        return statistics.quantiles(self.timings_ms, n=20, method="inclusive")[-1]

    @property
    def met(self) -> bool:
        return self.page.target_ms is None or self.p95 < self.page.target_ms

    @property
    def ratio(self) -> float:
        return self.p50 / self.db_ms if self.db_ms else float("inf")


# --- Set-up ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--tags", type=int, default=2_000)
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep the seeded data if it has this scale")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (after 3 warm-up ones)")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="a PostgreSQL database whose name contains 'bench' (it is emptied and filled)",
    )
    return parser.parse_args(argv)


def refusal(database_url: str) -> str:
    """Why this database may not be used, or "" if it may."""
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "The web benchmark needs PostgreSQL (its search and indexes are PostgreSQL features); skipping."
    if "bench" not in database_name(database_url):
        return "Refusing a database whose name lacks 'bench': seeding empties it (never a developer's or tests' one)."
    return ""


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def configure_environment(tmp: Path, database_url: str) -> None:
    """Before django.setup(): development settings with DEBUG off, as measured pages must be."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workspace.settings")
    os.environ["DJANGO_ENV"] = "development"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DATABASE_URL"] = database_url
    # One connection for the whole run, as a busy server keeps it: no reconnect inside a timing.
    os.environ["DATABASE_CONN_MAX_AGE"] = "3600"
    os.environ["VAR_DIR"] = str(tmp)  # the settings create broker folders there, never in var/
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    os.environ["CELERY_BROKER_URL"] = "filesystem://"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # WhiteNoise looks for collected static files, which only production has.
    warnings.filterwarnings("ignore", "No directory at", UserWarning)


def create_database(database_url: str, *, drop: bool = False) -> None:
    """CREATE DATABASE (after DROP DATABASE with `drop`) through the server's maintenance database."""
    import psycopg
    from psycopg import sql

    name = sql.Identifier(database_name(database_url))
    maintenance = urlsplit(database_url)._replace(path="/postgres").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if drop:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(database_url)]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare_data(args: argparse.Namespace, scale):
    """The seeded data: reused if asked and present, else seeded into a new database, so that
    its schema is always the current migrations' (a reused one is only migrated forward)."""
    from django.db import connections

    from benchmarks import seed

    migrate()
    if args.reuse and seed.is_seeded(scale):
        print("Reusing the seeded data (--reuse).")
        return seed.reused()
    if args.reuse and seed.has_workspace():
        # Another scale, or a load test (bench-load) adding and removing annotations right now:
        # --reuse never drops what is there.
        raise SystemExit(
            f"{database_name(args.database_url)} holds a seeded workspace of another size (or a load test is "
            "changing it now). Not dropping it with --reuse; run without --reuse to seed it again."
        )
    connections.close_all()
    started = time.perf_counter()
    create_database(args.database_url, drop=True)
    migrate()
    print(f"Database {database_name(args.database_url)} created and migrated in {time.perf_counter() - started:.1f} s.")
    return seed.seed(scale)


# --- Pages ------------------------------------------------------------------------------


def pages(scale, seeded) -> list[Page]:
    from django.urls import reverse

    from benchmarks.seed import BIG_DOSSIER_ID

    articles, search, dossier = reverse("articles:list"), reverse("articles:search"), (BIG_DOSSIER_ID,)
    filters = {"status": "ready", "site": seeded.site_name, "order": "-published"}
    passages = reverse("annotations:passages")
    return [
        Page("article list", articles),
        Page("article list, filtered", f"{articles}?{urlencode(filters)}"),
        Page(f"article list, tag ({seeded.tag_name})", f"{articles}?{urlencode({'tag_names': seeded.tag_name})}"),
        Page("article list, a month published", f"{articles}?{urlencode(a_month_published())}"),
        Page("article list, French by title", f"{articles}?language=fr&order=title"),
        Page("article list, page 2000", f"{articles}?page=2000"),
        Page(f"search, common word ({seeded.common_word})", f"{search}?q={seeded.common_word}", SEARCH_TARGET_MS),
        Page(f"search, rare word ({seeded.rare_word})", f"{search}?q={seeded.rare_word}"),
        # Two common words, next to each other in a few articles only.
        Page(f"search, phrase ({PHRASE})", f"{search}?{urlencode({'q': PHRASE})}", SEARCH_TARGET_MS),
        Page("passage search (evidence)", f"{passages}?q=evidence"),
        Page("reader, 500 annotations", reverse("reader", args=[scale.reader_id])),
        Page("dossier, big", reverse("dossiers:detail", args=dossier)),
        Page("dossier tags, big (after the page)", reverse("dossiers:tags", args=dossier)),
        Page("tags", reverse("annotations:tags")),
        Page("dossier export .md, big", reverse("dossiers:export", args=[*dossier, "md"]), None),
    ]


def a_month_published() -> dict:
    from benchmarks.seed import END_DATE

    first = END_DATE.replace(year=END_DATE.year - 1, day=1)
    return {"published_after": first.isoformat(), "published_before": (first + timedelta(days=30)).isoformat()}


# --- Measuring --------------------------------------------------------------------------


def get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    if response.streaming:  # a streamed body is produced while it is read
        b"".join(response.streaming_content)


def time_requests(client, url: str, count: int) -> list[float]:
    for _ in range(WARM_UP):
        get(client, url)
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        get(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def captured_queries(client, url: str) -> list[str]:
    """The SQL of one request, captured apart from the timed ones (capturing has a cost)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    with CaptureQueriesContext(connection) as context:
        get(client, url)
    return [query["sql"] for query in context.captured_queries]


def explain(sql: str) -> tuple[float, dict]:
    """(planning + execution ms, plan) of one SELECT; psycopg binds parameters client-side, so
    the captured SQL is complete."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")  # our own page's query
        output = cursor.fetchone()[0]
    (plan,) = json.loads(output) if isinstance(output, str) else output
    return plan["Planning Time"] + plan["Execution Time"], plan


def measure(client, page: Page, count: int) -> Result:
    timings = time_requests(client, page.url, count)
    queries = captured_queries(client, page.url)
    explained = [(*explain(sql), sql) for sql in queries if sql.lstrip().upper().startswith("SELECT")]
    db_ms = sum(ms for ms, _, _ in explained)
    ms, plan, sql = max(explained, key=lambda row: row[0], default=(0.0, {"Plan": {}}, ""))
    return Result(page, timings, queries, db_ms, (ms, sql, plan))


def owner_client(owner):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")  # an allowed host; the test runner's "testserver" is not set up
    client.force_login(owner)
    return client


# --- Report -----------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_table(results: list[Result], count: int) -> None:
    print(f"\nWeb benchmark: {count} requests per page after {WARM_UP} warm-up, DEBUG off, in-process client")
    header = f"  {'page':<34}{'p50 ms':>9}{'p95 ms':>9}  {'p95 target':<15}{'queries':>8}{'DB ms':>9}  ratio (< {RATIO_TARGET:g}x)"
    print(header)
    for r in results:
        target = "download" if r.page.target_ms is None else f"< {r.page.target_ms:g} {verdict(r.met)}"
        ratio = f"{r.ratio:.1f}x {verdict(r.ratio < RATIO_TARGET)}"
        print(f"  {r.page.name:<34}{r.p50:>9.1f}{r.p95:>9.1f}  {target:<15}{len(r.queries):>8}{r.db_ms:>9.1f}  {ratio}")


def print_slowest_queries(results: list[Result]) -> None:
    for r in results:
        if r.met:
            continue
        ms, sql, plan = r.slowest
        print(f"\n  {r.page.name}: p95 {r.p95:.0f} ms; slowest query {ms:.1f} ms:")
        print(f"    {' '.join(sql.split())[:300]}")
        for line in plan_lines(plan.get("Plan", {}))[:PLAN_LINES]:
            print(f"    {line}")


def plan_lines(node: dict, depth: int = 0) -> list[str]:
    """One line per plan node: type, table, index, actual time and rows, filter or sort key."""
    if not node:
        return []
    where = f" on {node['Relation Name']}" if "Relation Name" in node else ""
    index = f" using {node['Index Name']}" if "Index Name" in node else ""
    actual = (
        f"  {node.get('Actual Total Time', 0):.1f} ms, rows {node.get('Actual Rows', 0)} x{node.get('Actual Loops', 1)}"
    )
    detail = node.get("Filter") or node.get("Index Cond") or node.get("Sort Key") or ""
    removed = f", removed by filter {node['Rows Removed by Filter']}" if node.get("Rows Removed by Filter") else ""
    line = f"{'  ' * depth}{node['Node Type']}{where}{index}{actual}{removed}  {str(detail)[:120]}"
    return [line.rstrip()] + [text for child in node.get("Plans", []) for text in plan_lines(child, depth + 1)]


# --- Main -------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> None:
    from benchmarks import seed

    scale = seed.Scale(args.articles, args.annotations, args.tags, args.dossiers)
    seeded = prepare_data(args, scale)
    client = owner_client(seeded.owner)
    results = []
    for page in [p for p in pages(scale, seeded) if args.only in p.name]:
        print(f"  measuring {page.name}…".ljust(60), end="\r", file=sys.stderr, flush=True)
        results.append(measure(client, page, args.requests))
    print_table(results, args.requests)
    print_slowest_queries(results)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    reason = refusal(args.database_url)
    if reason:
        print(reason)
        return 0 if "PostgreSQL" in reason else 2
    import django

    tmp = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        configure_environment(tmp, args.database_url)
        create_database(args.database_url)
        django.setup()
        import workspace.wsgi  # noqa: F401  the web server process's start-up, as gunicorn runs it

        run(args)
    finally:
        close_connections()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def close_connections() -> None:
    from django.conf import settings

    if settings.configured:  # not when the run stopped before django.setup()
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
