"""SSRF through the researcher's own door: links pasted into "Add articles".

Every disguise of an internal address is submitted through the page, processed as the worker
would (tasks run eagerly here), and must end as a failed article whose reason names the refusal,
with no connection opened to it. A canary page on a real loopback server proves it: the loopback
disguises point at it, and it must never be hit. Production never allows loopback; the redirect
tests allow it (`FETCH_ALLOW_LOOPBACK`) only so that the first hop can reach the local server.
"""

import pytest
import urllib3.util.connection
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

CANARY = "<html><body><p>canary: an internal page was fetched</p></body></html>"

# {port} is the canary server's port. Each is a public-looking way of naming an internal address.
LOOPBACK_FORMS = [
    "http://127.0.0.1:{port}/canary",
    "http://localhost:{port}/canary",
    "http://[::1]:{port}/canary",
    "http://[::ffff:127.0.0.1]:{port}/canary",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]:{port}/canary",  # the same, in hex groups
    "http://[::127.0.0.1]:{port}/canary",  # IPv4-compatible IPv6
    "http://newsroom.example@127.0.0.1:{port}/canary",  # userinfo disguise
    "http://127.0.0.1:{port}@127.0.0.1:{port}/canary",
    "http://0.0.0.0:{port}/canary",
]
INTERNAL_FORMS = [
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
    "http://[::ffff:169.254.169.254]/latest/meta-data/",
    "http://[fe80::1]/",
    "http://[fd00:ec2::254]/latest/meta-data/",  # AWS IPv6 metadata (unique local)
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/router",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://[2002:a00:1::]/",  # 6to4 wrapping 10.0.0.1
    "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 wrapping the metadata address
    "http://224.0.0.1/",  # multicast
    "http://240.0.0.1/",  # reserved
]
# Numeric spellings that browsers and C's inet_aton accept. The form already refuses them as not
# a web address; as a redirect's target they reach the fetcher, which must refuse them too.
NUMERIC_LOOPBACK = [
    "http://2130706433:{port}/canary",  # 127.0.0.1, decimal
    "http://0177.0.0.1:{port}/canary",  # octal
    "http://0x7f.0.0.1:{port}/canary",  # hex
    "http://0x7f000001:{port}/canary",  # one hex number
    "http://127.1:{port}/canary",  # short form
]
NUMERIC_METADATA = [
    "http://2852039166/latest/meta-data/",  # 169.254.169.254, decimal
    "http://0xa9fea9fe/latest/meta-data/",  # hex
    "http://0251.0376.0251.0376/latest/meta-data/",  # octal
]
NON_HTTP = [
    "file:///etc/passwd",
    "ftp://127.0.0.1/",
    "gopher://127.0.0.1:6379/_INFO",
    "dict://127.0.0.1:6379/info",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.fixture
def connections(monkeypatch):
    """Every address the fetcher opened a connection to."""
    opened = []
    real = urllib3.util.connection.create_connection

    def record(address, *args, **kwargs):
        opened.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", record)
    return opened


@pytest.fixture
def canary(local_site):
    local_site.add("/canary", CANARY)
    return local_site


def add_links(client, capture, urls):
    with capture(execute=True):
        return client.post(reverse("articles:add"), {"urls": "\n".join(urls)})


def test_no_disguise_of_an_internal_address_is_fetched(
    editor_client, workspace, canary, connections, django_capture_on_commit_callbacks
):
    port = canary.server.server_port
    urls = [form.format(port=port) for form in LOOPBACK_FORMS] + INTERNAL_FORMS
    response = add_links(editor_client, django_capture_on_commit_callbacks, urls)
    assert response.status_code == 302

    articles = list(Article.objects.filter(workspace=workspace).prefetch_related("originals"))
    assert len(articles) == len(urls)
    reasons = {}
    for article in articles:
        assert article.status == Article.Status.FAILED, article.submitted_url
        assert "was not fetched" in article.last_error, article.last_error
        assert not article.originals.exists()
        reasons[article.submitted_url] = article.last_error
    assert canary.hits == []
    assert connections == []

    # The researcher sees each reason in the batch, in plain words.
    batch = editor_client.get(response.url).content.decode()
    assert batch.count("was not fetched") == len(urls)
    assert "loopback" in reasons[f"http://[::ffff:127.0.0.1]:{port}/canary"]
    assert "link-local" in reasons["http://169.254.169.254/latest/meta-data/"]
    assert "private" in reasons["http://10.0.0.1/"]


@pytest.mark.parametrize("url", NON_HTTP + NUMERIC_LOOPBACK + NUMERIC_METADATA)
def test_other_schemes_and_numeric_hosts_are_refused_by_the_form(editor_client, workspace, canary, connections, url):
    response = editor_client.post(reverse("articles:add"), {"urls": url.format(port=canary.server.server_port)})
    assert response.status_code == 422
    assert "Not a web address (http or https)" in response.content.decode()
    assert not Article.objects.filter(workspace=workspace).exists()
    assert connections == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.0.0.1/admin",
        "http://[::ffff:127.0.0.1]:{port}/canary",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_INFO",
        *NUMERIC_METADATA,
    ],
)
def test_a_public_page_redirecting_inside_is_refused_at_the_hop(
    editor_client, workspace, canary, connections, settings, django_capture_on_commit_callbacks, target
):
    settings.FETCH_ALLOW_LOOPBACK = True  # so that the first hop may reach the local server
    port = canary.server.server_port
    start = canary.redirect("/story", target.format(port=port))
    add_links(editor_client, django_capture_on_commit_callbacks, [start])

    article = Article.objects.get(workspace=workspace)
    assert article.status == Article.Status.FAILED
    assert "not fetched" in article.last_error or "cannot be fetched" in article.last_error
    assert canary.hits == ["/story"]  # the redirect itself, never the canary behind it
    assert [host for host, _ in connections] == ["127.0.0.1"]
