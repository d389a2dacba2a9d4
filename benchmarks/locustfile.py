"""Researchers for the load test (`benchmarks/load.py` starts gunicorn and runs this headless).

Each simulated researcher signs in through the login form, then browses, searches and annotates
with the weights below. Signing in is the ramp, not the browsing: 50 sign-ins in the first seconds,
each a deliberately slow password hash. Each researcher waits until all have signed in, then starts
after a first think time; at that moment the sign-in figures are kept apart (written to
DATA["sign_in_file"]), the statistics start afresh, and the run ends DATA["run_seconds"] later. What they ask for (their accounts, article and dossier ids, tag names,
words) comes from the driver in the BENCH_LOAD_DATA environment variable, as JSON: this file
imports no Django, since locust's gevent patches the whole process.

The client plays the browser of a production deployment, behind the TLS-terminating proxy that
`DJANGO_ENV=production` assumes: every request carries `X-Forwarded-Proto: https` (what the proxy
adds) and an `Origin` of https://<host> (what the browser adds; Django's CSRF check needs one on
HTTPS). The session and CSRF cookies are marked Secure: a cookie policy sends them back over the
plain-HTTP loopback hop as the browser does over HTTPS. FastHttpUser rather than HttpUser: its one
cookie jar keeps that policy (requests copies the jar for every request and loses it), and it costs
the client less CPU on a machine it shares with the server. Redirects are not followed: a page that
redirects (to the login page, when a session is lost) counts as an error.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import random
import re
from datetime import date, timedelta
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from gevent import sleep, spawn_later
from gevent.event import Event
from locust import FastHttpUser, between, task

DATA = json.loads(os.environ.get("BENCH_LOAD_DATA", "{}"))
PAGE_SIZE = 50  # articles per list page (articles.views.PAGE_SIZE)
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TEXT_SPAN = re.compile(r'<span data-o="(\d+)">(.*?)</span>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
NOTES = ["Check this against the minutes.", "**Key claim.** Ask for the documents.", "Second source needed."]
SIGN_IN = ("login page", "login")
accounts = itertools.count()
signed_in = itertools.count(1)
everyone_signed_in = Event()


def start_measuring(environment) -> None:
    """Everyone is signed in: keep the sign-in figures apart, start the statistics afresh, let the
    researchers go, and end the run after the measured time."""
    entries = [entry.serialize() for (name, _), entry in environment.stats.entries.items() if name in SIGN_IN]
    Path(DATA["sign_in_file"]).write_text(json.dumps(entries))
    environment.stats.reset_all()
    everyone_signed_in.set()
    spawn_later(DATA["run_seconds"], stop_run, environment)


def stop_run(environment) -> None:
    environment.runner.stop()
    environment.runner.quit()


class SecureCookiesOverLoopback(DefaultCookiePolicy):
    """Send Secure cookies on the http:// loopback hop, as the browser does over HTTPS."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


def rng() -> random.Random:
    return random.Random()  # noqa: S311 (which page to open next, not a secret)


