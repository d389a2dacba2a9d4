"""The broker is down when a researcher uploads, and comes back later."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from articles.tasks import requeue_stale_articles
from tests.faults.conftest import as_if_minutes_passed, status_counts, story_page, wait_until_finished

pytestmark = [pytest.mark.fault, pytest.mark.worker]


def stored_bytes(article: Article) -> bytes:
    with article.originals.get().file.open("rb") as handle:
        return handle.read()


def test_an_upload_while_the_broker_is_down_is_stored_then_processed_when_it_is_back(
    machines, broker_outage, editor_client, workspace, caplog
):
    pages = [story_page(seed).encode() for seed in range(3)]
    files = [SimpleUploadedFile(f"story-{i}.html", page, content_type="text/html") for i, page in enumerate(pages)]
    broker_outage.begin()
    with caplog.at_level(logging.WARNING, logger="articles.services"):
        response = editor_client.post(reverse("articles:add"), {"files": files})

    assert response.status_code == 302
    articles = Article.objects.in_workspace(workspace).order_by("pk")
    ids = list(articles.values_list("pk", flat=True))
    assert status_counts(ids) == {Article.Status.QUEUED: 3}
    assert [stored_bytes(article) for article in articles] == pages
    assert [r.getMessage() for r in caplog.records] == [
        f"Could not reach the broker for article {pk}; it stays queued" for pk in ids
    ]

    # The broker is back; a worker runs, and beat sends the sweep once the articles have waited long enough.
    broker_outage.end()
    machines.worker("machine-a", broker_url=broker_outage.url).start()
    as_if_minutes_passed(ids, 10)
    requeue_stale_articles.delay()
    wait_until_finished(ids, timeout=120, logs=machines.logs())

    assert status_counts(ids) == {Article.Status.READY: 3}
    assert list(articles.values_list("attempts", flat=True)) == [1, 1, 1]
