"""Import files, folders or a list of links into a workspace, from the command line.

    python manage.py import_articles PATH… --workspace SLUG [--user USERNAME] [--wait | --inline]
    python manage.py import_articles --urls FILE --workspace SLUG …
    python manage.py import_articles FILE --source-url URL --workspace SLUG …

Files and links go through the same services as the web form (`submit_file`, `submit_urls`).
`--source-url` gives one file the link to where its article was published, as the web form's
"Link to the original" gives a paste: it names the article's site and is its link, never fetched.
By default the worker cleans them; `--inline` cleans them in this process instead, one at a time,
through the task's own code path (claimed atomically, so each item is processed exactly once).

The command for adding the imported articles to a dossier and tagging them lives in the top
layer: `import_to_dossier` (dossiers/), a subclass of this one using `prepare` and `after_submit`.
"""

import logging
import mimetypes
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import transaction

from articles import services
from articles.forms import validate_web_address
from articles.models import Article
from articles.tasks import process_article
from workspace.models import Membership, User, Workspace

SUPPORTED_EXTENSIONS = frozenset({".html", ".htm", ".txt", ".md", ".markdown", ".pdf", ".docx"})
POLL_SECONDS = 0.5
Status = Article.Status
FINISHED = (Status.READY, Status.DUPLICATE, Status.FAILED)


@dataclass(frozen=True)
class Item:
    """One thing to import: a file path or a link."""

    path: Path | None = None
    url: str = ""

    @property
    def label(self) -> str:
        return str(self.path) if self.path is not None else self.url


