"""PostgreSQL restarts in the middle of a batch."""

import pytest

from articles.models import Article, Original
from tests.factories import MembershipFactory
from tests.faults.conftest import (
    BATCH_SIZE,
    RETRIED,
    restart_postgresql,
    status_counts,
    upload_batch,
    wait_until_cleaning,
    wait_until_finished,
)

pytestmark = [pytest.mark.fault, pytest.mark.worker]

LONG_AT = 40  # the restart cuts the worker's connection while this long report is being cleaned


def test_tasks_interrupted_by_a_postgresql_restart_retry_and_finish(machines, postgresql):
    membership = MembershipFactory()
    ids = upload_batch(workspace=membership.workspace, user=membership.user, long_at=LONG_AT)
    worker = machines.worker("machine-a").start()  # after the uploads, so that none can outrun the watch below
    long_report = ids[LONG_AT]

    wait_until_cleaning(long_report, timeout=120, logs=machines.logs())
    restart_postgresql(postgresql)
    # No sweep and no restart of the worker: the tasks' own retries finish the batch.
    wait_until_finished(ids, timeout=240, logs=machines.logs())

    articles = Article.objects.filter(workspace=membership.workspace)
    assert status_counts(ids) == {Article.Status.READY: BATCH_SIZE}, list(articles.values_list("pk", "last_error"))
    assert Original.objects.filter(article__in=articles).count() == BATCH_SIZE
    assert RETRIED.search(worker.log()), f"no task was retried (log: {worker.log_path})"
    # The interrupted article was taken back by its own retry; none was processed twice otherwise.
    assert dict(articles.values_list("pk", "attempts")) == {pk: 2 if pk == long_report else 1 for pk in ids}