class Researcher(FastHttpUser):
    wait_time = between(*DATA.get("think_time", (1, 4)))  # seconds on a page before the next click

    def on_start(self) -> None:
        self.random = rng()
        self.username = DATA["usernames"][next(accounts) % len(DATA["usernames"])]
        self.headers = {"X-Forwarded-Proto": "https", "Origin": "https://" + urlsplit(self.host).netloc}
        self.client.cookiejar.set_policy(SecureCookiesOverLoopback())
        self.sign_in()
        if next(signed_in) == DATA["users"]:
            start_measuring(self.environment)
        everyone_signed_in.wait()
        sleep(self.random.uniform(*DATA.get("think_time", (1, 4))))  # not all at the same instant

    # --- Helpers ---

    def sign_in(self) -> None:
        """The login form; Django answers a good password with a redirect to the home page."""
        with self.send("GET", "/accounts/login/", "login page") as page:
            token = CSRF_FIELD.search(page.text or "") if page.status_code == 200 else None
            if token is None:
                page.failure(f"no login form (HTTP {page.status_code})")
                return
            page.success()
        form = {"username": self.username, "password": DATA["password"], "csrfmiddlewaretoken": token.group(1)}
        with self.send("POST", "/accounts/login/", "login", data=form) as response:
            self.check(response, 302)

    def send(self, method: str, url: str, name: str, headers: dict | None = None, **kwargs):
        headers = {**self.headers, **(headers or {}), "X-Load-Kind": name}  # for the server's access log
        return self.client.request(
            method, url, name=name, headers=headers, catch_response=True, allow_redirects=False, **kwargs
        )

    def check(self, response, expected: int = 200) -> None:
        """A failure unless the status is `expected` (a redirect to the login page: signed out)."""
        if response.status_code == expected:
            response.success()
        else:
            where = response.headers.get("Location", "") if response.headers else ""
            response.failure(f"HTTP {response.status_code}{' to ' + where if where else ''}, expected {expected}")

    def page(self, url: str, name: str, **kwargs):
        with self.send("GET", url, name, **kwargs) as response:
            self.check(response)
            return response

    def api(self, method: str, url: str, name: str, expected: int, body: dict | None = None):
        csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        headers = {"X-CSRFToken": csrf, "Accept": "application/json"}
        kwargs = {"json": body} if body is not None else {}
        with self.send(method, url, name, headers=headers, **kwargs) as response:
            self.check(response, expected)
            return response.json() if response.status_code == expected else None

    def pick(self, key: str):
        return self.random.choice(DATA[key])

    # --- Browsing ---

    @task(10)
    def article_list(self) -> None:
        self.page("/articles/", "article list")

    @task(8)
    def article_list_filtered(self) -> None:
        self.page(f"/articles/?{urlencode(self.some_filter())}", "article list, filtered")

    def some_filter(self) -> dict:
        first = date.fromisoformat(DATA["first_published"]) + timedelta(days=self.random.randrange(900))
        return self.random.choice(
            [
                {"status": "ready", "site": self.pick("sites"), "order": "-published"},
                {"tag_names": self.pick("tag_names")},
                {"published_after": first.isoformat(), "published_before": (first + timedelta(days=30)).isoformat()},
                {"language": self.random.choice(["fr", "de", "es"]), "order": "title"},
                {"dossier": self.pick("dossier_ids")},
                {"annotated": "true", "order": "-published"},
            ]
        )

    @task(6)
    def article_list_paging(self) -> None:
        last = max(2, DATA["articles"] // PAGE_SIZE)
        self.page(f"/articles/?page={self.random.randint(2, last)}", "article list, paging")

    @task(5)
    def search_common_word(self) -> None:
        self.page(f"/articles/search/?{urlencode({'q': self.pick('common_words')})}", "search, common word")

    @task(5)
    def search_rare_word(self) -> None:
        self.page(f"/articles/search/?{urlencode({'q': self.pick('rare_words')})}", "search, rare word")

    @task(5)
    def passage_search(self) -> None:
        self.page(f"/annotations/passages/?{urlencode({'q': self.pick('passage_words')})}", "passage search")

    @task(12)
    def reader(self) -> None:
        if self.random.random() < 0.1:
            self.page(f"/articles/{DATA['reader_id']}/", "reader, 500 annotations")
        else:
            self.page(f"/articles/{self.pick('article_ids')}/", "reader")

    @task(6)
    def dossier(self) -> None:
        if self.random.random() < 0.2:
            self.page(f"/dossiers/{DATA['big_dossier_id']}/", "dossier, big")
        else:
            self.page(f"/dossiers/{self.pick('dossier_ids')}/", "dossier")

    @task(3)
    def tags(self) -> None:
        query = self.random.choice([{}, {"page": self.random.randint(2, 40)}, {"q": self.pick("tag_names")[:3]}])
        self.page(f"/annotations/tags/?{urlencode(query)}", "tags")

    # --- Annotating ---

    @task(6)
    def annotate(self) -> None:
        """Read an article, select a passage, save it with a note and tags; sometimes edit or delete it."""
        article = self.pick("annotate_ids")
        response = self.page(f"/articles/{article}/", "reader")
        passage = self.passage(response.text or "")
        if passage is None:
            return
        start, end, exact = passage
        body = {"start": start, "end": end, "exact": exact, "note": self.random.choice(["", *NOTES])}
        body["tags"] = self.random.sample(DATA["tag_names"], self.random.choice([0, 1, 1, 2]))
        created = self.api("POST", f"/annotations/api/articles/{article}/annotations/", "annotation: create", 201, body)
        if created is None:
            return
        self.annotated_part(article)
        roll = self.random.random()
        if roll < 0.3:
            change = {"version": created["version"], "note": self.random.choice(NOTES)}
            self.api("PATCH", f"/annotations/api/annotations/{created['id']}/", "annotation: edit", 200, change)
            self.annotated_part(article)
        elif roll < 0.5:
            self.api("DELETE", f"/annotations/api/annotations/{created['id']}/", "annotation: delete", 200)
            self.annotated_part(article)

    def annotated_part(self, article: int) -> None:
        """What the reader fetches after every change: highlights and panel, from the server."""
        headers = {"HX-Request": "true"}
        self.page(f"/articles/{article}/?part=annotated", "reader, annotated part", headers=headers)

    def passage(self, page: str) -> tuple[int, int, str] | None:
        """(start, end, exact) of a few words inside one text node of the reader's markup."""
        nodes = [(int(o), html.unescape(TAG.sub("", inner))) for o, inner in TEXT_SPAN.findall(page)]
        nodes = [(o, text) for o, text in nodes if len(text.split()) >= 8]
        if not nodes:
            return None
        offset, text = self.random.choice(nodes)
        bounds = [m.start() for m in re.finditer(r"\S+", text)]
        first = self.random.randrange(len(bounds) - 4)
        last = min(len(bounds) - 1, first + self.random.randint(3, 12))
        start, end = bounds[first], bounds[last] - 1  # up to the space before the last word
        exact = text[start:end].rstrip()
        return offset + start, offset + start + len(exact), exact
