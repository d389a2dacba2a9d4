"""Processing one article: claim it, fetch if needed, clean, store (READY, DUPLICATE or FAILED)."""

import hashlib
import logging
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from articles.cleaning import CleanedArticle, CleaningError, clean_document, paragraph_key
from articles.fetch import FetchError, FetchRefused, FetchResult, fetch_url
from articles.models import Article, Original
from articles.services.duplicates import link_near_duplicates
from articles.services.sources import find_source, learn_paragraphs, site_paragraphs, source_domain
from articles.services.submit import safe_filename, store_original
from articles.signals import article_text_changed

log = logging.getLogger(__name__)

Status = Article.Status


UNEXPECTED_FAILURE = (
    "Something unexpected went wrong while cleaning this article. What you sent is kept; "
    "try again, and tell us if it keeps failing."
)


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
