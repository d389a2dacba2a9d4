"""Text copied out of a browser: the story's paragraphs, its headline lines, and the chrome dropped.

A browser's clipboard holds a page as plain text with one line per block (``innerText``): the
headline, the standfirst, the byline and the date are lines of their own, and so is every menu
item, caption, teaser, share button and appeal. Lines are never joined into one paragraph
unless the text is hard-wrapped (fixed-width e-mail text), and each line is classified:

- chrome, by the class of line many publishers share (controls such as "Share" or "Image 1 of 8",
  teasers such as "Read more: …", photo credits, reporting credits, contact lines, donation
  appeals speaking as "we" to "you", lines repeated as a gallery repeats its captions);
- prose (long enough, or a sentence) or short (headings, list items, names).

The story is the best run of prose (a maximum-sum segment: prose lines weigh their words, other
lines cost a little, chrome costs more), so a whole copied page loses its menus, footers and
lists of other headlines. The lines just above and at the top of the run are read as the
headline, standfirst, byline and date. Precision over recall: a story sentence that mentions a
newsletter or a donation is prose, and only lines of a chrome *class* go. Every removed line is
returned, so that the researcher can see and restore it (a restored line's key is in ``keep``).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from .boilerplate import is_boilerplate_sentence, is_list_heading, paragraph_key, sentence_spans
from .extract import split_authors

# Characters a clipboard carries that are no text: zero-width spaces and joiners, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_FULL_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$|[\"”’»]$")

# Short controls of a page's interface: a line that is nothing else.
_CONTROL_RE = re.compile(
    r"(?:menu|search|close|open|caption|home|log ?in|log ?out|sign ?in|sign ?out|sign ?up|subscribe(?: now)?|"
    r"register|account|my account|share(?: this)?|print|e-?mail|comments?|more|next|previous|prev|back|"
    r"skip|toggle navigation|navigation|back to gallery|expand|collapse|show more|show less|load more|"
    r"see all|view all|play|pause|mute|unmute|watch|listen|video|photos?|gallery|get short url|"
    r"(?:previous|next) (?:post|article|story|page|image|slide)|image \d+(?: of /?\s*\d+)?|"
    r"\d+ ?/ ?\d+|\d+ of \d+|[«»‹›<>←→|•·]+.{0,20}|.{0,20}[«»‹›←→]|read the letter|support now|"
    r"(?:support|donate to|subscribe to|follow) [\w.&'’ ]{1,30}|trends?:.{0,60}|tags?:.{0,100}|topics?:.{0,100}|"
    r"(?:filed|posted) (?:in|under):?.{0,100}|permalink|reply|report|like|tweet|pin it|whatsapp|"
    r"(?:updated )?\d+ ?(?:s|m|h|d|w|secs?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\.? ago)",
    re.I,
)
# A photo gallery's own controls, which sit inside stories.
_GALLERY_RE = re.compile(
    r"(?:image|photo|picture|slide) \d+(?: of /?\s*\d+)?|\d+ ?/ ?\d+|\d+ of \d+|back to gallery|caption|close|"
    r"expand|enlarge|(?:previous|next) (?:image|photo|slide)|view (?:gallery|slideshow)|photos?|gallery|\d+of\d+",
    re.I,
)
# "Read more: <headline>", "Related: …", "Also on example.com …", "SEE MORE: …", "[Related: …]".
_TEASER_RE = re.compile(
    r"[\[(]?(?:read more|read next|read also|also read|see more|see also|more|related|also|watch|listen|"
    r"recommended|trending|most read|popular|up next|further reading|don'?t miss|must read|"
    r"also on [\w.-]+|on [\w-]+\.(?:com|co\.uk|org|net|org\.uk)|more (?:from|on) [\w.' -]{1,40})"
    r"(?: (?:post|posts|article|articles|story|stories|coverage|content|video|link|links|reading))?"
    r" ?[:|»›→>\-–—]+ ?\S.{0,200}",
    re.I,
)
# Photo and image credits, and the caption lines that carry them.
_CREDIT_RE = re.compile(
    r"(?:^(?:(?:file )?photo|image|picture|pic|credit|photograph|illustration|caption)s?(?: credit)?\s*[:|]\s*\S"
    r"|^(?:image|media) caption\b|^©"
    r"|\((?:(?:ap|afp|reuters|getty|pa|epa)\b[^)]{0,40}|(?:photo|image|picture|pic|credit|illustration)s?\b"
    r"[^)]{0,80})\)\s*$"
    r"|(?:\b|(?<=[a-z]))(?:photo|image|picture|credit|illustration)s?(?: credit)?: [^.]{1,60}$"
    r"|\b(?:reuters|ap|afp|epa|getty images|shutterstock|alamy)/[\w .-]{2,60}$"
    r"|©\s*\S.{0,60}$|\bphoto(?:graph)? by [\w.' -]{2,60}(?:/[\w .-]{2,40})?\)?$)",
    re.I,
)
# "Reporting by …; Editing by …", "Keith Bradsher contributed reporting from Hong Kong."
_CREDITS_LINE_RE = re.compile(
    r"\(?(?:(?:additional )?reporting|writing|editing|edited|compiled|produced|graphics?|research) by\b.{0,300}"
    r"|.{3,300}\bcontributed (?:reporting|research|to this (?:report|story|article))\b.{0,80}"
    r"|our standards:.{0,80}",
    re.I,
)
# Prompts to comment, whether or not comments follow.
_COMMENT_PROMPT_RE = re.compile(
    r"join (?:our|the) (?:commenting |comment )?(?:forum|conversation|discussion|debate)\b.{0,80}"
    r"|what do you think\?.{0,80}|have your say\b.{0,80}|(?:tell|let) us (?:what you think|know)\b.{0,80}",
    re.I,
)
# A way to reach the author or the newsroom, or an address on its own.
_CONTACT_RE = re.compile(
    r"(?:have|got) a (?:news )?tip\b.{0,200}|(?:do you have a story|got a story) (?:for us|to share)\b.{0,200}"
    r"|(?:contact|email|e-mail|write to) (?:the (?:author|writer|reporter)|us|him|her|them)\b.{0,120}"
    r"|(?:follow|find) (?:him|her|them|me|us) on .{0,120}"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.|twitter\.com/|x\.com/|instagram\.com/)\S+|@\w{2,30}",
    re.I,
)
# A list's heading with its items flattened into the same line: "Trending News Man arrested after…".
_LIST_HEADING_RE = re.compile(
    r"(?:more|other|top|trending|related|latest|recommended|popular|most read)(?: great| top)?(?: [A-Z]\w+)?"
    r" (?:stories|articles|news|videos|posts|reads|links)\b(?: from [\w.-]+)?:? .{3,}[^.!?…\"”’]",
    re.I,
)
# Subscription and sign-up calls, whoever they address: "Need more space? Subscribe to our sister title…"
_CALL_RE = re.compile(
    r"(?:click (?:here )?to |please )?(?:subscribe|sign up|register)\b.{0,160}|get [\w\s]{1,60} delivered\b.{0,160}",
    re.I,
)
# The author's biography closing a story: "Jane Doe is a reporter for …".
_BIO_RE = re.compile(
    r"[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){1,3}(?: \([^)]{1,80}\))?(?:'s book\b| (?:is|was|has been) (?:a|an|the|[A-Z]\w+'s)\b)"
    r".{0,200}?\b(?:reporter|writer|editor|correspondent|journalist|columnist|contributor|author|curator|publisher|"
    r"producer|critic|book)\b.{0,300}"
)
# A site's name as its own line above the story: "Snopes.com", "theguardian.com".
_SITE_LINE = re.compile(r"(?:[A-Za-z0-9-]+\.)+(?:com|org|net|news|co\.uk|org\.uk|com\.au|co\.nz|ca|ie|in|de|fr|es|it)")
# Terms of use, registration small print and trademark notices.
_LEGAL_RE = re.compile(
    r"\b(?:use of this (?:site|website|service)|by (?:registering|signing up|using this (?:site|website|service)))"
    r"\b.{0,120}\b(?:terms|agreement|policy|policies|accept)|\bare (?:registered )?trademarks of\b"
    r"|\ball rights reserved\b|\bmay (?:not )?be (?:reproduced|republished|redistributed)\b",
    re.I,
)
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")
# A donation or membership appeal speaks as the publisher ("we", "our") to the reader ("you").
_APPEAL_TERMS = re.compile(
    r"\b(?:support(?:ing|ers?)?|donat\w*|contribut\w*|subscri\w*|membership|members?|patrons?|fund(?:ing|ed)?|"
    r"paywall|free to read|journalism|reader-funded|chip in)\b",
    re.I,
)
_YOU = re.compile(r"\byou(?:r|rs|'re|’re)?\b", re.I)
_WE = re.compile(r"\b(?:we|our|us|we're|we’re|we've|we’ve)\b", re.I)
_ATTRIBUTED = re.compile(r"[\"“”].{0,300}\b(?:said|says|told|added|wrote|asked|explained)\b", re.I)
_COMMENTS_SECTION = re.compile(
    r"(?:\d+ |top rated |latest |newest |oldest |all |reader |readers' |show |view |read all )?"
    r"(?:comments?|responses?|replies|discussion|conversation)(?: \(\d+\))?"
    r"|(?:leave|post|add|write) a (?:comment|reply|response)"
    r"|join the (?:conversation|discussion|debate)",
    re.I,
)
# A copyright notice ends a story (and its page's footer begins).
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}|.{0,80}\b(?:19|20)\d{2}\b).{0,160}|.{0,160}\ball rights reserved\b.{0,80}",
    re.I,
)
_COMMENT_HEADER = re.compile(r".{1,80}\b(?:on|at) .{4,60}\b(?:said|says|wrote|writes):?$", re.I)
_BYLINE = re.compile(
    r"(?:by|written by|words by|story by|reported by|von|par|por|di|door)[:\s]+"
    r"(\w[\w.'’ -]{1,60}(?:(?:,| and| &| y| und| et)\s+\w[\w.'’ -]{1,60}){0,4})",
    re.I,
)
_DATE_HINT = re.compile(r"\b(?:1[89]|20)\d{2}\b|\b\d{1,2}:\d{2}\b|\b(?:hours?|minutes?|days?) ago\b", re.I)
_DATE_PREFIX = re.compile(
    r"^(?:(?:published|updated|posted|last updated|first published|modified|date)(?: on| at)?[:\s]*)+", re.I
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_FORMS = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>(?:19|20)\d{{2}})\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
)
# A date line holds little else: a weekday, a time, a zone, "Updated".
_DATE_LINE_MAX_WORDS = 14
PROSE_WEIGHT = 12
REPEATED_CAPTION_WORDS = 8
FIGURE = "figure"
CHROME = "chrome"
REPEAT_DISTANCE = 12
# Teaser lists: at least this many lone summary lines, at most this many lines apart.
TEASER_SERIES = 3
TEASER_SPACING = 3
TEASER_SUMMARY_WORDS = 45
# What a line that is not prose costs the run it is in: menus are long runs of short lines.
CHROME_COST = -8.0
SHORT_COST = -1.0
GAP_GROWTH = 1.0
HEADLINE_MAX_WORDS = 30
STANDFIRST_MAX_WORDS = 80
_HEAD_LOOKBACK = 12


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


@dataclass
class _Line:
    text: str
    blank_before: bool
    cells: int = 1
    weight: int = 0
    chrome: bool = False
    prose: bool = False
    trimmed: list[str] = field(default_factory=list)
    appeal: bool = False
    figure: bool = False


def weight(line: str) -> int:
    """Words, with each two CJK characters counted as one (those scripts put no spaces between words)."""
    cjk = len(_CJK.findall(line))
    return len(line.split()) + cjk // 2


def split_lines(text: str) -> list[_Line]:
    """Non-blank lines, each remembering whether a blank line came before it; hard-wrapped text joined."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))
    raw = [line.strip() for line in text.split("\n")]
    if is_hard_wrapped(raw):
        raw = _unwrap(raw)
    lines, blank = [], False
    for line in raw:
        if not line:
            blank = True
            continue
        cells = len([cell for cell in line.split("\t") if cell.strip()])
        lines.append(_Line(" ".join(line.split()), blank, cells))
        blank = False
    return lines


