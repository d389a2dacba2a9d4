import pytest

from articles.cleaning import CleaningError, clean_document
from articles.cleaning import convert as convert_module

from .builders import (
    docx_hyperlink,
    docx_paragraph,
    hyperlink_rel,
    make_docx,
    make_encrypted_pdf,
    make_image_only_pdf,
    make_pdf,
)

BODY = "The council approved plans for a new library on Tuesday after a long debate."


def _refusal(data: bytes, filename: str) -> str:
    with pytest.raises(CleaningError) as caught:
        clean_document(data, filename=filename)
    return caught.value.message


def test_docx_heading_becomes_title_and_paragraphs_become_text():
    docx = make_docx(docx_paragraph("Council approves library", "Heading1") + docx_paragraph(BODY))
    article = clean_document(docx, filename="story.docx")
    assert (article.title, article.text) == ("Council approves library", BODY)


def test_docx_javascript_hyperlink_is_neutralised():
    docx = make_docx(docx_paragraph(BODY) + docx_hyperlink("click me"), doc_rels=hyperlink_rel("javascript:alert(1)"))
    article = clean_document(docx, filename="story.docx")
    assert "javascript" not in article.html
    assert "click me" in article.text


def test_docx_https_hyperlink_is_kept():
    docx = make_docx(docx_paragraph(BODY) + docx_hyperlink("source"), doc_rels=hyperlink_rel("https://gov.example/r"))
    assert 'href="https://gov.example/r"' in clean_document(docx, filename="story.docx").html


def test_docx_with_entity_declarations_is_refused():
    bomb = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    assert "entity" in _refusal(make_docx(docx_paragraph("&b;"), prolog=bomb), "story.docx")


def test_docx_zip_bomb_member_is_refused():
    docx = make_docx(docx_paragraph(BODY), extra={"word/media/big.bin": b"\0" * 5_000_000})
    assert "zip bomb" in _refusal(docx, "story.docx")


def test_docx_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(convert_module, "MAX_UNCOMPRESSED", 1000)
    docx = make_docx(docx_paragraph(BODY * 20))
    assert "200 MB" in _refusal(docx, "story.docx")


def test_damaged_docx_is_refused():
    docx = make_docx(docx_paragraph(BODY))
    assert "damaged" in _refusal(docx[: len(docx) // 2], "story.docx")


def test_pdf_text_becomes_paragraphs_with_a_title():
    pdf = make_pdf([["Council approves new library", BODY, "Work will start in the spring, officials said."]])
    article = clean_document(pdf, filename="story.pdf")
    assert article.title == "Council approves new library"
    assert article.paragraphs == [BODY, "Work will start in the spring, officials said."]


def test_pdf_page_numbers_are_dropped():
    pdf = make_pdf([[BODY, "1"], ["Second page of reporting on the library.", "2"]])
    assert clean_document(pdf, filename="story.pdf").text.endswith("Second page of reporting on the library.")


def test_image_only_pdf_asks_for_ocr():
    assert "no text layer" in _refusal(make_image_only_pdf(), "scan.pdf")


def test_password_protected_pdf_is_refused():
    assert "password" in _refusal(make_encrypted_pdf(), "locked.pdf")


def test_corrupt_pdf_is_refused():
    assert "damaged" in _refusal(b"%PDF-1.4\n1 0 obj << /Type /Catalog broken", "broken.pdf")


def test_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr(convert_module, "MAX_PDF_PAGES", 2)
    assert "more than 2 pages" in _refusal(make_pdf([[BODY]] * 3), "long.pdf")


def test_markdown_heading_becomes_title_and_structure_is_kept():
    md = f"# Council approves library\n\n{BODY}\n\n## Reaction\n\n- one\n- two\n"
    article = clean_document(md.encode(), filename="story.md")
    assert article.title == "Council approves library"
    assert "<h2>Reaction</h2>" in article.html and "<li>one</li>" in article.html


def test_raw_html_in_markdown_is_escaped_not_rendered():
    md = f"{BODY}\n\n<script>alert(1)</script> <img src=x onerror=alert(1)>\n"
    article = clean_document(md.encode(), filename="story.md")
    assert "<script" not in article.html and "<img" not in article.html


def test_plain_text_lines_are_paragraphs_and_the_first_headline_line_is_the_title():
    text = "Council approves library\nThe council approved the plans on Tuesday.\nWork starts in spring."
    article = clean_document(text.encode(), filename="story.txt")
    assert article.title == "Council approves library"
    assert article.paragraphs == ["The council approved the plans on Tuesday.", "Work starts in spring."]


def test_plain_text_without_headline_takes_title_from_filename():
    article = clean_document(f"{BODY}\n\nMore text.".encode(), filename="uploads/Library_vote.txt")
    assert article.title == "Library vote"


def test_plain_text_result_is_deterministic():
    text = f"Headline here\n\n{BODY}\n\nSecond paragraph."
    results = {clean_document(text.encode(), filename="a.txt").text for _ in range(3)}
    assert len(results) == 1
