"""Sanitized HTML to the plain "anchoring" text, plus duplicate keys.

Annotations store code-point offsets into ``html_to_text(html)``, so this
function must stay deterministic: blocks joined by a blank line, inline
elements concatenated, ``<br>`` as a newline, whitespace runs inside a block
collapsed to one space, NFC, no leading or trailing whitespace.
"""

from __future__ import annotations

import hashlib
import random
import re
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
_PRIME = (1 << 61) - 1
_rng = random.Random(0x5EED_A271C1E)  # fixed seed: fingerprints must be stable across runs
_PERMUTATIONS = tuple(
    (_rng.randrange(1, _PRIME), _rng.randrange(0, _PRIME)) for _ in range(FINGERPRINT_SIZE)
)


def _shingle_hashes(text: str) -> set[int]:
    words = normalise_for_hash(text).split()
    if not words:
        return set()
    count = max(1, len(words) - SHINGLE_WORDS + 1)
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(count)}
    return {
        int.from_bytes(hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest(), "big") % _PRIME
        for s in shingles
    }


def fingerprint(text: str) -> list[int]:
    """MinHash signature (64 values) over word 5-shingles; [] for empty text."""
    hashes = _shingle_hashes(text)
    if not hashes:
        return []
    return [min((a * h + b) % _PRIME for h in hashes) for a, b in _PERMUTATIONS]


def near_duplicate_score(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity (0..1) of the shingle sets behind two fingerprints."""
    if not a or not b:
        return 0.0
    same = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return same / max(len(a), len(b))
