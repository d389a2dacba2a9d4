"""Bytes to text, without mojibake.

Order: byte-order mark; strict UTF-8 (valid multi-byte UTF-8 is almost never an
accident, so it beats a declared legacy charset that lies); the declared
charset (HTTP header, then ``<meta charset>``) if it decodes cleanly and the
result is plausible; Windows-1252 if plausible; then charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from .errors import CleaningError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# WHATWG: these labels mean windows-1252 in practice.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-sjis": "shift_jis",
}

_META_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]{1,40})", re.I)
# Typical UTF-8-read-as-1252 sequences: "â€™", "Ã©", "Â ".
_MOJIBAKE = re.compile(
    "[\u00c2\u00c3][\u0080-\u00bf\u2018-\u203a\u0152\u0153\u0160\u0161\u0178\u017d\u017e]|\u00e2\u20ac"
)


def charset_from_content_type(content_type: str) -> str:
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else ""


def declared_meta_charset(data: bytes) -> str:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else ""


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _plausible(text: str) -> bool:
    if not text:
        return True
    sample = text[:20000]
    bad = sum(
        1 for ch in sample if ("\x80" <= ch <= "\x9f") or ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\x1b")
    )
    if bad > len(sample) // 200:
        return False
    return len(_MOJIBAKE.findall(sample)) <= 1


def _latin_plausible(text: str) -> bool:
    """Windows-1252 output that reads like a Latin-script text, not e.g. Cyrillic bytes."""
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    if not letters:
        return True
    accented = sum(1 for ch in letters if ord(ch) > 127)
    return accented / len(letters) < 0.25 and _plausible(text)


def _try(data: bytes, codec: str | None) -> str | None:
    if not codec:
        return None
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str = "") -> str:
    """Decode uploaded bytes to NFC text; ``declared`` is e.g. the HTTP charset."""
    return unicodedata.normalize("NFC", _decode(data, declared)).replace("\x00", "")


def _decode(data: bytes, declared: str) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data[len(bom) :], codec)
            if text is None:
                text = data[len(bom) :].decode(codec, errors="replace")
            return text
    utf8 = _try(data, "utf-8")
    if utf8 is not None:
        return utf8
    for label in (declared, declared_meta_charset(data)):
        declared_codec = _codec(label) if label else None
        if declared_codec and declared_codec not in ("utf-8", "utf-16-le", "utf-16-be", "utf-16", "utf-32"):
            text = _try(data, declared_codec)
            if text is not None and _plausible(text):
                return text
    text = _try(data, "cp1252")
    if text is not None and _latin_plausible(text):
        return text
    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    text = data.decode("cp1252", errors="replace")
    if not text.strip():
        raise CleaningError("The file's text could not be decoded in any known character encoding.")
    return text
