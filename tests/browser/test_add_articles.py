"""Adding articles through the browser, cleaned by a real Celery worker process.

The "Just added" list updates itself (htmx polls every 2 s) until each row is Ready or Failed.
"""

import random
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.worker

PROCESSING_TIMEOUT_MS = 90_000

PASTED_TITLE = "Council budget gap widens to forty million pounds"
PASTED_PAGE = f"""<!doctype html>
<html lang="en"><head><title>{PASTED_TITLE} | The Borough Gazette</title></head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a>
  <a href="/subscribe">Subscribe</a></nav>
<article>
  <h1>{PASTED_TITLE}</h1>
  <p>The borough council's finance chief told members on Tuesday that the gap in next year's budget
  had grown to forty million pounds, twice the figure given in the spring.</p>
  <p>Rising demand for adult social care and temporary housing accounted for most of the increase,
  according to a report published ahead of the cabinet meeting.</p>
  <p>Opposition councillors said the administration had been warned about the pressures for two years
  and called for an independent review of the authority's reserves.</p>
</article>
<aside class="newsletter"><h2>Sign up for our newsletter</h2>
  <p>Get the day's top stories from the Gazette delivered to your inbox every morning.</p>
  <form><input type="email" placeholder="Your email"><button>Sign up</button></form></aside>
</body></html>"""

UPLOADED_HTML = """<!doctype html>
<html lang="en"><head><title>Ferry operator cuts winter sailings</title></head><body>
<article><h1>Ferry operator cuts winter sailings</h1>
<p>The island ferry operator will run two fewer sailings a day from November, it confirmed on Friday,
blaming a shortage of qualified crew.</p>
<p>Islanders said the reduced timetable would make hospital appointments on the mainland harder to reach.</p>
</article></body></html>"""

UPLOADED_TEXT = """Library opening hours extended in three towns

Public libraries in three market towns will open on Sunday afternoons from next month, the county said.

The pilot is paid for by a grant and will be reviewed after six months, when visitor numbers are known.
"""


def expect_states(statuses, expected, worker):
    """Wait for the rows' states; on a timeout, show what the worker logged."""
    try:
        expect(statuses).to_have_text(expected, timeout=PROCESSING_TIMEOUT_MS)
    except AssertionError as error:
        log = worker.log_path.read_text(errors="replace")[-4000:]
        raise AssertionError(f"{error}\n--- worker log (end) ---\n{log}") from None


def add_page(page, server_url):
    page.goto(f"{server_url}/articles/add/")
    expect(page.get_by_role("heading", name="Add articles", level=1)).to_be_visible()
    return page


def submit(page):
    page.get_by_role("button", name=re.compile(r"^Add to ")).click()
    batch = page.locator("section.batch")
    expect(batch.get_by_role("heading", name="Just added")).to_be_visible()
    return batch


def test_pasted_and_uploaded_articles_become_ready_without_a_reload_and_read_clean(
    signed_in_page, server_url, celery_worker_process, tmp_path
):
    page = add_page(signed_in_page, server_url)
    (tmp_path / "ferry.html").write_text(UPLOADED_HTML, encoding="utf-8")
    (tmp_path / "library.txt").write_text(UPLOADED_TEXT, encoding="utf-8")
    page.get_by_label("Paste an article").fill(PASTED_PAGE)
    page.get_by_label("Files").set_input_files([tmp_path / "ferry.html", tmp_path / "library.txt"])

    batch = submit(page)
    rows = batch.locator(".article-row")
    expect(rows).to_have_count(3)
    page.evaluate("window.__marker = 1")

    expect_states(rows.locator(".status"), ["Ready", "Ready", "Ready"], celery_worker_process)
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of updating in place"
    expect(batch.locator("#article-rows")).not_to_have_attribute("hx-get", re.compile(".*"))

    batch.get_by_role("link", name=PASTED_TITLE).click()
    expect(page.locator(".reader__title")).to_have_text(PASTED_TITLE)
    body = page.locator(".reader__body")
    expect(body).to_contain_text("twice the figure given in the spring")
    expect(body).to_contain_text("independent review of the authority's reserves")
    expect(body).not_to_contain_text("newsletter")
    expect(body).not_to_contain_text("Subscribe")
    expect(body.locator("nav, form, input, button, h1")).to_have_count(0)


def test_an_unreadable_file_fails_with_a_plain_reason_a_retry_and_the_original_to_download(
    signed_in_page, server_url, celery_worker_process, tmp_path
):
    page = add_page(signed_in_page, server_url)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(random.Random(20240501).randbytes(4096))
    page.get_by_label("Files").set_input_files(broken)

    batch = submit(page)
    row = batch.locator(".article-row")
    expect(row).to_have_count(1)
    expect_states(row.locator(".status"), ["Failed"], celery_worker_process)
    reason = row.locator(".article-row__error")
    expect(reason).to_have_text(re.compile(r"^[A-Z][^<>{}]{20,}[.!]$"))
    expect(reason).not_to_contain_text(re.compile(r"Traceback|Exception|Error:|errno", re.I))
    expect(row.get_by_role("button", name="Retry")).to_be_visible()

    row.get_by_role("link", name="broken.pdf").click()
    expect(page.get_by_role("alert")).to_contain_text("We could not turn this into an article.")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download what was received").click()
    assert download.value.suggested_filename == "broken.pdf"
    assert download.value.path().read_bytes() == broken.read_bytes()


def test_a_script_in_a_pasted_article_never_runs(signed_in_page, server_url, celery_worker_process):
    page = add_page(signed_in_page, server_url)
    page.get_by_label("Paste an article").fill(
        "<p>Story text long enough to be an article: the harbour authority has approved plans for a new "
        "sea wall after two winters of flooding on the quayside.</p>"
        "<script>window.__pwned=1</script>"
        '<img src=x onerror="window.__pwned=1">'
        "<p>The work will start in spring and close part of the promenade for about eight months, "
        "the authority said in a statement on Wednesday.</p>"
        "<p>Traders on the quay welcomed the decision but asked for help with lost custom while the "
        "promenade is closed to visitors.</p>"
    )
    batch = submit(page)
    row = batch.locator(".article-row")
    expect_states(row.locator(".status"), ["Ready"], celery_worker_process)

    row.locator(".article-row__title").click()
    body = page.locator(".reader__body")
    expect(body).to_contain_text("new sea wall")
    expect(body).to_contain_text("lost custom")
    expect(body.locator("script")).to_have_count(0)
    expect(body.locator("[onerror]")).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"
