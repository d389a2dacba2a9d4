"""A news page's HTML to its metadata and main-content HTML (trafilatura, offline).

trafilatura is only ever given markup, never a URL to fetch; ``source_url`` is
metadata used to resolve relative links. The page is parsed once, as trafilatura
itself parses it (``trafilatura.load_html``), and that tree serves the metadata,
the extraction and the fallbacks.

trafilatura selects the article text without links, images or formatting: asking
for them changes what it selects (link-heavy paragraphs are dropped, words are
glued at link edges, image and heading text creeps in). The structure the reader
needs is carried through the extraction instead by private-use marker characters
that trafilatura treats as ordinary text, and restored afterwards: each linked
text is bracketed by ``LINK_MARK`` + its index … ``END_MARK``, and each figure
caption is turned into a paragraph starting with ``CAPTION_MARK`` + the figure's
index, from which the ``<figure>`` with its image is rebuilt.

When trafilatura finds nothing, its recall mode is tried, then the largest
``<article>``/``<main>``/body by non-link text.
"""

from __future__ import annotations

import copy
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.metadata import examine_meta, extract_meta_json, extract_metainfo, normalize_authors
from trafilatura.settings import Document

from .bound import attribute_flood, flatten_html, tree_exceeds_bounds
from .errors import CleaningError
from .sanitize import inner_html, safe_url
from .text import word_count

CAPTION_MARK = "\ue000"
LINK_MARK = "\ue001"
END_MARK = "\ue002"
_INDEX_BASE = 0xF0000
_MAX_MARKS = 0xFFFD
_MAX_IMAGES = 500
_CAPTION_INLINE = frozenset({"a", "br", "b", "strong", "i", "em", "u", "sub", "sup"})
# Our markers and index characters: removed from every input before marking.
MARKS = re.compile("[\ue000-\ue002\U000f0000-\U000ffffd]")
MIN_WORDS = 25
# trafilatura's comparison with readability and jusText (half its time) is a safety net for a
# main extraction that finds little; one that finds this many words is kept without it.
FAST_ENOUGH_WORDS = 150
_CHROME_XPATH = (
    ".//nav|.//header|.//footer|.//aside|.//form|.//script|.//style|.//noscript|"
    ".//*[@role='navigation' or @role='banner' or @role='contentinfo' or @aria-hidden='true']"
)
_TAGS = re.compile(r"<[^>]*>")
_TRAFILATURA_OPTIONS = {
    "output_format": "python",
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_formatting": True,
    "include_links": False,
    "with_metadata": False,
    "deduplicate": False,
}
# Inline markup that may sit between a link's two markers in trafilatura's output.
_LINK_INNER = r"(?:[^<\ue000-\ue002]|</?(?:b|i|u|em|strong|sub|sup|code|del|s|var|br)\b[^<>]*>)*?"
_LINKED = re.compile(f"{LINK_MARK}([\U000f0000-\U000ffffd])({_LINK_INNER}){END_MARK}")
# Whole pages may be larger than article markup (trafilatura copies the tree a few times).
MAX_PAGE_ELEMENTS = 50_000
# Elements with more children than this lose their formatting (bold, italics…) before extraction.
MAX_FORMATTED_CHILDREN = 1_000
_WIDE = etree.XPath(f"//*[count(*) > {MAX_FORMATTED_CHILDREN}]")
_FORMATTING = ("b", "strong", "i", "em", "u", "kbd", "samp", "tt", "var", "sub", "sup", "font", "small", "big")
# htmldate searches a copy of the whole tree: on pages larger than this, only meta tags and JSON-LD.
_DATE_SEARCH_MAX_CHARS = 2 * 1024 * 1024


@dataclass
class Extracted:
    title: str = ""
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    site_name: str = ""
    canonical_url: str = ""
    language: str = ""
    body_html: str = ""


