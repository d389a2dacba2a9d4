"""Annotating an article in the reader: select a passage, tag it, write a note, edit, delete, undo.

The article is made by the real cleaner (so its HTML and plain text agree, as after ingestion);
the passages are selected the way a researcher does, with the mouse or the keyboard.
"""

import re

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, Tag
from articles.cleaning import clean_document
from articles.models import Article
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, MembershipFactory
from workspace.models import Role

STORY = """<!doctype html>
<html lang="en"><head><title>Regulator gives platforms a year to verify ages | The Borough Gazette</title></head>
<body>
<nav class="site-nav"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
  <h1>Regulator gives platforms a year to verify ages</h1>
  <p>The communications regulator has given social media platforms twelve months to introduce robust
  age checks for every new account opened in the country.</p>
  <p>Officials said the rules, published on Tuesday, follow a
  <a href="https://example.org/consultation">two-year consultation</a> in which parents described
  children being shown <em>harmful material</em> within minutes of signing up.</p>
  <h2>What changes for users</h2>
  <p>📱 Phones sold with parental controls switched on will count towards compliance, the regulator
  said, provided the controls cannot be removed without adult approval.</p>
  <p>Companies that miss the deadline face fines of up to ten percent of their global turnover, and
  senior managers could be held personally liable.</p>
  <p>Campaigners welcomed the timetable but warned that enforcement would depend on the regulator
  hiring enough technical staff.</p>
</article>
<footer>Copyright The Borough Gazette</footer>
</body></html>"""

# Where the mouse is pressed and released: the boundary before the first character of the first
# text and after the last character of the second, each found inside one text node of the body.
POINTS_OF = """([first, last]) => {
  const body = document.querySelector(".reader__body");
  function find(needle) {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(needle);
      if (at >= 0) return { node, at };
    }
    throw new Error(`Not in the article body: ${needle}`);
  }
  function box(node, from, to) {
    const range = document.createRange();
    range.setStart(node, from);
    range.setEnd(node, to);
    return range.getClientRects()[0];
  }
  const a = find(first);
  const b = find(last);
  a.node.parentElement.scrollIntoView({ block: "center" });
  const head = box(a.node, a.at, a.at + 1);
  const tail = box(b.node, b.at + last.length - 1, b.at + last.length);
  return {
    start: { x: head.left + 1, y: head.top + head.height / 2 },
    end: { x: tail.right - 1, y: tail.top + tail.height / 2 },
  };
}"""


@pytest.fixture
def article(editor):
    """A READY article in the editor's workspace, cleaned from a realistic news page."""
    cleaned = clean_document(STORY.encode(), filename="age-checks.html", content_type="text/html")
    return Article.objects.create(
        workspace=editor.workspace,
        kind=Article.Kind.PASTE,
        status=Article.Status.READY,
        title=cleaned.title,
        standfirst=cleaned.standfirst,
        authors=cleaned.authors,
        site_name=cleaned.site_name,
        language=cleaned.language or "en",
        html=cleaned.html,
        text=cleaned.text,
        text_hash=cleaned.text_hash,
        word_count=len(cleaned.text.split()),
    )


def open_reader(page, server_url, article):
    page.goto(f"{server_url}/articles/{article.pk}/")
    expect(page.locator(".reader__title")).to_have_text(article.title)
    expect(page.locator(".reader__body [data-o]").first).to_be_attached()
    return page


def drag_select(page, first: str, last: str) -> None:
    """Select with the mouse from the start of `first` to the end of `last`."""
    points = page.evaluate(POINTS_OF, [first, last])
    page.mouse.move(points["start"]["x"], points["start"]["y"])
    page.mouse.down()
    page.mouse.move(points["end"]["x"], points["end"]["y"], steps=8)
    page.mouse.up()


def toolbar_of(page):
    return page.get_by_role("dialog", name="Annotate the selected passage")


def stored(page, server_url, article) -> list[dict]:
    """The article's live annotations, as the JSON API gives them to the signed-in user."""
    response = page.request.get(f"{server_url}/annotations/api/articles/{article.pk}/annotations/")
    assert response.ok, response.text()
    return response.json()["annotations"]


def annotate(page, first: str, last: str, *, tags: str = "", note: str = "") -> None:
    """Select from `first` to `last` with the mouse, fill the toolbar, press Enter, and wait
    until the panel lists the new annotation (the highlights are re-rendered with it)."""
    entries = page.locator(".annotation-list .annotation")
    before = entries.count()
    drag_select(page, first, last)
    toolbar = toolbar_of(page)
    expect(toolbar).to_be_visible()
    if tags:
        page.keyboard.type(tags)  # typing with a passage selected goes into the tags
        expect(toolbar.get_by_label("Tags")).to_have_value(tags)
    if note:
        toolbar.get_by_label("Note").fill(note)
    toolbar.get_by_label("Note" if note else "Tags").press("Enter")
    expect(toolbar).to_be_hidden()
    expect(entries).to_have_count(before + 1)


