"""detect → decode/convert → extract (HTML) → sanitize → boilerplate → text, hash, fingerprint."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape

from . import detect
from .article import CleanedArticle
from .boilerplate import is_list_heading, leaf_blocks, paragraph_key, remove_boilerplate
from .bound import bound_html
from .convert import docx_to_html, markdown_to_html, pdf_to_html, split_title, text_size, too_long
from .decode import charset_from_content_type, decode_bytes
from .errors import CleaningError
from .extract import MARKS, Extracted, extract_article
from .extract import MIN_WORDS as EXTRACTED_MIN_WORDS
from .language import detect_language
from .pasted import find_story, line_is_chrome
from .sanitize import inner_html, parse_fragment, sanitize_html
from .text import fingerprint_normalised, hash_normalised, html_to_blocks, normalise_for_hash, word_count

MAX_BYTES = 50 * 1024 * 1024
# No news article comes near this; past it the cleaner would need minutes and gigabytes.
MAX_TEXT_CHARS = 10 * 1024 * 1024
_KIND_NAMES = {detect.HTML: "HTML page", detect.MARKDOWN: "Markdown file", detect.TEXT: "text file"}
MIN_WORDS = 15
_TAGS = re.compile(r"<[^>]*>")
_META = re.compile(r"<meta\b[^>]*>", re.I)
_HEADINGS = re.compile(r"<h[1-6]\b.*?</h[1-6]\s*>", re.I | re.S)
# The extractor keeping this share of a fragment's words keeps it all: the fragment was the story.
WHOLE_STORY_SHARE = 0.95
NO_ARTICLE = (
    "We could not find the article text on this page; it seems to be mostly navigation, "
    "links or adverts. Try pasting the article text instead."
)


@dataclass
class _Draft:
    html: str
    meta: Extracted = field(default_factory=Extracted)
    is_web_page: bool = False
    removed: list[str] = field(default_factory=list)


def clean_document(
    data: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    source_url: str = "",
    known_boilerplate: frozenset[str] = frozenset(),
    keep: frozenset[str] = frozenset(),
) -> CleanedArticle:
    """Clean an uploaded file (HTML, text, Markdown, PDF or DOCX) into a CleanedArticle.

    ``known_boilerplate``: paragraph keys (``paragraph_key``) learnt as the site's chrome, removed;
    ``keep``: keys of lines a researcher restored, never removed by any rule.
    """
    if len(data) > MAX_BYTES:
        raise CleaningError("This file is larger than 50 MB, which is too big for a single article.")
    kind = detect.sniff_binary(data, filename, content_type)
    if kind == detect.PDF:
        draft = _from_converted(pdf_to_html(data, max_chars=MAX_TEXT_CHARS), filename)
    elif kind == detect.DOCX:
        draft = _from_converted(docx_to_html(data, max_chars=MAX_TEXT_CHARS), filename)
    else:
        if len(data) > 4 * MAX_TEXT_CHARS:  # more characters than the limit, whatever the encoding
            raise too_long("file", MAX_TEXT_CHARS)
        text = decode_bytes(data, charset_from_content_type(content_type))
        kind = detect.classify_text(text, filename, content_type)
        if len(text) > MAX_TEXT_CHARS:
            raise too_long(_KIND_NAMES.get(kind, "file"), MAX_TEXT_CHARS)
        draft = _from_text(text, kind, filename, source_url, keep)
    return _finish(draft, source_url, known_boilerplate, keep)


def clean_pasted(
    text: str,
    *,
    source_url: str = "",
    known_boilerplate: frozenset[str] = frozenset(),
    keep: frozenset[str] = frozenset(),
) -> CleanedArticle:
    """Clean text or HTML pasted by a researcher."""
    if len(text) > MAX_TEXT_CHARS:
        raise CleaningError(
            f"The pasted text is longer than {text_size(MAX_TEXT_CHARS)}, the limit for a single article; "
            "paste the article on its own."
        )
    if not text.strip():
        raise CleaningError("Nothing was pasted; there is no article text to clean.")
    kind = detect.HTML if detect.looks_like_html(text) else detect.TEXT
    return _finish(_from_text(text, kind, "", source_url, keep), source_url, known_boilerplate, keep)


def _from_text(text: str, kind: str, filename: str, source_url: str, keep: frozenset[str]) -> _Draft:
    if kind == detect.HTML:
        if _is_full_page(text):
            meta = extract_article(text, source_url)
            return _Draft(meta.body_html, meta, is_web_page=True)
        return _from_fragment(text, source_url, keep)
    if kind == detect.MARKDOWN:
        return _from_converted(markdown_to_html(text), filename)
    return _from_plain_text(text, filename, source_url, keep)


def _from_fragment(html: str, source_url: str, keep: frozenset[str]) -> _Draft:
    """HTML without its page: the paste box's markup (a browser's copy of a selection or of a whole
    page), or a fragment saved as a file. The extractor finds the story in a whole page's copy; when
    it keeps nearly every word of the fragment, the fragment was the story, and is kept with all its
    own structure (the extractor drops short subheadings). Either way, blocks of the chrome line
    classes go."""
    fragment, removed = _drop_chrome_blocks(html, keep)
    meta = extract_article(f"<html><body>{html}</body></html>", source_url)
    meta.canonical_url = source_url  # a fragment has no <link rel="canonical">: the researcher's link is it
    extracted, extracted_removed = _drop_chrome_blocks(meta.body_html, keep)
    extracted_words = _prose_words(extracted)
    if extracted_words >= EXTRACTED_MIN_WORDS and extracted_words < WHOLE_STORY_SHARE * _prose_words(fragment):
        return _Draft(extracted, meta, is_web_page=True, removed=extracted_removed)
    title, body = split_title(fragment)  # a selection copied from its headline
    return _Draft(body, replace(meta, title=title or meta.title, body_html=""), removed=removed)


def _prose_words(html: str) -> int:
    """Words outside headings (the extractor takes the headline out, and drops short subheadings)."""
    return word_count(_TAGS.sub(" ", _HEADINGS.sub(" ", html)))


def _from_plain_text(text: str, filename: str, source_url: str, keep: frozenset[str]) -> _Draft:
    """Text as a browser copies it: one line per block, the headline lines read as metadata."""
    story = find_story(text, keep=keep)
    html = "".join(
        f"<h3>{escape(p, quote=False)}</h3>" if i in story.headings else f"<p>{escape(p, quote=False)}</p>"
        for i, p in enumerate(story.paragraphs)
    )
    meta = Extracted(
        title=story.title or detect.title_from_filename(filename),
        standfirst=story.standfirst,
        authors=story.authors,
        published=story.published,
        site_name=story.site_name,
        canonical_url=source_url,
    )
    return _Draft(html, meta, removed=story.removed)


def _is_full_page(text: str) -> bool:
    head = text[:20000].lower()
    return "<html" in head or "<body" in head or "<head" in head or "<!doctype" in head


def _drop_chrome_blocks(html: str, keep: frozenset[str]) -> tuple[str, list[str]]:
    """Pasted HTML: drop navigation-type containers, and blocks whose text is a line of publisher
    chrome (a caption's credit, "Read more: …", an appeal), before sanitizing."""
    # A clipboard's markup starts with <meta charset>: parsed as such, what follows it would be the
    # head of a page (for elements the parser does not know, such as <section>) and be lost.
    tree = parse_fragment(bound_html(_META.sub("", MARKS.sub("", html))))
    for chrome in tree.xpath("//nav|//footer|//aside|//*[@role='navigation']"):
        chrome.drop_tree()
    removed = []
    for block in leaf_blocks(tree):
        text = " ".join(block.text_content().split())
        if is_list_heading(text) or (keep and paragraph_key(text) in keep):  # the list goes with it, later
            continue
        if text and line_is_chrome(text):
            removed.append(text)
            block.drop_tree()
    return inner_html(tree), removed


def _from_converted(html: str, filename: str) -> _Draft:
    title, body = split_title(html)
    if not title:
        title = detect.title_from_filename(filename)
    return _Draft(body, Extracted(title=title))


def _finish(draft: _Draft, source_url: str, known_boilerplate: frozenset[str], keep: frozenset[str]) -> CleanedArticle:
    meta = draft.meta
    base = source_url or meta.canonical_url
    safe = sanitize_html(draft.html, base)
    root = parse_fragment(safe)
    _drop_title_heading(root, meta.title)
    removed = draft.removed + remove_boilerplate(root, known_boilerplate, keep)
    html = inner_html(root).strip()
    blocks = html_to_blocks(html)
    text = "\n\n".join(blocks)
    normalised = normalise_for_hash(text)
    if word_count(text) < (MIN_WORDS if draft.is_web_page else 1):
        if draft.is_web_page:
            raise CleaningError(NO_ARTICLE)
        raise CleaningError("There is no article text in this document after cleaning.")
    return CleanedArticle(
        title=meta.title,
        standfirst=meta.standfirst,
        authors=list(meta.authors),
        published=meta.published,
        site_name=meta.site_name,
        canonical_url=meta.canonical_url or "",
        language=meta.language or detect_language(text),
        html=html,
        text=text,
        text_hash=hash_normalised(normalised),
        fingerprint=fingerprint_normalised(normalised),
        removed_boilerplate=removed,
        paragraphs=blocks,
    )


def _drop_title_heading(root: object, title: str) -> None:
    """The page's own headline repeated as the first heading of the body is metadata, not text."""
    if not title:
        return
    children = [c for c in root if isinstance(c.tag, str)]  # type: ignore[attr-defined]
    if children and children[0].tag in ("h2", "h3") and not (root.text or "").strip():  # type: ignore[attr-defined]
        heading = " ".join(children[0].text_content().split())
        if normalise_for_hash(heading) == normalise_for_hash(title):
            children[0].drop_tree()
