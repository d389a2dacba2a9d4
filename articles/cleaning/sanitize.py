"""Untrusted HTML to safe article markup.

Three steps: bound the tree (see ``bound``); an lxml pass that drops dangerous
elements *with their content*, turns layout containers into paragraphs, maps
``h1`` to ``h2`` and resolves or drops URLs; then bleach with an allowlist of
article markup as the final gate.
"""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import urljoin, urlsplit

import bleach
import lxml.html
from lxml import etree

from .bound import MAX_ATTRIBUTES, MAX_DEPTH, attribute_flood, flatten_html, tree_exceeds_bounds
from .errors import CleaningError

LINK_REL = "noopener noreferrer nofollow"

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "blockquote",
        "q",
        "cite",
        "ul",
        "ol",
        "li",
        "a",
        "figure",
        "figcaption",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "pre",
        "code",
        "hr",
        "abbr",
        "time",
    }
)
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Removed together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "noscript",
        "noframes",
        "template",
        "svg",
        "math",
        "form",
        "object",
        "embed",
        "applet",
        "head",
        "title",
        "meta",
        "link",
        "base",
        "select",
        "textarea",
        "button",
        "input",
        "canvas",
        "audio",
        "video",
        "map",
        "dialog",
        "xmp",
        "plaintext",
        "param",
        "source",
        "picture",
    }
)
# Blocks that may hold inline content directly and are kept.
BLOCKS = frozenset(
    {"p", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "figure", "figcaption", "table", "thead"}
    | {"tbody", "tfoot", "tr", "th", "td", "pre", "hr"}
)
# Layout containers: become <p> if they only hold inline content, else are unwrapped.
CONTAINERS = frozenset(
    {"div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "address", "details"}
    | {"summary", "fieldset", "dl", "dd", "dt", "hgroup", "body", "html", "caption", "legend", "menu", "h1"}
)

_UNWRAP = "x-unwrap"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def parse_fragment(html: str) -> etree._Element:
    """Parse markup (a whole page or a fragment) into a ``div`` holding the body content."""
    return _wrap_body(_parse_document(html))


def _parse_document(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def _parse_bounded(html: str) -> etree._Element:
    """``parse_fragment(bound_html(html))``, parsing only once when the markup is within bounds."""
    if attribute_flood(html):
        return parse_fragment(flatten_html(html))
    doc = _parse_document(html)
    if doc is not None and html.count("<") > MAX_DEPTH and tree_exceeds_bounds(doc):
        return parse_fragment(flatten_html(html))
    return _wrap_body(doc)


def _wrap_body(doc: etree._Element | None) -> etree._Element:
    wrapper = lxml.html.Element("div")
    if doc is None:
        return wrapper
    body = doc.find("body")
    if body is None:
        body = doc
    wrapper.text = body.text
    for child in list(body):
        wrapper.append(child)
    return wrapper


def safe_url(value: str | None, base_url: str = "", *, image: bool = False) -> str | None:
    """An absolute http(s)/mailto URL, or None if the value is unsafe or unresolvable."""
    if not value:
        return None
    probe = _INVISIBLE.sub("", value).lower()
    if not probe:
        return None
    allowed = {"http", "https"} if image else ALLOWED_PROTOCOLS
    match = _SCHEME.match(probe)
    cleaned = _CONTROLS.sub("", value.strip())
    if match is None:
        base_scheme = urlsplit(base_url).scheme.lower() if base_url else ""
        if base_scheme in ("http", "https"):
            cleaned = urljoin(base_url, cleaned)
        elif probe.startswith("//"):
            cleaned = "https:" + cleaned
        else:
            return None
        match = _SCHEME.match(_INVISIBLE.sub("", cleaned).lower())
    if match is None or match.group(1) not in allowed:
        return None
    if image and match.group(1) == "http":
        # The reader only loads images over https (its Content-Security-Policy): ask for that.
        return "https:" + cleaned.split(":", 1)[1]
    return cleaned


def _drop_dangerous(root: etree._Element) -> None:
    for element in root.iter():
        if len(element.attrib) > MAX_ATTRIBUTES:
            element.attrib.clear()
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction, etree.Entity)):
        _remove_keep_tail(element)
    for element in list(root.iter()):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in DROP_WITH_CONTENT and element.getparent() is not None:
            _remove_keep_tail(element)


def _remove_keep_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


# bleach 6 escapes "&" a second time in an attribute value that holds a straight double quote
# (html5lib writes such a value in single quotes, which bleach's serializer does not expect):
# "Tom & Jerry" would show as "Tom &amp; Jerry", and a link's query would break. So no value
# reaches bleach with one: URLs carry it percent-encoded, texts as typographic quotes.
_QUOTED = re.compile(r'"([^"]*)"')


