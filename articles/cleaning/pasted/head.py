"""The lines at the top of a story: headline, standfirst, byline, date, site."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..extract import split_authors
from .lines import Line, weight

# A site's name as its own line above the story: "Snopes.com", "theguardian.com".
_SITE_LINE = re.compile(r"(?:[A-Za-z0-9-]+\.)+(?:com|org|net|news|co\.uk|org\.uk|com\.au|co\.nz|ca|ie|in|de|fr|es|it)")
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
_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\.?)(?: (?:[A-Z][\w'’.-]*|de|van|von|da|di|bin|al|le|la)){1,3}")
HEADLINE_MAX_WORDS = 30
STANDFIRST_MAX_WORDS = 80
_HEAD_LOOKBACK = 12


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


def looks_like_headline(line: Line) -> bool:
    return 2 <= line.weight <= HEADLINE_MAX_WORDS and not line.chrome and not line.text.endswith((".", ",", ";"))


@dataclass
class Head:
    """What the lines at the top of the story say: metadata, and where the body begins."""

    body_start: int
    title: str = ""
    standfirst: str = ""
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    site_name: str = ""


def read_head(lines: list[Line], start: int, end: int) -> Head:
    """Headline, standfirst, byline and date among the lines above and at the top of the run."""
    window_start = max(0, start - _HEAD_LOOKBACK)
    marks = {}  # index → "byline" | "date"
    head = Head(start)
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
    _bare_name_bylines(lines, window_start, head, marks)
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


def _bare_name_bylines(lines: list[Line], window_start: int, head: Head, marks: dict[int, str]) -> None:
    """A byline without "By": a name on its own line just above or below the date line."""
    dates = [index for index, kind in marks.items() if kind == "date"]
    if head.authors or not dates:
        return
    for index in (dates[0] - 1, dates[0] + 1):
        if index >= window_start and index < len(lines) and index not in marks and is_name(lines[index].text):
            head.authors, marks[index] = [lines[index].text], "byline"
            return


def is_name(text: str) -> bool:
    """A person's name and nothing else: two to four capitalised words."""
    return _NAME.fullmatch(text) is not None


def _find_title(lines: list[Line], window_start: int, limit: int, head: Head, marks: dict[int, str]) -> None:
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
