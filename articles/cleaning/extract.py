"""A news page's HTML to its metadata and main-content HTML (trafilatura, offline).

trafilatura is only ever given markup, never a URL to fetch; ``source_url`` is
metadata used to resolve relative links. When it finds nothing, its recall
mode is tried, then the largest ``<article>``/``<main>``/body by non-link text.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.htmlprocessing import convert_to_html

from .bound import bound_html
from .errors import CleaningError
from .sanitize import inner_html, safe_url

CAPTION_MARK = "\ue000"
MIN_WORDS = 25
_CHROME_XPATH = (
    ".//nav|.//header|.//footer|.//aside|.//form|.//script|.//style|.//noscript|"
    ".//*[@role='navigation' or @role='banner' or @role='contentinfo' or @aria-hidden='true']"
)
_TRAFILATURA_OPTIONS = {
    "output_format": "python",
    "include_comments": False,
    "include_tables": True,
    "include_images": True,
    "include_formatting": True,
    "include_links": True,
    "with_metadata": True,
    "deduplicate": False,
}


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


def parse_page(html: str) -> etree._Element:
    html = bound_html(html.replace(CAPTION_MARK, ""))
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise CleaningError("This HTML page could not be parsed; it may be empty or damaged.") from exc


def extract_article(html: str, source_url: str = "") -> Extracted:
    tree = parse_page(html)
    result = Extracted(
        language=page_language(tree),
        canonical_url=canonical_url(tree, source_url),
    )
    document = _run_trafilatura(tree, source_url, precision=True)
    body = _body_html(document)
    if _word_count(body) < MIN_WORDS:
        recall = _run_trafilatura(tree, source_url, precision=False)
        recall_body = _body_html(recall)
        if _word_count(recall_body) > _word_count(body):
            body, document = recall_body, document or recall
    if _word_count(body) < MIN_WORDS:
        fallback = fallback_body(tree)
        if _word_count(fallback) > _word_count(body):
            body = fallback
    result.body_html = "" if _mostly_links(body, tree) else body
    _fill_metadata(result, document, tree)
    return result


def _run_trafilatura(tree: etree._Element, source_url: str, *, precision: bool) -> object | None:
    marked = copy.deepcopy(tree)
    for caption in marked.iter("figcaption"):
        caption.tag = "p"
        caption.text = CAPTION_MARK + (caption.text or "")
    try:
        return trafilatura.bare_extraction(
            marked,
            url=source_url or None,
            favor_precision=precision,
            favor_recall=not precision,
            **_TRAFILATURA_OPTIONS,  # type: ignore[arg-type]
        )
    except (ValueError, TypeError, etree.LxmlError):
        return None


def _body_html(document: object | None) -> str:
    body = getattr(document, "body", None)
    if body is None or not len(body):
        return ""
    root = convert_to_html(copy.deepcopy(body))[0]
    _rebuild_figures(root)
    return inner_html(root).replace(CAPTION_MARK, "")


def _rebuild_figures(root: etree._Element) -> None:
    for paragraph in list(root.iter("p")):
        text = paragraph.text or ""
        if not text.startswith(CAPTION_MARK):
            continue
        paragraph.text = text[len(CAPTION_MARK) :]
        paragraph.tag = "figcaption"
        previous = paragraph.getprevious()
        figure = etree.Element("figure")
        paragraph.addprevious(figure)
        if previous is not None and previous.tag == "img" and not (previous.tail or "").strip():
            figure.append(previous)
        figure.append(paragraph)
        figure.tail, paragraph.tail = paragraph.tail, None


def _word_count(html: str) -> int:
    if not html:
        return 0
    return len(re.sub(r"<[^>]*>", " ", html).split())


def _mostly_links(html: str, tree: etree._Element) -> bool:
    """True for link lists (navigation, "most read") that extraction mistook for content.

    Counts words inside <a> in the body, and lines of the body that are the
    text of some link on the page (recall mode can return links as plain text).
    """
    if not html:
        return False
    anchors = {" ".join(" ".join(a.itertext()).split()).lower() for a in tree.iter("a")}
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    words = len(" ".join(root.itertext()).split())
    in_links = sum(len(" ".join(a.itertext()).split()) for a in root.iter("a"))
    if root.find(".//a") is None:
        lines = [" ".join(line.split()) for line in "\n".join(root.itertext()).splitlines()]
        in_links = sum(len(line.split()) for line in lines if line and line.lower() in anchors)
    return words > 0 and in_links / words > 0.7


def fallback_body(tree: etree._Element) -> str:
    """The candidate container with the most non-link words, chrome removed."""
    candidates = tree.xpath("//article|//main|//*[@role='main']|//body")
    best, best_score = None, 0
    for candidate in candidates:
        pruned = copy.deepcopy(candidate)
        for chrome in pruned.xpath(_CHROME_XPATH):
            chrome.drop_tree()
        words = len(" ".join(pruned.itertext()).split())
        link_words = sum(len(" ".join(a.itertext()).split()) for a in pruned.iter("a"))
        score = words - link_words
        if score > best_score:
            best, best_score = pruned, score
    if best is None or best_score < MIN_WORDS:
        return ""
    return inner_html(best)


def page_language(tree: etree._Element) -> str:
    values = [tree.get("lang") or "", tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""]
    values += tree.xpath("//meta[@http-equiv='content-language' or @http-equiv='Content-Language']/@content")
    values += tree.xpath("//meta[@property='og:locale' or @name='language' or @name='dc.language']/@content")
    for value in values:
        match = re.match(r"\s*([A-Za-z]{2})(?:$|[-_\s,;])", str(value))
        if match:
            return match.group(1).lower()
    return ""


def canonical_url(tree: etree._Element, source_url: str) -> str:
    candidates = tree.xpath("//link[@rel='canonical' or @rel='Canonical']/@href")
    candidates += tree.xpath("//meta[@property='og:url']/@content")
    for candidate in candidates:
        url = safe_url(str(candidate), source_url, image=True)
        if url:
            return url
    return safe_url(source_url, image=True) or ""


def _meta(tree: etree._Element, *names: str) -> str:
    for name in names:
        values = tree.xpath(f"//meta[@property='{name}' or @name='{name}']/@content")
        for value in values:
            if str(value).strip():
                return " ".join(str(value).split())
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
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _fill_metadata(result: Extracted, document: object | None, tree: etree._Element) -> None:
    def attr(name: str) -> str:
        value = getattr(document, name, None) if document is not None else None
        return " ".join(str(value).split()) if value else ""

    site = attr("sitename") or _meta(tree, "og:site_name", "application-name")
    title = attr("title") or _meta(tree, "og:title", "twitter:title")
    if not title:
        titles = tree.xpath("//title//text()") or tree.xpath("//h1//text()")
        title = " ".join(" ".join(str(t) for t in titles).split())
    if site and title:
        title = re.sub(rf"\s*[|\-–—:]\s*{re.escape(site)}\s*$", "", title, flags=re.I) or title
    result.title = title
    result.site_name = site
    result.standfirst = attr("description") or _meta(tree, "og:description", "description")
    result.authors = split_authors(attr("author") or _meta(tree, "author", "article:author"))
    result.published = _parse_date(attr("date")) or _parse_date(
        _meta(tree, "article:published_time", "datePublished", "date")
    )
