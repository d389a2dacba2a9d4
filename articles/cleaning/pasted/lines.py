"""A paste's lines: split, unwrapped when hard-wrapped, and weighed."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

# Characters a clipboard carries that are no text: zero-width spaces and joiners, BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_FULL_STOP = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
SENTENCE_END = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*$|[\"”’»]$")
PROSE_WEIGHT = 12
# A line this long is prose however it ends; a shorter one must end as a sentence (headlines do not).
LONG_PROSE_WEIGHT = 25


@dataclass
class Line:
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
    cjk = len(CJK.findall(line))
    return len(line.split()) + cjk // 2


def split_lines(text: str) -> list[Line]:
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
        lines.append(Line(" ".join(line.split()), blank, cells))
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
    full = [line for line in inner if len(line) >= 0.7 * width and not SENTENCE_END.search(line)]
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


def is_prose(line: Line) -> bool:
    if line.weight >= LONG_PROSE_WEIGHT:
        return True
    if line.weight >= PROSE_WEIGHT:
        return bool(SENTENCE_END.search(line.text))
    return line.weight >= 3 and bool(_FULL_STOP.search(line.text))
