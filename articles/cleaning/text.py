"""Sanitized HTML to the plain "anchoring" text, plus duplicate keys.

Annotations store code-point offsets into ``html_to_text(html)``, so this
function must stay deterministic: blocks joined by a blank line, inline
elements concatenated, ``<br>`` as a newline, whitespace runs inside a block
collapsed to one space, NFC, no leading or trailing whitespace.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import deque
from collections.abc import Iterator

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


class _SeparatorTable(dict[int, int]):
    """``str.translate`` table: punctuation, symbols, separators and controls (Unicode categories
    P, S, Z, C) become a space, other characters stay. Filled lazily, one lookup per distinct
    character; bounded, so that text made of every code point cannot grow it without end."""

    def __missing__(self, code: int) -> int:
        value = 32 if unicodedata.category(chr(code))[0] in "PSZC" else code
        if len(self) < 100_000:
            self[code] = value
        return value


_SEPARATORS = _SeparatorTable()


def normalise_for_hash(text: str) -> str:
    """Case-, whitespace- and punctuation-insensitive form of ``text``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _ANY_SPACE.sub(" ", text.translate(_SEPARATORS)).strip()


def text_hash(text: str) -> str:
    """Exact-duplicate key: sha256 hex of the normalised text."""
    return hash_normalised(normalise_for_hash(text))


def hash_normalised(normalised: str) -> str:
    """``text_hash`` of text already passed through ``normalise_for_hash``."""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


FINGERPRINT_SIZE = 64
SHINGLE_WORDS = 5
_BIN_BITS = 6  # 2**6 == FINGERPRINT_SIZE bins
_BIN_MASK = FINGERPRINT_SIZE - 1
_EMPTY = 1 << 64
# Added per bin skipped when an empty bin borrows a neighbour's minimum (so borrowed values
# differ from the neighbour's own, and two texts agree on them only if they agree there).
_BORROW_STEP = 0x9E3779B97F4A7C15 >> _BIN_BITS


_WORD = re.compile(r"\S+")


def _shingles(text: str) -> set[str]:
    return set(_iter_shingles(normalise_for_hash(text)))


def _iter_shingles(normalised: str) -> Iterator[str]:
    """Word 5-shingles of normalised text (words separated by single spaces), without a list of
    its words; one shingle of all the words when there are fewer than five."""
    starts: deque[int] = deque(maxlen=SHINGLE_WORDS)
    end = 0
    for word in _WORD.finditer(normalised):
        starts.append(word.start())
        end = word.end()
        if len(starts) == SHINGLE_WORDS:
            yield normalised[starts[0] : end]
    if 0 < len(starts) < SHINGLE_WORDS:
        yield normalised[starts[0] : end]


def fingerprint(text: str) -> list[int]:
    """MinHash signature (64 values) over word 5-shingles; [] for empty text."""
    return fingerprint_normalised(normalise_for_hash(text))


def fingerprint_normalised(normalised: str) -> list[int]:
    """``fingerprint`` of text already passed through ``normalise_for_hash``.

    One-permutation MinHash: each distinct shingle is hashed once (BLAKE2b, 64 bits, the same in
    every process); the low 6 bits choose one of 64 bins, the other 58 bits are the value, and
    each position of the signature is its bin's minimum. An empty bin (short texts) borrows the
    minimum of the next non-empty bin to its right, plus a step per bin skipped (rotation
    densification). Equal positions of two signatures estimate the Jaccard similarity of the
    shingle sets, as with 64 independent permutations. Values fit a signed 64-bit column.
    """
    mins = [_EMPTY] * FINGERPRINT_SIZE
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    for shingle in _iter_shingles(normalised):
        value = from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        slot = value & _BIN_MASK
        value >>= _BIN_BITS
        if value < mins[slot]:
            mins[slot] = value
    if mins.count(_EMPTY) == FINGERPRINT_SIZE:
        return []
    return _densify(mins) if _EMPTY in mins else mins


def _densify(mins: list[int]) -> list[int]:
    size = len(mins)
    out = list(mins)
    for slot in range(size):
        if mins[slot] != _EMPTY:
            continue
        for distance in range(1, size):
            borrowed = mins[(slot + distance) % size]
            if borrowed != _EMPTY:
                out[slot] = (borrowed + distance * _BORROW_STEP) & ((1 << (64 - _BIN_BITS)) - 1)
                break
    return out


def near_duplicate_score(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity (0..1) of the shingle sets behind two fingerprints."""
    if not a or not b:
        return 0.0
    same = sum(1 for x, y in zip(a, b, strict=False) if x == y)
    return same / max(len(a), len(b))


# Scripts written without spaces between words: each character counts as half a word.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
)


def word_count(text: str) -> int:
    """Words in plain ``text``; in Chinese, Japanese, Thai and similar scripts, written without
    spaces between words, two characters count as a word."""
    if not text:
        return 0
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    return len(_UNSPACED.sub(" ", text).split()) + unspaced // 2
