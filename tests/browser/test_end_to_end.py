"""The researcher's whole path, step by step, in Chromium against a live server and a real worker.

Sign in; add an HTML file, a PDF and a Word document and link a page served on 127.0.0.1, in one
go; watch all four become ready without a reload; read one; tag a passage selected with the mouse
and write a note; create a dossier and add two stories to it from the article list; find the
passage by a word of its note and the story by a word of its body; export the dossier.

Each step is named: when one fails, its screenshot is saved as
var/test/screenshots/end-to-end-<number>-<step>.png (CI keeps var/ as its artefacts).
"""

import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from tests.articles.cleaning.builders import docx_paragraph, make_docx, make_pdf
from tests.browser.conftest import save_screenshot
from tests.browser.test_annotating import annotate
from tests.browser.test_dossier_flow import GROOMING_PAGE, GROOMING_TITLE, SCHOOLS_PAGE, SCHOOLS_TITLE, expect_states

pytestmark = pytest.mark.worker

DOSSIER = "Platform accountability"
NOTE = "Compare with the regulator's quarterly transparency figures."
NOTE_WORD = "transparency"  # only in the note
BODY_WORD = "timetable"  # only in the body of the schools story
PASSAGE_TAG = "platform data"
QUOTE_FIRST, QUOTE_LAST = "Almost half of the offences", "a single photo-sharing app"

PDF_TITLE = "Ofcom sets out first codes for video-sharing platforms"
PDF_PARAGRAPHS = [
    "The regulator published its first codes of practice for video-sharing platforms on Monday.",
    "Platforms will have to assess the risk of children meeting harmful content and report each year.",
]
DOCX_TITLE = "Inquiry hears from parents of bullied teenagers"
DOCX_PARAGRAPHS = [
    "Parents told the committee that reports of bullying on group chats went unanswered for weeks.",
    "Several said their children had left school after messages were shared among classmates.",
]


@pytest.fixture
def worker_settings() -> str:
    return "tests.worker_settings"  # the worker may fetch the link from the local site


class Steps:
    """`with steps("name"):` runs one step; a failure inside leaves a screenshot of the page."""

    def __init__(self, page):
        self.page, self.number = page, 0

    @contextmanager
    def __call__(self, name: str):
        self.number += 1
        try:
            yield
        except BaseException:
            print(f"Step {self.number} ({name}) failed.")
            slug = re.sub(r"[^\w]+", "-", name).strip("-").lower()
            save_screenshot(self.page, f"end-to-end-{self.number:02d}-{slug}")
            raise


