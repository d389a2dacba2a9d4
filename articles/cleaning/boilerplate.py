"""Publisher chrome that survives extraction: newsletter boxes, donation appeals,
comment prompts, share bars, cookie notices, "most read" lists, subscription nags.

Precision over recall. A pattern must match a *whole* sentence, and only
sentences at the start or end of a block are dropped (a whole block goes when
every sentence in it is chrome), so story prose that merely mentions a
newsletter or donations is never touched. Works on sanitized HTML blocks, which
also covers plain text, where an appeal may be glued to the story:
``"...Donate today.The Online Safety Act..."``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from lxml import etree

from .text import normalise_for_hash

_NETWORKS = r"(?:facebook|twitter|x|whatsapp|linkedin|email|e-mail|pinterest|reddit|bluesky|threads|messenger|telegram)"

_SENTENCE_PATTERNS = [
    # newsletters
    r"(?:sign up|subscribe|register)(?: now| today| here| free)?(?: (?:for|to) (?:our|the|my)\b.{0,60}?\b"
    r"(?:newsletters?|briefings?|bulletins?|emails?|alerts?|podcasts?|updates)\b.{0,100})?",
    r"(?:get|receive|have) .{0,80}\b(?:in|to|into|straight to|direct to|delivered to) your inbox\b.{0,60}",
    r"(?:newsletter|email) sign[- ]?up",
    r"enter your e-?mail(?: address)?.{0,80}",
    r"by (?:signing up|subscribing|clicking|entering your email),? you (?:agree|consent|accept).{0,200}",
    r"thank(?:s| you) for (?:signing up|subscribing|registering).{0,100}",
    # donations and membership
    r"your support (?:helps|allows|enables|means|makes).{0,160}",
    r"support (?:independent|our|quality|public[- ]interest|local|fearless|trusted) (?:\w+ )?journalism.{0,100}",
    r"(?:please )?(?:become|join (?:us )?as) a (?:\w+ )?(?:member|supporter|subscriber|patron|donor).{0,100}",
    r"(?:please )?donate(?: now| today| here| monthly| once)?(?: to (?:us|support .{0,60}))?",
    r"(?:please )?(?:make|give) a (?:(?:one-off|one-time|monthly|small|regular|single|recurring) )*"
    r"(?:donation|contribution)(?: today| now| to (?:us|support .{0,60}))?",
    r"(?:please )?consider (?:supporting|donating to|subscribing to|becoming a (?:member|supporter)).{0,100}",
    r"if you (?:value|like|enjoy(?:ed)?|appreciate|found) (?:this|our|what|reading).{0,120}"
    r"\b(?:support|donat|subscri|member|contribut|chip in)\w*.{0,80}",
    r"we rely on (?:readers|our readers|your support|readers' support|donations|contributions) .{0,160}",
    r"(?:every|any) contribution,? (?:however|big or small|large or small).{0,120}",
    r"support us(?: today| now| from as little as .{0,30})?",
    # subscription nags
    r"subscribe to (?:continue|keep) reading.{0,100}",
    r"(?:to )?continue reading,? (?:please )?(?:subscribe|log in|sign in|register).{0,100}",
    r"(?:log|sign) in to (?:continue|keep) reading.{0,80}",
    r"already (?:a )?(?:subscriber|member|registered)\??(?: (?:log|sign) in.{0,40})?",
    r"this (?:article|content|story) is (?:for|only available to|exclusive to) (?:subscribers|members).{0,80}",
    r"you(?:'ve| have) (?:reached|read) (?:your|all your|all of your|\d+) (?:free |monthly )?(?:articles?|stories)\b.{0,100}",
    r"(?:subscribe|register|sign up) (?:now |today )?for (?:full|unlimited) (?:digital )?access.{0,80}",
    r"(?:get|start|unlock) (?:unlimited|full|digital) access.{0,80}",
    # comments
    r"join the (?:conversation|discussion|debate)(?: .{0,80})?",
    r"comments (?:are|have been) (?:closed|disabled|turned off|now closed)(?: .{0,60})?",
    r"leave a (?:comment|reply)",
    r"(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments?(?: \(\d+\))?",
    r"\d+ comments?",
    r"be the first to comment.{0,40}",
    r"have your say(?: .{0,60})?",
    # sharing
    r"share (?:this|the) (?:article|story|page|post|video)(?: .{0,40})?",
    rf"(?:(?:share|post|tweet|send)(?: this)? (?:on|to|via|by) {_NETWORKS}[\s,|/]*)+",
    r"(?:share|tweet|email|print|copy link|copy the link|save|bookmark)(?: this(?: article| story)?)?",
    r"(?:follow|like) us on .{0,60}",
    rf"follow (?:@?[\w.]+ ){{1,4}}on {_NETWORKS}",
    # cookies
    r"we use cookies.{0,200}",
    r"this (?:site|website) uses cookies.{0,200}",
    r"by (?:continuing to (?:use|browse)|using) (?:this|our) (?:site|website).{0,160}",
    r"(?:accept|reject|allow) (?:all )?cookies?",
    r"(?:manage|cookie) (?:cookies|settings|preferences|consent)",
    r"(?:accept|reject) all",
    # teasers, ads, navigation
    r"most (?:popular|read|viewed|shared|commented|watched)(?: (?:stories|articles|now|today|this week|in \w+))?",
    r"read more(?:: .{0,160}| about (?:this|these|that) .{0,80})?",
    r"related(?: stories| articles| content| coverage| topics| links| reading)?(?:: .{0,160})?",
    r"more (?:on|about) this (?:story|topic)",
    r"(?:more|other|top) (?:stories|news) (?:from|on|in) .{0,40}",
    r"you (?:may|might) also (?:like|enjoy|be interested in)(?: .{0,30})?",
    r"recommended(?: for you| stories| reading| articles)?",
    r"(?:trending|popular) (?:now|stories|today)",
    r"advertisement|advert|sponsored(?: content)?|ad feedback",
    r"(?:story|article) continues (?:below|after) (?:the )?(?:advertisement|ad|this ad)",
    r"skip (?:advertisement|ad)",
    r"continue reading (?:below|the main story)",
    r"skip to (?:main )?(?:content|navigation)",
    r"back to top",
    r"all rights reserved",
    r"(?:©|copyright ©?) ?\d{4}.{0,100}",
    r"(?:click|tap) here(?: to .{0,60})?",
    r"listen to (?:this|the) (?:article|story)(?: .{0,30})?",
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) min(?:ute)?s? read",
]
_SENTENCE_RE = re.compile("(?:" + "|".join(f"(?:{p})" for p in _SENTENCE_PATTERNS) + ")", re.I | re.S)

# Headings that introduce a block of chrome (the list that follows goes too).
_SECTION_RE = re.compile(
    r"(?:most (?:popular|read|viewed|shared|commented)|read more|related(?: \w+)?|more on this story|"
    r"you (?:may|might) also like|recommended(?: for you)?|trending(?: now)?|more from .{0,40}|"
    r"sign up .{0,60}newsletter.{0,40}|join the conversation|top stories|latest (?:news|stories))",
    re.I,
)

_TRAILING = " \t\n.!?…:;,-–—|»›→>•·*\"'“”‘’()[]"
_BOUNDARY = re.compile(
    r"(?<=[.!?…])([\"'”’»)\]]*)[ \t\r\f\v\u00a0]+"
    r"|(?<=[a-z\d)][.!?])(?=[A-Z“‘\"][a-z])"
    r"|\s*\n\s*"
)
_LEAF_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "td", "th", "pre", "blockquote")
_BLOCKISH = frozenset(_LEAF_BLOCKS) | {"ul", "ol", "table", "figure", "tr", "thead", "tbody"}


def is_list_heading(text: str) -> bool:
    """A heading that introduces a list of chrome ("Most read", "Related stories")."""
    return _SECTION_RE.fullmatch(_clean_sentence(text)) is not None


def paragraph_key(paragraph: str) -> str:
    """Stable key of a paragraph (case, whitespace and punctuation insensitive)."""
    return hashlib.sha256(normalise_for_hash(paragraph).encode("utf-8")).hexdigest()[:32]


def _clean_sentence(sentence: str) -> str:
    sentence = sentence.replace("’", "'").replace("‘", "'")
    return " ".join(sentence.split()).strip(_TRAILING)


def is_boilerplate_sentence(sentence: str) -> bool:
    cleaned = _clean_sentence(sentence)
    return bool(cleaned) and _SENTENCE_RE.fullmatch(cleaned) is not None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; tolerant of a missing space ("today.The")."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.start() + len(match.group(1) or "")
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def keep_range(text: str, keep: frozenset[str] = frozenset()) -> tuple[int, int, list[str]]:
    """The part of ``text`` to keep after dropping chrome sentences at either end (never one whose
    ``paragraph_key`` is in ``keep``)."""
    spans = sentence_spans(text)
    head: list[str] = []
    tail: list[str] = []
    first, last = 0, len(spans) - 1

    def chrome(span: tuple[int, int]) -> bool:
        sentence = text[span[0] : span[1]]
        return is_boilerplate_sentence(sentence) and not (keep and paragraph_key(sentence) in keep)

    while first <= last and chrome(spans[first]):
        head.append(text[spans[first][0] : spans[first][1]])
        first += 1
    while last >= first and chrome(spans[last]):
        tail.append(text[spans[last][0] : spans[last][1]])
        last -= 1
    if first > last:
        return 0, 0, [" ".join(text.split())]
    removed = head + tail[::-1]
    return spans[first][0], spans[last][1], [" ".join(r.split()) for r in removed]


def _raw_text(element: etree._Element) -> str:
    parts: list[str] = []
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                parts.append("\n")
            elif isinstance(node.tag, str) and node.text:
                parts.append(node.text)
        elif node is not element and node.tail:
            parts.append(node.tail)
    return "".join(parts)


def _trim(element: etree._Element, start: int, end: int) -> None:
    """Keep only characters [start, end) of the element's raw text, dropping emptied inline elements."""
    position = 0

    def cut(value: str | None) -> str | None:
        nonlocal position
        if not value:
            return value
        lo, hi = position, position + len(value)
        position = hi
        kept = value[max(start, lo) - lo : max(min(end, hi) - lo, 0)] if hi > start and lo < end else ""
        return kept

    for event, node in etree.iterwalk(element, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                position += 1
            elif isinstance(node.tag, str):
                node.text = cut(node.text)
        elif node is not element:
            node.tail = cut(node.tail)
    for node in reversed(list(element.iterdescendants())):
        if node.tag not in ("img", "br") and not "".join(node.itertext()).strip() and node.find(".//img") is None:
            _remove(node)


def _remove(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail and node.tail.strip():
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def leaf_blocks(root: etree._Element) -> list[etree._Element]:
    blocks = []
    for element in root.iter(*_LEAF_BLOCKS):
        if not any(isinstance(d.tag, str) and d.tag in _BLOCKISH for d in element.iterdescendants()):
            blocks.append(element)
    return blocks


def remove_boilerplate(
    root: etree._Element, known: Iterable[str] = frozenset(), keep: Iterable[str] = frozenset()
) -> list[str]:
    """Drop chrome from the sanitized tree in place; return what was removed.

    ``keep``: paragraph keys a researcher restored; such a block, or sentence, is never dropped.
    """
    known_keys = frozenset(known)
    keep_keys = frozenset(keep)
    removed: list[str] = []
    for block in leaf_blocks(root):
        if block.getparent() is None:
            continue
        raw = _raw_text(block)
        flat = " ".join(raw.split())
        if not flat:
            continue
        key = paragraph_key(flat) if known_keys or keep_keys else ""
        if key in keep_keys:
            continue
        if key in known_keys:
            removed.append(flat)
            _remove(block)
            continue
        if block.tag in ("h2", "h3", "h4", "h5", "h6", "p") and is_list_heading(flat):
            following = block.getnext()
            if following is not None and following.tag in ("ul", "ol"):
                items = [" ".join(item.text_content().split()) for item in following.iter("li")]
                if not any(paragraph_key(item) in keep_keys for item in items if keep_keys):
                    removed.extend(items)
                    _remove(following)
        start, end, dropped = keep_range(raw, keep_keys)
        if not dropped:
            continue
        removed.extend(dropped)
        if start == end:
            _remove(block)
        else:
            _trim(block, start, end)
    _prune_empty(root)
    return [r for r in removed if r]


_KEEP_EMPTY = frozenset({"img", "br", "hr", "td", "th"})


def _prune_empty(root: etree._Element) -> None:
    """Remove elements without text or images, children before parents, in one pass."""
    has_content: set[etree._Element] = set()
    for node in reversed(list(root.iterdescendants())):
        if not isinstance(node.tag, str):
            continue
        if node.tag in _KEEP_EMPTY or (node.text and node.text.strip()) or any(child in has_content for child in node):
            has_content.add(node)
        elif node.tag != "img":
            _remove(node)