@dataclass
class _Marks:
    """What the markers stand for, and what was changed in the page tree to put them in."""

    hrefs: list[str] = field(default_factory=list)
    figures: list[tuple[str, str] | None] = field(default_factory=list)
    images: list[tuple[str, str, str]] = field(default_factory=list)
    changed: list[tuple[etree._Element, str, str | None, str | None, dict[str, str]]] = field(default_factory=list)
    # Links only gain marker text: their text and tail are all there is to put back (thousands a page).
    retexted: list[tuple[etree._Element, str | None, str | None]] = field(default_factory=list)

    def keep(self, element: etree._Element) -> None:
        """Remember an element's tag, text, tail and attributes before changing any of them."""
        self.changed.append((element, element.tag, element.text, element.tail, dict(element.attrib)))

    def keep_text(self, element: etree._Element) -> None:
        """Remember an element's text and tail before changing only those (after any ``keep``)."""
        self.retexted.append((element, element.text, element.tail))

    def undo(self) -> None:
        """Put the page tree back as it was parsed; only needed when the tree is read again."""
        for element, text, tail in reversed(self.retexted):
            element.text, element.tail = text, tail
        for element, tag, text, tail, attributes in reversed(self.changed):
            element.tag, element.text, element.tail = tag, text, tail
            element.attrib.clear()
            element.attrib.update(attributes)
        self.retexted.clear()
        self.changed.clear()


def parse_page(html: str) -> etree._Element:
    """A whole page's tree, bounded; parsed the way trafilatura parses (comments and PIs dropped)."""
    if CAPTION_MARK in html or LINK_MARK in html or END_MARK in html:
        html = MARKS.sub("", html)
    if attribute_flood(html) or html.count("<") > 2 * MAX_PAGE_ELEMENTS:  # too many to parse first
        html = flatten_html(html)
    tree = _load(html)
    if tree_exceeds_bounds(tree, MAX_PAGE_ELEMENTS, attributes=False):
        tree = _load(flatten_html(html))
    for wide in _WIDE(tree):  # trafilatura's memory grows with the square of their formatting
        etree.strip_tags(wide, *_FORMATTING)
    return tree


def _load(html: str) -> etree._Element:
    try:
        tree = trafilatura.load_html(html)
    except (etree.ParserError, ValueError, TypeError):
        tree = None
    if tree is None or not isinstance(tree.tag, str):
        try:
            tree = lxml.html.document_fromstring(html)
        except (etree.ParserError, ValueError) as exc:
            raise CleaningError("This HTML page could not be parsed; it may be empty or damaged.") from exc
    return tree


def extract_article(html: str, source_url: str = "") -> Extracted:
    tree = parse_page(html)
    metas = _meta_index(tree)
    result = Extracted(
        language=page_language(tree, metas),
        canonical_url=canonical_url(tree, source_url, metas),
    )
    _fill_metadata(result, tree, source_url, metas, search_dates=len(html) <= _DATE_SEARCH_MAX_CHARS)
    result.body_html = _main_body(tree, source_url)
    return result


def _main_body(tree: etree._Element, source_url: str) -> str:
    """trafilatura's extraction, else the largest container; nothing if it is a list of links."""
    marks = _mark(tree)
    body, words = _trafilatura_body(tree, source_url, marks)
    if words < MIN_WORDS:
        # The markers stay in the tree unless it is read again (undoing costs as much as marking).
        marks.undo()
        fallback = fallback_body(tree)
        if _html_words(fallback) > words:
            body = fallback
    return "" if _mostly_links(body, tree, marks) else body


def _trafilatura_body(tree: etree._Element, source_url: str, marks: _Marks) -> tuple[str, int]:
    """The body HTML and its word count: fast precision mode, the full one if it finds little, then recall."""
    document = _run_trafilatura(tree, source_url, precision=True, fast=True)
    if word_count(getattr(document, "text", "") or "") < FAST_ENOUGH_WORDS:
        document = _run_trafilatura(tree, source_url, precision=True)
    body = _body_html(document, marks)
    words = _html_words(body)
    if words < MIN_WORDS:
        recall_body = _body_html(_run_trafilatura(tree, source_url, precision=False), marks)
        recall_words = _html_words(recall_body)
        if recall_words > words:
            return recall_body, recall_words
    return body, words


def _html_words(html: str) -> int:
    return word_count(_TAGS.sub(" ", html)) if html else 0


_LINKS = etree.XPath("//body//a[@href][normalize-space()]")


