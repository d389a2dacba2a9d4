"""Pasting a story copied from a browser: the clipboard's page markup is kept beside the plain text.

Real clipboard permissions are awkward headless: the test dispatches the `paste` event a browser
would, with a DataTransfer carrying both `text/html` and `text/plain`, then types the plain text
the browser would have inserted. Ingestion runs in-process (Celery eager, the suite's default).
"""

import re

from playwright.sync_api import expect

from articles.models import Article

HEADLINE = "Council delays flood defence scheme"
CLIPBOARD_HTML = (
    f"<meta charset='utf-8'><h1 style=\"font-size: 2em\">{HEADLINE}</h1>"
    '<p style="margin: 0 0 1em">The council has postponed work on the seafront flood defences until next '
    "spring, citing rising costs and a shortage of contractors.</p>"
    "<h2>Residents angry</h2>"
    "<p>Residents of the lower town, where more than 400 homes flooded in 2023, wrote to the council to ask "
    "for a new timetable.</p>"
)
CLIPBOARD_TEXT = (
    f"{HEADLINE}\n\nThe council has postponed work on the seafront flood defences until next spring, citing "
    "rising costs and a shortage of contractors.\n\nResidents angry\n\nResidents of the lower town, where "
    "more than 400 homes flooded in 2023, wrote to the council to ask for a new timetable."
)
PASTE = """([html, text]) => {
  const clipboard = new DataTransfer();
  clipboard.setData("text/html", html);
  clipboard.setData("text/plain", text);
  const box = document.querySelector("textarea[name=text]");
  box.focus();
  box.select();
  box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: clipboard, bubbles: true, cancelable: true}));
}"""


def paste(page, html: str, text: str) -> None:
    """What a browser does on Ctrl+A, Ctrl+V: the paste event, then the plain text in the box."""
    page.evaluate(PASTE, [html, text])
    page.get_by_label("Paste an article").fill(text)


def test_a_copy_from_a_browser_keeps_the_pages_headings_and_paragraphs(signed_in_page, server_url):
    page = signed_in_page
    page.goto(f"{server_url}/articles/add/")
    note = page.get_by_text("Page formatting kept")
    markup = page.locator('input[name="html"]')
    expect(note).to_be_hidden()

    paste(page, CLIPBOARD_HTML, CLIPBOARD_TEXT)
    expect(note).to_be_visible()
    page.get_by_label("Paste an article").fill("A different story typed over the pasted one.")
    expect(note).to_be_hidden()
    assert markup.input_value() == ""

    paste(page, CLIPBOARD_HTML, CLIPBOARD_TEXT)
    expect(note).to_be_visible()
    assert markup.input_value() == CLIPBOARD_HTML
    page.get_by_label("Link to the original").fill("https://harbour.example/news/flood-defences")
    page.get_by_role("button", name=re.compile(r"^Add to ")).click()
    expect(page.get_by_role("heading", name="Just added")).to_be_visible()

    article = Article.objects.get()
    assert article.status == Article.Status.READY, article.last_error
    assert sorted(article.originals.values_list("filename", flat=True)) == ["pasted.html", "pasted.txt"]
    assert "<h2>Residents angry</h2>" in article.html
    assert article.html.count("<p>") == 2
    assert article.canonical_url == "https://harbour.example/news/flood-defences"
    page.get_by_role("link", name=re.compile(HEADLINE)).click()
    expect(page.locator(".reader__body h2", has_text="Residents angry")).to_be_visible()
