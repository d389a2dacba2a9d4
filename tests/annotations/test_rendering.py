"""The reader's markup carries the exact text annotations point into, and adds nothing unsafe."""

import gzip
from pathlib import Path

import pytest
from lxml import html as lxml_html

from annotations.rendering import Highlight, render
from articles.cleaning import CleaningError, clean_document
from articles.cleaning.text import html_to_text

BENCHMARK_PAGES = Path("/work/shared/benchmarks/article-extraction/html")
ADDED_ATTRIBUTES = {"data-o", "data-annotations", "class"}

TRICKY = {
    "nested inline": "<p>The <b>very <i>deeply <u>nested</u> words</i> here</b>, then the end.</p>",
    "line breaks": "<p>Line one<br>line two<br><br>  line three <br> four</p><p><br>after a leading break</p>",
    "preformatted": "<pre>code  line 1\n    indented\r\n\n\nafter blank</pre><p>then   prose</p>",
    "code in pre": "<pre><code>def f():\n    return 1</code>\n</pre>",
    "lists": "<ul><li>one</li><li>two <b>bold</b></li><li><p>para in li</p></li></ul><ol><li>first</li></ol>",
    "table": (
        "<table><caption>Costs</caption><thead><tr><th>Item</th><th>£</th></tr></thead>"
        "<tbody><tr><td>Wall</td><td> 14m </td></tr></tbody></table>"
    ),
    "figure": '<figure><img src="x.jpg" alt="A wall"><figcaption>The <em>new</em> wall</figcaption></figure><p>after</p>',
    "entities": "<p>Fish &amp; chips &lt;script&gt; &quot;quoted&quot; &#8212; &eacute;t&eacute; &#x1F600;</p>",
    "nbsp": "<p>Price:&nbsp;£10&nbsp; &nbsp;today\u00a0only</p>",
    "emoji": "<p>Fans 🎉 cheered 👩‍👩‍👧 and 🇬🇧 flags</p><p>ok 👍🏽 then</p>",
    "whitespace-only nodes": "<div>\n  <p>  first  </p>\n  \n <p>second</p>\n</div>\n",
    "text around blocks": "<div>loose text <p>para</p> tail text</div><blockquote><p>quote</p>said he</blockquote>",
    "empty blocks": "<p></p><p>   </p><h2> Heading </h2><p>x</p><hr><p>y</p>",
    "definition list": '<dl><dt>Term</dt><dd>Definition with <a href="https://example.org">a link</a></dd></dl>',
    "inline spacing": "<p><b>a</b> <i>b</i><b> c </b>d</p>",
}


def spans(rendered_html: str):
    return lxml_html.fragment_fromstring(rendered_html, create_parent="div").iter("span")


def assert_offsets_hold(rendered_html: str, text: str) -> None:
    for span in spans(rendered_html):
        offset, content = int(span.get("data-o")), span.text_content()
        assert content
        assert text[offset : offset + len(content)] == content, (offset, content)


def element_shapes(markup: str) -> dict[str, set[str]]:
    root = lxml_html.fragment_fromstring(markup, create_parent="div")
    shapes: dict[str, set[str]] = {}
    for element in root.iter():
        if isinstance(element.tag, str) and element is not root:
            shapes.setdefault(element.tag, set()).update(element.attrib)
    return shapes


def assert_adds_only_offsets_and_marks(source: str, rendered_html: str) -> None:
    before, after = element_shapes(source), element_shapes(rendered_html)
    for tag, attributes in after.items():
        if tag in {"span", "mark"} and tag not in before:
            assert attributes <= ADDED_ATTRIBUTES, (tag, attributes)
        else:
            assert tag in before, tag
            assert attributes <= before[tag], (tag, attributes - before[tag])


def every_few_characters(text: str, step: int = 7, length: int = 23) -> list[Highlight]:
    return [Highlight(start, min(len(text), start + length), n) for n, start in enumerate(range(0, len(text), step))]


@pytest.mark.parametrize("source", TRICKY.values(), ids=TRICKY.keys())
def test_the_reader_carries_the_same_text_annotations_point_into(source):
    text = html_to_text(source)

    rendered = render(source, every_few_characters(text))

    assert rendered.text == text
    assert_offsets_hold(rendered.html, text)
    assert_adds_only_offsets_and_marks(source, rendered.html)


def test_every_character_of_the_text_is_in_exactly_one_offset_span_or_a_separator():
    source = "".join(TRICKY.values())
    text = html_to_text(source)

    covered = [0] * len(text)
    for span in spans(render(source).html):
        offset = int(span.get("data-o"))
        for position in range(offset, offset + len(span.text_content())):
            covered[position] += 1

    assert all(count == 1 for count, char in zip(covered, text, strict=True) if char != "\n")


