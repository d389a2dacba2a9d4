"""Decide what kind of document some uploaded bytes are.

Magic bytes win over the file name and the declared content type: a binary file
named ``story.html`` is refused, a PDF named ``story.txt`` is read as a PDF.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile

from .errors import CleaningError

HTML = "html"
TEXT = "text"
MARKDOWN = "markdown"
PDF = "pdf"
DOCX = "docx"

_SNIFF = 8192

# (magic prefix, message) for binary formats we recognise but cannot read.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (
        b"\x1f\x8b",
        "This file is gzip-compressed; decompress it and upload the document inside.",
    ),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "This is an old-style Word (.doc) or Office file; save it as .docx or PDF and upload that.",
    ),
    (b"{\\rtf", "This is an RTF file; save it as .docx, PDF or plain text and upload that."),
    (b"\x89PNG", "This is a PNG image, not an article; upload the article's text, HTML, PDF or Word file."),
    (b"\xff\xd8\xff", "This is a JPEG image, not an article; upload the article's text, HTML, PDF or Word file."),
    (b"GIF8", "This is a GIF image, not an article; upload the article's text, HTML, PDF or Word file."),
    (b"Rar!", "This is a RAR archive; extract the document and upload it on its own."),
    (b"7z\xbc\xaf\x27\x1c", "This is a 7-Zip archive; extract the document and upload it on its own."),
    (b"BZh", "This file is bzip2-compressed; decompress it and upload the document inside."),
    (b"\xfd7zXZ\x00", "This file is xz-compressed; decompress it and upload the document inside."),
)

_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")

_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|article|section|main|span|a|h[1-6]|ul|ol|li|table|blockquote|figure|img|meta|title|em|strong|b|i)(?=[\s>/])",
    re.I,
)
_MD_EXTS = {".md", ".markdown", ".mdown", ".mkd"}
_HTML_EXTS = {".html", ".htm", ".xhtml", ".shtml"}


def sniff_binary(data: bytes, filename: str = "", content_type: str = "") -> str | None:
    """Return PDF or DOCX for those formats, None for (probably) text.

    Raises CleaningError for empty files and binary formats we cannot read.
    """
    if not data or not data.strip():
        raise CleaningError("The file is empty; there is no article text to clean.")
    head = data[:_SNIFF]
    if b"%PDF-" in data[:1024]:
        return PDF
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data)
    for magic, message in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise CleaningError(message)
    if head.startswith(_UTF16_32_BOMS):
        return None
    if _looks_binary(head):
        raise CleaningError(
            "This file looks like binary data rather than text, HTML, PDF or a Word document, so it cannot be read."
        )
    return None


# Control bytes that text never holds (tab, newlines, form feed and escape are text).
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in (9, 10, 12, 13, 27))


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
    return controls > max(2, len(head) // 100)


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CleaningError("This ZIP/Word file is damaged and cannot be opened.") from exc
    if "word/document.xml" in names:
        return DOCX
    if any(name.startswith(("xl/", "ppt/")) for name in names):
        raise CleaningError(
            "This is an Excel or PowerPoint file; only Word (.docx), PDF, HTML and text documents can be cleaned."
        )
    if "mimetype" in names or "content.xml" in names:
        raise CleaningError("This is an OpenDocument file; save it as .docx or PDF and upload that.")
    raise CleaningError(
        "This is a ZIP archive, not a Word (.docx) document; extract the article and upload it on its own."
    )


def classify_text(text: str, filename: str = "", content_type: str = "") -> str:
    """Decide between HTML, Markdown and plain text for decoded text."""
    ext = os.path.splitext(filename.lower())[1]
    ctype = content_type.lower().split(";")[0].strip()
    head = text[:_SNIFF]
    if _HTML_START.match(head):
        return HTML
    looks_tagged = len(_HTML_TAG.findall(head)) >= 2
    if ctype in ("text/html", "application/xhtml+xml") or ext in _HTML_EXTS:
        return HTML if looks_tagged or "<" in head else TEXT
    if ctype in ("text/markdown", "text/x-markdown") or ext in _MD_EXTS:
        return MARKDOWN
    if looks_tagged and len(_HTML_TAG.findall(head)) >= 3:
        return HTML
    return TEXT


def looks_like_html(text: str) -> bool:
    """True for pasted content that is HTML markup rather than plain text."""
    head = text[:_SNIFF]
    sample = head if len(text) <= 2 * _SNIFF else head + "\n" + text[-_SNIFF:]
    return bool(_HTML_START.match(head)) or len(_HTML_TAG.findall(sample)) >= 2


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]+")


def title_from_filename(filename: str) -> str:
    """A readable title from an uploaded file's name, stripped of any path and controls."""
    name = unicodedata.normalize("NFC", filename or "")
    name = re.split(r"[\\/]", name)[-1]
    stem = os.path.splitext(name)[0] if "." in name.lstrip(".") else name
    stem = _UNSAFE_NAME.sub(" ", stem)
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
    stem = stem.replace("_", " ").replace("..", " ").strip(" .-")
    return re.sub(r"\s+", " ", stem)[:200]
