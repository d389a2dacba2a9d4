"""Re-attach highlighted passages to an article whose text may have changed.

A passage is stored as a W3C Web Annotation TextQuoteSelector (exact + prefix/suffix) plus a
TextPositionSelector (start/end). Articles get re-fetched and re-cleaned, so the text under a
passage can move, have its whitespace rewritten, or be lightly edited. `reanchor` tries, in
order of confidence: the old position, the quote elsewhere, the quote ignoring whitespace, and
an approximate match; failing all of those the passage is orphaned rather than guessed.

Positions are Unicode code points (Python str indices), as the W3C model specifies; browsers
report UTF-16 code units, hence the two conversion helpers at the end.
"""

import re
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from enum import StrEnum

CONTEXT_LENGTH = 32

# A fuzzy candidate scores QUOTE_WEIGHT * quote similarity + (1 - QUOTE_WEIGHT) * context
# similarity (both 0..1, see _span_similarity and _context_similarity). Measured on a news
# paragraph: one or two words changed, added or dropped in a sentence whose context is intact
# score 0.88-0.97, or ~0.81 if one side's context was rewritten as well (both sides: 0.71, orphaned);
# a look-alike sentence left behind after the passage was deleted scores 0.58 elsewhere in the
# article and 0.68-0.70 right next to where the passage was. 0.75 sits between, so an edited
# passage follows its text while a deleted one is orphaned instead of captured by a sentence that
# merely resembles it. (A three-word quote with one word changed lands at ~0.76: about the limit.)
MIN_FUZZY_SCORE = 0.75
QUOTE_WEIGHT = 0.7

# Bounds on the approximate search, so a long article costs milliseconds, not seconds.
_MAX_HITS_PER_SEED = 50  # a seed found more often than this says nothing about where the quote is
_MAX_FUZZY_CANDIDATES = 4
_MAX_OCCURRENCES_SCORED = 20
_MAX_GAP_CHARS = 64
_MAX_EDGE_WORDS = 6
_WHITESPACE = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Selector:
    """TextQuoteSelector + TextPositionSelector over one text."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


class AnchorStatus(StrEnum):
    EXACT = "exact"
    MOVED = "moved"
    FUZZY = "fuzzy"
    ORPHANED = "orphaned"


@dataclass(frozen=True)
class Anchor:
    status: AnchorStatus
    start: int | None
    end: int | None
    score: float


ORPHANED = Anchor(AnchorStatus.ORPHANED, None, None, 0.0)


def describe(text: str, start: int, end: int) -> Selector:
    """Build the selector for text[start:end], with up to CONTEXT_LENGTH code points either side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"Passage {start}..{end} is not a non-empty range within a text of {len(text)} characters.")
    exact = text[start:end]
    if not exact.strip():
        raise ValueError(f"Passage {start}..{end} contains only whitespace.")
    prefix = text[max(0, start - CONTEXT_LENGTH) : start]
    return Selector(exact=exact, prefix=prefix, suffix=text[end : end + CONTEXT_LENGTH], start=start, end=end)


def reanchor(selector: Selector, text: str) -> Anchor:
    """Find the passage in a (possibly changed) text, most confident strategy first."""
    if selector.exact and text[selector.start : selector.end] == selector.exact:
        return Anchor(AnchorStatus.EXACT, selector.start, selector.end, 1.0)
    for strategy in (_find_moved, _find_ignoring_whitespace, _find_fuzzy):
        anchor = strategy(selector, text)
        if anchor is not None:
            return anchor
    return ORPHANED


def selector_for_anchor(selector: Selector, text: str, anchor: Anchor) -> Selector:
    """The selector to store once re-anchored; an orphan keeps its old one so it can be re-attached later."""
    if anchor.start is None or anchor.end is None:
        return selector
    return describe(text, anchor.start, anchor.end)


# --- exact quote elsewhere, and whitespace-insensitive -------------------------------------


