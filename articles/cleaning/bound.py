"""Keep hostile markup within limits before the expensive parsers see it.

libxml2 silently drops everything below nesting depth 255 and bleach (html5lib)
slows to minutes on deep trees, so markup that is too deep, too large or
floods attributes is rewritten by a streaming pass (the standard library's
event parser, which has no depth limit): tags deeper than ``MAX_DEPTH`` are
dropped but their text is kept, attribute floods lose their attributes, and
tags past ``MAX_ELEMENTS`` are dropped (text kept).
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

import lxml.html
from lxml import etree

MAX_DEPTH = 100
MAX_ELEMENTS = 20_000
MAX_ATTRIBUTES = 50
_LXML_SAFE_DEPTH = 200

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}
# Dropped with their content by the streaming pass (the sanitizer drops them too).
_SKIP_CONTENT = {"script", "style", "template", "noscript", "iframe", "svg", "math", "textarea", "xmp"}
# Tags whose text is inline; everything else gets a line break when flattened away.
_INLINE = {
    "a",
    "abbr",
    "b",
    "cite",
    "code",
    "em",
    "font",
    "i",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "time",
    "u",
}


def tree_stats(root: etree._Element) -> tuple[int, int, int]:
    """(element count, maximum depth, maximum attribute count) without recursion."""
    count = depth = max_depth = max_attrs = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            count += 1
            depth += 1
            max_depth = max(max_depth, depth)
            max_attrs = max(max_attrs, len(element.attrib))
        else:
            depth -= 1
    return count, max_depth, max_attrs


_LONG_TAG = re.compile(r"<[A-Za-z][^<>]{2000,}")
# A start tag with more than MAX_ATTRIBUTES attributes (atomic groups: no backtracking).
_FLOODED_TAG = re.compile(
    r"<[A-Za-z][^\s/>]*(?>[\s/]*[^\s\"'<>/=]+(?>\s*=\s*(?>\"[^\"]*\"|'[^']*'|[^\s\"'<>]*))?)"
    + f"{{{MAX_ATTRIBUTES + 1}}}"
)


def attribute_flood(html: str) -> bool:
    """libxml2 is quadratic in attributes per tag, so look for floods before parsing.

    Long stretches of markup are checked attribute by attribute: a long ``srcset`` full of
    query strings is one attribute, and script code is no attribute at all.
    """
    return any(_FLOODED_TAG.match(html, match.start()) for match in _LONG_TAG.finditer(html))


_attribute_flood = attribute_flood


def _depth_xpath(depth: int) -> etree.XPath:
    return etree.XPath("boolean(" + "/".join(["*"] * (depth - 1)) + ")")


_DEEPER_THAN_SAFE = _depth_xpath(_LXML_SAFE_DEPTH)
_COUNT = etree.XPath("count(descendant-or-self::*)")
_ATTRIBUTE_FLOOD = etree.XPath(f"boolean(descendant-or-self::*[count(@*) > {MAX_ATTRIBUTES}])")


def tree_exceeds_bounds(root: etree._Element, max_elements: int = MAX_ELEMENTS, *, attributes: bool = True) -> bool:
    """Does this parsed tree exceed any limit? (The same test as ``tree_stats``, in libxml2's XPath.)"""
    return bool(_DEEPER_THAN_SAFE(root) or _COUNT(root) > max_elements or (attributes and _ATTRIBUTE_FLOOD(root)))


def needs_bounding(html: str) -> bool:
    """Cheap check with lxml: does this markup exceed any limit?"""
    if attribute_flood(html):
        return True
    if html.count("<") <= MAX_DEPTH:
        return False
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return False
    return tree_exceeds_bounds(root)


def bound_html(html: str) -> str:
    """Return markup that is at most MAX_DEPTH deep, MAX_ELEMENTS large, without attribute floods."""
    if not needs_bounding(html):
        return html
    return flatten_html(html)


def flatten_html(html: str) -> str:
    """The streaming rewrite (see the module docstring), whatever the markup."""
    flattener = _Flattener()
    flattener.feed(html)
    flattener.close()
    return flattener.result()


class _Flattener(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.done: list[str] = []  # ``out`` joined every few thousand pieces: fewer small strings
        self.stack: list[tuple[str, bool]] = []  # (tag, emitted)
        self.emitted = 0
        self.skip_depth = 0
        self.text_since_break = False

    def result(self) -> str:
        for tag, emitted in reversed(self.stack):
            if emitted:
                self.out.append(f"</{tag}>")
        self.stack.clear()
        return "".join(self.done) + "".join(self.out)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth:
            if tag in _SKIP_CONTENT:
                self.skip_depth += 1
            return
        if tag in _SKIP_CONTENT:
            self.skip_depth = 1
            return
        emit = len(self.stack) < MAX_DEPTH and self.emitted < MAX_ELEMENTS
        if emit:
            self.emitted += 1
            self.out.append(self._render(tag, attrs))
        elif tag not in _INLINE:
            self._separate()
        if tag not in _VOID:
            self.stack.append((tag, emit))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip_depth or tag in _SKIP_CONTENT:
            return
        if len(self.stack) < MAX_DEPTH and self.emitted < MAX_ELEMENTS:
            self.emitted += 1
            self.out.append(self._render(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag in _SKIP_CONTENT:
                self.skip_depth -= 1
            return
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                for open_tag, emitted in reversed(self.stack[index:]):
                    if emitted:
                        self.out.append(f"</{open_tag}>")
                    elif open_tag not in _INLINE:
                        self._separate()
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.out.append(escape(data, quote=False))
            if len(self.out) > 4096:
                self.done.append("".join(self.out))
                self.out.clear()
            if data.strip():
                self.text_since_break = True

    def _separate(self) -> None:
        """A line break where a flattened block ended, only after some text."""
        if self.text_since_break:
            self.out.append("\n<br>")
            self.text_since_break = False

    @staticmethod
    def _render(tag: str, attrs: list[tuple[str, str | None]]) -> str:
        if len(attrs) > MAX_ATTRIBUTES:
            attrs = []
        rendered = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs if _ok_name(name))
        return f"<{tag}{rendered}>"


def _ok_name(name: str) -> bool:
    return bool(name) and all(ch.isalnum() or ch in "-_:" for ch in name)
