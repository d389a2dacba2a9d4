"""The reader's article markup: sanitized HTML whose text carries its own offsets and highlights.

Annotations point into `Article.text` by code point. To turn a browser selection into such
offsets, and to show highlights where they belong, the article HTML is walked exactly as
`articles.cleaning.text.html_to_blocks` walks it, and every text node is rewritten as what it
contributes to the plain text, inside `<span data-o="N">` where N is its offset in that text.
Highlights are `<mark>` elements inside those spans. Only span and mark elements with data
attributes and classes are added, so the result stays as safe as the sanitized input.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from lxml import etree

from articles.cleaning.sanitize import parse_fragment
from articles.cleaning.text import TEXT_BLOCKS

log = logging.getLogger(__name__)

# The same whitespace rules as articles.cleaning.text (a test keeps the two in step).
SPACES = re.compile(r"[^\S\n]+")
ANY_SPACE = re.compile(r"\s+")
NEWLINES = re.compile(r" ?\n[\n ]*")
BLOCK_SEPARATOR = "\n\n"


@dataclass
class Piece:
    """One text node (an element's `text` or `tail`) and what it contributes to the plain text."""

    element: etree._Element
    attr: str
    raw: str
    start: int | None = None  # offset in the plain text
    text: str = ""


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    annotation_id: int
    css_class: str = ""


@dataclass
class Rendered:
    html: str
    text: str
    pieces: list[Piece] = field(default_factory=list)


def sub_with_map(pattern: re.Pattern, repl: str, text: str, index: list[int]) -> tuple[str, list[int]]:
    """`pattern.sub(repl, text)` that also says where each output character came from."""
    out, out_index, last = [], [], 0
    for match in pattern.finditer(text):
        out.append(text[last : match.start()])
        out_index.extend(index[last : match.start()])
        out.append(repl)
        # The kept character is the match's own copy of `repl` (a <br>'s newline, say), if it has one.
        source = match.start() + max(match.group().find(repl), 0)
        out_index.extend([index[source]] * len(repl))
        last = match.end()
    out.append(text[last:])
    out_index.extend(index[last:])
    return "".join(out), out_index


def finish_block(pieces: list[Piece | None]) -> tuple[str, list[tuple[int, int]]]:
    """The block's text (as `_finish_block` makes it) and, per character, (piece number, position)."""
    raw, owner = [], []
    for number, piece in enumerate(pieces):
        chunk = "\n" if piece is None else piece.raw  # None stands for a <br>
        raw.append(chunk)
        owner.extend((number, k) for k in range(len(chunk)))
    text, index = sub_with_map(SPACES, " ", "".join(raw), list(range(len(owner))))
    text, index = sub_with_map(NEWLINES, "\n", text, index)
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    index = index[lead : lead + len(stripped)]
    return stripped, [owner[i] for i in index]


def assign(pieces: list[Piece | None], text: str, owners: list[tuple[int, int]], offset: int) -> None:
    """Give each piece its stretch of the block's text (contiguous: the walk keeps order)."""
    for position, (number, _) in enumerate(owners):
        piece = pieces[number]
        if piece is None:
            continue
        if piece.start is None:
            piece.start = offset + position
        piece.text += text[position]


class Walk:
    """Mirror of `html_to_blocks`, keeping the text nodes behind each block."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.current: list[Piece | None] = []
        self.pieces: list[Piece] = []
        self.offset = 0
        self.pre_depth = 0
        self.aligned = True

    def add(self, element: etree._Element, attr: str) -> None:
        value = getattr(element, attr)
        if value:
            raw = value.replace("\r\n", "\n") if self.pre_depth else ANY_SPACE.sub(" ", value)
            piece = Piece(element, attr, raw)
            self.current.append(piece)
            self.pieces.append(piece)

    def flush(self) -> None:
        text, owners = finish_block(self.current)
        if text:
            if unicodedata.normalize("NFC", text) != text:
                self.aligned = False  # the stored text was composed differently: offsets would drift
            if self.blocks:
                self.offset += len(BLOCK_SEPARATOR)
            assign(self.current, text, owners, self.offset)
            self.blocks.append(text)
            self.offset += len(text)
        self.current = []

    def run(self, root: etree._Element) -> None:
        for event, element in etree.iterwalk(root, events=("start", "end")):
            tag = element.tag if isinstance(element.tag, str) else ""
            if event == "start":
                self.start(element, tag)
            else:
                self.end(element, tag, root)
        self.flush()

    def start(self, element: etree._Element, tag: str) -> None:
        if tag in TEXT_BLOCKS:
            self.flush()
        if tag == "pre":
            self.pre_depth += 1
        if tag == "br":
            self.current.append(None)
        elif tag:
            self.add(element, "text")

    def end(self, element: etree._Element, tag: str, root: etree._Element) -> None:
        if tag == "pre":
            self.pre_depth -= 1
        if tag in TEXT_BLOCKS:
            self.flush()
        if element is not root:
            self.add(element, "tail")


def marks_for(piece: Piece, highlights: list[Highlight]) -> list[tuple[str, list[Highlight]]]:
    """Split the piece's text where highlights begin or end; each part with its highlights."""
    start, end = piece.start or 0, (piece.start or 0) + len(piece.text)
    cuts = {start, end}
    for h in highlights:
        cuts.update(x for x in (h.start, h.end) if start < x < end)
    edges = sorted(cuts)
    parts = []
    for a, b in pairwise(edges):
        covering = [h for h in highlights if h.start < b and h.end > a]
        parts.append((piece.text[a - start : b - start], covering))
    return parts


def piece_html(piece: Piece, highlights: list[Highlight]) -> str:
    """The span that replaces the piece's text node, with its marks, as markup: lxml elements for
    the hundreds of marks of a much annotated article cost more than the rest of the rendering."""
    parts = [f'<span data-o="{piece.start}">']
    for text, covering in marks_for(piece, [h for h in highlights if h.end > (piece.start or 0)]):
        if covering:
            parts.append(f"<mark{highlight_attributes(covering)}>{escape(text, quote=False)}</mark>")
        else:
            parts.append(escape(text, quote=False))
    parts.append("</span>")
    return "".join(parts)


def highlight_attributes(covering: list[Highlight]) -> str:
    depth = min(len(covering), 3)
    classes = ["hl", f"hl--depth-{depth}", *dict.fromkeys(h.css_class for h in covering if h.css_class)]
    ids = " ".join(str(h.annotation_id) for h in covering)
    return f' class="{escape(" ".join(classes))}" data-annotations="{ids}"'


def placeholder_mark(html: str) -> str:
    """A private-use character the markup does not hold, to stand for the spans until they are written."""
    return next(chr(code) for code in range(0xF0000, 0xFFFFE) if chr(code) not in html)


def rewrite(pieces: Iterable[Piece], highlights: list[Highlight], mark: str) -> list[str]:
    """Replace each text node by a placeholder for its span (or nothing, for whitespace the plain
    text drops); return the spans, the n-th for the placeholder `mark + n + mark`.

    `highlights` are sorted by start; pieces come in text order, so one sweep keeps the
    highlights open at each piece (not every highlight against every piece)."""
    waiting, open_, spans = list(reversed(highlights)), [], []
    for piece in pieces:
        setattr(piece.element, piece.attr, None)
        if piece.start is None or not piece.text:
            continue
        end = piece.start + len(piece.text)
        while waiting and waiting[-1].start < end:
            open_.append(waiting.pop())
        open_ = [h for h in open_ if h.end > piece.start]
        setattr(piece.element, piece.attr, f"{mark}{len(spans)}{mark}")
        spans.append(piece_html(piece, open_))
    return spans


def render(html: str, highlights: Iterable[Highlight] = ()) -> Rendered:
    """The article markup for the reader, with offsets and highlights; the text it carries."""
    root = parse_fragment(html)
    walk = Walk()
    walk.run(root)
    text = BLOCK_SEPARATOR.join(walk.blocks)
    if not walk.aligned:
        log.warning("Article text is not NFC-stable; rendering without selectable offsets")
        return Rendered(html=html, text=text)
    mark = placeholder_mark(html)
    spans = rewrite(walk.pieces, sorted(highlights, key=lambda h: (h.start, -h.end)), mark)
    inner = (root.text or "") + "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    inner = re.sub(f"{mark}(\\d+){mark}", lambda found: spans[int(found.group(1))], inner)
    return Rendered(html=inner, text=text, pieces=walk.pieces)