def test_a_researcher_adds_reads_annotates_files_searches_and_exports(
    signed_in_page, server_url, celery_worker_process, local_site, tmp_path
):
    page = signed_in_page
    steps = Steps(page)
    nav = page.get_by_role("navigation", name="Main")

    with steps("add files and a link"):
        html_file, pdf_file, docx_file = tmp_path / "grooming.html", tmp_path / "codes.pdf", tmp_path / "inquiry.docx"
        html_file.write_text(GROOMING_PAGE, encoding="utf-8")
        pdf_file.write_bytes(make_pdf([[PDF_TITLE, *PDF_PARAGRAPHS]]))
        docx_file.write_bytes(
            make_docx(docx_paragraph(DOCX_TITLE, "Heading1") + "".join(docx_paragraph(p) for p in DOCX_PARAGRAPHS))
        )
        link = local_site.add("/education/schools-guidance", SCHOOLS_PAGE)
        nav.get_by_role("link", name="Add articles").click()
        page.get_by_label("Files").set_input_files([html_file, pdf_file, docx_file])
        page.get_by_label("Links").fill(link)
        page.get_by_role("button", name=re.compile(r"^Add to ")).click()

    with steps("watch each become ready"):
        rows = page.locator("section.batch .article-row")
        expect(rows).to_have_count(4)
        page.evaluate("window.__marker = 1")
        expect_states(rows.locator(".status"), ["Ready"] * 4, celery_worker_process)
        assert page.evaluate("window.__marker") == 1, "the page reloaded instead of updating in place"
        titles = rows.locator(".article-row__title")
        for title in (GROOMING_TITLE, PDF_TITLE, DOCX_TITLE, SCHOOLS_TITLE):
            expect(titles.filter(has_text=title)).to_have_count(1)
        assert local_site.hits == ["/education/schools-guidance"]

    with steps("read one"):
        rows.get_by_role("link", name=GROOMING_TITLE).click()
        expect(page.locator(".reader__title")).to_have_text(GROOMING_TITLE)
        body = page.locator(".reader__body")
        expect(body).to_contain_text("worked closely with the police on reports of abuse")
        expect(body).not_to_contain_text("Morning Ledger")  # the newsletter box was cleaned away
        page.wait_for_load_state("load")

    with steps("tag a passage with the mouse and write a note"):
        annotate(page, QUOTE_FIRST, QUOTE_LAST, tags=PASSAGE_TAG, note=NOTE)
        entry = page.locator(".annotation-list .annotation")
        expect(entry.locator(".annotation__quote")).to_contain_text("Almost half of the offences")
        expect(entry.locator(".annotation__tags .tag")).to_have_text([PASSAGE_TAG])
        expect(entry).to_contain_text(NOTE)
        expect(body.locator("mark.hl")).to_contain_text("a single photo-sharing app")

    with steps("create a dossier"):
        nav.get_by_role("link", name="Dossiers").click()
        page.get_by_role("link", name="New dossier").first.click()
        page.get_by_label("Title").fill(DOSSIER)
        page.get_by_role("button", name="Create dossier").click()
        expect(page.get_by_role("heading", name=DOSSIER, level=1)).to_be_visible()

    with steps("add two stories from the article list"):
        nav.get_by_role("link", name="Articles", exact=True).click()
        page.get_by_role("checkbox", name=f"Select “{GROOMING_TITLE}”").check()
        page.get_by_role("checkbox", name=f"Select “{SCHOOLS_TITLE}”").check()
        page.get_by_role("button", name="Add selected to a dossier or tag them").click()
        filing = page.locator("form#file-articles")
        filing.get_by_label("Dossier", exact=True).select_option(label=DOSSIER)
        filing.get_by_role("button", name="File them").click()
        expect(page.locator(".messages")).to_contain_text(f"2 stories added to “{DOSSIER}”")

    with steps("find the passage by a word of its note"):
        nav.get_by_role("link", name="Search").click()
        page.get_by_role("navigation", name="What to search").get_by_role("link", name="Passages").click()
        page.get_by_label("Words in the quote or note").fill(NOTE_WORD)
        page.get_by_label("Words in the quote or note").press("Enter")
        hits = page.locator(".pin-list .pin")
        expect(hits).to_have_count(1)
        expect(hits.locator(".pin__quote mark")).to_contain_text("Almost half of the offences")
        expect(hits.locator(".pin__note")).to_contain_text(NOTE)
        hits.get_by_role("link", name=GROOMING_TITLE).click()  # into the reader, at the highlight
        expect(page.locator(".reader__title")).to_have_text(GROOMING_TITLE)
        assert re.search(r"#annotation-\d+$", page.url), page.url

    with steps("find the story by a word of its body"):
        nav.get_by_role("link", name="Search").click()
        page.get_by_label("Search articles").fill(BODY_WORD)
        page.get_by_label("Search articles").press("Enter")
        found = page.locator(".article-row__title")
        expect(found).to_have_text([SCHOOLS_TITLE])
        expect(page.locator(".article-row mark").first).to_have_text(re.compile(BODY_WORD, re.I))

    with steps("export the dossier"):
        nav.get_by_role("link", name="Dossiers").click()
        page.get_by_role("link", name=DOSSIER).click()
        page.locator(".page-head__actions summary", has_text="Export").click()
        with page.expect_download() as download:
            page.get_by_role("link", name="Markdown brief").click()
        brief = download.value.path().read_text(encoding="utf-8")
        assert brief.startswith(f"# {DOSSIER}\n"), brief
        assert "2 stories" in brief, brief
        assert f"### {GROOMING_TITLE}" in brief and f"### {SCHOOLS_TITLE}" in brief, brief
        assert PDF_TITLE not in brief and DOCX_TITLE not in brief, brief
