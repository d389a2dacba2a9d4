"""The ingestion pipeline through a real Celery worker process and the configured broker."""

import pytest

from articles import services
from articles.models import Article
from tests.conftest import wait_for
from tests.factories import MembershipFactory

pytestmark = pytest.mark.worker

PAGE = """<html lang="en"><head><title>Councils warned over school phone bans</title>
<meta name="author" content="Ada Lovelace"></head><body><nav>Home News Sport</nav>
<article><h1>Councils warned over school phone bans</h1>
<p>Head teachers told councils on Monday that blanket bans on phones in schools were hard to enforce.</p>
<p>The association said schools needed money for lockers and staff time rather than new rules.</p></article>
<aside>Sign up for our newsletter</aside></body></html>"""


def wait_until_processed(article: Article, worker) -> None:
    """Until the worker has made the article READY or FAILED."""

    def finished():
        article.refresh_from_db()
        return article.status in (Article.Status.READY, Article.Status.FAILED)

    wait_for(finished, timeout=90, describe=f"the worker (log: {worker.log_path})")


def test_worker_process_cleans_an_upload_and_the_result_lands_in_the_database(celery_worker_process):
    membership = MembershipFactory()
    article = services.submit_paste(workspace=membership.workspace, user=membership.user, text=PAGE)
    wait_until_processed(article, celery_worker_process)
    assert article.status == Article.Status.READY, article.last_error
    assert article.title == "Councils warned over school phone bans"
    assert article.authors == ["Ada Lovelace"]
    assert "hard to enforce" in article.text
    assert "newsletter" not in article.text
    assert article.originals.get().sha256


COPIED_PAGE = "\n".join(
    [
        "Home",
        "News",
        "Sport",
        "Councils warned over school phone bans",
        "By Ada Lovelace",
        "Head teachers told councils on Monday that blanket bans on phones in schools were hard to enforce.",
        "Advertisement",
        "The association said schools needed money for lockers and staff time rather than new rules.",
        "Sign up to our education newsletter",
        "Most read",
        "Storm warning for the north-west",
    ]
)


def test_worker_process_cleans_text_copied_from_a_browser_and_lists_what_it_removed(celery_worker_process):
    membership = MembershipFactory()
    article = services.submit_paste(workspace=membership.workspace, user=membership.user, text=COPIED_PAGE)
    wait_until_processed(article, celery_worker_process)
    assert article.status == Article.Status.READY, article.last_error
    assert article.title == "Councils warned over school phone bans"
    assert article.authors == ["Ada Lovelace"]
    assert article.text.split("\n\n") == [COPIED_PAGE.splitlines()[5], COPIED_PAGE.splitlines()[7]]
    removed = {line["text"] for line in article.removed_lines}
    assert {"Advertisement", "Sign up to our education newsletter", "Home"} <= removed
