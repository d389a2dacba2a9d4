"""A worker killed with SIGKILL in the middle of a batch, then restarted."""

import pytest

from articles.models import Article, Original
from articles.tasks import requeue_stale_articles
from tests.factories import MembershipFactory
from tests.faults.conftest import (
    BATCH_SIZE,
    as_if_minutes_passed,
    finished_count,
    status_counts,
    upload_batch,
    wait_until_cleaning,
    wait_until_finished,
)

pytestmark = [pytest.mark.fault, pytest.mark.worker]

LONG_AT = 40  # the kill lands while this long report is being cleaned, a fifth into the batch


def test_a_worker_killed_mid_batch_and_restarted_finishes_every_article_once(machines):
    membership = MembershipFactory()
    ids = upload_batch(workspace=membership.workspace, user=membership.user, long_at=LONG_AT)
    worker = machines.worker("machine-a").start()  # after the uploads, so that none can outrun the watch below
    long_report = ids[LONG_AT]

    wait_until_cleaning(long_report, timeout=120, logs=machines.logs())
    worker.kill()
    in_progress = Article.objects.filter(pk__in=ids, status__in=[Article.Status.FETCHING, Article.Status.CLEANING])
    assert list(in_progress.values_list("pk", flat=True)) == [long_report]
    assert finished_count(ids) < BATCH_SIZE

    # Down for ten minutes, during which beat's sweep runs (elsewhere) and sends every unfinished article
    # again, although the queued ones' messages still wait: the restarted worker gets each of them twice.
    as_if_minutes_passed(ids, 10)
    assert requeue_stale_articles() == BATCH_SIZE - finished_count(ids)
    worker.start()
    wait_until_finished(ids, timeout=240, logs=machines.logs())

    articles = Article.objects.filter(workspace=membership.workspace)
    assert articles.count() == BATCH_SIZE  # none lost, none added
    assert status_counts(ids) == {Article.Status.READY: BATCH_SIZE}, list(articles.values_list("pk", "last_error"))
    assert Original.objects.filter(article__in=articles).count() == BATCH_SIZE
    assert len(set(articles.values_list("text_hash", flat=True))) == BATCH_SIZE  # each story stored once
    # `attempts` counts claims: only the article the kill interrupted was processed a second time.
    assert dict(articles.values_list("pk", "attempts")) == {pk: 2 if pk == long_report else 1 for pk in ids}