def _mark(tree: etree._Element) -> _Marks:
    """Put the markers into the page tree (see the module docstring); ``undo`` takes them out."""
    marks = _Marks()
    _collect_images(tree, marks)
    for caption in tree.iter("figcaption"):
        if len(marks.figures) >= _MAX_MARKS:
            break
        figure = caption.getparent()
        while figure is not None and figure.tag != "figure":
            figure = figure.getparent()
        marks.figures.append(_figure_image(figure))
        if figure is not None:
            # Not asked for images, trafilatura drops figures and anything with "caption" in its class.
            marks.keep(figure)
            figure.tag = "div"
            figure.attrib.clear()
        marks.keep(caption)
        caption.tag = "p"
        caption.attrib.clear()
        for part in caption.iterdescendants():
            if part.tag not in _CAPTION_INLINE:  # one paragraph, whatever the caption's own markup
                marks.keep(part)
                part.tag = "span"
                part.attrib.clear()
        caption.text = CAPTION_MARK + chr(_INDEX_BASE + len(marks.figures) - 1) + (caption.text or "")
    for link in _LINKS(tree):
        if len(marks.hrefs) >= _MAX_MARKS:
            break
        marks.hrefs.append(link.get("href", ""))
        last = link[-1] if len(link) else link
        marks.keep_text(link)
        if last is not link:
            marks.keep_text(last)
        link.text = LINK_MARK + chr(_INDEX_BASE + len(marks.hrefs) - 1) + (link.text or "")
        if last is link:
            link.text += END_MARK
        else:
            last.tail = (last.tail or "") + END_MARK
    return marks


_ICON = re.compile(r"\.svg(?:$|[?#])|icon|logo|avatar|sprite|pixel|spacer|blank\.", re.I)
_IMAGE_KEY_LENGTH = 60
_IMAGE_FILE = re.compile(r"\.(?:avif|bmp|gif|hei[cf]|jpe?g|png|webp)(?:\b|$)", re.I)


_CANDIDATE_IMAGES = etree.XPath("//body//img[not(ancestor::noscript or ancestor::figure[.//figcaption])]")


def _collect_images(tree: etree._Element, marks: _Marks) -> None:
    """Images outside captioned figures, each with the start of the text that follows it on the page.

    trafilatura selects without images (see the module docstring), so an image is put back where
    the text that follows it ended up, when it did.
    """
    for image in _CANDIDATE_IMAGES(tree):
        if len(marks.images) >= _MAX_IMAGES:
            break
        if _is_small(image):
            continue
        source = _image_url(image)
        if not source or _ICON.search(source) or _ICON.search(image.get("class", "")):
            continue
        key = " ".join(_next_text(image).split())[:_IMAGE_KEY_LENGTH]
        if len(key) >= 20:
            marks.images.append((source, image.get("alt", ""), key))


_IMAGE_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre")


def _place_images(root: etree._Element, marks: _Marks) -> None:
    if not marks.images:
        return
    blocks = [
        (block, MARKS.sub("", " ".join(" ".join(block.itertext()).split()))) for block in root.iter(*_IMAGE_BLOCKS)
    ]
    shown: set[str] = set()
    for source, alt, key in marks.images:
        if source in shown:
            continue
        block = next((block for block, text in blocks if key in text), None)
        if block is None:
            continue
        shown.add(source)
        image = etree.Element("img", src=source, alt=alt)
        if block.getparent() is root and block.tag != "li":
            figure = etree.Element("figure")
            figure.append(image)
            block.addprevious(figure)
        else:
            image.tail, block.text = block.text, None
            block.insert(0, image)


_NO_TEXT = frozenset({"script", "style"})


def _next_text(element: etree._Element) -> str:
    """The first non-blank text after ``element`` in document order, outside script and style.

    XPath's ``following::text()[normalize-space()][1]`` says the same, but libxml2 builds the whole
    following node-set for each image before taking the first: walking stops at the first text.
    """
    node: etree._Element | None = element
    while node is not None:
        if node.tail and node.tail.strip():
            return node.tail
        sibling = node.getnext()
        while sibling is not None:
            text = _first_text(sibling)
            if text:
                return text
            if sibling.tail and sibling.tail.strip():
                return sibling.tail
            sibling = sibling.getnext()
        node = node.getparent()
    return ""


