"""Ingestion: receive what a researcher submits, store it first, then clean it in the background.

States: QUEUED → (FETCHING, for a URL) → CLEANING → READY | DUPLICATE | FAILED.
The original is stored before anything else and never deleted by processing.
"""

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from articles.cleaning import CleanedArticle, CleaningError, clean_document, near_duplicate_score, paragraph_key
from articles.fetch import FetchError, FetchRefused, FetchResult, fetch_url
from articles.models import Article, FingerprintBand, NearDuplicate, Original, Source, SourceParagraph
from articles.signals import article_text_changed
from workspace.models import User, Workspace

log = logging.getLogger(__name__)

Status = Article.Status
UNEXPECTED_FAILURE = (
    "Something unexpected went wrong while cleaning this article. What you sent is kept; "
    "try again, and tell us if it keeps failing."
)
BANDS = 16


# --- Receiving ------------------------------------------------------------------------


def safe_filename(name: str) -> str:
    """The researcher's file name as display metadata: no path, no control characters."""
    name = re.split(r"[\\/]", name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "upload"


def _sha256(chunks: Iterable[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def store_original(*, article: Article, file: File, filename: str, content_type: str, **fetch_info) -> Original:
    sha256, size = _sha256(file.chunks())
    file.seek(0)
    original = Original(
        article=article, filename=filename, content_type=content_type[:255], size=size, sha256=sha256, **fetch_info
    )
    original.file.save(sha256, file, save=False)
    original.save()
    return original


@transaction.atomic
def submit_file(
    *, workspace: Workspace, user: User, file: File, content_type: str = "", source_url: str = ""
) -> Article:
    """`source_url`: where the file's article was published, as for a paste (never fetched)."""
    filename = safe_filename(file.name)
    article = Article.objects.create(
        workspace=workspace, added_by=user, kind=Article.Kind.UPLOAD, label=filename, submitted_url=source_url
    )
    store_original(article=article, file=file, filename=filename, content_type=content_type, url=source_url)
    enqueue([article.pk])
    return article


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|article|html|body|h[1-6]|br|span|a)\b[^>]*>", text[:5000], re.I))


_NOT_TEXT = re.compile(r"<(head|script|style|title|template)\b.*?</\1\s*>", re.I | re.S)


def has_words(html: str) -> bool:
    """Markup with some text in it: a clipboard's HTML can be a bare `<meta charset>` wrapper."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|&#160;|\s", "", _NOT_TEXT.sub("", html)))


def paste_label(text: str) -> str:
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "Pasted text")
    return re.sub(r"<[^>]*>", "", first_line)[:120] or "Pasted text"


@transaction.atomic
def submit_paste(*, workspace: Workspace, user: User, text: str, html: str = "", source_url: str = "") -> Article:
    """A pasted article, stored as received: the text of the box and, when the clipboard carried
    the page's markup (`html`), that markup stored after it, so that cleaning reads it with its
    headings and paragraphs (the text stays the fallback). `source_url`: where the researcher says
    it was published; it names the site and is the article's link, and it is never fetched."""
    is_html = looks_like_html(text)  # HTML source pasted into the box itself: that is the page
    article = Article.objects.create(
        workspace=workspace,
        added_by=user,
        kind=Article.Kind.PASTE,
        label=paste_label(text),
        submitted_url=source_url,
    )
    store_original(
        article=article,
        file=ContentFile(text.encode("utf-8"), name="pasted"),
        filename="pasted.html" if is_html else "pasted.txt",
        content_type="text/html; charset=utf-8" if is_html else "text/plain; charset=utf-8",
        url=source_url,
    )
    if html and not is_html and has_words(html):
        store_original(
            article=article,
            file=ContentFile(html.encode("utf-8"), name="pasted"),
            filename="pasted.html",
            content_type="text/html; charset=utf-8",
            url=source_url,
        )
    enqueue([article.pk])
    return article


@transaction.atomic
def submit_urls(*, workspace: Workspace, user: User, urls: list[str]) -> list[Article]:
    articles = [
        Article.objects.create(
            workspace=workspace, added_by=user, kind=Article.Kind.URL, submitted_url=url, label=url[:255]
        )
        for url in urls
    ]
    enqueue([a.pk for a in articles])
    return articles


def enqueue(article_ids: list[int]) -> None:
    """Send after commit; a broker that is down loses nothing: the sweep sends it later."""
    from articles.tasks import process_article

    def send() -> None:
        for pk in article_ids:
            try:
                process_article.apply_async((pk,), retry=True, retry_policy={"max_retries": 2, "interval_step": 0.5})
            except Exception:  # the article stays QUEUED and `requeue_stale` sends it again
                log.warning("Could not reach the broker for article %s; it stays queued", pk, exc_info=True)

    transaction.on_commit(send)


@transaction.atomic
def requeue(*, article: Article) -> Article:
    """Re-clean from the stored original (or fetch again, for a URL that never arrived)."""
    Article.objects.filter(pk=article.pk).update(
        status=Status.QUEUED, last_error="", attempts=0, status_changed_at=timezone.now()
    )
    enqueue([article.pk])
    article.refresh_from_db()
    return article


def requeue_stale() -> int:
    """Send again what a dead worker or a missing broker left behind; returns how many."""
    now = timezone.now()
    stale_active = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    stale_queued = now - timedelta(minutes=settings.QUEUED_RESEND_MINUTES)
    ids = list(
        Article.objects.filter(status=Status.QUEUED, status_changed_at__lt=stale_queued).values_list("pk", flat=True)
    )
    ids += list(
        Article.objects.filter(
            status__in=[Status.FETCHING, Status.CLEANING], status_changed_at__lt=stale_active
        ).values_list("pk", flat=True)
    )
    Article.objects.filter(pk__in=ids).update(status=Status.QUEUED, status_changed_at=now)
    for pk in ids:
        log.info("Re-sending article %s, left unfinished", pk)
    if ids:
        enqueue(ids)
    return len(ids)


# --- Processing -----------------------------------------------------------------------


def set_status(article: Article, status: str, error: str = "") -> None:
    article.status, article.last_error, article.status_changed_at = status, error, timezone.now()
    article.save(update_fields=["status", "last_error", "status_changed_at"])


class DatabaseLost(OperationalError):
    """The database went away while this worker held the article: the task's retry may take it back."""

    def __init__(self, attempt: int):
        super().__init__(f"The database went away during attempt {attempt}")
        self.attempt = attempt


def _take(article_id: int, resume_attempt: int | None) -> bool:
    stale = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
    abandoned = Q(status_changed_at__lt=stale)
    if resume_attempt is not None:
        abandoned |= Q(attempts=resume_attempt)
    claimable = Article.objects.filter(
        Q(status=Status.QUEUED) | Q(abandoned, status__in=[Status.FETCHING, Status.CLEANING]),
        pk=article_id,
    )
    # Uploads and pastes are stored with their original; a linked URL is fetched unless it has one
    # already, which `process_article` finds and then says so (an Exists here costs more than that).
    claimed = claimable.update(
        status=Case(When(kind=Article.Kind.URL, then=Value(Status.FETCHING)), default=Value(Status.CLEANING)),
        status_changed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    return claimed == 1


def claim(article_id: int, resume_attempt: int | None = None) -> tuple[Article, Original | None] | None:
    """Take the article for this worker, atomically: (the article, its latest original, read in one
    query), or None if it is gone, done or taken.

    `resume_attempt`: the claim (`attempts` value) of this task's run that lost the database; the
    retry takes the article back unless it was claimed again since.
    """
    if not _take(article_id, resume_attempt):
        return None
    original = Original.objects.select_related("article").filter(article_id=article_id).first()
    if original is None:
        return Article.objects.get(pk=article_id), None
    return original.article, original


def process_article(*, article_id: int, resume_attempt: int | None = None) -> None:
    """Fetch if needed, clean, store. Transient errors propagate so that the task retries."""
    claimed = claim(article_id, resume_attempt)
    if claimed is None:
        return
    article, original = claimed
    try:
        original = original or fetch_original(article)
        if article.status != Status.CLEANING:  # the claim already says so when the original was stored
            set_status(article, Status.CLEANING)
        cleaned, domain = clean_original(article, original)
        finish(article, cleaned, domain)
    except (FetchRefused, CleaningError) as error:
        log.info("Article %s failed: %s", article.pk, error.message)
        set_status(article, Status.FAILED, error.message)
    except FetchError as error:  # transient: back to the queue, the task retries
        set_status(article, Status.QUEUED, f"Retrying: {error.message}")
        raise
    except (OperationalError, InterfaceError) as error:  # it stays claimed: nothing can be written now
        raise DatabaseLost(article.attempts) from error


def give_up(*, article_id: int, reason: str) -> None:
    """Called when retries are exhausted or the task died unexpectedly."""
    article = Article.objects.filter(pk=article_id).exclude(status__in=[Status.READY, Status.DUPLICATE]).first()
    if article is not None:
        set_status(article, Status.FAILED, reason or UNEXPECTED_FAILURE)


def fetch_original(article: Article) -> Original:
    result = fetch_url(
        article.submitted_url,
        timeout=settings.FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.FETCH_MAX_BYTES,
        allow_loopback=settings.FETCH_ALLOW_LOOPBACK,
    )
    return store_fetched(article, result)


def store_fetched(article: Article, result: FetchResult) -> Original:
    path = urlsplit(result.final_url).path.rstrip("/")
    filename = safe_filename(path.rsplit("/", 1)[-1] or urlsplit(result.final_url).hostname or "page")
    content_type = result.content_type + (f"; charset={result.charset}" if result.charset else "")
    return store_original(
        article=article,
        file=ContentFile(result.body, name="fetched"),
        filename=filename,
        content_type=content_type,
        url=result.requested_url[:2000],
        final_url=result.final_url[:2000],
        http_status=result.status,
        headers=result.headers,
        fetched_at=result.fetched_at,
    )


def read_original(original: Original) -> bytes:
    with original.file.open("rb") as handle:
        return handle.read()


def source_domain(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def site_paragraphs(workspace_id: int, domain: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keys of the site's learnt boilerplate, and of the lines researchers restored on that site
    (never boilerplate), in one query. Read by domain: the site's `Source` row is only needed, and
    created, when the article is stored."""
    if not domain:
        return frozenset(), frozenset()
    rows = SourceParagraph.objects.filter(
        Q(article_count__gte=settings.BOILERPLATE_MIN_ARTICLES) | Q(kept=True),
        source__workspace_id=workspace_id,
        source__domain=domain,
    ).values_list("key", "kept")
    learnt, kept = set(), set()
    for key, is_kept in rows:
        (kept if is_kept else learnt).add(key)
    return frozenset(learnt), frozenset(kept)


def clean_original(article: Article, original: Original) -> tuple[CleanedArticle, str]:
    """The cleaned article, and its site's domain. A paste whose page markup cannot be cleaned is
    cleaned from its plain text instead."""
    try:
        return clean_with_site(article, original)
    except CleaningError:
        plain = pasted_text(article, original)
        if plain is None:
            raise
        log.info("Article %s: the pasted page could not be cleaned; cleaning its plain text", article.pk)
        return clean_with_site(article, plain)


def pasted_text(article: Article, original: Original) -> Original | None:
    if article.kind != Article.Kind.PASTE or not original.content_type.startswith("text/html"):
        return None
    return article.originals.filter(content_type__startswith="text/plain").exclude(pk=original.pk).first()


def clean_with_site(article: Article, original: Original) -> tuple[CleanedArticle, str]:
    """Cleaned with the lines the researcher restored on this article; once more, when needed, with
    what its site taught: the learnt boilerplate, and the lines restored on other articles of it."""
    data = read_original(original)
    source_url = original.final_url or original.url
    options = {"filename": original.filename, "content_type": original.content_type, "source_url": source_url}
    keep = frozenset(article.kept_lines)
    cleaned = clean_document(data, keep=keep, **options)
    domain = source_domain(cleaned.canonical_url or source_url)
    learnt, kept_on_site = site_paragraphs(article.workspace_id, domain)
    learnt_here = learnt and learnt & {paragraph_key(p) for p in cleaned.paragraphs}
    kept_here = kept_on_site and kept_on_site & {paragraph_key(line) for line in cleaned.removed_boilerplate}
    if learnt_here or kept_here:
        cleaned = clean_document(data, known_boilerplate=learnt, keep=keep | kept_on_site, **options)
    if source_url and not cleaned.canonical_url:  # a paste or a file the researcher gave a link for
        cleaned = replace(cleaned, canonical_url=source_url)
    return cleaned, domain


def find_source(workspace_id: int, domain: str, site_name: str) -> Source | None:
    if not domain:
        return None
    source, _ = Source.objects.get_or_create(workspace_id=workspace_id, domain=domain, defaults={"name": site_name})
    return source


def duplicate_key(text_hash: str, article: Article) -> str:
    """The same text from the same site is one story stored once; from another site it is
    the same (agency) story published again, linked as a near-duplicate instead."""
    site = article.source.domain if article.source else article.site_name.strip().lower()
    return hashlib.sha256(f"{text_hash}|{site}".encode()).hexdigest()


# What cleaning writes: a worker never overwrites the article's other columns.
CLEANED_FIELDS = [
    "title",
    "standfirst",
    "authors",
    "published_on",
    "site_name",
    "canonical_url",
    "language",
    "html",
    "text",
    "word_count",
    "fingerprint",
    "cleaned_at",
    "status_changed_at",
    "source",
    "text_hash",
    "status",
    "last_error",
    "duplicate_of",
    "removed_lines",
]


@transaction.atomic
def finish(article: Article, cleaned: CleanedArticle, domain: str) -> None:
    first_time = article.cleaned_at is None
    old_text = article.text
    apply_cleaned(article, cleaned)
    article.source = find_source(article.workspace_id, domain, cleaned.site_name)
    article.text_hash = duplicate_key(cleaned.text_hash, article)
    article.status, article.last_error, article.duplicate_of = Status.READY, "", None
    try:
        # The unique constraint on READY texts is the duplicate check: no query before the write.
        with transaction.atomic():
            article.save(update_fields=CLEANED_FIELDS)
    except IntegrityError:  # the same story is already READY (or became so in another worker a moment ago)
        twin = Article.objects.get(workspace_id=article.workspace_id, text_hash=article.text_hash, status=Status.READY)
        mark_duplicate(article, twin)
        return
    if first_time and article.source:
        learn_paragraphs(article.source, cleaned.paragraphs)
    if not first_time and old_text != article.text:
        article_text_changed.send(sender=Article, article=article)
    link_near_duplicates(article, first_time=first_time)


def apply_cleaned(article: Article, cleaned: CleanedArticle) -> None:
    article.title = cleaned.title[:500]
    article.standfirst = cleaned.standfirst
    article.authors = cleaned.authors
    article.published_on = cleaned.published
    article.site_name = cleaned.site_name[:200]
    article.canonical_url = cleaned.canonical_url[:2000]
    article.language = cleaned.language[:16]
    article.html, article.text = cleaned.html, cleaned.text
    article.word_count = len(cleaned.text.split())
    article.fingerprint = cleaned.fingerprint
    article.removed_lines = removed_lines(cleaned)
    article.cleaned_at = article.status_changed_at = timezone.now()


# What the reader lists of the removed publisher text: enough to spot a line removed by mistake.
REMOVED_LINES_SHOWN = 200
REMOVED_LINE_CHARS = 1_000


def removed_lines(cleaned: CleanedArticle) -> list[dict[str, str]]:
    """Each line cleaning removed, once, with its key (of the whole line: a line shown cut short
    is restored whole)."""
    lines: dict[str, str] = {}
    for line in cleaned.removed_boilerplate:
        if len(lines) >= REMOVED_LINES_SHOWN:
            break
        lines.setdefault(paragraph_key(line), line[:REMOVED_LINE_CHARS])
    return [{"key": key, "text": text} for key, text in lines.items()]


def mark_duplicate(article: Article, twin: Article) -> None:
    # The copy keeps its metadata for the list, not a second body: the story is stored once.
    article.html = article.text = ""
    article.status, article.duplicate_of = Status.DUPLICATE, twin
    article.last_error = f"Same story as “{twin.display_title}”, already in the workspace."
    article.save(update_fields=CLEANED_FIELDS)


# Rows per statement: well under every supported database's limit on parameters.
LEARN_BATCH = 300


def learn_paragraphs(source: Source, paragraphs: list[str]) -> None:
    """Count each of the article's paragraphs once more for its site.

    An upsert that increments (SQLite 3.24+ and PostgreSQL spell it alike) cannot be said with the
    ORM: one statement instead of a read, an update and an insert, and no gap between reading a
    count and writing it in which another worker's count could be lost.
    """
    keys = {paragraph_key(p): p[:300] for p in paragraphs if 0 < len(p) <= 600}
    rows = [(source.pk, key, example) for key, example in keys.items()]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), LEARN_BATCH):
            batch = rows[start : start + LEARN_BATCH]
            cursor.execute(_upsert_paragraphs_sql(len(batch)), [value for row in batch for value in row])


def _upsert_paragraphs_sql(count: int) -> str:
    q = connection.ops.quote_name
    table, source, key, article_count, example = map(
        q, (SourceParagraph._meta.db_table, "source_id", "key", "article_count", "example")
    )
    values = ", ".join(["(%s, %s, 1, %s)"] * count)
    return (
        f"INSERT INTO {table} ({source}, {key}, {article_count}, {example}) VALUES {values} "  # noqa: S608
        f"ON CONFLICT ({source}, {key}) DO UPDATE SET {article_count} = {table}.{article_count} + 1"
    )


@transaction.atomic
def restore_line(*, article: Article, key: str, example: str) -> Article:
    """Put back a line cleaning removed (its `paragraph_key`): no rule removes it from this article
    again, nor, when the article has a site, from that site's articles cleaned from now on. The
    article is cleaned again from its original."""
    kept = Article.objects.select_for_update().values_list("kept_lines", flat=True).get(pk=article.pk)
    if key not in kept:
        Article.objects.filter(pk=article.pk).update(kept_lines=[*kept, key])
    if article.source_id is not None:
        SourceParagraph.objects.update_or_create(
            source_id=article.source_id,
            key=key,
            defaults={"kept": True},
            create_defaults={"kept": True, "example": example[:300]},
        )
    return requeue(article=article)


def fingerprint_bands(fingerprint: list[int]) -> list[str]:
    if not fingerprint:
        return []
    size = max(1, len(fingerprint) // BANDS)
    return [f"{i}:" + ".".join(map(str, fingerprint[i : i + size])) for i in range(0, len(fingerprint), size)]


def link_near_duplicates(article: Article, *, first_time: bool = False) -> None:
    """Index the article's fingerprint bands and link it to READY articles telling the same story.

    `first_time`: the article was never cleaned before, so it has no bands or links to replace.
    """
    bands = [hashlib.sha256(b.encode()).hexdigest()[:40] for b in fingerprint_bands(article.fingerprint)]
    if not first_time:
        FingerprintBand.objects.filter(article=article).delete()
        NearDuplicate.objects.filter(Q(article=article) | Q(other=article)).delete()
    # Looked up before this article's own bands are written, so that they need no excluding.
    candidate_ids = (
        FingerprintBand.objects.filter(workspace_id=article.workspace_id, band__in=bands)
        .values("article_id")
        .distinct()[:200]
    )
    candidates = Article.objects.filter(pk__in=candidate_ids, status=Status.READY).values_list("pk", "fingerprint")
    links = []
    for other_pk, other_fingerprint in candidates:
        score = near_duplicate_score(article.fingerprint, other_fingerprint)
        if score >= settings.NEAR_DUPLICATE_MIN_SCORE:
            first, second = sorted([article.pk, other_pk])
            links.append(NearDuplicate(article_id=first, other_id=second, score=score))
    FingerprintBand.objects.bulk_create(
        [FingerprintBand(workspace_id=article.workspace_id, article=article, band=b) for b in bands]
    )
    if links:
        NearDuplicate.objects.bulk_create(links, ignore_conflicts=True)


def near_duplicates_of(article: Article) -> list[Article]:
    """The other articles telling the same story, for "also published by …"."""
    pairs = (
        NearDuplicate.objects.filter(article=article)
        .values_list("other_id", flat=True)
        .union(NearDuplicate.objects.filter(other=article).values_list("article_id", flat=True))
    )
    return list(Article.objects.filter(pk__in=list(pairs)).only("pk", "title", "label", "site_name", "source_id"))
