"""Sanitized HTML to the plain "anchoring" text, plus duplicate keys.

Annotations store code-point offsets into ``html_to_text(html)``, so this
function must stay deterministic: blocks joined by a blank line, inline
elements concatenated, ``<br>`` as a newline, whitespace runs inside a block
collapsed to one space, NFC, no leading or trailing whitespace.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata

from lxml import etree

from .sanitize import parse_fragment

TEXT_BLOCKS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "figure", "figcaption", "pre"}
    | {"table", "thead", "tbody", "tfoot", "tr", "td", "th", "hr", "div", "section", "article", "main", "aside"}
    | {"header", "footer", "nav", "dl", "dt", "dd", "address", "details", "summary", "caption", "body", "html"}
)

_SPACES = re.compile(r"[^\S\n]+")
_ANY_SPACE = re.compile(r"\s+")
_NEWLINES = re.compile(r" ?\n[\n ]*")


def html_to_blocks(html: str) -> list[str]:
    """Plain text of each block of ``html``, in document order, empty blocks left out."""
    root = parse_fragment(html)
    blocks: list[str] = []
    current: list[str] = []
    pre_depth = 0

    def flush() -> None:
        block = _finish_block("".join(current))
        if block:
            blocks.append(block)
        current.clear()

    def add(text: str | None) -> None:
        if text:
            current.append(text.replace("\r\n", "\n") if pre_depth else _ANY_SPACE.sub(" ", text))

    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in TEXT_BLOCKS:
                flush()
            if tag == "pre":
                pre_depth += 1
            if tag == "br":
                current.append("\n")
            elif tag:
                add(element.text)
        else:
            if tag == "pre":
                pre_depth -= 1
            if tag in TEXT_BLOCKS:
                flush()
            if element is not root:
                add(element.tail)
    flush()
    return blocks


def _finish_block(raw: str) -> str:
    text = _SPACES.sub(" ", raw)
    text = _NEWLINES.sub("\n", text).strip()
    return unicodedata.normalize("NFC", text)


def html_to_text(html: str) -> str:
    """The anchoring plain text of sanitized article HTML."""
    return "\n\n".join(html_to_blocks(html))


def normalise_for_hash(text: str) -> str:
    """Case-, whitespace- and punctuation-insensitive form of ``text``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = [" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in text]
    return " ".join("".join(kept).split())


def text_hash(text: str) -> str:
    """Exact-duplicate key: sha256 hex of the normalised text."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


FINGERPRINT_SIZE = 64
SHINGLE_WORDS = 5
_CHUNK = 4096
_ROW = struct.Struct(f">{FINGERPRINT_SIZE}Q")


def _shingles(text: str) -> set[str]:
    words = normalise_for_hash(text).split()
    if not words:
        return set()
    count = max(1, len(words) - SHINGLE_WORDS + 1)
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(count)}


def fingerprint(text: str) -> list[int]:
    """MinHash signature (64 values) over word 5-shingles; [] for empty text.

    Each shingle gets 64 independent 64-bit hashes from one SHAKE-128 digest;
    the signature is the per-position minimum, halved to fit a signed 64-bit column.
    """
    shingles = sorted(_shingles(text))
    if not shingles:
        return []
    mins: tuple[int, ...] | None = None
    for offset in range(0, len(shingles), _CHUNK):
        rows = [
            _ROW.unpack(hashlib.shake_128(s.encode("utf-8")).digest(_ROW.size))
            for s in shingles[offset : offset + _CHUNK]
        ]
        if mins is not None:
            rows.append(mins)
        mins = tuple(min(column) for column in zip(*rows, strict=True))
    assert mins is not None
    return [value >> 1 for value in mins]


def near_duplicate_score(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity (0..1) of the shingle sets behind two fingerprints."""
    if not a or not b:
        return 0.0
    same = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return same / max(len(a), len(b))