def passage(article, user, quote: str, *, note: str = "", tags: tuple[str, ...] = ()) -> Annotation:
    """An annotation made beforehand (through the same service the API uses) on `quote`."""
    start = article.text.index(quote)
    return services.create_annotation(
        article=article, user=user, start=start, end=start + len(quote), exact=quote, note=note, tag_names=list(tags)
    )


def settle(page) -> None:
    """Let the page's handlers of the last mouse or key event run (they defer by a timeout)."""
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 50))")


def entry_of(page, annotation):
    return page.locator(f"#annotation-{annotation.pk}")


def test_a_mouse_selection_across_paragraphs_a_link_and_emphasis_is_tagged_noted_and_kept(
    signed_in_page, server_url, article, editor
):
    assert not Tag.objects.filter(name__iexact="age verification").exists()
    page = open_reader(signed_in_page, server_url, article)
    first, last = "robust", "harmful material"
    drag_select(page, first, last)

    toolbar = toolbar_of(page)
    expect(toolbar).to_be_visible()
    tags = toolbar.get_by_label("Tags")
    tags.fill("age verification")
    toolbar.get_by_label("Note").fill("Parents' evidence is **the key finding** here.")
    toolbar.get_by_label("Note").press("Enter")
    expect(toolbar).to_be_hidden()

    body = page.locator(".reader__body")
    paragraphs = body.locator("p")
    expect(paragraphs.nth(0).locator("mark.hl")).to_have_text(
        "robust age checks for every new account opened in the country."
    )
    second = paragraphs.nth(1).locator("mark.hl")
    expect(second.first).to_have_text("Officials said the rules, published on Tuesday, follow a ")
    expect(second.last).to_have_text("harmful material")
    expect(body.locator("a mark.hl")).to_have_text("two-year consultation")
    expect(body.locator("i mark.hl, em mark.hl")).to_have_text("harmful material")
    expect(page.get_by_role("status")).to_have_text(re.compile("Saved."))

    def check_panel():
        entry = page.locator(".annotation-list .annotation")
        expect(entry).to_have_count(1)
        expect(entry.locator(".annotation__quote")).to_contain_text("robust age checks for every new account")
        expect(entry.locator(".annotation__quote")).to_contain_text("shown harmful material")
        expect(entry.locator(".annotation__tags .tag")).to_have_text(["age verification"])
        expect(entry.locator(".annotation__note strong")).to_have_text("the key finding")
        expect(entry.locator(".annotation__note")).not_to_contain_text("**")
        expect(entry.locator(".annotation__meta")).to_contain_text(str(editor.user))
        expect(page.locator("#panel-title .muted")).to_have_text("1")

    check_panel()
    page.reload()
    expect(paragraphs.nth(0).locator("mark.hl")).to_have_count(1)
    expect(paragraphs.nth(1).locator("mark.hl")).to_have_count(4)
    check_panel()

    [saved] = stored(page, server_url, article)
    article.refresh_from_db()
    assert saved["exact"] == article.text[saved["start"] : saved["end"]]
    assert saved["exact"].startswith("robust age checks")
    assert saved["exact"].endswith("shown harmful material")
    assert "\n\nOfficials said" in saved["exact"]
    assert [t["name"] for t in saved["tags"]] == ["age verification"]
    assert saved["note"] == "Parents' evidence is **the key finding** here."


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("The communications regulator has given", id="first"),
        pytest.param("Companies that miss the deadline", id="middle"),
        pytest.param("Campaigners welcomed the timetable", id="last"),
    ],
)
def test_a_triple_clicked_paragraph_is_annotated_whole(signed_in_page, server_url, article, paragraph):
    page = open_reader(signed_in_page, server_url, article)
    block = page.locator(".reader__body p", has_text=paragraph)
    block.click(click_count=3, position={"x": 30, "y": 10})
    toolbar = toolbar_of(page)
    expect(toolbar).to_be_visible(timeout=2_000)
    toolbar.get_by_label("Tags").fill("whole paragraph")
    toolbar.get_by_label("Tags").press("Enter")
    expect(page.locator(".annotation-list .annotation")).to_have_count(1)

    whole = next(p for p in article.text.split("\n\n") if p.startswith(paragraph))
    [saved] = stored(page, server_url, article)
    assert saved["exact"] == whole
    expect(block.locator("mark.hl")).to_have_text(whole)


