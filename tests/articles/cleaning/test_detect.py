import gzip
import io
import zipfile

import pytest

from articles.cleaning import CleaningError, clean_document
from articles.cleaning.detect import (
    DOCX,
    HTML,
    MARKDOWN,
    PDF,
    TEXT,
    classify_text,
    sniff_binary,
    title_from_filename,
)

from .builders import make_docx, make_pdf


def _refusal(data: bytes, filename: str = "story.html") -> str:
    with pytest.raises(CleaningError) as caught:
        clean_document(data, filename=filename)
    return caught.value.message


def test_empty_file_is_refused_as_empty():
    assert "empty" in _refusal(b"")


def test_whitespace_only_file_is_refused_as_empty():
    assert "empty" in _refusal(b"  \n\t ")


def test_binary_file_named_html_is_refused():
    assert "binary" in _refusal(bytes(range(256)) * 4, "story.html")


def test_png_named_html_is_refused_as_an_image():
    assert "image" in _refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "story.html")


def test_gzip_file_is_refused_with_a_reason():
    assert "gzip" in _refusal(gzip.compress(b"<html><body><p>hi</p></body></html>"), "story.html")


def test_zip_that_is_not_docx_is_refused_with_a_reason():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    assert "ZIP archive" in _refusal(buffer.getvalue(), "story.docx")


def test_pdf_is_recognised_by_magic_bytes_despite_txt_name():
    assert sniff_binary(make_pdf([["Hello world."]]), "story.txt") == PDF


def test_docx_is_recognised_by_its_contents():
    assert sniff_binary(make_docx(""), "upload.bin") == DOCX


def test_old_word_doc_is_refused_with_advice_to_save_as_docx():
    assert ".docx" in _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "story.doc")


def test_html_is_recognised_without_extension():
    assert classify_text("<!doctype html><html><body><p>x</p></body></html>") == HTML


def test_markdown_extension_gives_markdown():
    assert classify_text("# Title\n\nSome text.", "notes.md") == MARKDOWN


def test_plain_text_without_markup_is_text():
    assert classify_text("Just a story.\n\nSecond paragraph.", "story.txt") == TEXT


def test_filename_title_drops_path_traversal_and_controls():
    assert title_from_filename("../../etc/Council\x00_budget\x1b story.pdf") == "Council budget story"
