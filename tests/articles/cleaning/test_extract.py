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


def test_the_language_of_a_page_that_does_not_say_comes_from_its_text():
    page = news_page().replace('<html lang="en-GB">', "<html>")
    assert clean_document(page.encode(), filename="x.html").language == "en"


def test_page_without_article_element_falls_back_to_its_main_text():
    paragraphs = " ".join(
        f"<div>Paragraph {i} of the council story says the budget rose again this year.</div>" for i in range(6)
    )
    page = f"<html><body><nav><a href='/'>Home</a></nav>{paragraphs}</body></html>"
    article = clean_document(page.encode(), filename="x.html")
    assert "Paragraph 5 of the council story" in article.text


def test_link_edges_keep_their_spaces_and_link_heavy_paragraphs_stay():
    linked = (
        'The company told <a href="/a">CNBC</a> it had <a href="/b">reported</a> that '
        '<a href="/c">sales</a> fell, <a href="/d">analysts</a> said.'
    )
    page = news_page().replace("<h2>What changes for users</h2>", f"<p>{linked}</p>")
    article = clean_document(page.encode(), filename="story.html", source_url=URL)
    assert "The company told CNBC it had reported that sales fell, analysts said." in article.text
    assert '<a href="https://www.dailyledger.example/b" rel="noopener noreferrer nofollow">reported</a>' in article.html


def test_image_without_caption_is_kept_before_the_text_that_follows_it():
    image = '<img src="/img/vote.jpg" alt="The vote" width="800">'
    page = news_page().replace("<p>Under the law", f"{image}<p>Under the law")
    article = clean_document(page.encode(), filename="story.html", source_url=URL)
    assert '<img src="https://www.dailyledger.example/img/vote.jpg" alt="The vote">' in article.html


def test_icons_are_not_kept_as_images():
    icon = '<img src="/static/share-icon.svg" alt="Share">'
    page = news_page().replace("<p>Under the law", f"{icon}<p>Under the law")
    article = clean_document(page.encode(), filename="story.html", source_url=URL)
    assert "share-icon" not in article.html


def test_japanese_page_is_not_mistaken_for_a_page_without_article():
    sentences = [
        "政府は月曜日、新しいオンライン安全法が施行されたと発表し、ソーシャルメディア各社に新たな義務を課した。",
        "規制当局は、違法なコンテンツのリスクを評価し、速やかに削除するよう企業に求めている。",
        "専門家は、規則は十分ではないと指摘する一方で、小規模なサービスへの負担を懸念する声もある。",
    ]
    page = news_page(paragraphs=sentences, lang="ja", headline="オンライン安全法が施行").replace(
        "<h2>What changes for users</h2>", ""
    )
    article = clean_document(page.encode(), filename="story.html")
    assert sentences[1] in article.text


def test_page_read_again_for_the_fallback_has_its_links_without_markers():
    # trafilatura discards a "comments" container: the story comes from the fallback, which reads
    # the page tree after the link markers were put in for the extraction.
    paragraphs = "".join(
        f"<p>Paragraph {i} of the <a href='/council/{i}'>council</a> story says the budget rose again.</p>"
        for i in range(6)
    )
    page = f"<html><body><div class='comments'>{paragraphs}</div></body></html>"
    article = clean_document(page.encode(), filename="x.html", source_url=URL)
    assert "Paragraph 5 of the council story says the budget rose again." in article.text
    assert '<a href="https://www.dailyledger.example/council/5"' in article.html
    assert not set("\ue000\ue001\ue002") & set(article.html + article.text)


def test_publication_date_comes_from_the_first_non_blank_meta_tag_in_page_order():
    dated = (
        '<meta name="article:published_time" content=" ">'
        '<meta itemprop="article:published_time" content="2024-05-06T10:00:00Z">'
        '<meta property="article:published_time" content="2023-01-02T10:00:00Z">'
    )
    page = news_page().replace('<meta property="article:published_time" content="2025-03-17T09:30:00Z">', dated)
    article = clean_document(page.encode(), filename="story.html", source_url=URL)
    assert article.published == date(2024, 5, 6)


def test_language_comes_from_a_content_language_meta_tag():
    page = (
        news_page()
        .replace('<html lang="en-GB">', "<html>")
        .replace("<head>", '<head><meta http-equiv="Content-Language" content="de-DE">', 1)
    )
    assert clean_document(page.encode(), filename="x.html").language == "de"
