"""Classes of lines publishers share: controls, teasers, credits, contact lines, small print,
appeals. A pattern describes a kind of line many sites print, never one site's wording."""

from __future__ import annotations

import re
from functools import lru_cache

from ..boilerplate import is_boilerplate_sentence, sentence_spans
from .lines import CJK, weight

# Short controls of a page's interface: a line that is nothing else.
_CONTROL_RE = re.compile(
    r"(?:menu|search|open|home|log ?in|log ?out|sign ?in|sign ?out|sign ?up|subscribe(?: now)?|"
    r"register|account|my account|share(?: this)?|print|e-?mail|comments?|more|next|previous|prev|back|"
    r"skip|toggle navigation|navigation|collapse|show more|show less|load more|"
    r"see all|view all|play|pause|mute|unmute|watch|listen|video|get short url|"
    r"(?:previous|next) (?:post|article|story|page)|"
    r"[«»‹›<>←→|•·]+.{0,20}|.{0,20}[«»‹›←→]|read the letter|support now|"
    r"(?:support|donate to|subscribe to|follow) [\w.&'’ ]{1,30}|trends?:.{0,60}|tags?:.{0,100}|topics?:.{0,100}|"
    r"(?:filed|posted) (?:in|under):?.{0,100}|permalink|reply|report|like|tweet|pin it|whatsapp|"
    r"(?:updated )?\d+ ?(?:s|m|h|d|w|secs?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?)\.? ago)",
    re.I,
)
# A headline in a list of the most read or commented, with its count: "Week 12 power rankings (133)".
_COUNTED_TEASER = re.compile(r".{5,160} \((?!(?:19|20)\d\d\))\d{1,5}\)")
# Where a headline ends and its summary begins with no space: "…SteakhouseA party of six…".
_GLUE = re.compile(r"[a-z.?!’'”][A-Z](?=[a-z]* )")
# Small words only a Title Case headline capitalises mid-line.
_TITLE_CASE_SMALL_WORDS = frozenset(
    {
        "Of",
        "In",
        "To",
        "For",
        "And",
        "At",
        "On",
        "With",
        "After",
        "From",
        "By",
        "Is",
        "Are",
        "As",
        "Over",
        "Into",
        "About",
    }
)
# Calls to click: "GET FOX BUSINESS ON THE GO BY CLICKING HERE".
_CLICK_HERE = re.compile(r"\b(?:click|clicking|tap|tapping) (?:here|this link|the link)\b", re.I)
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
REPEATED_CAPTION_WORDS = 8
FIGURE = "figure"
CHROME = "chrome"


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
    if (words <= 20 and _COUNTED_TEASER.fullmatch(line)) or is_glued_teaser(line):
        return True
    if words <= 15 and _CLICK_HERE.search(line):
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


@lru_cache(maxsize=256)  # asked twice per line: is it chrome, and what is left of it
def trim_line(line: str) -> tuple[str, tuple[str, ...]]:
    """The line without the chrome sentences at its start and end (an appeal glued to the story's
    first sentence: "…makes all the difference.The number of…"), and those sentences."""
    spans = sentence_spans(line)
    first, last = 0, len(spans) - 1
    while first <= last and _chrome_sentence(line[spans[first][0] : spans[first][1]]):
        first += 1
    while last >= first and _chrome_sentence(line[spans[last][0] : spans[last][1]]):
        last -= 1
    if first > last:
        return "", (line,)
    removed = tuple(line[a:b].strip() for a, b in spans[:first] + spans[last + 1 :])
    return line[spans[first][0] : spans[last][1]].strip(), removed


def is_link_list(line: str) -> bool:
    """Menus, lists of headlines and tag clouds flattened into one line: capitalised words and
    hardly a full stop, or no punctuation at all."""
    words = [word for word in line.split() if word[:1].isalpha()]
    if len(words) < 15 or CJK.search(line):
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


def is_glued_teaser(line: str) -> bool:
    """A headline in Title Case glued to its summary, as a list of other stories copies:
    "Customers Leave Without Paying $690 Bill At Troy SteakhouseA party of six left…"."""
    glue = _GLUE.search(line)
    if glue is None:
        return False
    words = line[: glue.start() + 1].split()
    capitalised = sum(word[:1].isupper() or word[:1].isdigit() for word in words)
    title_case = any(word in _TITLE_CASE_SMALL_WORDS for word in words[1:])
    return len(words) >= 4 and capitalised >= 0.8 * len(words) and title_case


def speaks_as_publisher(line: str) -> bool:
    """The publisher's "we", outside a quotation someone is said to have made."""
    return bool(_WE.search(line)) and not _ATTRIBUTED.search(line)


def is_closing_bio(line: str) -> bool:
    """The author's biography that closes a story: "Jane Doe is a reporter for …"."""
    return _BIO_RE.fullmatch(line) is not None
