"""A researcher's whole path, in the browser, with a real Celery worker: upload two news pages,
file them into a new dossier, tag and pin a passage from the reader, sort it into a section and
take the dossier away as a Markdown brief.
"""

import re

import pytest
from playwright.sync_api import expect

from articles.cleaning import clean_document
from articles.models import Article
from tests.browser.test_annotating import drag_select, toolbar_of
from tests.factories import ArticleFactory, DossierFactory

PROCESSING_TIMEOUT_MS = 90_000
DOSSIER = "Online child safety"
SECTION = "Scale of the problem"
CURATOR_NOTE = "The headline number for the brief: a third more offences in one year."
PASSAGE_TAG = "grooming figures"

# Published in March: first on the timeline, though uploaded second.
GROOMING_TITLE = "Reports of online grooming rise by a third in a year"
GROOMING_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{GROOMING_TITLE} | The Northern Ledger</title>
<meta name="author" content="Priya Raman">
<meta property="og:site_name" content="The Northern Ledger">
<meta property="article:published_time" content="2024-03-12T07:30:00+00:00">
<meta name="description" content="Police figures show a sharp rise in offences against children that begin on social media.">
</head><body>
<header><nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/politics">Politics</a>
  <a href="/subscribe">Subscribe</a></nav></header>
<main><article>
  <h1>{GROOMING_TITLE}</h1>
  <p>Police forces recorded more than seven thousand offences of sexual communication with a child last year,
  a rise of a third on the year before, according to figures released on Tuesday.</p>
  <p>Almost half of the offences where the platform was known began on a single photo-sharing app, the data
  shows, and the youngest victims were under ten years old.</p>
  <p>Children's charities said the numbers showed that voluntary safety measures had failed and called on
  ministers to bring the new online safety duties into force without further delay.</p>
  <p>The technology companies named in the figures said they removed millions of accounts each year and
  worked closely with the police on reports of abuse.</p>
</article></main>
<aside class="newsletter"><h2>Sign up for the Morning Ledger</h2>
  <p>Get the day's top stories delivered to your inbox every morning.</p>
  <form><input type="email" placeholder="Your email"><button>Sign up</button></form></aside>
<footer>Copyright The Northern Ledger</footer>
</body></html>"""
QUOTE_FIRST, QUOTE_LAST = "Police forces recorded", "a rise of a third on the year before"
QUOTE = (
    "Police forces recorded more than seven thousand offences of sexual communication with a child last year, "
    "a rise of a third on the year before"
)

# Published in June: second on the timeline, though uploaded first.
SCHOOLS_TITLE = "Schools told to teach pupils how to spot harmful content"
SCHOOLS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{SCHOOLS_TITLE} | Valley Evening Post</title>
<meta name="author" content="Tom Ellery">
<meta property="og:site_name" content="Valley Evening Post">
<meta property="article:published_time" content="2024-06-05T18:00:00+01:00">
</head><body>
<header><nav class="site-nav"><a href="/">Home</a> <a href="/education">Education</a> <a href="/sport">Sport</a>
  <a href="/jobs">Jobs</a></nav></header>
<main><article>
  <h1>{SCHOOLS_TITLE}</h1>
  <p>Secondary schools will have to teach pupils how to recognise and report harmful material online under
  new guidance published by the education department on Wednesday.</p>
  <p>The guidance asks teachers to cover algorithmic feeds, contact from strangers and the sharing of
  intimate images, and to tell parents what has been taught each term.</p>
  <p>Head teachers welcomed the aim but said schools had been given no extra time in the timetable and no
  money for training staff to deliver the lessons.</p>
</article></main>
<aside class="newsletter"><h2>Never miss a story</h2>
  <p>Sign up to our daily newsletter for the latest news from the valley.</p>
  <form><input type="email" placeholder="Email address"><button>Subscribe</button></form></aside>
<footer>Copyright Valley Evening Post</footer>
</body></html>"""


def expect_states(statuses, expected, worker):
    """Wait for the rows' states; on a timeout, show what the worker logged."""
    try:
        expect(statuses).to_have_text(expected, timeout=PROCESSING_TIMEOUT_MS)
    except AssertionError as error:
        log = worker.log_path.read_text(errors="replace")[-4000:]
        raise AssertionError(f"{error}\n--- worker log (end) ---\n{log}") from None


def select_passage(page, first: str, last: str):
    """Select from `first` to `last` with the mouse; the toolbar opens (a failure says what the page saw).

    Only once the page has loaded (stylesheet, deferred scripts, fonts): where the mouse goes is
    measured first, and a page still being laid out would move the text away from under it."""
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => new Promise(requestAnimationFrame))")
    drag_select(page, first, last)
    toolbar = toolbar_of(page)
    try:
        expect(toolbar).to_be_visible()
    except AssertionError as error:
        seen = page.evaluate(
            """() => ({selection: String(getSelection()).slice(0, 80), ready: document.readyState,
            toolbarHidden: document.getElementById("annotator-toolbar")?.hidden})"""
        )
        raise AssertionError(f"{error}\nThe page saw: {seen}") from None
    return toolbar