def _first_text(root: etree._Element) -> str:
    """The first non-blank text inside ``root`` (not its tail), outside script and style."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            text = element.text if isinstance(element.tag, str) and element.tag not in _NO_TEXT else None
        else:
            text = element.tail if element is not root else None
        if text and text.strip():
            return text
    return ""


def _is_small(image: etree._Element) -> bool:
    """Tracking pixels, icons and avatars, when the page says how big they are."""
    for name in ("width", "height"):
        value = (image.get(name) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < 80:
            return True
    return False


def _image_url(image: etree._Element) -> str:
    """The image's own URL: a lazy-loading attribute, ``src`` or the first ``srcset`` candidate."""
    candidates = [image.get("data-src"), image.get("src")]
    candidates += [value for name, value in image.attrib.items() if name.startswith("data-src")]
    for value in candidates:
        if value and value[:5].lower() != "data:" and _IMAGE_FILE.search(value):
            return value.strip()
    for name in ("src", "data-src", "data-lazy-src", "data-original", "data-srcset", "srcset"):
        value = (image.get(name) or "").strip()
        if value and value[:5].lower() != "data:":
            return value.split(",")[0].split()[0] if name.endswith("srcset") else value
    return ""


def _figure_image(figure: etree._Element | None) -> tuple[str, str] | None:
    if figure is None:
        return None
    for image in figure.iter("img"):
        source = _image_url(image)
        if source:
            return source, image.get("alt", "")
    return None


def _run_trafilatura(tree: etree._Element, source_url: str, *, precision: bool, fast: bool = False) -> object | None:
    try:
        return trafilatura.bare_extraction(
            tree,
            url=source_url or None,
            fast=fast,
            favor_precision=precision,
            favor_recall=not precision,
            **_TRAFILATURA_OPTIONS,  # type: ignore[arg-type]
        )
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _body_html(document: object | None, marks: _Marks) -> str:
    body = getattr(document, "body", None)
    if body is None or not len(body):
        return ""
    root = convert_to_html(body)[0]
    _rebuild_figures(root, marks)
    _place_images(root, marks)
    html = inner_html(root)
    if LINK_MARK in html:
        html = _LINKED.sub(lambda match: _link(match, marks), html)
    return MARKS.sub("", html)


def _link(match: re.Match[str], marks: _Marks) -> str:
    index = ord(match.group(1)) - _INDEX_BASE
    if index >= len(marks.hrefs):
        return match.group(2)
    return f'<a href="{html_lib.escape(marks.hrefs[index])}">{match.group(2)}</a>'


def _rebuild_figures(root: etree._Element, marks: _Marks) -> None:
    for paragraph in list(root.iter("p")):
        text = paragraph.text or ""
        if not text.startswith(CAPTION_MARK):
            continue
        index = ord(text[1]) - _INDEX_BASE if len(text) > 1 else -1
        paragraph.text = text[2:] or None
        paragraph.tag = "figcaption"
        figure = etree.Element("figure")
        paragraph.addprevious(figure)
        image = marks.figures[index] if 0 <= index < len(marks.figures) else None
        if image is not None:
            etree.SubElement(figure, "img", src=image[0], alt=image[1])
        figure.append(paragraph)
        figure.tail, paragraph.tail = paragraph.tail, None


def _mostly_links(html: str, tree: etree._Element, marks: _Marks) -> bool:
    """True for link lists (navigation, "most read") that extraction mistook for content.

    Counts words inside <a> in the body, and lines of the body that are the
    text of some link on the page (recall mode can return links as plain text).
    """
    if not html:
        return False
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    words = word_count(" ".join(root.itertext()))
    if not words:
        return False
    if root.find(".//a") is not None:
        in_links = sum(word_count(" ".join(a.itertext())) for a in root.iter("a"))
    else:
        lines = [" ".join(line.split()).lower() for line in "\n".join(root.itertext()).splitlines()]
        lines = [line for line in lines if line]
        if word_count(" ".join(lines)) <= 0.7 * words:
            return False
        marks.undo()  # the page's own link texts, without markers
        anchors = {" ".join(" ".join(a.itertext()).split()).lower() for a in tree.iter("a")}
        in_links = sum(word_count(line) for line in lines if line in anchors)
    return in_links / words > 0.7