def is_hard_wrapped(lines: list[str]) -> bool:
    """Fixed-width text: most lines of its multi-line paragraphs are of like length and end mid-sentence."""
    inner = [" ".join(a.split()) for a, b in itertools.pairwise(lines) if a and b]
    if len(inner) < 4:
        return False
    lengths = sorted(len(line) for line in inner)
    width = lengths[len(lengths) * 9 // 10]
    if not 40 <= width <= 100:
        return False
    full = [line for line in inner if len(line) >= 0.7 * width and not _SENTENCE_END.search(line)]
    return len(full) >= 0.6 * len(inner)


def _unwrap(lines: list[str]) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(" ".join(line.split()))
        elif current:
            paragraphs += [" ".join(current), ""]
            current = []
    return paragraphs


def line_is_chrome(line: str, seen_twice: bool = False) -> bool:
    """A line of a class of publisher chrome (see the module docstring)."""
    return bool(chrome_kind(line, seen_twice))


def chrome_kind(line: str, seen_twice: bool = False) -> str:
    """``FIGURE`` for what belongs to a photo inside a story (captions repeated by a gallery, credits,
    its controls), ``CHROME`` for the rest of the publisher's chrome, "" for the story's own lines."""
    words = weight(line)
    if seen_twice and words >= REPEATED_CAPTION_WORDS:  # a gallery repeats its captions; lists repeat short items
        return FIGURE
    if words <= 8 and _GALLERY_RE.fullmatch(line.strip(" .!:|")):
        return FIGURE
    if words <= 40 and _CREDIT_RE.search(line):
        return FIGURE
    return CHROME if _is_other_chrome(line, words) else ""


def _is_other_chrome(line: str, words: int) -> bool:
    if (words >= 15 and is_link_list(line)) or _LIST_HEADING_RE.fullmatch(line):
        return True
    if _LEGAL_RE.search(line) or len(_URL.findall(line)) >= 2:
        return True
    if words <= 8 and _CONTROL_RE.fullmatch(line.strip(" .!:|")):
        return True
    if words <= 40 and (_TEASER_RE.fullmatch(line) or _CREDITS_LINE_RE.fullmatch(line)):
        return True
    if words <= 30 and (_CONTACT_RE.fullmatch(line.strip(" .")) or _COMMENT_PROMPT_RE.fullmatch(line)):
        return True
    return not trim_line(line)[0]


def _chrome_sentence(sentence: str) -> bool:
    return is_boilerplate_sentence(sentence) or is_appeal(sentence) or bool(_CALL_RE.fullmatch(sentence.strip()))


def trim_line(line: str) -> tuple[str, list[str]]:
    """The line without the chrome sentences at its start and end (an appeal glued to the story's
    first sentence: "…makes all the difference.The number of…"), and those sentences."""
    spans = sentence_spans(line)
    first, last = 0, len(spans) - 1
    while first <= last and _chrome_sentence(line[spans[first][0] : spans[first][1]]):
        first += 1
    while last >= first and _chrome_sentence(line[spans[last][0] : spans[last][1]]):
        last -= 1
    if first > last:
        return "", [line]
    removed = [line[a:b].strip() for a, b in spans[:first] + spans[last + 1 :]]
    return line[spans[first][0] : spans[last][1]].strip(), removed


def is_link_list(line: str) -> bool:
    """Menus, lists of headlines and tag clouds flattened into one line: capitalised words and
    hardly a full stop, or no punctuation at all."""
    words = [word for word in line.split() if word[:1].isalpha()]
    if len(words) < 15 or _CJK.search(line):
        return False
    if len(words) >= 20 and not re.search(r"[.,;:!?]", line):
        return True
    capitalised = sum(word[:1].isupper() for word in words)
    stops = len(re.findall(r"[.!?](?:\s|$)", line))
    return capitalised >= 0.6 * len(words) and stops <= len(words) / 40


def is_appeal(line: str) -> bool:
    """A donation, membership or subscription appeal: the publisher ("we") asking the reader ("you")."""
    if not (_APPEAL_TERMS.search(line) and _YOU.search(line) and _WE.search(line)):
        return False
    return not _ATTRIBUTED.search(line)


def is_prose(line: _Line) -> bool:
    return line.weight >= PROSE_WEIGHT or (line.weight >= 3 and bool(_FULL_STOP.search(line.text)))


def classify(lines: list[_Line], keep: frozenset[str]) -> None:
    repeated = _repeated_nearby(lines)
    for index, line in enumerate(lines):
        line.weight = weight(line.text)
        kept = bool(keep) and paragraph_key(line.text) in keep
        kind = "" if kept else chrome_kind(line.text, index in repeated)
        line.chrome, line.figure = bool(kind), kind == FIGURE
        if not line.chrome and not kept:
            text, line.trimmed = trim_line(line.text)
            if line.trimmed and not any(paragraph_key(part) in keep for part in line.trimmed):
                line.text, line.weight = text, weight(text)
            else:
                line.trimmed = []
        line.appeal = line.chrome and is_appeal(line.text)
    _spread_appeals(lines, keep)
    for line in lines:
        line.prose = not line.chrome and is_prose(line)
    _demote_teaser_summaries(lines)


def _demote_teaser_summaries(lines: list[_Line]) -> None:
    """Lists of other stories alternate a headline and one line of summary (and often a time):
    three or more prose lines each standing alone between short lines are a list, not the story."""
    alone = [
        index
        for index, line in enumerate(lines)
        if line.prose
        and line.weight < TEASER_SUMMARY_WORDS
        and (index == 0 or not lines[index - 1].prose)
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


def _spread_appeals(lines: list[_Line], keep: frozenset[str]) -> None:
    """An appeal is a run of paragraphs: its neighbours speaking as the publisher ("We have a small
    favour to ask.") go with it."""
    for order in (lines, lines[::-1]):
        previous: _Line | None = None
        for line in order:
            joins = previous is not None and previous.appeal and not line.chrome and line.weight <= 40
            if joins and _WE.search(line.text) and not _ATTRIBUTED.search(line.text):
                line.appeal = line.chrome = not (keep and paragraph_key(line.text) in keep)
            previous = line


def _repeated_nearby(lines: list[_Line]) -> set[int]:
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


def story_run(lines: list[_Line]) -> tuple[int, int]:
    """[start, end) of the best run of prose: the maximum-sum segment of the lines' scores.

    A line that is not prose costs more the longer the gap it is in: a caption or a subheading
    between paragraphs costs little, the menus, link lists and footers between a story and the
    prose around it (an about-us text, comments) cost the run more than that prose brings.
    """
    best, best_start, best_end = 0.0, 0, 0
    total, start, gap = 0.0, 0, 0
    for index, line in enumerate(lines):
        if line.prose:
            score, gap = float(line.weight), 0
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


def comments_start(lines: list[_Line], start: int, end: int) -> int:
    """Where the story ends inside the run: a comment section (its heading, or the first
    "X on <date> said:") or a copyright notice."""
    seen_prose = False
    for index in range(start, end):
        text = lines[index].text.strip(" :[]()")
        if seen_prose and lines[index].weight <= 8 and _COMMENTS_SECTION.fullmatch(text):
            return index
        if seen_prose and lines[index].weight <= 16 and _COMMENT_HEADER.fullmatch(text):
            return index
        if seen_prose and lines[index].weight <= 30 and _COPYRIGHT_RE.fullmatch(text):
            return index
        seen_prose = seen_prose or lines[index].prose
    return end


def parse_date(line: str) -> date | None:
    """The date a short line names ("Nov. 19, 2019 8:03 am ET", "Published 20 November 2019")."""
    if weight(line) > _DATE_LINE_MAX_WORDS or not _DATE_HINT.search(line):
        return None
    text = _DATE_PREFIX.sub("", line.strip())
    for form in _DATE_FORMS:
        match = form.search(text)
        if match:
            return _date_of(match)
    return None


def _date_of(match: re.Match[str]) -> date | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."), 0)
    try:
        found = date(int(match.group("year")), number, int(match.group("day")))
    except ValueError:
        return None
    return found if date(1990, 1, 1) <= found <= datetime.now().date() else None


def is_date_line(line: str) -> bool:
    if parse_date(line) is None:
        return False
    # What is left once the date, times and their words are gone is at most a few words.
    rest = re.sub(r"\d+|[^\w\s]", " ", _DATE_PREFIX.sub("", line))
    rest = re.sub(
        r"\b(?:am|pm|et|bst|gmt|utc|est|edt|pt|pst|cet|ist|updated|published|on|at|ago)\b", " ", rest, flags=re.I
    )
    leftover = [word for word in rest.split() if word.lower().rstrip(".") not in _MONTHS]
    return len(leftover) <= 3


def byline_authors(line: str) -> list[str]:
    if weight(line) > 14:
        return []
    match = _BYLINE.fullmatch(line.strip(" .|"))
    if not match or not match.group(1)[:1].isupper():
        return []
    return split_authors(match.group(1))


def looks_like_headline(line: _Line) -> bool:
    return 2 <= line.weight <= HEADLINE_MAX_WORDS and not line.chrome and not line.text.endswith((".", ",", ";"))


@dataclass
class _Head:
    """What the lines at the top of the story say: metadata, and where the body begins."""

    body_start: int
    title: str = ""
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    site_name: str = ""


def read_head(lines: list[_Line], start: int, end: int) -> _Head:
    """Headline, standfirst, byline and date among the lines above and at the top of the run."""
    window_start = max(0, start - _HEAD_LOOKBACK)
    marks = {}  # index → "byline" | "date"
    head = _Head(start)
    for index in range(window_start, min(end, start + 8)):
        text = lines[index].text
        if not head.site_name and index < start and _SITE_LINE.fullmatch(text):
            head.site_name = text
            continue
        if text.startswith(("—", "–", "-")):  # "— Name (@handle) November 18, 2019": a quoted post's signature
            continue
        authors = byline_authors(text)
        if authors and not head.authors:
            head.authors, marks[index] = authors, "byline"
        elif head.published is None and is_date_line(text):
            head.published, marks[index] = parse_date(text), "date"
    # Inside the run only the first lines can be the head (a standfirst, then the byline or date).
    inside = [i for i in marks if start <= i < start + 4 and sum(line.prose for line in lines[start:i]) <= 1]
    marks = {i: kind for i, kind in marks.items() if i < start or i in inside}
    if inside:  # the run began above its byline or date: those lines and the ones before are the head
        head.body_start = max(inside) + 1
    first_mark = min(marks) if marks else head.body_start
    _find_title(lines, window_start, min(first_mark, head.body_start), head, marks)
    first = lines[head.body_start] if head.body_start < end - 1 else None
    if not head.title and first is not None and looks_like_headline(first) and not first.prose:
        head.title = first.text  # the selection began at the headline, and nothing above it was one
        head.body_start += 1
    return head


def _find_title(lines: list[_Line], window_start: int, limit: int, head: _Head, marks: dict[int, str]) -> None:
    """The headline is the last headline-like line before the byline/date (or the body), with at most
    one standfirst line between them; a standfirst needs a byline or date below it to be told apart
    from the first paragraph."""
    index = limit - 1
    while index >= window_start and (lines[index].chrome or index in marks):
        index -= 1
    if index < window_start:
        return
    candidate = lines[index]
    if looks_like_headline(candidate) and (index == 0 or not looks_like_headline(lines[index - 1]) or candidate.prose):
        head.title = candidate.text
        return
    if marks and candidate.weight <= STANDFIRST_MAX_WORDS and index - 1 >= window_start:
        above = lines[index - 1]
        if looks_like_headline(above) and not above.prose:
            head.title, head.standfirst = above.text, candidate.text
            return
    if looks_like_headline(candidate):
        head.title = candidate.text


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
    for index, line in enumerate(lines):
        in_body = head.body_start <= index < end and start <= index
        if in_body and not line.chrome:
            result.removed += line.trimmed
            if not line.prose and looks_like_headline(line) and _is_subheading(lines, index, end):
                result.headings.add(len(result.paragraphs))
            result.paragraphs.append(line.text)
        elif line.text not in metadata:
            result.removed.append(line.text)
    _drop_teaser_lists(result, lines)
    while result.paragraphs and _BIO_RE.fullmatch(result.paragraphs[-1]):
        result.removed.append(result.paragraphs.pop())
    return result


def _is_subheading(lines: list[_Line], index: int, end: int) -> bool:
    following = lines[index + 1] if index + 1 < end else None
    return following is not None and following.prose and line_is_heading_case(lines[index].text)


def line_is_heading_case(text: str) -> bool:
    return text[:1].isupper() or text[:1].isdigit() or not text[:1].isalpha()


def _drop_teaser_lists(result: PastedText, lines: list[_Line]) -> None:
    """A heading such as "Most read" or "Related stories" inside the story goes with the list below it."""
    kept: list[str] = []
    headings: set[int] = set()
    skipping = False
    for index, paragraph in enumerate(result.paragraphs):
        if is_list_heading(paragraph) and weight(paragraph) <= 6:
            skipping = True
            result.removed.append(paragraph)
            continue
        if skipping and weight(paragraph) < PROSE_WEIGHT and not _SENTENCE_END.search(paragraph):
            result.removed.append(paragraph)
            continue
        skipping = False
        if index in result.headings:
            headings.add(len(kept))
        kept.append(paragraph)
    result.paragraphs, result.headings = kept, headings


__all__ = ["PastedText", "find_story", "is_boilerplate_sentence"]