def _without_straight_quotes(root: etree._Element) -> None:
    for element in root.iter("a", "img", "abbr"):
        for name, value in element.items():
            if '"' not in value:
                continue
            if name in ("href", "src"):
                element.set(name, value.replace('"', "%22"))
            else:
                element.set(name, _QUOTED.sub("\u201c\\1\u201d", value).replace('"', "\u201d"))


def _fix_urls(root: etree._Element, base_url: str) -> None:
    for element in list(root.iter("a", "img")):
        if element.tag == "a":
            href = safe_url(element.get("href"), base_url)
            if href is None:
                element.tag = _UNWRAP
                element.attrib.clear()
                continue
            element.set("href", href)
            element.set("rel", LINK_REL)
            element.attrib.pop("target", None)
        else:
            src = safe_url(element.get("src"), base_url, image=True)
            if src is None:
                _remove_keep_tail(element)
                continue
            element.set("src", src)
    etree.strip_tags(root, _UNWRAP)


def _is_block(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and (node.tag in BLOCKS or node.tag in CONTAINERS)


def _paragraphize(root: etree._Element) -> None:
    """Containers with inline content only become <p>; the others are unwrapped.

    A container child always ends up as block content (a <p> or unwrapped
    blocks), so each decision only needs the element's own children; the
    unwrapping is done in one linear ``strip_tags`` pass.
    """
    for element in list(root.iter(*CONTAINERS)):
        if element is root:
            continue
        if element.tag == "h1":
            element.tag = "h2"
            continue
        if not any(_is_block(child) for child in element):
            element.tag = "p"
            element.attrib.clear()
            continue
        _wrap_inline_runs(element)
        element.tag = _UNWRAP
    etree.strip_tags(root, _UNWRAP)
    _wrap_inline_runs(root)


def _wrap_inline_runs(element: etree._Element) -> None:
    """Wrap loose text and inline children of ``element`` into <p> elements."""
    nodes: list[etree._Element | str] = []
    if element.text:
        nodes.append(element.text)
    for child in element:
        nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
            child.tail = None
    element.text = None
    for child in list(element):
        element.remove(child)
    # The last child of ``element`` and of ``current``, tracked: len() of an lxml element walks its children.
    current: etree._Element | None = None
    last: etree._Element | None = None
    current_last: etree._Element | None = None
    for node in nodes:
        if isinstance(node, str):
            if current is None:
                if not node.strip():
                    if last is not None:
                        last.tail = (last.tail or "") + node
                    continue
                current = last = etree.SubElement(element, "p")
                current_last = None
            if current_last is not None:
                current_last.tail = (current_last.tail or "") + node
            else:
                current.text = (current.text or "") + node
        elif _is_block(node):
            current = None
            element.append(node)
            last = node
        else:
            if current is None:
                current = last = etree.SubElement(element, "p")
            current.append(node)
            current_last = node


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title") or (name == "rel" and value == LINK_REL)
    if tag == "img":
        return name in ("src", "alt", "title")
    if tag == "abbr":
        return name == "title"
    if tag == "time":
        return name == "datetime"
    if tag in ("td", "th"):
        return name in ("colspan", "rowspan") and value.isdigit() and len(value) < 4
    return False


_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def preclean(html: str, base_url: str = "") -> etree._Element:
    """The lxml pass: bounded, dangerous content gone, containers paragraphized, URLs fixed."""
    root = _parse_bounded(html)
    _drop_dangerous(root)
    _paragraphize(root)
    _fix_urls(root, base_url)
    _without_straight_quotes(root)
    return root


def inner_html(root: etree._Element) -> str:
    parts = [html_lib.escape(root.text, quote=False) if root.text else ""]
    parts.extend(lxml.html.tostring(child, encoding="unicode", with_tail=True) for child in root)
    return "".join(parts)


_CHUNK_CHARS = 256 * 1024


def _chunks(root: etree._Element) -> list[str]:
    """The root's inner HTML in pieces of whole top-level elements: bleach (html5lib) needs memory
    in proportion to its input, and long documents pass through it a piece at a time."""
    chunks: list[str] = []
    current = [html_lib.escape(root.text, quote=False) if root.text else ""]
    size = len(current[0])
    for child in root:
        part = lxml.html.tostring(child, encoding="unicode", with_tail=True)
        if size and size + len(part) > _CHUNK_CHARS:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(part)
        size += len(part)
    chunks.append("".join(current))
    return chunks


def sanitize_html(html: str, base_url: str = "") -> str:
    """Safe article HTML from untrusted markup. Raises CleaningError if nothing readable remains."""
    root = preclean(html, base_url)
    cleaned = "".join(str(_CLEANER.clean(chunk)) for chunk in _chunks(root))
    if not cleaned.strip() and "<" in html and len(html) > 10_000:
        raise CleaningError("This page's markup is too deeply nested or too large to read any article text from it.")
    return cleaned