def _occurrences(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    """Start of every (possibly overlapping) occurrence, stopping after `limit`."""
    found: list[int] = []
    position = haystack.find(needle)
    while position != -1 and (limit is None or len(found) < limit):
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def _word_similarity(first: str, second: str) -> float:
    # Words, not characters: two unrelated stretches of English share many letters but few words,
    # so unrelated context scores ~0.1 here against ~0.3 character by character.
    return SequenceMatcher(None, _TOKEN.findall(first), _TOKEN.findall(second), autojunk=False).ratio()


def _context_similarity(selector: Selector, text: str, start: int, end: int) -> float | None:
    """How well the text around start..end matches the stored prefix/suffix; None if none was stored."""
    prefix, suffix = selector.prefix, selector.suffix
    if not prefix and not suffix:
        return None
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    weighted = len(prefix) * _word_similarity(prefix, before) + len(suffix) * _word_similarity(suffix, after)
    return weighted / (len(prefix) + len(suffix))


def _adjacent_agreement(selector: Selector, text: str, start: int, end: int) -> int:
    """Cheap pre-ranking: how many characters right next to the span agree with the stored context."""
    before = text[max(0, start - len(selector.prefix)) : start][::-1]
    after = text[end : end + len(selector.suffix)]
    return _common_length(selector.prefix[::-1], before) + _common_length(selector.suffix, after)


def _common_length(first: str, second: str) -> int:
    for index, (a, b) in enumerate(zip(first, second, strict=False)):
        if a != b:
            return index
    return min(len(first), len(second))


def _pick_span(selector: Selector, text: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Of several places holding the quote, the one whose surroundings match best, then the nearest."""
    if len(spans) == 1:
        return spans[0]

    def distance(span: tuple[int, int]) -> int:
        return abs(span[0] - selector.start)

    # Scoring context with SequenceMatcher is the costly part, so only the likeliest few get it.
    shortlist = sorted(spans, key=lambda s: (-_adjacent_agreement(selector, text, *s), distance(s)))
    shortlist = shortlist[:_MAX_OCCURRENCES_SCORED]
    return max(shortlist, key=lambda s: (_context_similarity(selector, text, *s) or 0.0, -distance(s)))


def _find_moved(selector: Selector, text: str) -> Anchor | None:
    spans = [(p, p + len(selector.exact)) for p in _occurrences(text, selector.exact)] if selector.exact else []
    if not spans:
        return None
    start, end = _pick_span(selector, text, spans)
    return Anchor(AnchorStatus.MOVED, start, end, 1.0)


def _collapse_whitespace(text: str) -> tuple[str, list[int]]:
    """Whitespace runs (NBSP included) become one space; origin[i] is where character i came from."""
    parts: list[str] = []
    origin: list[int] = []
    position = 0
    for run in _WHITESPACE.finditer(text):
        parts += [text[position : run.start()], " "]
        origin.extend(range(position, run.start()))
        origin.append(run.start())
        position = run.end()
    parts.append(text[position:])
    origin.extend(range(position, len(text)))
    return "".join(parts), origin


def _find_ignoring_whitespace(selector: Selector, text: str) -> Anchor | None:
    # The quote's own leading/trailing whitespace is dropped, so both ends map onto real characters.
    quote, _ = _collapse_whitespace(selector.exact.strip())
    if not quote:
        return None
    collapsed, origin = _collapse_whitespace(text)
    spans = [(origin[p], origin[p + len(quote) - 1] + 1) for p in _occurrences(collapsed, quote)]
    if not spans:
        return None
    start, end = _pick_span(selector, text, spans)
    same_place = (start, end) == (selector.start, selector.end)
    return Anchor(AnchorStatus.EXACT if same_place else AnchorStatus.MOVED, start, end, 1.0)


# --- approximate match ----------------------------------------------------------------------


def _candidate_starts(quote: str, text: str, old_start: int) -> list[int]:
    """Likely starts of an edited copy of the quote, voted for by exact hits of short pieces of it.

    With the quote cut into n pieces, fewer than n edits leave at least one piece intact
    (pigeonhole), so a lightly edited passage always gets a vote.
    """
    size = max(4, min(16, len(quote) // 8))
    diagonals: list[int] = []
    for offset in range(0, len(quote) - size + 1, size):
        hits = _occurrences(text, quote[offset : offset + size], limit=_MAX_HITS_PER_SEED + 1)
        if len(hits) <= _MAX_HITS_PER_SEED:
            diagonals += [hit - offset for hit in hits]
    # Edits shift later pieces a little, so votes within `tolerance` count for the same start.
    tolerance = max(8, len(quote) // 8)
    clusters: list[list[int]] = []
    for diagonal in sorted(diagonals):
        if clusters and diagonal - clusters[-1][0] <= tolerance:
            clusters[-1].append(diagonal)
        else:
            clusters.append([diagonal])
    clusters.sort(key=lambda c: (-len(c), abs(c[len(c) // 2] - old_start)))
    return [c[len(c) // 2] for c in clusters[:_MAX_FUZZY_CANDIDATES]]


def _trim_islands(blocks: list[Match]) -> list[Match]:
    """Drop edge matches cut off from the rest by more words than they cover (a stray "the")."""
    while len(blocks) > 1 and blocks[0].size < blocks[1].a - blocks[0].a - blocks[0].size:
        blocks = blocks[1:]
    while len(blocks) > 1 and blocks[-1].size < blocks[-1].a - blocks[-2].a - blocks[-2].size:
        blocks = blocks[:-1]
    return blocks


def _gap_matches(ours: list[str], theirs: list[str]) -> int:
    """Letters shared by a pair of differing word runs ("£10m" / "£12m"), so near-misses earn part credit."""
    first, second = "".join(ours), "".join(theirs)
    if not first or not second or max(len(first), len(second)) > _MAX_GAP_CHARS:
        return 0  # a long run of differences is no near-miss; comparing it letter by letter would be slow
    return sum(block.size for block in SequenceMatcher(None, first, second, autojunk=False).get_matching_blocks())


def _span_similarity(words: list[str], quote: list[str], blocks: list[Match], start: int, end: int) -> float:
    """Similarity of words[start:end] to the quote, from one word alignment, weighted by word length.

    The mean of a whole-word score and a letter score: a look-alike sentence shares many letters
    with the quote but differs in whole words that matter (names, figures, days).
    """
    whole = partial = 0
    previous_a, previous_b = start, 0
    for block in [*blocks, Match(end, len(quote), 0)]:
        partial += _gap_matches(words[previous_a : block.a], quote[previous_b : block.b])
        whole += sum(map(len, words[block.a : block.a + block.size]))
        previous_a, previous_b = block.a + block.size, block.b + block.size
    total = sum(map(len, quote)) + sum(map(len, words[start:end]))
    return (2 * whole + partial) / total if total else 0.0


def _align(selector: Selector, text: str, quote: list[str], approx_start: int) -> tuple[int, int, float] | None:
    """The best-scoring span for the quote near approx_start, aligned word by word, with its score."""
    slack = max(16, len(selector.exact) // 4)
    found = list(_TOKEN.finditer(text, max(0, approx_start - slack), approx_start + len(selector.exact) + slack))
    words = [match.group() for match in found]
    blocks = _trim_islands(
        [b for b in SequenceMatcher(None, words, quote, autojunk=False).get_matching_blocks() if b.size]
    )
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    # The matched words, or as many more either side as the quote has unmatched at its ends (a
    # changed first or last word); the context then tells a changed word from a deleted one.
    starts = range(first.a, max(0, first.a - first.b, first.a - _MAX_EDGE_WORDS) - 1, -1)
    ends = range(
        last.a + last.size, min(len(words), last.a + len(quote) - last.b, last.a + last.size + _MAX_EDGE_WORDS) + 1
    )
    best: tuple[int, int, float] | None = None
    for start in starts:
        for end in ends:
            span = (found[start].start(), found[end - 1].end())
            similarity = _span_similarity(words, quote, blocks, start, end)
            context = _context_similarity(selector, text, *span)
            # A passage that was the whole text has no context to confirm or refute it: neutral.
            score = QUOTE_WEIGHT * similarity + (1 - QUOTE_WEIGHT) * (0.5 if context is None else context)
            if best is None or score > best[2]:
                best = (*span, score)
    return best


def _find_fuzzy(selector: Selector, text: str) -> Anchor | None:
    quote = _TOKEN.findall(selector.exact)
    if not quote:
        return None
    best: Anchor | None = None
    for approx_start in _candidate_starts(selector.exact, text, selector.start):
        aligned = _align(selector, text, quote, approx_start)
        if aligned is not None and aligned[2] >= MIN_FUZZY_SCORE and (best is None or aligned[2] > best.score):
            best = Anchor(AnchorStatus.FUZZY, *aligned)
    return best


# --- browser offsets ------------------------------------------------------------------------


def _check_offset(offset: int, length: int, unit: str) -> None:
    if not 0 <= offset <= length:
        raise ValueError(f"Offset {offset} is outside a text of {length} {unit}.")


def codepoint_to_utf16(text: str, offset: int) -> int:
    """A Python str index as the browser's UTF-16 offset: astral characters take two code units."""
    _check_offset(offset, len(text), "code points")
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """A browser Range offset (UTF-16 code units) as a Python str index."""
    _check_offset(offset, len(text.encode("utf-16-le")) // 2, "UTF-16 code units")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside the surrogate pair of character {index}.")
    return len(text)