def blocks_of(markdown: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", markdown) if block.strip()]


@pytest.mark.worker
def test_upload_file_annotate_pin_section_and_export_a_markdown_brief(
    signed_in_page, server_url, celery_worker_process, tmp_path
):
    page = signed_in_page

    # --- Add articles: two news pages in one submission, processed by the worker -----------------
    schools, grooming = tmp_path / "schools-guidance.html", tmp_path / "grooming-figures.html"
    schools.write_text(SCHOOLS_PAGE, encoding="utf-8")
    grooming.write_text(GROOMING_PAGE, encoding="utf-8")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Add articles").click()
    expect(page.get_by_role("heading", name="Add articles", level=1)).to_be_visible()
    page.get_by_label("Files").set_input_files([schools, grooming])
    page.get_by_role("button", name=re.compile(r"^Add to ")).click()

    batch = page.locator("section.batch")
    expect(batch.get_by_role("heading", name="Just added")).to_be_visible()
    rows = batch.locator(".article-row")
    expect(rows).to_have_count(2)
    page.evaluate("window.__marker = 1")
    expect_states(rows.locator(".status"), ["Ready", "Ready"], celery_worker_process)
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of updating in place"
    expect(rows.locator(".article-row__title")).to_have_text([SCHOOLS_TITLE, GROOMING_TITLE])
    expect(rows.nth(0)).to_contain_text("Valley Evening Post")
    expect(rows.nth(1)).to_contain_text("The Northern Ledger")

    # --- File both into a new dossier, with a tag ---------------------------------------------------
    filing = batch.locator("form#file-articles")
    expect(filing).to_be_visible()
    filing.get_by_label("…or a new dossier").fill(DOSSIER)
    filing.get_by_label("Tags").fill("child safety")
    filing.get_by_role("button", name="File them").click()
    expect(page.locator(".messages")).to_contain_text(f"2 stories added to “{DOSSIER}”")
    expect(page.locator(".messages")).to_contain_text("tagged child safety")
    expect(batch.locator(".article-row .status")).to_have_text(["Ready", "Ready"])

    # --- The dossier, from the Dossiers page ---------------------------------------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dossiers").click()
    expect(page.get_by_role("heading", name="Dossiers", level=1)).to_be_visible()
    card = page.locator(".card", has=page.get_by_role("link", name=DOSSIER))
    expect(card).to_contain_text("2 stories · 0 passages")
    card.get_by_role("link", name=DOSSIER).click()
    expect(page.get_by_role("heading", name=DOSSIER, level=1)).to_be_visible()
    dossier_url = page.url
    overview = page.get_by_role("region", name="Overview")
    stories_stat = overview.locator(".stat", has_text=re.compile(r"stor(y|ies)"))
    expect(stories_stat.locator(".stat__value")).to_have_text("2")
    expect(stories_stat.locator(".stat__label")).to_have_text("stories")
    stories = page.locator(".story-list .story .article-row__title")
    expect(stories).to_have_text([SCHOOLS_TITLE, GROOMING_TITLE])  # the page: the curator's (filing) order

    # --- Read one story: select a passage, tag it with the keyboard ---------------------------------
    page.locator(".story-list").get_by_role("link", name=GROOMING_TITLE).click()
    expect(page.locator(".reader__title")).to_have_text(GROOMING_TITLE)
    body = page.locator(".reader__body")
    expect(body.locator("[data-o]").first).to_be_attached()
    expect(body).to_contain_text("worked closely with the police on reports of abuse")
    expect(body).not_to_contain_text("Morning Ledger")  # the newsletter box was cleaned away
    toolbar = select_passage(page, QUOTE_FIRST, QUOTE_LAST)
    page.keyboard.type(PASSAGE_TAG)  # the toolbar opened without taking focus: typing goes to Tags
    expect(toolbar.get_by_label("Tags")).to_have_value(PASSAGE_TAG)
    page.keyboard.press("Enter")
    expect(toolbar).to_be_hidden()
    entry = page.locator(".annotation-list .annotation")
    expect(entry).to_have_count(1)
    expect(entry.locator(".annotation__quote")).to_have_text(f"“{QUOTE}”")
    expect(entry.locator(".annotation__tags .tag")).to_have_text([PASSAGE_TAG])
    expect(page.locator(".reader__body mark.hl")).to_have_text(QUOTE)

    # --- Pin it to the dossier from the side panel, without reloading --------------------------------
    entry.locator("summary", has_text="Pin to a dossier").click()
    pin_form = entry.locator("form.pin-form")
    expect(pin_form).to_be_visible()
    pin_form.get_by_label("Dossier").select_option(label=DOSSIER)
    pin_form.get_by_label("Why it matters here").fill(CURATOR_NOTE)
    pin_form.get_by_role("button", name="Pin to dossier").click()
    expect(page.locator(".messages")).to_contain_text(f"Passage pinned to “{DOSSIER}”.")
    expect(page.locator(".reader__title")).to_have_text(GROOMING_TITLE)

    # --- Back on the dossier: a section, and the passage moved into it ------------------------------
    page.goto(dossier_url)
    expect(page.get_by_role("heading", name=DOSSIER, level=1)).to_be_visible()
    pin = page.locator(".pin")
    expect(pin).to_have_count(1)
    expect(pin.locator(".pin__quote")).to_have_text(QUOTE)
    expect(pin.locator(".pin__curator")).to_contain_text(CURATOR_NOTE)
    # The tags of the pinned passages load after the page.
    expect(page.locator("#tags .tag-group summary")).to_have_text([re.compile(rf"^{PASSAGE_TAG}\s+1 passage$")])
    page.get_by_label("New section").fill(SECTION)
    page.get_by_role("button", name="Add section").click()
    expect(page.locator(".messages")).to_contain_text(f"Section “{SECTION}” added.")
    section = page.locator(".dossier-section", has=page.get_by_role("heading", name=SECTION, level=3))
    expect(section).to_contain_text("No passages in this section yet.")

    pin.locator("summary", has_text=re.compile(r"^Edit$")).click()
    pin.get_by_label("Section").select_option(label=SECTION)
    pin.get_by_role("button", name="Save", exact=True).click()
    expect(section.locator(".pin .pin__quote")).to_have_text(QUOTE)
    expect(section.locator("h3 .muted")).to_have_text("1")
    # The only group left: no "Other passages".
    expect(page.locator(".dossier-section__head h3")).to_have_text([re.compile(rf"^{SECTION}\s+1$")])
    expect(section.locator(".pin__curator")).to_contain_text(CURATOR_NOTE)  # the note survived the move

    # --- Export the Markdown brief ------------------------------------------------------------------
    page.locator(".page-head__actions summary", has_text="Export").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Markdown brief").click()
    assert re.fullmatch(r"online-child-safety-\d{4}-\d{2}-\d{2}\.md", download.value.suggested_filename)
    brief = download.value.path().read_text(encoding="utf-8")

    blocks = blocks_of(brief)
    assert blocks[0] == f"# {DOSSIER}", brief
    assert re.fullmatch(r"\*Exported .+ · 2 stories · 1 passage\*", blocks[1]), brief
    assert f"## {SECTION}" in blocks, brief
    assert "## Other passages" not in blocks, brief
    section_at = blocks.index(f"## {SECTION}")
    stories_at = blocks.index("## Stories")
    in_section = blocks[section_at + 1 : stories_at]
    assert f"> {QUOTE}" in in_section, brief
    assert f"**Curator’s note:**\n{CURATOR_NOTE}" in in_section, brief
    assert f"**Tags:** {PASSAGE_TAG}" in in_section, brief
    assert "— The Northern Ledger, Priya Raman, 12 March 2024" in in_section, brief

    story_headings = [block for block in blocks[stories_at + 1 :] if block.startswith("### ")]
    assert story_headings == [f"### {GROOMING_TITLE}", f"### {SCHOOLS_TITLE}"], brief
    assert "— Valley Evening Post, Tom Ellery, 5 June 2024" in blocks[stories_at + 1 :], brief


def test_the_filing_confirmation_keeps_the_dossier_title_and_tags_as_typed(signed_in_page, server_url, editor):
    first, second = ArticleFactory.create_batch(2, workspace=editor.workspace)
    page = signed_in_page
    page.goto(f"{server_url}/dossiers/file/?articles={first.pk},{second.pk}")
    form = page.locator("form#file-articles")
    form.get_by_label("…or a new dossier").fill(DOSSIER)
    form.get_by_label("Tags").fill("Ofcom, age checks")
    form.get_by_role("button", name="File them").click()
    messages = page.locator(".messages")
    expect(messages).to_contain_text("2 stories added to", timeout=5_000)
    expect(messages).to_have_text(f"2 stories added to “{DOSSIER}”; tagged Ofcom, age checks.", timeout=2_000)


def test_a_passage_just_annotated_can_be_pinned_from_the_panel_without_a_reload(signed_in_page, server_url, editor):
    cleaned = clean_document(GROOMING_PAGE.encode(), filename="grooming.html", content_type="text/html")
    article = Article.objects.create(
        workspace=editor.workspace,
        kind=Article.Kind.UPLOAD,
        status=Article.Status.READY,
        title=cleaned.title,
        authors=cleaned.authors,
        site_name=cleaned.site_name,
        published_on=cleaned.published,
        language="en",
        html=cleaned.html,
        text=cleaned.text,
        text_hash=cleaned.text_hash,
        word_count=len(cleaned.text.split()),
    )
    DossierFactory(workspace=editor.workspace, title=DOSSIER)
    page = signed_in_page
    page.goto(f"{server_url}/articles/{article.pk}/")
    expect(page.locator(".reader__body [data-o]").first).to_be_attached()
    select_passage(page, QUOTE_FIRST, QUOTE_LAST)
    page.keyboard.type(PASSAGE_TAG)
    page.keyboard.press("Enter")
    entry = page.locator(".annotation-list .annotation")
    expect(entry).to_have_count(1)

    entry.locator("summary", has_text="Pin to a dossier").click()
    expect(entry.locator("form.pin-form")).to_be_visible(timeout=3_000)