def fallback_body(tree: etree._Element) -> str:
    """The candidate container with the most non-link words, chrome removed."""
    candidates = tree.xpath("//article|//main|//*[@role='main']|//body")
    best, best_score = None, 0
    for candidate in candidates:
        pruned = copy.deepcopy(candidate)
        for chrome in pruned.xpath(_CHROME_XPATH):
            chrome.drop_tree()
        words = word_count(" ".join(pruned.itertext()))
        link_words = sum(word_count(" ".join(a.itertext())) for a in pruned.iter("a"))
        score = words - link_words
        if score > best_score:
            best, best_score = pruned, score
    if best is None or best_score < MIN_WORDS:
        return ""
    return inner_html(best)


# A page's meta tags by (attribute, value): each content with the tag's position on the page.
_MetaIndex = dict[tuple[str, str], list[tuple[int, str]]]
_META_ATTRIBUTES = ("property", "name", "itemprop", "http-equiv")
_CANONICAL_LINKS = etree.XPath("//link[@rel='canonical' or @rel='Canonical']/@href")


def _meta_index(tree: etree._Element) -> _MetaIndex:
    """One walk over the page's meta tags, instead of one XPath search of the whole page per name."""
    index: _MetaIndex = {}
    for position, meta in enumerate(tree.iter("meta")):
        content = meta.get("content")
        if content is None:
            continue
        for attribute in _META_ATTRIBUTES:
            value = meta.get(attribute)
            if value is not None:
                index.setdefault((attribute, value), []).append((position, content))
    return index


def _meta_values(metas: _MetaIndex, *keys: tuple[str, str]) -> list[str]:
    """The contents of the meta tags with any of these (attribute, value) pairs, in page order."""
    return [content for _, content in sorted(item for key in keys for item in metas.get(key, ()))]


def page_language(tree: etree._Element, metas: _MetaIndex) -> str:
    values = [tree.get("lang") or "", tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""]
    values += _meta_values(metas, ("http-equiv", "content-language"), ("http-equiv", "Content-Language"))
    values += _meta_values(metas, ("property", "og:locale"), ("name", "language"), ("name", "dc.language"))
    for value in values:
        match = re.match(r"\s*([A-Za-z]{2})(?:$|[-_\s,;])", str(value))
        if match:
            return match.group(1).lower()
    return ""


def canonical_url(tree: etree._Element, source_url: str, metas: _MetaIndex) -> str:
    candidates = _CANONICAL_LINKS(tree) + _meta_values(metas, ("property", "og:url"))
    for candidate in candidates:
        url = safe_url(str(candidate), source_url, image=True)
        if url:
            return url
    return safe_url(source_url, image=True) or ""


def _meta(metas: _MetaIndex, *names: str) -> str:
    """The first non-blank content of a meta tag with one of these names (property, name or itemprop)."""
    for name in names:
        for value in _meta_values(metas, ("property", name), ("name", name), ("itemprop", name)):
            if value.strip():
                return " ".join(value.split())
    return ""


def split_authors(raw: str) -> list[str]:
    authors: list[str] = []
    for part in re.split(r"\s*(?:;|\||,|\band\b|&)\s*", raw or ""):
        name = re.sub(r"^(?:by|words by|written by|von|par)\s+", "", part.strip(), flags=re.I).strip(" .,")
        if "/" in name or "@" in name:
            continue
        if name and len(name) <= 100 and name.lower() not in {a.lower() for a in authors}:
            authors.append(name)
    return authors


def _parse_date(value: str | None) -> date | None:
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return None
    try:
        found = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return found if date(1990, 1, 1) <= found <= datetime.now().date() else None


_DATE_META = (
    "article:published_time",
    "datePublished",
    "og:article:published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "DC.date.issued",
    "pubdate",
    "publishdate",
    "publish-date",
    "sailthru.date",
    "parsely-pub-date",
)
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"(\d{4}-\d{2}-\d{2})')


def _page_metadata(tree: etree._Element) -> Document:
    """trafilatura's cheap metadata sources: meta tags, OpenGraph and JSON-LD (its search of the
    whole page for bylines, dates, categories and licences costs half as much as the extraction)."""
    try:
        document = examine_meta(tree)
        if document.author and " " not in document.author:
            document.author = None
        return extract_meta_json(tree, document)
    except Exception:  # trafilatura's metadata helpers raise assorted errors on odd pages
        return Document()


