"""Scale-out: two worker processes, as if on two machines, share one batch.

Each article is a link to a page that a distant site serves after SITE_DELAY seconds, so that an
article's work is dominated by waiting rather than by the CPU. The two workers race a single worker
(its own broker, its own batch of the same size) at the same time on the same machine, so that
whatever else loads the machine slows both sides alike: the comparison keeps its margin.
"""

import time

import pytest
from django.db import connection

from articles import services
from articles.models import Article, Original
from tests.conftest import wait_for
from tests.factories import MembershipFactory
from tests.faults.conftest import (
    BATCH_SIZE,
    PrivateRedis,
    finished_count,
    status_counts,
    story_page,
    use_broker,
    uses_redis_broker,
)

pytestmark = [pytest.mark.fault, pytest.mark.worker]

SITE_DELAY = 0.1
# The pair takes about 0.6 of the single worker's time here, loaded or not; 0.8 leaves a wide margin.
MAX_TIME_RATIO = 0.8


@pytest.fixture
def distant_site(local_site):
    """The loopback site, answering each request after SITE_DELAY seconds."""
    handler = local_site.server.RequestHandlerClass

    class SlowHandler(handler):
        def do_GET(self):
            time.sleep(SITE_DELAY)
            super().do_GET()

    local_site.server.RequestHandlerClass = SlowHandler
    return local_site


@pytest.fixture
def lone_broker(machines, tmp_path):
    """The single worker's own Redis, so that it never takes the pair's messages."""
    if connection.vendor != "postgresql" or not uses_redis_broker():
        pytest.skip(
            "Workers on several machines share a database server and a broker server: "
            "set DATABASE_URL=postgres://… and CELERY_BROKER_URL=redis://…"
        )
    server = PrivateRedis(tmp_path / "redis")
    server.start()
    yield server
    use_broker(None)
    machines.stop_all()  # before their broker goes away
    server.stop()


def links(site, *, seed: int) -> list[str]:
    return [site.add(f"/story-{n}", story_page(n)) for n in range(seed, seed + BATCH_SIZE)]


def submit(urls: list[str]) -> tuple[float, list[int]]:
    """When the batch was submitted, and its articles."""
    membership = MembershipFactory()
    started = time.monotonic()
    articles = services.submit_urls(workspace=membership.workspace, user=membership.user, urls=urls)
    return started, [article.pk for article in articles]


def race(batches: dict[str, tuple[float, list[int]]], *, timeout: float) -> dict[str, float]:
    """Seconds from each batch's submission until all its articles are finished."""
    seconds: dict[str, float] = {}

    def all_finished() -> bool:
        for name, (started, ids) in batches.items():
            if name not in seconds and finished_count(ids) == len(ids):
                seconds[name] = time.monotonic() - started
        return len(seconds) == len(batches)

    try:
        wait_for(all_finished, timeout=timeout, interval=0.1, describe="both batches")
    except AssertionError as error:
        counts = {name: status_counts(ids) for name, (_, ids) in batches.items()}
        raise AssertionError(f"{error}: {counts}") from None
    return seconds


def test_two_workers_on_two_machines_share_a_batch_each_article_once_and_finish_sooner(
    machines, lone_broker, distant_site
):
    lone = machines.worker("machine-alone", broker_url=lone_broker.url)
    pair = [machines.worker("machine-a"), machines.worker("machine-b")]
    machines.start(lone, *pair)
    lone_links, pair_links = links(distant_site, seed=0), links(distant_site, seed=BATCH_SIZE)

    use_broker(lone_broker.url)
    lone_batch = submit(lone_links)  # first: the single worker gets the head start
    use_broker(None)
    pair_batch = submit(pair_links)
    seconds = race({"one worker": lone_batch, "two workers": pair_batch}, timeout=240)

    shares = [worker.succeeded() for worker in pair]
    figures = ", ".join(f"{name} {value:.1f} s" for name, value in seconds.items()) + f" (pair's shares {shares})"
    print(f"Scale-out, batches of {BATCH_SIZE} links at the same time: {figures}")
    ids = pair_batch[1]
    articles = Article.objects.filter(pk__in=ids)
    assert status_counts(ids) == {Article.Status.READY: BATCH_SIZE}, list(articles.values_list("pk", "last_error"))
    # Exactly once: each page fetched once, one original each, one claim each, one task run each.
    assert sorted(distant_site.hits) == sorted(f"/story-{n}" for n in range(2 * BATCH_SIZE))
    assert Original.objects.filter(article__in=articles).count() == BATCH_SIZE
    assert set(articles.values_list("attempts", flat=True)) == {1}
    assert sum(shares) == BATCH_SIZE
    # Together: both took a substantial share, and the batch finished sooner than the single worker's.
    assert min(shares) >= BATCH_SIZE // 4, figures
    assert seconds["two workers"] < MAX_TIME_RATIO * seconds["one worker"], figures
