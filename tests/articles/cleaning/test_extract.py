from datetime import date

import pytest

from articles.cleaning import clean_document

from .builders import news_page

URL = "https://www.dailyledger.example/news/2025/mar/17/online-safety-act"


@pytest.fixture(scope="module")
def article():
    return clean_document(news_page().encode("utf-8"), filename="story.html", content_type="text/html", source_url=URL)


def test_title_comes_from_the_page_without_the_site_suffix(article):
    assert article.title == "Online Safety Act comes into force as regulator sets out first duties"


def test_standfirst_comes_from_the_description(article):
    assert article.standfirst == "Platforms must now assess the risk of illegal content, Ofcom says."


def test_authors_are_split_into_a_list(article):
    assert article.authors == ["Jane Smith", "Tom Jones"]


def test_publication_date_is_a_date(article):
    assert article.published == date(2025, 3, 17)


def test_site_name_comes_from_og_site_name(article):
    assert article.site_name == "The Daily Ledger"


def test_canonical_url_comes_from_link_rel_canonical(article):
    assert article.canonical_url == URL


def test_language_comes_from_html_lang(article):
    assert article.language == "en"


def test_headline_is_not_repeated_in_the_text(article):
    assert not article.text.startswith("Online Safety Act comes into force as regulator")


@pytest.mark.parametrize(
    "chrome",
    [
        "We use cookies",
        "Accept all",
        "Home",
        "Share on Facebook",
        "Sign up for our newsletter",
        "in your inbox",
        "Your support helps us",
        "Donate now",
        "Join the conversation",
        "Comments are closed",
        "Most popular",
        "Man bites dog",
        "All rights reserved",
    ],
)
def test_publisher_chrome_is_gone_from_html_and_text(article, chrome):
    assert chrome not in article.text
    assert chrome not in article.html


def test_story_paragraphs_are_kept(article):
    assert article.text.startswith("The Online Safety Act came into force on Monday")
    assert "The charity said donations had fallen by a third." in article.text
    assert "Ofcom said it would consult on the newsletter rules" in article.text


def test_subheads_lists_and_quotes_keep_their_structure(article):
    assert "<h2>What changes for users</h2>" in article.html
    assert "<li>Faster removal of illegal content</li>" in article.html
    assert "<blockquote>" in article.html


def test_links_are_kept_absolute_and_nofollow(article):
    assert (
        '<a href="https://www.dailyledger.example/guidance/ofcom" rel="noopener noreferrer nofollow">' in article.html
    )


def test_figure_keeps_its_image_and_caption(article):
    assert '<figure><img src="https://www.dailyledger.example/img/ofcom.jpg" alt="Ofcom headquarters">' in article.html
    assert "<figcaption>Ofcom's offices in London. Photograph: Alex Brown</figcaption></figure>" in article.html


def test_language_is_empty_when_the_page_does_not_say():
    page = news_page().replace('<html lang="en-GB">', "<html>")
    assert clean_document(page.encode(), filename="x.html").language == ""


def test_page_without_article_element_falls_back_to_its_main_text():
    paragraphs = " ".join(
        f"<div>Paragraph {i} of the council story says the budget rose again this year.</div>" for i in range(6)
    )
    page = f"<html><body><nav><a href='/'>Home</a></nav>{paragraphs}</body></html>"
    article = clean_document(page.encode(), filename="x.html")
    assert "Paragraph 5 of the council story" in article.text