def test_a_double_clicked_word_extended_with_shift_arrows_is_annotated(signed_in_page, server_url, article):
    page = open_reader(signed_in_page, server_url, article)
    word = page.evaluate(POINTS_OF, ["Companies", "Companies"])
    page.mouse.dblclick((word["start"]["x"] + word["end"]["x"]) / 2, word["start"]["y"])
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    toolbar = toolbar_of(page)
    tags = toolbar.get_by_label("Tags")
    # The toolbar opens by itself without taking focus; typing goes into the tags.
    expect(toolbar).to_be_visible()
    page.keyboard.type("penalties")
    expect(tags).to_have_value("penalties")
    page.keyboard.press("Enter")
    expect(toolbar).to_be_hidden()
    expect(page.locator(".annotation-list .annotation")).to_have_count(1)

    [saved] = stored(page, server_url, article)
    assert saved["exact"] == "Companies that"
    assert [t["name"] for t in saved["tags"]] == ["penalties"]
    expect(page.locator(".reader__body mark.hl")).to_have_text("Companies that")


def test_offsets_after_an_emoji_are_counted_in_code_points(signed_in_page, server_url, article):
    page = open_reader(signed_in_page, server_url, article)
    assert "\n\n📱 Phones sold" in article.text  # the emoji opens its paragraph
    annotate(page, "Phones sold", "parental controls", tags="devices")

    expect(page.locator(".reader__body mark.hl")).to_have_text("Phones sold with parental controls")
    [saved] = stored(page, server_url, article)
    assert article.text[saved["start"] : saved["end"]] == "Phones sold with parental controls"
    assert saved["exact"] == "Phones sold with parental controls"
    assert saved["start"] == article.text.index("📱") + 2  # one code point for 📱 (two UTF-16 units) and a space


def test_editing_deleting_and_undoing_an_annotation(signed_in_page, server_url, article, editor):
    annotation = passage(article, editor.user, "two-year consultation", note="Check the *dates*.", tags=("sources",))
    page = open_reader(signed_in_page, server_url, article)
    entry = entry_of(page, annotation)
    expect(entry.locator(".annotation__note em")).to_have_text("dates")

    entry.get_by_role("button", name="Edit").click()
    toolbar = toolbar_of(page)
    expect(toolbar).to_be_visible()
    note = toolbar.get_by_label("Note")
    expect(note).to_be_focused()
    expect(note).to_have_value("Check the *dates*.")
    expect(toolbar.get_by_label("Tags")).to_have_value("sources")
    note.fill("Consultation ran **2022–2024**.")
    note.press("Enter")
    expect(toolbar).to_be_hidden()
    expect(entry.locator(".annotation__note")).to_have_text("Consultation ran 2022–2024.")
    expect(entry.locator(".annotation__note strong")).to_have_text("2022–2024")
    expect(entry.locator(".annotation__tags .tag")).to_have_text(["sources"])

    mark = page.locator(".reader__body mark.hl")
    expect(mark).to_have_text("two-year consultation")
    entry.get_by_role("button", name="Delete").click()
    expect(mark).to_have_count(0)
    expect(entry).to_have_count(0)
    toast = page.locator("#annotator-toast")
    expect(toast).to_be_visible()
    expect(toast.locator("span")).to_have_text("Annotation deleted.")
    undo = toast.get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    assert Annotation.objects.get(pk=annotation.pk).deleted_at is not None

    undo.click()
    expect(mark).to_have_text("two-year consultation")
    expect(entry.locator(".annotation__note strong")).to_have_text("2022–2024")
    expect(entry.locator(".annotation__tags .tag")).to_have_text(["sources"])
    expect(toast.locator("span")).to_have_text("Restored.")
    expect(undo).to_be_hidden()
    page.reload()
    expect(entry.locator(".annotation__note strong")).to_have_text("2022–2024")


def test_a_highlight_and_its_panel_entry_point_at_each_other(signed_in_page, server_url, article, editor):
    first = passage(article, editor.user, "twelve months", note="Deadline.")
    second = passage(article, editor.user, "ten percent", note="Maximum fine.")
    page = open_reader(signed_in_page, server_url, article)
    marks = page.locator(".reader__body mark.hl")
    expect(marks).to_have_text(["twelve months", "ten percent"])

    marks.nth(1).click()
    expect(entry_of(page, second)).to_have_class(re.compile(r"\bannotation--active\b"))
    expect(entry_of(page, second)).to_be_in_viewport()
    expect(entry_of(page, first)).not_to_have_class(re.compile(r"\bannotation--active\b"))
    expect(toolbar_of(page)).to_be_hidden()

    entry_of(page, first).locator(".annotation__quote").click()
    expect(marks.nth(0)).to_have_class(re.compile(r"\bhl--active\b"))
    expect(marks.nth(0)).to_be_in_viewport()
    expect(marks.nth(1)).not_to_have_class(re.compile(r"\bhl--active\b"))


