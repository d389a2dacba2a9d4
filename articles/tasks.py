"""Celery tasks of the ingestion pipeline: each takes a primary key and calls one service."""

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from articles import services
from articles.fetch import FetchTransient

log = logging.getLogger(__name__)

# Worth another try: the site or the database may be back in a moment.
TRANSIENT_ERRORS = (FetchTransient, OperationalError, InterfaceError)


class ArticleTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted or an unexpected error: say so on the article, keep the original."""
        article_id = args[0] if args else kwargs.get("article_id")
        if isinstance(exc, SoftTimeLimitExceeded):
            reason = "Cleaning this article took too long and was stopped. What you sent is kept."
        elif isinstance(exc, TRANSIENT_ERRORS):
            reason = f"Gave up after several tries: {getattr(exc, 'message', 'the database was unavailable')}"
        else:
            log.error("Article %s: unexpected error", article_id, exc_info=exc)
            reason = services.UNEXPECTED_FAILURE
        services.give_up(article_id=article_id, reason=reason)


@shared_task(
    bind=True,
    base=ArticleTask,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
    reject_on_worker_lost=True,
)
def process_article(self, article_id: int, resume_attempt: int | None = None) -> None:
    try:
        services.process_article(article_id=article_id, resume_attempt=resume_attempt)
    except services.DatabaseLost as lost:
        # autoretry sends this request's arguments again: with the claim, the retry can take the article back.
        self.request.kwargs = {**(self.request.kwargs or {}), "resume_attempt": lost.attempt}
        raise


@shared_task
def requeue_stale_articles() -> int:
    return services.requeue_stale()