def _published(tree: etree._Element, metas: _MetaIndex, url: str, *, search: bool = True) -> date | None:
    found = _parse_date(_meta(metas, *_DATE_META))
    if found:
        return found
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        match = _JSON_DATE.search(str(script))
        if match and (found := _parse_date(match.group(1))):
            return found
    if not search:
        return None
    try:  # htmldate without its free-text search: markup, URL and <time> elements
        return _parse_date(find_date(tree, extensive_search=False, original_date=True, url=url or None))
    except Exception:  # htmldate raises assorted errors on odd pages
        return None


# trafilatura's AUTHOR_XPATHS without their EXSLT regular expressions (lxml runs those in
# Python, node by node: a few milliseconds a page).
_BYLINE_XPATHS = [
    etree.XPath(
        "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong]"
        "[@rel='author' or @id='author' or @class='author' or @itemprop='author name' or "
        "@data-testid='AuthorCard' or @data-testid='AuthorURL' or contains(@class, 'author-name') or "
        "contains(@class, 'authorname') or contains(@class, 'AuthorName') or contains(@class, 'authorName')]"
        "|//author"
    ),
    etree.XPath(
        "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span]"
        "[@class='byline' or @class='username' or @class='byl' or @class='BBL' or contains(@itemprop, 'author') "
        "or contains(@id, 'author') or contains(@class, 'author') or contains(@class, 'submitted-by') or "
        "contains(@class, 'posted-by') or contains(@class, 'journalist-name')]"
    ),
    etree.XPath(
        "//*[contains(@data-component, 'Byline') or contains(@itemprop, 'author') or contains(@id, 'Author') "
        "or contains(@id, 'author') or contains(@class, 'Author') or contains(@class, 'author') or "
        "contains(@class, 'writer') or contains(@class, 'Byline') or contains(@class, 'byline')]"
    ),
]


def _byline(tree: etree._Element) -> str:
    """A byline in the page's markup, when no metadata names the author (as trafilatura looks for one)."""
    try:
        found = extract_metainfo(tree, _BYLINE_XPATHS, len_limit=120)
        return normalize_authors(None, found) or "" if found else ""
    except Exception:  # trafilatura's metadata helpers raise assorted errors on odd pages
        return ""


_TITLE_SUFFIX = re.compile(r"^(.*\S)\s+[|–—-]\s+(\S.{0,60})$")


def _split_site_suffix(title: str, tree: etree._Element) -> tuple[str, str]:
    """ "Headline | Site" → ("Headline", "Site") when the page's own headline (h1) confirms it."""
    match = _TITLE_SUFFIX.match(title)
    if not match:
        return title, ""
    headline = " ".join(" ".join(str(t) for t in tree.xpath("(//h1)[1]//text()")).split())
    head, tail = match.groups()
    if headline and head.casefold() == headline.casefold():
        return head, tail
    return title, ""


def _fill_metadata(
    result: Extracted, tree: etree._Element, source_url: str, metas: _MetaIndex, *, search_dates: bool = True
) -> None:
    document = _page_metadata(tree)

    def attr(name: str) -> str:
        value = getattr(document, name, None)
        return " ".join(str(value).split()) if value else ""

    site = (attr("sitename") or _meta(metas, "og:site_name", "application-name")).lstrip("@")
    if site and "." not in site and not site[0].isupper():
        site = site.title()
    if not site:
        site = urlsplit(result.canonical_url or source_url).hostname or ""
        site = site.removeprefix("www.")
    title = attr("title") or _meta(metas, "og:title", "twitter:title")
    if not title:
        titles = tree.xpath("//title//text()") or tree.xpath("//h1//text()")
        title = " ".join(" ".join(str(t) for t in titles).split())
    if site and title:
        title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(site)}\s*$", "", title, flags=re.I) or title
    title, named_site = _split_site_suffix(title, tree)
    result.title = title
    result.site_name = site if (site and "." not in site) or not named_site else named_site
    result.standfirst = attr("description") or _meta(metas, "og:description", "description")
    result.authors = split_authors(attr("author") or _meta(metas, "author", "article:author") or _byline(tree))
    result.published = _published(tree, metas, result.canonical_url or source_url, search=search_dates)