def test_escaped_markup_in_the_text_stays_text():
    rendered = render("<p>Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt;</p>", [Highlight(0, 4, 1)])

    assert "<script" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert rendered.text == "Fish & chips <script>alert(1)</script>"


def test_escaped_markup_inside_a_highlight_stays_text():
    text = "Fish & chips <script>alert(1)</script>"
    passage = "& chips <script>alert(1)"
    start = text.index(passage)
    rendered = render(
        "<p>Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt;</p>", [Highlight(start, start + 24, 1)]
    )

    root = lxml_html.fragment_fromstring(rendered.html, create_parent="div")
    assert [m.text_content() for m in root.iter("mark")] == [passage]
    assert root.xpath("//script") == []


def test_private_use_characters_in_the_text_are_kept_as_they_are():
    """The spans are written in place of private-use placeholders: the text's own such characters stay."""
    source = "<p>Logo \U000f0000 and \U000f0001 here \U000f00000\U000f0000.</p>"
    rendered = render(source, [Highlight(0, 4, 1)])

    assert rendered.text == html_to_text(source)
    assert_offsets_hold(rendered.html, rendered.text)


def test_a_highlight_covers_exactly_its_passage_across_inline_elements():
    source = "<p>Residents of the <b>lower town</b>, where <i>400 homes</i> flooded.</p>"
    text = html_to_text(source)
    start = text.index("town")
    end = text.index("homes") + len("homes")

    rendered = render(source, [Highlight(start, end, 7, "tag--teal")])

    root = lxml_html.fragment_fromstring(rendered.html, create_parent="div")
    marks = root.iter("mark")
    assert "".join(m.text_content() for m in marks) == text[start:end] == "town, where 400 homes"
    for mark in root.iter("mark"):
        assert mark.get("data-annotations") == "7"
        assert mark.get("class") == "hl hl--depth-1 tag--teal"


def test_overlapping_highlights_show_how_many_annotations_cover_each_part():
    source = "<p>The council postponed the flood defences until next spring.</p>"
    text = html_to_text(source)
    council = Highlight(text.index("council"), text.index("defences") + len("defences"), 1)
    flood = Highlight(text.index("flood"), text.index("spring"), 2)
    word = Highlight(text.index("flood"), text.index("flood") + len("flood"), 3)
    fourth = Highlight(text.index("flood"), text.index("flood") + 2, 4)

    rendered = render(source, [flood, council, word, fourth])

    parts = [
        (m.text, m.get("data-annotations"), m.get("class"))
        for m in lxml_html.fragment_fromstring(rendered.html, create_parent="div").iter("mark")
    ]
    assert parts == [
        ("council postponed the ", "1", "hl hl--depth-1"),
        ("fl", "1 2 3 4", "hl hl--depth-3"),
        ("ood", "1 2 3", "hl hl--depth-3"),
        (" defences", "1 2", "hl hl--depth-2"),
        (" until next ", "2", "hl hl--depth-1"),
    ]


def test_no_highlights_leaves_no_marks_and_keeps_offsets():
    source = "<p>One.</p><p>Two <em>words</em>.</p>"

    rendered = render(source)

    assert "<mark" not in rendered.html
    assert (
        rendered.html
        == '<p><span data-o="0">One.</span></p><p><span data-o="6">Two </span><em><span data-o="10">words</span></em><span data-o="15">.</span></p>'
    )


def test_markup_that_is_not_nfc_is_shown_without_offsets_rather_than_wrong_ones():
    source = "<p>Cafe\u0301 society</p>"

    rendered = render(source, [Highlight(0, 4, 1)])

    assert rendered.html == source
    assert "data-o" not in rendered.html


def benchmark_pages(limit: int = 40) -> list[Path]:
    return sorted(BENCHMARK_PAGES.glob("*.html.gz"))[:limit]


@pytest.mark.slow
def test_benchmark_articles_render_with_the_text_they_were_cleaned_to():
    pages = benchmark_pages()
    if not pages:
        pytest.skip(f"benchmark corpus not found at {BENCHMARK_PAGES}")
    checked = 0
    for page in pages:
        try:
            cleaned = clean_document(gzip.decompress(page.read_bytes()), filename=page.name.removesuffix(".gz"))
        except CleaningError:
            continue
        rendered = render(cleaned.html, every_few_characters(cleaned.text, step=41, length=60))
        assert rendered.text == html_to_text(cleaned.html) == cleaned.text, page.name
        assert_offsets_hold(rendered.html, cleaned.text)
        assert_adds_only_offsets_and_marks(cleaned.html, rendered.html)
        checked += 1
    assert checked >= len(pages) * 0.9
