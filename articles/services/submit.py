"""Receiving what a researcher submits: files, pastes, links; stored first, then queued."""

import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Original
from workspace.models import User, Workspace

log = logging.getLogger(__name__)

Status = Article.Status


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
