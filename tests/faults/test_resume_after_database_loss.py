"""A task that loses the database while it holds an article takes it back on retry, and only then.

In process (no worker): the rule that lets test_database_restart's interrupted article finish.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from articles import services, tasks
from articles.models import Article
from articles.services import process
from tests.factories import MembershipFactory
from tests.faults.conftest import story_page

pytestmark = pytest.mark.fault


@pytest.fixture
def queued(db):
    membership = MembershipFactory()
    return services.submit_paste(workspace=membership.workspace, user=membership.user, text=story_page(1))


def test_a_retry_takes_back_the_article_its_interrupted_run_claimed(queued, claimed_article):
    interrupted = claimed_article(queued.pk)

    assert claimed_article(queued.pk) is None  # to anyone else, it is being cleaned
    assert claimed_article(queued.pk, resume_attempt=interrupted.attempts).attempts == 2


def test_a_retry_does_not_take_back_an_article_claimed_again_since(queued, claimed_article):
    interrupted = claimed_article(queued.pk)
    Article.objects.filter(pk=queued.pk).update(status_changed_at=timezone.now() - timedelta(hours=1))
    assert claimed_article(queued.pk) is not None  # the sweep's message, once the claim looked abandoned

    assert claimed_article(queued.pk, resume_attempt=interrupted.attempts) is None


def test_a_task_that_loses_the_database_mid_article_retries_and_finishes_it(queued, monkeypatch):
    finish, calls = process.finish, []

    def finish_once_the_database_is_back(*args):
        calls.append(args)
        if len(calls) == 1:
            raise OperationalError("terminating connection due to administrator command")
        finish(*args)

    monkeypatch.setattr(process, "finish", finish_once_the_database_is_back)
    tasks.process_article.delay(queued.pk)

    queued.refresh_from_db()
    assert (queued.status, queued.attempts, len(calls)) == (Article.Status.READY, 2, 2)
