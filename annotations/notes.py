"""Notes are Markdown (a safe subset), rendered with raw HTML off and sanitized again; quotes are
shown shortened."""

import unicodedata
from functools import lru_cache

import bleach
from django.utils.text import Truncator
from markdown_it import MarkdownIt

NOTE_TAGS = ["p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"]
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable(["image", "heading", "table"])


def _link_rel(attrs, new=False):
    attrs[(None, "rel")] = "noopener noreferrer nofollow"
    return attrs


_cleaner = bleach.Cleaner(
    tags=NOTE_TAGS,
    attributes={"a": ["href"]},
    protocols=["http", "https", "mailto"],
    strip=True,
    filters=[],
)


@lru_cache(maxsize=8192)  # the same notes are rendered on every view of a page
def render_note(markdown: str) -> str:
    """Safe HTML for a note: emphasis, lists, quotes, code and http(s) links only."""
    html = _cleaner.clean(_markdown.render(markdown or ""))
    return bleach.linkify(html, callbacks=[_link_rel], skip_tags=["pre", "code"], parse_email=False)


def shorten(text: str, length: int) -> str:
    """What `truncatechars:length` makes of `text`, without its walk over every character of a short one."""
    return Truncator(text).chars(length) if len(text) > length else unicodedata.normalize("NFC", text)
