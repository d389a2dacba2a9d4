"""The story in a paste: the best run of prose, its head, and what was left out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ..boilerplate import is_list_heading, paragraph_key
from .classes import FIGURE, chrome_kind, is_appeal, is_closing_bio, speaks_as_publisher, trim_line
from .head import byline_authors, is_date_line, looks_like_headline, read_head
from .lines import PROSE_WEIGHT, SENTENCE_END, Line, is_prose, split_lines, weight

_COMMENTS_SECTION = re.compile(
    r"(?:\d+ |top rated |latest |newest |oldest |all |reader |readers' |show |view |read all )?"
    r"(?:comments?|responses?|replies|discussion|conversation)(?: \(\d+\))?"
    r"|(?:leave|post|add|write) a (?:comment|reply|response)"
    r"|join the (?:conversation|discussion|debate)"
    r"|\d+ (?:responses?|comments?|replies|thoughts|reactions) (?:to|on) .{1,200}",
    re.I,
)
# A copyright notice ends a story (and its page's footer begins).
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}|.{0,80}\b(?:19|20)\d{2}\b).{0,160}|.{0,160}\ball rights reserved\b.{0,80}",
    re.I,
)
_COMMENT_HEADER = re.compile(
    r".{1,80}\b(?:on|at) .{4,60}\b(?:said|says|wrote|writes):?$|\S{1,40} (?:said|says|wrote|writes):$", re.I
)
# Headings of what a site recommends after a story, in the languages of our sources.
_AFTER_STORY = re.compile(
    r"you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|recommended(?: for you| stories| articles)?|"
    r"(?:more|other|related|similar|latest|top) (?:stories|articles|posts|news|reads)|what to read next|read next|"
    r"(?:most|more) (?:popular|read|viewed|shared|commented)(?: \w+)?|trending(?: now| stories)?|"
    r"você (?:pode|também pode) gostar|veja também|leia também|mais lidas|te puede interesar|lee también|"
    r"(?:vous aimerez|à lire) aussi|lire aussi|das könnte sie auch interessieren|lesen sie auch|auch interessant|"
    r"leggi anche|potrebbe interessarti|ti potrebbe interessare"
    r"|more(?: from| on| in)? (?:the )?(?-i:[A-Z])[\w.'’&-]*(?: (?-i:[A-Z])[\w.'’&-]*){0,3}",
    re.I,
)
MOST_OF_THE_STORY = 0.6
LIST_HEADING_WORDS = 6
REPEAT_DISTANCE = 12
# Teaser lists: at least this many lone summary lines, at most this many lines apart.
TEASER_SERIES = 3
TEASER_SPACING = 3
TEASER_SUMMARY_WORDS = 45
TEASER_SUMMARY_MIN_WORDS = 6  # shorter sentences between short lines are a list of items, not summaries
# What a line that is not prose costs the run it is in: menus are long runs of short lines.
CHROME_COST = -8.0
SHORT_COST = -1.0
GAP_GROWTH = 1.0
# What a story's first paragraph, just below its byline or date, weighs beyond its words.
HEAD_BONUS = 30.0


@dataclass
class PastedText:
    """The story found in a paste: body paragraphs (``headings``: indexes of subheadings) and metadata."""

    paragraphs: list[str] = field(default_factory=list)
    headings: set[int] = field(default_factory=set)
    title: str = ""
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    site_name: str = ""
    removed: list[str] = field(default_factory=list)


def classify(lines: list[Line], keep: frozenset[str]) -> None:
    repeated = _repeated_nearby(lines)
    for index, line in enumerate(lines):
        line.weight = weight(line.text)
        kept = bool(keep) and paragraph_key(line.text) in keep
        kind = "" if kept else chrome_kind(line.text, index in repeated)
        line.chrome, line.figure = bool(kind), kind == FIGURE
        if not line.chrome and not kept:
            text, trimmed = trim_line(line.text)
            line.trimmed = list(trimmed)
            if line.trimmed and not any(paragraph_key(part) in keep for part in line.trimmed):
                line.text, line.weight = text, weight(text)
            else:
                line.trimmed = []
        line.appeal = line.chrome and is_appeal(line.text)
    _spread_appeals(lines, keep)
    for line in lines:
        line.prose = not line.chrome and is_prose(line)
    _demote_teaser_summaries(lines)


def _demote_teaser_summaries(lines: list[Line]) -> None:
    """Lists of other stories alternate a headline and one line of summary (and often a time):
    three or more prose lines each standing alone below a short line that is not chrome (a headline;
    a story's paragraphs stand between captions and credits) are a list, not the story."""
    alone = [
        index
        for index, line in enumerate(lines)
        if line.prose
        and TEASER_SUMMARY_MIN_WORDS <= line.weight < TEASER_SUMMARY_WORDS
        and (index == 0 or not (lines[index - 1].prose or lines[index - 1].chrome))
        and (index + 1 == len(lines) or not lines[index + 1].prose)
    ]
    series: list[int] = []
    for index in [*alone, len(lines) + TEASER_SPACING + 1]:
        if series and index - series[-1] > TEASER_SPACING + 1:
            if len(series) >= TEASER_SERIES:
                for member in series:
                    lines[member].prose = False
            series = []
        series.append(index)


def _spread_appeals(lines: list[Line], keep: frozenset[str]) -> None:
    """An appeal is a run of paragraphs: its neighbours speaking as the publisher ("We have a small
    favour to ask.") go with it."""
    for order in (lines, lines[::-1]):
        previous: Line | None = None
        for line in order:
            joins = previous is not None and previous.appeal and not line.chrome and line.weight <= 40
            if joins and speaks_as_publisher(line.text):
                line.appeal = line.chrome = not (keep and paragraph_key(line.text) in keep)
            previous = line


def _repeated_nearby(lines: list[Line]) -> set[int]:
    """Lines that occur again within a few lines: a gallery repeating its captions and credits (an
    interview asking each guest the same question repeats it far apart)."""
    last_seen: dict[str, int] = {}
    repeated: set[int] = set()
    for index, line in enumerate(lines):
        key = line.text.casefold()
        previous = last_seen.get(key)
        if previous is not None and index - previous <= REPEAT_DISTANCE:
            repeated.update((previous, index))
        last_seen[key] = index
    return repeated


def story_run(lines: list[Line]) -> tuple[int, int]:
    """[start, end) of the best run of prose: the maximum-sum segment of the lines' scores.

    A line that is not prose costs more the longer the gap it is in: a caption or a subheading
    between paragraphs costs little, the menus, link lists and footers between a story and the
    prose around it (an about-us text, comments) cost the run more than that prose brings.
    """
    best, best_start, best_end = 0.0, 0, 0
    total, start, gap = 0.0, 0, 0
    headed = _first_prose_after_a_head(lines)
    for index, line in enumerate(lines):
        if line.prose:
            score, gap = float(line.weight) + (HEAD_BONUS if index in headed else 0.0), 0
        elif line.cells >= 2:  # a table row
            score, gap = line.weight / 2, 0
        elif line.appeal:  # put inside stories: what follows them is the story still
            score = SHORT_COST
        elif line.figure:  # a photo's lines cost a little, but a long gap after them is still a gap
            gap += 1
            score = SHORT_COST
        else:
            gap += 1
            base = CHROME_COST if line.chrome else SHORT_COST if line.weight <= 3 else SHORT_COST / 2
            score = base * (1 + GAP_GROWTH * (gap - 1))
        if total <= 0:
            total, start = 0.0, index
        total += score
        if total > best:
            best, best_start, best_end = total, start, index + 1
    return best_start, best_end


def _first_prose_after_a_head(lines: list[Line]) -> set[int]:
    """The prose lines just below a byline or a date line, with more prose after them: where a story
    begins. A list of other stories has bylines and dates too, but a headline or one line of summary
    below them."""
    headed = set()
    for index, line in enumerate(lines):
        if line.weight <= 14 and (byline_authors(line.text) or is_date_line(line.text)):
            below = [i for i in range(index + 1, min(index + 5, len(lines))) if not lines[i].chrome][:2]
            if len(below) == 2 and lines[below[0]].prose and lines[below[1]].prose:
                headed.add(below[0])
    return headed


def comments_start(lines: list[Line], start: int, end: int) -> int:
    """Where the story ends inside the run: a comment section (its heading, or the first
    "X on <date> said:"), a copyright notice, or a heading of recommendations once most of the
    run's prose is above it (such a box can also sit inside a story)."""
    seen_prose = False
    total = sum(line.weight for line in lines[start:end] if line.prose)
    above = 0
    for index in range(start, end):
        heading = lines[index].weight <= LIST_HEADING_WORDS and _AFTER_STORY.fullmatch(
            lines[index].text.strip(" :.…»›")
        )
        if heading and above >= MOST_OF_THE_STORY * total:
            return index
        if lines[index].prose:
            above += lines[index].weight
        text = lines[index].text.strip(" :[]()")
        if seen_prose and lines[index].weight <= 30 and _COMMENTS_SECTION.fullmatch(text):
            return index
        if seen_prose and lines[index].weight <= 16 and _COMMENT_HEADER.fullmatch(text):
            return index
        if seen_prose and lines[index].weight <= 30 and _COPYRIGHT_RE.fullmatch(text):
            return index
        seen_prose = seen_prose or lines[index].prose
    return end


def find_story(text: str, *, keep: frozenset[str] = frozenset()) -> PastedText:
    """The story in text copied from a browser; see the module docstring."""
    lines = split_lines(text)
    classify(lines, keep)
    start, end = story_run(lines)
    if start == end:  # no prose at all: a note, a list, a quote; keep every line that is not chrome
        start, end = 0, len(lines)
    end = comments_start(lines, start, end)
    head = read_head(lines, start, end)
    result = PastedText(
        title=head.title,
        standfirst=head.standfirst,
        authors=head.authors,
        published=head.published,
        site_name=head.site_name,
    )
    metadata = {head.title, head.standfirst}
    in_list = False  # below a heading such as "Most read" inside the story: its list goes with it
    for index, line in enumerate(lines):
        in_body = head.body_start <= index < end and start <= index
        if in_body and is_list_heading(line.text) and line.weight <= LIST_HEADING_WORDS:
            in_list = True
        elif in_list and line.weight < PROSE_WEIGHT and not SENTENCE_END.search(line.text):
            pass
        else:
            in_list = False
        if in_body and not line.chrome and not in_list:
            result.removed += line.trimmed
            if not line.prose and looks_like_headline(line) and _is_subheading(lines, index, end):
                result.headings.add(len(result.paragraphs))
            result.paragraphs.append(line.text)
        elif line.text not in metadata:
            result.removed.append(line.text)
    while result.paragraphs and is_closing_bio(result.paragraphs[-1]):
        result.removed.append(result.paragraphs.pop())
    return result


def _is_subheading(lines: list[Line], index: int, end: int) -> bool:
    following = lines[index + 1] if index + 1 < end else None
    return following is not None and following.prose and line_is_heading_case(lines[index].text)


def line_is_heading_case(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit() or not text[:1].isalpha()
