"""DOCX, PDF and Markdown to (untrusted) HTML plus a guessed title (plain text: ``pasted``).

Everything produced here still goes through ``sanitize``: mammoth copies a
DOCX hyperlink target such as ``javascript:alert(1)`` straight into ``href``.
"""

from __future__ import annotations

import html as html_lib
import io
import itertools
import re
import zipfile
from collections import Counter

import mammoth
from markdown_it import MarkdownIt
from pdfminer.layout import LAParams, LTFigure, LTImage, LTTextBox
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.psexceptions import PSException

from .errors import CleaningError
from .sanitize import inner_html, parse_fragment

MAX_ZIP_MEMBERS = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_PDF_PAGES = 500
DOCX_MARKUP_PER_CHAR = 4
_TAG = re.compile(r"<[^>]*>")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_DAMAGED_DOCX = "This Word document is damaged or is not a valid .docx file, so it cannot be read."
_DAMAGED_PDF = "This PDF is damaged or is not a valid PDF, so it cannot be read."


# --- DOCX -----------------------------------------------------------------


def _checked_docx_parts(data: bytes, max_chars: int | None = None) -> bytes:
    """Validate the archive and return a new in-memory DOCX holding only its checked XML parts."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CleaningError(_DAMAGED_DOCX) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ZIP_MEMBERS:
            raise CleaningError("This Word document contains too many internal files to be a normal document.")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNCOMPRESSED:
            raise CleaningError("This Word document would unpack to more than 200 MB; it looks like a zip bomb.")
        for info in infos:
            # Markup takes more room than the text it wraps: past this, the text is over the limit
            # too, and mammoth would need minutes and gigabytes to find out.
            too_much_markup = max_chars is not None and info.file_size > DOCX_MARKUP_PER_CHAR * max_chars
            if too_much_markup and info.filename == "word/document.xml":
                raise too_long("Word document", max_chars or 0)
            if info.flag_bits & 0x1:
                raise CleaningError(
                    "This Word document is password-protected; remove the password and upload it again."
                )
            if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise CleaningError("This Word document is compressed suspiciously well; it looks like a zip bomb.")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                content = _read_member(archive, info)
                if _DTD.search(content.replace(b"\x00", b"")):
                    raise CleaningError(
                        "This Word document contains XML entity declarations, which are not allowed (possible entity bomb)."
                    )
                rebuilt.writestr(info.filename, content)
    return out.getvalue()


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                size += len(chunk)
                if size > info.file_size or size > MAX_UNCOMPRESSED:
                    raise CleaningError(
                        "This Word document unpacks to more than it declares; it looks like a zip bomb."
                    )
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        raise CleaningError(_DAMAGED_DOCX) from exc
    return b"".join(chunks)


def _no_image(image: object) -> dict[str, str]:
    return {}


def text_size(chars: int) -> str:
    """A character count as the size it is measured in for people: "10 MB", "2 KB"."""
    if chars >= 1024 * 1024:
        return f"{chars / (1024 * 1024):g} MB"
    return f"{chars / 1024:g} KB"


def too_long(what: str, max_chars: int) -> CleaningError:
    return CleaningError(
        f"This {what} holds more than {text_size(max_chars)} of text, the limit for a single article; "
        "upload the article on its own."
    )


def docx_to_html(data: bytes, *, max_chars: int | None = None) -> str:
    checked = _checked_docx_parts(data, max_chars)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(checked),
            convert_image=mammoth.images.img_element(_no_image),
            include_embedded_style_map=False,
            external_file_access=False,
        )
    except CleaningError:
        raise
    except Exception as exc:  # mammoth raises many kinds of errors on malformed documents
        raise CleaningError(_DAMAGED_DOCX) from exc
    html = str(result.value)
    if max_chars is not None and len(html) > max_chars and len(_TAG.sub("", html)) > max_chars:
        raise too_long("Word document", max_chars)
    return html


# --- PDF ------------------------------------------------------------------


def _box_text(box: LTTextBox) -> str:
    text = box.get_text()
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return " ".join(text.split())


def pdf_to_html(data: bytes, *, max_chars: int | None = None) -> str:
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFEncryptionError as exc:
        raise CleaningError("This PDF is password-protected; remove the password and upload it again.") from exc
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, EOFError) as exc:
        raise CleaningError(_DAMAGED_PDF) from exc
    try:
        pages = list(itertools.islice(PDFPage.create_pages(document), MAX_PDF_PAGES + 1))
    except Exception as exc:  # pdfminer surfaces corrupt page trees as assorted errors
        raise CleaningError(_DAMAGED_PDF) from exc
    if len(pages) > MAX_PDF_PAGES:
        raise CleaningError(
            f"This PDF has more than {MAX_PDF_PAGES} pages; split it and upload the article on its own."
        )
    if not pages:
        raise CleaningError(_DAMAGED_PDF)
    page_blocks, images = _pdf_blocks(pages, max_chars)
    paragraphs = _drop_running_heads(page_blocks)
    if not paragraphs:
        if images:
            raise CleaningError("This PDF has no text layer — it looks like a scanned image; run OCR on it first.")
        raise CleaningError("This PDF has no text layer, so there is no article text to read; run OCR on it first.")
    return "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)


def _pdf_blocks(pages: list[PDFPage], max_chars: int | None = None) -> tuple[list[list[str]], int]:
    from pdfminer.converter import PDFPageAggregator

    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    page_blocks: list[list[str]] = []
    images = chars = 0
    for page in pages:
        try:
            interpreter.process_page(page)
        except Exception as exc:  # a broken content stream
            raise CleaningError(_DAMAGED_PDF) from exc
        blocks: list[str] = []
        for item in device.get_result():
            if isinstance(item, LTTextBox):
                text = _box_text(item)
                if text:
                    blocks.append(text)
                    chars += len(text)
            elif isinstance(item, LTFigure | LTImage):
                images += 1
        page_blocks.append(blocks)
        if max_chars is not None and chars > max_chars:
            raise too_long("PDF", max_chars)
    return page_blocks, images


def _drop_running_heads(page_blocks: list[list[str]]) -> list[str]:
    """Drop page numbers and short lines repeated on most pages (running headers/footers)."""
    counts: Counter[str] = Counter()
    for blocks in page_blocks:
        counts.update({b for b in blocks if len(b) < 100})
    repeated = {b for b, n in counts.items() if len(page_blocks) >= 3 and n >= 0.6 * len(page_blocks)}
    kept = []
    for blocks in page_blocks:
        for block in blocks:
            if block in repeated or re.fullmatch(r"(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?", block, re.I):
                continue
            kept.append(block)
    return kept


# --- Markdown ----------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_to_html(text: str) -> str:
    return str(_MARKDOWN.render(text))


# --- Title guessing -------------------------------------------------------


def looks_like_headline(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 25 and len(text) <= 200 and not re.search(r"[.,;:]$", text.strip())


def split_title(html: str) -> tuple[str, str]:
    """(title, remaining html): a leading h1, or a short headline-like first paragraph."""
    root = parse_fragment(html)
    blocks = [child for child in root if isinstance(child.tag, str)]
    if not blocks:
        return "", html
    first = blocks[0]
    text = " ".join(first.text_content().split())
    is_heading = first.tag in ("h1", "h2") and text
    is_headline = first.tag == "p" and len(blocks) > 1 and looks_like_headline(text) and len(first) == 0
    if not (is_heading or is_headline) or (root.text or "").strip():
        return "", html
    first.drop_tree()
    return text, inner_html(root)
