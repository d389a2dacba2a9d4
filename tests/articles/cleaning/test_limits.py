"""Size limits by input kind: refusals name the limit (no timing assertions here)."""

import pytest

from articles.cleaning import CleaningError, clean_document, clean_pasted
from articles.cleaning import pipeline as pipeline_module
from articles.cleaning.bound import attribute_flood

from .builders import STORY, docx_paragraph, make_docx, make_pdf, news_page

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def small_limit(monkeypatch):
    """A 2 KB text limit, so that the limits can be tested with small documents."""
    monkeypatch.setattr(pipeline_module, "MAX_TEXT_CHARS", 2048)


def _refusal(data: bytes, filename: str, content_type: str = "") -> str:
    with pytest.raises(CleaningError) as caught:
        clean_document(data, filename=filename, content_type=content_type)
    return caught.value.message


def test_html_page_over_10_mb_of_text_is_refused_naming_the_limit():
    page = b"<html><body><p>" + b"word " * (TEN_MB // 5 + 10) + b"</p></body></html>"
    message = _refusal(page, "big.html", "text/html")
    assert "HTML page" in message and "10 MB" in message


def test_text_file_over_10_mb_is_refused_naming_the_limit():
    message = _refusal(b"word " * (TEN_MB // 5 + 10), "big.txt", "text/plain")
    assert "text file" in message and "10 MB" in message


def test_markdown_file_over_the_limit_is_refused(small_limit):
    message = _refusal(b"# Title\n\n" + b"word " * 1000, "notes.md")
    assert "Markdown file" in message and "2 KB" in message


def test_text_far_over_the_limit_is_refused_before_decoding(small_limit, monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("decoded a file that was refused by its size")

    monkeypatch.setattr(pipeline_module, "decode_bytes", no_decoding)
    message = _refusal(b"word " * 2000, "big.txt")
    assert "2 KB" in message


def test_file_under_the_limit_is_still_cleaned(small_limit):
    article = clean_document(" ".join(STORY[:2]).encode(), filename="short.txt")
    assert article.text.startswith("The Online Safety Act")


def test_pasted_text_over_the_limit_is_refused(small_limit):
    with pytest.raises(CleaningError) as caught:
        clean_pasted("word " * 1000)
    assert "2 KB" in caught.value.message


def test_pdf_with_more_text_than_the_limit_is_refused(small_limit):
    pdf = make_pdf(
        [[f"Paragraph {i} of a very long report on the council budget and its many lines." for i in range(10)]] * 4
    )
    message = _refusal(pdf, "report.pdf")
    assert "PDF" in message and "2 KB" in message


@pytest.mark.parametrize("paragraphs", [8, 60])  # text over the limit; markup over it too (refused unopened)
def test_word_document_with_more_text_than_the_limit_is_refused(small_limit, paragraphs):
    body = "".join(docx_paragraph("The council budget rose again this year. " * 8) for _ in range(paragraphs))
    message = _refusal(make_docx(body), "report.docx")
    assert "Word document" in message and "2 KB" in message


def test_50_mb_file_cap_is_kept():
    message = _refusal(b" " * (50 * 1024 * 1024 + 1), "huge.html")
    assert "50 MB" in message


def test_paragraph_with_thousands_of_formatted_runs_keeps_its_text():
    runs = " ".join(f"<b>run{i}</b>" for i in range(3000))
    page = news_page().replace("<h2>What changes for users</h2>", f"<p>Lots of bold: {runs} end.</p>")
    article = clean_document(page.encode(), filename="wide.html")
    assert "run0 run1 run2" in article.text and "run2999 end." in article.text


def test_long_srcset_with_query_strings_is_not_an_attribute_flood():
    srcset = ", ".join(f"https://img.example/a.jpg?w={w}&h={w}&q=80&fit=crop {w}w" for w in range(100, 3000, 50))
    assert not attribute_flood(f'<img srcset="{srcset}" src="https://img.example/a.jpg">')


def test_many_attributes_are_a_flood_with_or_without_spaces():
    assert attribute_flood("<p " + " ".join(f"a{i}" for i in range(3000)) + ">")
    assert attribute_flood("<p " + "".join(f'a{i}="x"' for i in range(3000)) + ">")