class Progress:
    """`[#####     ] 12/40` on a terminal, redrawn in place; else one line per 10 %."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper, total: int, label: str, enabled: bool = True):
        self.out, self.total, self.label, self.enabled = out, total, label, enabled and total > 0
        self.tty = out.isatty()
        self.done = 0
        self.last_tenth = 0
        self.drawn = False

    def write(self, text: str) -> None:
        self.out.write(text, style_func=lambda s: s, ending="")
        self.out.flush()

    def start(self) -> None:
        if self.enabled and self.tty:
            self.draw()

    def advance(self, step: int = 1) -> None:
        self.update(self.done + step)

    def update(self, done: int) -> None:
        if not self.enabled or done == self.done:
            return
        self.done = min(done, self.total)
        if self.tty:
            self.draw()
            return
        tenth = self.done * 10 // self.total
        if tenth > self.last_tenth:
            self.last_tenth = tenth
            self.write(f"{self.label}: {self.done}/{self.total} ({tenth * 10}%)\n")

    def draw(self) -> None:
        filled = self.WIDTH * self.done // self.total
        self.write(f"\r{self.label}: [{'#' * filled}{' ' * (self.WIDTH - filled)}] {self.done}/{self.total}")
        self.drawn = True

    def note(self, message: str) -> None:
        """A one-line message that does not garble the bar."""
        if self.enabled and self.tty and self.drawn:
            self.write("\r\033[K")
        self.write(message + "\n")
        if self.enabled and self.tty and self.drawn:
            self.draw()

    def finish(self) -> None:
        if self.enabled and self.tty and self.drawn:
            self.write("\n")
            self.drawn = False


class Command(BaseCommand):
    help = (
        "Import files, folders (recursively: .html .htm .txt .md .markdown .pdf .docx) or a file of links "
        "into a workspace. The worker cleans them, or this process with --inline."
    )
    source_url = ""  # --source-url, for the one file imported

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="Files or folders to import.")
        parser.add_argument("--urls", metavar="FILE", help="A text file of links, one per line (# comments).")
        parser.add_argument("--workspace", required=True, metavar="SLUG", help="The workspace to import into.")
        parser.add_argument(
            "--source-url",
            metavar="URL",
            default="",
            help="Where the article of the one file given was published (http or https): it names the "
            "article's site and is its link. Never fetched.",
        )
        parser.add_argument("--user", metavar="USERNAME", help="The member recorded as having added the articles.")
        parser.add_argument(
            "--wait", action="store_true", help="Wait until every item is ready, a duplicate or failed, then list them."
        )
        parser.add_argument(
            "--inline", action="store_true", help="Clean the articles in this process instead of the worker."
        )
        parser.add_argument(
            "--timeout", type=float, default=600.0, metavar="SECONDS", help="How long --wait waits (default 600)."
        )

    # --- Hooks for subclasses (the dossiers app adds --dossier and --tag) ---------------------

    def prepare(self, *, workspace: Workspace, user: User | None, options: dict) -> None:
        """Called once the arguments are valid and there is something to import, before any submission."""

    def after_submit(self, article: Article) -> None:
        """Called for each new article, in the transaction that created it."""

    # --- The command ----------------------------------------------------------------------------

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        workspace = self.find_workspace(options["workspace"])
        user = self.find_user(options["user"], workspace)
        if options["timeout"] < 0:
            raise CommandError("--timeout must not be negative.")
        items = self.collect_files(options["paths"])
        if options["urls"]:
            items += self.collect_urls(options["urls"])
        if not items:
            raise CommandError("Nothing to import: give files or folders with supported files, or --urls FILE.")
        self.source_url = self.check_source_url(options["source_url"], items)
        self.prepare(workspace=workspace, user=user, options=options)

        task_conf, trace_log = process_article.app.conf, logging.getLogger("celery.app.trace")
        saved = task_conf.task_always_eager, task_conf.task_eager_propagates, trace_log.level
        if options["inline"]:
            # `submit_*` enqueue after commit: run that in this process, never through the broker.
            task_conf.task_always_eager, task_conf.task_eager_propagates = True, False
            if self.verbosity < 2:  # no "Task … succeeded" line per item across the progress bar
                trace_log.setLevel(logging.WARNING)
        try:
            article_ids = self.submit_all(items, workspace, user, inline=options["inline"])
        finally:
            task_conf.task_always_eager, task_conf.task_eager_propagates = saved[:2]
            trace_log.setLevel(saved[2])

        if options["wait"]:
            self.wait_for(article_ids, timeout=options["timeout"])
        if options["wait"] or options["inline"]:
            self.report(article_ids)
        else:
            self.stdout.write(f"{len(article_ids)} queued for the worker")

    def find_workspace(self, slug: str) -> Workspace:
        workspace = Workspace.objects.filter(slug=slug).first()
        if workspace is None:
            raise CommandError(f"No workspace with the slug “{slug}”.")
        return workspace

    def find_user(self, username: str | None, workspace: Workspace) -> User | None:
        if not username:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user with the username “{username}”.")
        if not Membership.objects.filter(workspace=workspace, user=user).exists():
            raise CommandError(f"“{username}” is not a member of the workspace “{workspace.slug}”.")
        return user

    def note(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message, style_func=lambda s: s)

    def collect_files(self, paths: list[str]) -> list[Item]:
        missing = [p for p in paths if not os.path.exists(p)]
        if missing:
            raise CommandError(f"No such file or folder: {', '.join(missing)}")
        items: list[Item] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for folder, dirnames, filenames in os.walk(path):
                    dirnames.sort()
                    for name in sorted(filenames):
                        self.consider_file(Path(folder) / name, items)
            else:
                self.consider_file(path, items)
        return items

    def consider_file(self, path: Path, items: list[Item]) -> None:
        if path.suffix.lower() not in SUPPORTED_EXTENSIONS:
            self.note(f"Skipped {path}: not a supported type ({', '.join(sorted(SUPPORTED_EXTENSIONS))}).")
        elif not path.is_file():
            self.note(f"Skipped {path}: not a regular file.")
        elif path.stat().st_size > settings.MAX_UPLOAD_BYTES:
            self.note(f"Skipped {path}: larger than the {settings.MAX_UPLOAD_BYTES} bytes limit for one file.")
        else:
            items.append(Item(path=path))

    def check_source_url(self, url: str, items: list[Item]) -> str:
        if not url:
            return ""
        try:
            validate_web_address(url)
        except ValidationError:
            raise CommandError(f"--source-url: not a web address (http or https): {url[:120]}") from None
        if len(items) != 1 or items[0].path is None:
            raise CommandError("--source-url is the link of one article: give exactly one file with it.")
        return url

    def collect_urls(self, filename: str) -> list[Item]:
        try:
            with open(filename, encoding="utf-8-sig") as handle:
                lines = handle.read().splitlines()
        except FileNotFoundError:
            raise CommandError(f"No such file: {filename}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Could not read {filename}: {error}") from None
        seen: set[str] = set()
        items = []
        for number, line in enumerate(lines, start=1):
            url = line.strip()
            if not url or url.startswith("#"):
                continue
            try:
                validate_web_address(url)
            except ValidationError:
                self.note(f"{filename}, line {number}: not a web address (http or https), skipped: {url[:120]}")
                continue
            if url in seen:
                self.note(f"{filename}, line {number}: repeated link, skipped: {url[:120]}")
                continue
            seen.add(url)
            items.append(Item(url=url))
        return items

    def submit_all(self, items: list[Item], workspace: Workspace, user: User | None, *, inline: bool) -> list[int]:
        label = "Importing and cleaning" if inline else "Importing"
        progress = Progress(self.stderr, len(items), label, enabled=self.verbosity >= 1)
        progress.start()
        article_ids = []
        for item in items:
            try:
                article = self.submit(item, workspace, user)
            except OSError as error:
                progress.note(f"Could not read {item.label}: {error.strerror or error}")
            else:
                article_ids.append(article.pk)
                if inline:
                    self.process_inline(article.pk, progress)
            progress.advance()
        progress.finish()
        return article_ids

    def submit(self, item: Item, workspace: Workspace, user: User | None) -> Article:
        with transaction.atomic():
            if item.path is not None:
                content_type = mimetypes.guess_type(item.path.name)[0] or ""
                with item.path.open("rb") as handle:
                    article = services.submit_file(
                        workspace=workspace,
                        user=user,
                        file=File(handle, name=item.path.name),
                        content_type=content_type,
                        source_url=self.source_url,
                    )
            else:
                article = services.submit_urls(workspace=workspace, user=user, urls=[item.url])[0]
            self.after_submit(article)
        return article

    def process_inline(self, article_id: int, progress: Progress) -> None:
        """Run the task body here, with its retries and its failure handling; `claim` inside
        `services.process_article` makes this a no-op if the item was already processed (the
        eager enqueue at commit) or taken by someone else."""
        if not Article.objects.filter(pk=article_id, status=Status.QUEUED).exists():
            return  # already cleaned by the eager enqueue when its transaction committed
        try:
            process_article.apply(args=(article_id,), throw=False)
        except Exception as error:  # failures are recorded on the article by the task's on_failure
            progress.note(f"Article {article_id}: {error}")

    def wait_for(self, article_ids: list[int], *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        progress = Progress(self.stderr, len(article_ids), "Waiting", enabled=self.verbosity >= 1)
        progress.start()
        while True:
            done = Article.objects.filter(pk__in=article_ids, status__in=FINISHED).count()
            progress.update(done)
            if done >= len(article_ids) or time.monotonic() >= deadline:
                break
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))
        progress.finish()

    def report(self, article_ids: list[int]) -> None:
        articles = Article.objects.filter(pk__in=article_ids).only(
            "pk", "status", "title", "label", "last_error", "kind"
        )
        by_id = {a.pk: a for a in articles}
        counts: Counter[str] = Counter()
        for pk in article_ids:
            article = by_id.get(pk)
            if article is None:  # deleted meanwhile
                continue
            counts[article.status] += 1
            line = f"{article.get_status_display().upper():<10} {article.display_title}"
            if article.status in (Status.FAILED, Status.DUPLICATE) and article.last_error:
                line += f" — {article.last_error}"
            self.stdout.write(line)
        in_progress = sum(counts[s] for s in Article.ACTIVE_STATUSES)
        self.stdout.write(
            f"{counts[Status.READY]} ready, {counts[Status.DUPLICATE]} duplicate, "
            f"{counts[Status.FAILED]} failed, {in_progress} still in progress"
        )
