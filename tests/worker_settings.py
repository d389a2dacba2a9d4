"""Settings of worker processes that tests start to fetch links from a `local_site` on 127.0.0.1:
the product's own, plus loopback fetching, which production never allows."""

from workspace.settings import *  # noqa: F403

FETCH_ALLOW_LOOPBACK = True
