"""Dossier exports: Markdown and printable HTML briefs, CSV of passages, W3C JSON-LD."""

import csv
import io
import json
from datetime import UTC, date
from urllib.parse import quote

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from markdown_it import MarkdownIt

from annotations.models import Annotation
from dossiers import export_views, services
from dossiers import urls as dossier_urls
from dossiers.exports import CSV_COLUMNS
from tests.factories import ArticleFactory, DossierFactory, TagFactory, UserFactory
from workspace import urls as project_urls

pytestmark = pytest.mark.django_db

# The project's URLs with the export route in the "dossiers" namespace, whether or not
# dossiers/urls.py has it yet (a route there too is harmless: the same view).
EXPORT_ROUTE = path("<int:pk>/export/<str:fmt>/", export_views.dossier_export, name="export")
urlpatterns = [
    path("dossiers/", include(([*dossier_urls.urlpatterns, EXPORT_ROUTE], "dossiers"))),
    *(p for p in project_urls.urlpatterns if str(p.pattern) != "dossiers/"),
]

FORMATS = ["md", "html", "csv", "json"]
LEDGER_TEXT = (
    "Ofcom said one in five children had seen harmful content in the past month.\n\n"
    "The regulator will fine platforms up to ten per cent of their global turnover."
)
HERALD_TEXT = "Campaigners said the codes did not go far enough.\n\nSchools reported a rise in cases."
DIGEST_TEXT = "A memo shows the department weighed an outright ban on phones in classrooms."


@pytest.fixture(autouse=True)
def export_urls(settings):
    settings.ROOT_URLCONF = __name__


def export_url(dossier, fmt: str) -> str:
    return reverse("dossiers:export", args=[dossier.pk, fmt])


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(response) -> str:
    return content_of(response).decode("utf-8-sig")


def pin(dossier, article, passage: str, *, section=None, note: str = "", curator_note: str = "", tags=(), author=None):
    start = article.text.index(passage)
    end = start + len(passage)
    annotation = Annotation.objects.create(
        workspace=article.workspace,
        article=article,
        author=author,
        exact=passage,
        prefix=article.text[max(0, start - 32) : start],
        suffix=article.text[end : end + 32],
        start=start,
        end=end,
        note=note,
    )
    annotation.tags.set(tags)
    return services.pin_passage(dossier=dossier, annotation=annotation, section=section, note=curator_note)[0]


@pytest.fixture
def author(workspace):
    return UserFactory(first_name="Dana", last_name="Curator")


@pytest.fixture
def ledger(workspace):
    return ArticleFactory(
        workspace=workspace,
        title="One in five children saw harmful content",
        site_name="The Northern Ledger",
        authors=["Priya Natarajan"],
        published_on=date(2026, 4, 24),
        canonical_url="https://northernledger.example/news/harmful-content",
        text=LEDGER_TEXT,
    )


@pytest.fixture
def herald(workspace):
    return ArticleFactory(
        workspace=workspace,
        title="Campaigners criticise codes",
        site_name="",
        authors=["Ann Lee", "Bo Chan"],
        published_on=date(2025, 1, 10),
        canonical_url="",
        submitted_url="https://www.herald.example/codes",
        text=HERALD_TEXT,
    )


@pytest.fixture
def digest(workspace):
    return ArticleFactory(
        workspace=workspace,
        title="Phone ban memo",
        site_name="Policy Digest",
        authors=[],
        published_on=None,
        text=DIGEST_TEXT,
    )