def test_question_mark_lists_the_shortcuts_and_escape_closes_them(signed_in_page, server_url, article):
    page = open_reader(signed_in_page, server_url, article)
    overlay = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(overlay).to_be_hidden()
    page.keyboard.press("?")
    expect(overlay).to_be_visible()
    expect(overlay.locator("dt")).to_have_text(["Shift + arrows", "Type", "Tab", "Enter", "Esc", "j / k", "u", "?"])
    expect(overlay.locator("dd")).to_contain_text(
        ["Extend the selection", "Tag the selected passage", "From the tags to the note", "Save"]
    )
    expect(overlay.get_by_role("button", name="Close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(overlay).to_be_hidden()


def test_a_passage_inside_another_is_shown_twice_as_deep(signed_in_page, server_url, article):
    page = open_reader(signed_in_page, server_url, article)
    annotate(page, "twelve", "months", tags="deadline")
    annotate(page, "platforms", "introduce", note="Scope of the rule.")

    body = page.locator(".reader__body")
    expect(body.locator("mark.hl--depth-2")).to_have_text("twelve months")
    expect(body.locator("mark.hl--depth-1")).to_have_text(["platforms ", " to introduce"])
    expect(page.locator(".annotation-list .annotation")).to_have_count(2)
    inner = body.locator("mark.hl--depth-2").get_attribute("data-annotations").split()
    assert len(inner) == 2
    assert sorted(a["exact"] for a in stored(page, server_url, article)) == [
        "platforms twelve months to introduce",
        "twelve months",
    ]


@pytest.fixture
def viewer_page(page, server_url, editor):
    """A page signed in, through the login form, as a viewer of the editor's workspace."""
    viewer = MembershipFactory(workspace=editor.workspace, role=Role.VIEWER)
    sign_in(page, server_url, viewer.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Articles", level=1)).to_be_visible()
    return page


def test_a_viewer_sees_annotations_but_cannot_annotate(viewer_page, server_url, article, editor):
    annotation = passage(article, editor.user, "harmful material", note="**Quote** from parents.", tags=("harms",))
    page = open_reader(viewer_page, server_url, article)
    expect(page.locator(".reader__body mark.hl")).to_have_text("harmful material")
    entry = entry_of(page, annotation)
    expect(entry.locator(".annotation__note strong")).to_have_text("Quote")
    expect(entry.locator(".annotation__tags .tag")).to_have_text(["harms"])
    expect(page.locator(".annotation-panel").get_by_role("button")).to_have_count(0)  # no Edit, Delete, Add note

    drag_select(page, "Companies", "deadline")
    settle(page)
    assert page.evaluate("String(getSelection())") == "Companies that miss the deadline"
    page.keyboard.press("t")
    settle(page)
    expect(toolbar_of(page)).to_be_hidden()

    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    refused = page.request.post(
        f"{server_url}/annotations/api/articles/{article.pk}/annotations/",
        data={"start": 0, "end": 3, "exact": "The", "tags": ["sneaky"]},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert refused.status == 403
    assert Annotation.objects.filter(article=article).count() == 1


def test_script_in_a_note_never_runs(signed_in_page, server_url, article):
    page = open_reader(signed_in_page, server_url, article)
    payload = "<img src=x onerror=window.__pwned=1> and [x](javascript:window.__pwned=1)"
    annotate(page, "Campaigners", "timetable", note=payload)

    note = page.locator(".annotation__note")
    expect(note).to_contain_text("<img src=x onerror=window.__pwned=1>")
    expect(note.locator("img, [onerror], script")).to_have_count(0)
    expect(note.locator('a[href^="javascript"]')).to_have_count(0)
    assert page.evaluate("typeof window.__pwned") == "undefined"

    page.reload()
    expect(note).to_contain_text("<img src=x onerror=window.__pwned=1>")
    expect(page.locator("img, [onerror]")).to_have_count(0)
    page.get_by_role("button", name="Edit").click()
    expect(toolbar_of(page).get_by_label("Note")).to_have_value(payload)  # kept as written, shown as text
    page.keyboard.press("Escape")
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_a_passage_is_pinned_to_a_dossier_straight_from_the_toolbar(signed_in_page, server_url, article, editor):
    from dossiers.models import Dossier, DossierPassage

    dossier = Dossier.objects.create(workspace=editor.workspace, title="Online child safety")
    page = open_reader(signed_in_page, server_url, article)
    drag_select(page, "twelve", "months")
    toolbar = toolbar_of(page)
    expect(toolbar).to_be_visible()
    page.keyboard.type("deadline")
    toolbar.get_by_label("Pin to a dossier").select_option(label="Online child safety")
    toolbar.get_by_label("Pin to a dossier").press("Enter")
    expect(toolbar).to_be_hidden()
    expect(page.locator(".annotation-list .annotation")).to_have_count(1)
    pin = DossierPassage.objects.get(dossier=dossier)
    assert pin.annotation.exact == "twelve months"
    assert dossier.items.filter(article=article).exists()
