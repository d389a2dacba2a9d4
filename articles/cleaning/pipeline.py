"""detect → decode/convert → extract (HTML) → sanitize → boilerplate → text, hash, fingerprint."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import detect
from .article import CleanedArticle
from .boilerplate import remove_boilerplate
from .convert import docx_to_html, markdown_to_html, pdf_to_html, split_title, text_to_html
from .decode import charset_from_content_type, decode_bytes
from .errors import CleaningError
from .extract import Extracted, extract_article, parse_page
from .sanitize import inner_html, parse_fragment, sanitize_html
from .text import fingerprint, html_to_blocks, normalise_for_hash, text_hash

MAX_BYTES = 50 * 1024 * 1024
MIN_WORDS = 15
NO_ARTICLE = (
    "We could not find the article text on this page; it seems to be mostly navigation, "
    "links or adverts. Try pasting the article text instead."
)


@dataclass
class _Draft:
    html: str
    meta: Extracted = field(default_factory=Extracted)
    is_web_page: bool = False


def clean_document(
    data: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    source_url: str = "",
    known_boilerplate: frozenset[str] = frozenset(),
) -> CleanedArticle:
    """Clean an uploaded file (HTML, text, Markdown, PDF or DOCX) into a CleanedArticle."""
    if len(data) > MAX_BYTES:
        raise CleaningError("This file is larger than 50 MB, which is too big for a single article.")
    kind = detect.sniff_binary(data, filename, content_type)
    if kind == detect.PDF:
        draft = _from_converted(pdf_to_html(data), filename)
    elif kind == detect.DOCX:
        draft = _from_converted(docx_to_html(data), filename)
    else:
        text = decode_bytes(data, charset_from_content_type(content_type))
        draft = _from_text(text, detect.classify_text(text, filename, content_type), filename, source_url)
    return _finish(draft, source_url, known_boilerplate)


def clean_pasted(text: str, *, source_url: str = "", known_boilerplate: frozenset[str] = frozenset()) -> CleanedArticle:
    """Clean text or HTML pasted by a researcher."""
    if len(text) > MAX_BYTES:
        raise CleaningError("The pasted text is larger than 50 MB, which is too big for a single article.")
    if not text.strip():
        raise CleaningError("Nothing was pasted; there is no article text to clean.")
    kind = detect.HTML if detect.looks_like_html(text) else detect.TEXT
    return _finish(_from_text(text, kind, "", source_url), source_url, known_boilerplate)


def _from_text(text: str, kind: str, filename: str, source_url: str) -> _Draft:
    if kind == detect.HTML:
        if _is_full_page(text):
            meta = extract_article(text, source_url)
            return _Draft(meta.body_html, meta, is_web_page=True)
        return _Draft(_drop_fragment_chrome(text))
    if kind == detect.MARKDOWN:
        return _from_converted(markdown_to_html(text), filename)
    return _from_converted(text_to_html(text), filename)


def _is_full_page(text: str) -> bool:
    head = text[:20000].lower()
    return "<html" in head or "<body" in head or "<head" in head or "<!doctype" in head


def _drop_fragment_chrome(html: str) -> str:
    """Pasted HTML selections: drop navigation-type containers before sanitizing."""
    tree = parse_page(html)
    for chrome in tree.xpath("//nav|//footer|//aside|//*[@role='navigation']"):
        chrome.drop_tree()
    body = tree.find("body")
    return inner_html(body if body is not None else tree)


def _from_converted(html: str, filename: str) -> _Draft:
    title, body = split_title(html)
    if not title:
        title = detect.title_from_filename(filename)
    return _Draft(body, Extracted(title=title))


def _finish(draft: _Draft, source_url: str, known_boilerplate: frozenset[str]) -> CleanedArticle:
    meta = draft.meta
    base = source_url or meta.canonical_url
    safe = sanitize_html(draft.html, base)
    root = parse_fragment(safe)
    _drop_title_heading(root, meta.title)
    removed = remove_boilerplate(root, known_boilerplate)
    html = inner_html(root).strip()
    blocks = html_to_blocks(html)
    text = "\n\n".join(blocks)
    if len(text.split()) < (MIN_WORDS if draft.is_web_page else 1):
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
        language=meta.language,
        html=html,
        text=text,
        text_hash=text_hash(text),
        fingerprint=fingerprint(text),
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