@pytest.fixture
def dossier(workspace, author, ledger, herald, digest):
    """Two sections (three passages), one unsorted passage, three stories (one undated)."""
    dossier = DossierFactory(workspace=workspace, title="Online child safety", description="Why *now*: the codes.")
    scale = services.create_section(dossier=dossier, title="Scale of the problem", note="Numbers first.")
    rules = services.create_section(dossier=dossier, title="Regulation")
    harm, fines = TagFactory(workspace=workspace, name="harm"), TagFactory(workspace=workspace, name="fines")
    pin(dossier, ledger, "one in five children", section=scale, note="Survey of 2,000.", tags=[harm], author=author)
    pin(dossier, herald, "Schools reported a rise in cases.", section=scale, curator_note="Anecdotal.")
    pin(dossier, ledger, "up to ten per cent of their global turnover", section=rules, tags=[fines, harm])
    pin(dossier, herald, "the codes did not go far enough", note='=HYPERLINK("http://evil.example")')
    services.add_article(dossier=dossier, article=digest, note="Background only.")
    return dossier


def get(client, dossier, fmt):
    response = client.get(export_url(dossier, fmt))
    assert response.status_code == 200, response.status_code
    return response


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_brief_has_title_sections_and_stories_in_order(viewer_client, dossier):
    tokens = MarkdownIt("commonmark").parse(text_of(get(viewer_client, dossier, "md")))
    headings = [(tokens[i].tag, tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == [
        ("h1", "Online child safety"),
        ("h2", "Scale of the problem"),
        ("h2", "Regulation"),
        ("h2", "Other passages"),
        ("h2", "Stories"),
        ("h3", "Campaigners criticise codes"),
        ("h3", "One in five children saw harmful content"),
        ("h3", "Phone ban memo"),
    ]


def test_markdown_brief_quotes_passages_with_notes_and_citations_in_order(viewer_client, dossier):
    text = text_of(get(viewer_client, dossier, "md"))
    expected = [
        "Why *now*: the codes.",
        "Numbers first.",
        "> one in five children",
        "**Note:**\nSurvey of 2,000.",
        "**Tags:** harm",
        "— The Northern Ledger, Priya Natarajan, 24 April 2026, https://northernledger.example/news/harmful-content",
        "> Schools reported a rise in cases.",
        "**Curator’s note:**\nAnecdotal.",
        "— herald.example, Ann Lee and Bo Chan, 10 January 2025, https://www.herald.example/codes",
        "> up to ten per cent of their global turnover",
        "**Tags:** fines, harm",
        "> the codes did not go far enough",
        "## Stories",
        "— Policy Digest",
        "**Curator’s note:**\nBackground only.",
    ]
    positions = [text.index(piece) for piece in expected]
    assert positions == sorted(positions)


def test_markdown_title_made_of_markup_stays_one_plain_heading(viewer_client, dossier):
    dossier.title = "<script>alert(1)</script> # *x* [link](javascript:y) `code` 1. --- |a|"
    dossier.save()
    tokens = MarkdownIt("commonmark").parse(text_of(get(viewer_client, dossier, "md")))
    h1 = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1"]
    assert len(h1) == 1
    assert h1[0].content.replace("\\", "") == dossier.title
    assert [c.type for c in h1[0].children] == ["text"] * len(h1[0].children)


def test_markdown_quote_made_of_markup_stays_inside_its_blockquote(viewer_client, workspace, dossier):
    article = ArticleFactory(workspace=workspace, text="# Heading\n- item\n<b>bold</b> *star*")
    pin(dossier, article, "# Heading\n- item\n<b>bold</b> *star*")
    html = MarkdownIt("commonmark").render(text_of(get(viewer_client, dossier, "md")))
    assert "<blockquote>\n<p># Heading\n- item\n&lt;b&gt;bold&lt;/b&gt; *star*</p>\n</blockquote>" in html


def test_markdown_is_served_as_utf8_markdown_download(viewer_client, dossier):
    response = get(viewer_client, dossier, "md")
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="online-child-safety-{timezone.localdate().isoformat()}.md"'
    )


# --- HTML -----------------------------------------------------------------------------------------


def test_html_brief_has_title_sections_passages_and_citations(viewer_client, dossier):
    doc = lxml.html.fromstring(content_of(get(viewer_client, dossier, "html")))
    assert doc.findtext(".//title") == "Online child safety"
    assert [h.text_content() for h in doc.iter("h1")] == ["Online child safety"]
    assert [h.text_content() for h in doc.iter("h2")] == [
        "Scale of the problem",
        "Regulation",
        "Other passages",
        "Stories",
    ]
    quotes = [q.text_content().strip() for q in doc.iter("blockquote")]
    assert quotes == [
        "one in five children",
        "Schools reported a rise in cases.",
        "up to ten per cent of their global turnover",
        "the codes did not go far enough",
    ]
    citations = [c.text_content() for c in doc.find_class("citation")]
    assert citations[0] == (
        "— The Northern Ledger, Priya Natarajan, 24 April 2026, https://northernledger.example/news/harmful-content"
    )
    assert citations[-1] == "— Policy Digest"
    assert len(citations) == 4 + 3


def test_html_brief_renders_notes_as_markdown(viewer_client, dossier):
    doc = lxml.html.fromstring(content_of(get(viewer_client, dossier, "html")))
    assert doc.find_class("brief__description")[0].xpath(".//em/text()") == ["now"]
    assert "Anecdotal." in doc.find_class("passage__curator-note")[0].text_content()


def test_html_brief_is_standalone_without_script_or_inline_style(viewer_client, dossier):
    body = content_of(get(viewer_client, dossier, "html"))
    doc = lxml.html.fromstring(body)
    assert doc.xpath("//script | //style | //*[@style] | //*[@onload]") == []
    assert [link.get("href") for link in doc.iter("link")] == ["http://testserver/static/css/brief.css"]
    assert b"site-header" not in body  # not the app's layout


def test_html_brief_escapes_markup_in_titles_and_quotes(viewer_client, workspace, dossier):
    dossier.title = "<script>alert('title')</script>"
    dossier.save()
    article = ArticleFactory(workspace=workspace, text="Then <script>alert('quote')</script> appeared.")
    pin(dossier, article, "<script>alert('quote')</script>")
    doc = lxml.html.fromstring(content_of(get(viewer_client, dossier, "html")))
    assert doc.xpath("//script") == []
    assert doc.findtext(".//h1") == "<script>alert('title')</script>"
    assert "<script>alert('quote')</script>" in [q.text_content() for q in doc.iter("blockquote")]


# --- CSV ------------------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text_of(response))))


def test_csv_has_one_row_per_passage_in_brief_order(viewer_client, dossier, author):
    response = get(viewer_client, dossier, "csv")
    rows = csv_rows(response)
    assert [(r["section"], r["position"], r["quote"]) for r in rows] == [
        ("Scale of the problem", "1", "one in five children"),
        ("Scale of the problem", "2", "Schools reported a rise in cases."),
        ("Regulation", "1", "up to ten per cent of their global turnover"),
        ("", "1", "the codes did not go far enough"),
    ]
    annotation = dossier.passages.get(annotation__exact="one in five children").annotation
    assert rows[0] == {
        "dossier": "Online child safety",
        "section": "Scale of the problem",
        "position": "1",
        "quote": "one in five children",
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "tags": "harm",
        "annotation note": "Survey of 2,000.",
        "curator note": "",
        "article title": "One in five children saw harmful content",
        "source": "The Northern Ledger",
        "authors": "Priya Natarajan",
        "published_on": "2026-04-24",
        "url": "https://northernledger.example/news/harmful-content",
        "annotation author": "Dana Curator",
        "created": annotation.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    assert rows[1]["authors"] == "Ann Lee; Bo Chan"
    assert rows[2]["tags"] == "fines; harm"


def test_csv_is_streamed_with_bom_and_header(viewer_client, dossier):
    response = get(viewer_client, dossier, "csv")
    assert response.streaming
    body = content_of(response)
    assert body.startswith(b"\xef\xbb\xbf")
    assert next(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == CSV_COLUMNS
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_neutralises_formula_cells(viewer_client, dossier):
    rows = csv_rows(get(viewer_client, dossier, "csv"))
    assert rows[3]["annotation note"] == '\'=HYPERLINK("http://evil.example")'


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_every_formula_start(viewer_client, dossier, start):
    dossier.title = f"{start}1+1"
    dossier.save()
    assert {r["dossier"] for r in csv_rows(get(viewer_client, dossier, "csv"))} == {f"'{start}1+1"}


# --- JSON-LD --------------------------------------------------------------------------------------


def test_json_is_an_annotation_collection_of_the_passages(viewer_client, dossier):
    response = get(viewer_client, dossier, "json")
    data = json.loads(response.content)
    assert response["Content-Type"].startswith("application/ld+json")
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 4
    items = data["first"]["items"]
    assert len(items) == 4
    for item in items:
        assert item["type"] == "Annotation"
        assert {s["type"] for s in item["target"]["selector"]} == {"TextQuoteSelector", "TextPositionSelector"}
    assert [item["target"]["selector"][0]["exact"] for item in items] == [
        "one in five children",
        "Schools reported a rise in cases.",
        "up to ten per cent of their global turnover",
        "the codes did not go far enough",
    ]


def test_json_carries_the_dossier_metadata(viewer_client, dossier):
    data = json.loads(get(viewer_client, dossier, "json").content)
    ids = [item["id"] for item in data["first"]["items"]]
    meta = data["dossier"]
    assert meta["title"] == "Online child safety"
    assert meta["description"] == "Why *now*: the codes."
    assert [(s["title"], s["note"], s["passages"]) for s in meta["sections"]] == [
        ("Scale of the problem", "Numbers first.", ids[:2]),
        ("Regulation", "", ids[2:3]),
    ]
    assert meta["unsortedPassages"] == ids[3:]
    assert meta["curatorNotes"] == {ids[1]: "Anecdotal."}
    assert [(s["title"], s["published"], s["note"]) for s in meta["stories"]] == [
        ("Campaigners criticise codes", "2025-01-10", ""),
        ("One in five children saw harmful content", "2026-04-24", ""),
        ("Phone ban memo", None, "Background only."),
    ]


# --- Edge cases -------------------------------------------------------------------------------------


@pytest.fixture
def empty_dossier(workspace):
    return DossierFactory(workspace=workspace, title="Nothing yet")


def test_empty_dossier_markdown_is_a_brief_with_only_a_title(viewer_client, empty_dossier):
    tokens = MarkdownIt("commonmark").parse(text_of(get(viewer_client, empty_dossier, "md")))
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1"]
    assert "no passages or stories yet" in text_of(get(viewer_client, empty_dossier, "md"))


def test_empty_dossier_html_is_a_valid_brief(viewer_client, empty_dossier):
    doc = lxml.html.fromstring(content_of(get(viewer_client, empty_dossier, "html")))
    assert doc.findtext(".//h1") == "Nothing yet"
    assert doc.xpath("//h2 | //blockquote") == []


def test_empty_dossier_csv_has_only_the_header(viewer_client, empty_dossier):
    body = text_of(get(viewer_client, empty_dossier, "csv"))
    assert list(csv.reader(io.StringIO(body))) == [CSV_COLUMNS]


def test_empty_dossier_json_is_an_empty_collection(viewer_client, empty_dossier):
    data = json.loads(get(viewer_client, empty_dossier, "json").content)
    assert (data["type"], data["total"], data["first"]["items"]) == ("AnnotationCollection", 0, [])
    assert data["dossier"]["sections"] == [] and data["dossier"]["stories"] == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_very_long_description_is_exported_whole(viewer_client, dossier, fmt):
    dossier.description = ("Long evidence " * 7143)[:100_000]
    dossier.save()
    body = text_of(get(viewer_client, dossier, fmt))
    if fmt == "json":
        assert json.loads(body)["dossier"]["description"] == dossier.description
    elif fmt == "html":
        assert lxml.html.fromstring(body).find_class("brief__description")[0].text_content().strip() == (
            dossier.description.strip()
        )
    elif fmt == "md":
        assert dossier.description.strip() in body
    else:
        assert len(csv_rows_of(body)) == 4


def csv_rows_of(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("title", ["🧒📱🔒", "<b></b> ** ## --- <>"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_title_without_words_gets_a_fallback_file_name_and_valid_output(viewer_client, dossier, title, fmt):
    dossier.title = title
    dossier.save()
    response = get(viewer_client, dossier, fmt)
    expected = f"dossier-{dossier.pk}-{timezone.localdate().isoformat()}.{fmt}"
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    body = text_of(response)
    if fmt == "md":
        h1 = MarkdownIt("commonmark").parse(body)[1]
        assert h1.content.replace("\\", "") == title
    elif fmt == "html":
        assert lxml.html.fromstring(body).findtext(".//h1") == title
    elif fmt == "csv":
        assert {row["dossier"] for row in csv_rows_of(body)} == {title}
    else:
        assert json.loads(body)["label"] == title


def test_unicode_title_keeps_its_letters_in_the_file_name(viewer_client, dossier):
    dossier.title = "Sécurité en ligne"
    dossier.save()
    disposition = get(viewer_client, dossier, "md")["Content-Disposition"]
    assert (
        disposition
        == f"attachment; filename*=utf-8''{quote('sécurité-en-ligne')}-{timezone.localdate().isoformat()}.md"
    )


# --- Access and queries -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_viewer_can_export(viewer_client, dossier, fmt):
    assert viewer_client.get(export_url(dossier, fmt)).status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_outsider_gets_404(outsider_client, dossier, fmt):
    assert outsider_client.get(export_url(dossier, fmt)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, dossier):
    response = client.get(export_url(dossier, "md"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unknown_format_is_404(viewer_client, dossier):
    assert viewer_client.get(export_url(dossier, "pdf")).status_code == 404


def test_deleted_passage_is_left_out(viewer_client, dossier):
    Annotation.objects.filter(exact="one in five children").update(deleted_at=timezone.now())
    rows = csv_rows(get(viewer_client, dossier, "csv"))
    assert "one in five children" not in [r["quote"] for r in rows]
    assert len(rows) == 3


def grow(dossier, workspace, passages: int):
    """Spread passages over several articles, authors, tags and sections: what an N+1 would show."""
    sections = [services.create_section(dossier=dossier, title=f"Part {n}") for n in range(3)]
    tags = [TagFactory(workspace=workspace) for _ in range(4)]
    authors = [UserFactory() for _ in range(3)]
    sentences = [f"Sentence number {n} of the story." for n in range(3)]
    for n in range(passages // 3):
        article = ArticleFactory(workspace=workspace, text=" ".join(sentences), published_on=date(2025, 1, 1 + n % 28))
        for m, sentence in enumerate(sentences):
            pin(
                dossier,
                article,
                sentence,
                section=sections[m] if m < 2 else None,
                note=f"Note {n}.{m}",
                curator_note="Why it matters.",
                tags=tags[m : m + 2],
                author=authors[m],
            )


@pytest.mark.parametrize("fmt", FORMATS)
def test_query_count_does_not_grow_with_the_dossier(viewer_client, workspace, fmt, django_assert_max_num_queries):
    small = DossierFactory(workspace=workspace, title="Small")
    grow(small, workspace, 3)
    with CaptureQueriesContext(connection) as small_queries:
        content_of(get(viewer_client, small, fmt))
    large = DossierFactory(workspace=workspace, title="Large")
    grow(large, workspace, 60)
    assert large.passages.count() == 60
    with django_assert_max_num_queries(len(small_queries)):
        content_of(get(viewer_client, large, fmt))
