import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from articles.cleaning import CleanedArticle, CleaningError, clean_document, clean_pasted, near_duplicate_score

from .builders import OTHER_STORY, STORY, news_page

BENCHMARK = Path("/work/shared/benchmarks/article-extraction")
TRAFILATURA_PUBLISHED_F1 = 0.964  # README: trafilatura 2.3.1, favor_precision=True, on this corpus


def _clean(page: str, url: str = "") -> CleanedArticle:
    return clean_document(page.encode("utf-8"), filename="story.html", source_url=url)


def test_same_story_with_different_chrome_gets_the_same_hash():
    plain = _clean(news_page(chrome=False))
    dressed = _clean(news_page(chrome=True, site="Another Ledger"))
    assert plain.text_hash == dressed.text_hash


def test_same_page_uploaded_twice_gives_identical_results():
    assert _clean(news_page()) == _clean(news_page())


def test_wire_story_on_two_sites_is_a_near_duplicate():
    first = _clean(news_page(headline="Online safety law takes effect", site="Ledger"))
    second = _clean(
        news_page(
            headline="New internet rules begin today",
            site="Courier",
            paragraphs=[*STORY, "Reporting by Jane Smith; editing by Tom Jones."],
        )
    )
    assert near_duplicate_score(first.fingerprint, second.fingerprint) >= 0.8


def test_different_stories_on_the_same_topic_are_not_near_duplicates():
    first = _clean(news_page())
    second = _clean(news_page(paragraphs=OTHER_STORY))
    assert near_duplicate_score(first.fingerprint, second.fingerprint) < 0.3


def test_page_that_is_all_navigation_is_refused():
    links = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(60))
    page = f"<html><body><nav><ul>{links}</ul></nav><footer>© 2025 Ledger</footer></body></html>"
    with pytest.raises(CleaningError) as caught:
        _clean(page)
    assert caught.value.message.startswith("We could not find the article text on this page")


def test_pasted_html_is_detected_and_sanitized():
    article = clean_pasted(f"<p>{STORY[0]}</p><script>alert(1)</script><p>{STORY[1]}</p>")
    assert article.paragraphs == STORY[:2]
    assert "script" not in article.html


def test_pasted_plain_text_is_escaped_not_interpreted():
    article = clean_pasted("Ofcom said 3 < 4 and 5 > 2 in its <report>.\n\nSecond paragraph here.")
    assert article.paragraphs[0] == "Ofcom said 3 < 4 and 5 > 2 in its <report>."
    assert "&lt;report&gt;" in article.html


def test_pasted_full_page_goes_through_extraction():
    article = clean_pasted(news_page(), source_url="https://www.dailyledger.example/x")
    assert article.site_name == "The Daily Ledger"
    assert "Most popular" not in article.text


def test_empty_paste_is_refused():
    with pytest.raises(CleaningError):
        clean_pasted("   \n ")


def test_text_is_exactly_the_text_of_the_html():
    from articles.cleaning.text import html_to_text

    article = _clean(news_page())
    assert html_to_text(article.html) == article.text
    assert "\n\n".join(article.paragraphs) == article.text


def test_windows_1252_page_without_charset_comes_out_right():
    page = news_page(
        paragraphs=["The minister’s “bold” plan will cost €5m, said the café owner. " * 3], charset_meta=""
    )
    article = clean_document(page.encode("cp1252"), filename="story.html")
    assert "The minister’s “bold” plan will cost €5m, said the café owner." in article.text


def test_utf8_page_with_lying_meta_charset_has_no_mojibake():
    page = news_page(charset_meta='<meta charset="windows-1252">')
    page = page.replace("Ofcom's offices", "Ofcom’s offices")
    article = clean_document(page.encode("utf-8"), filename="story.html")
    assert "Ofcom’s offices" in article.text and "â€" not in article.text


def _shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


@pytest.mark.slow
def test_benchmark_sample_f1_is_close_to_trafilatura():
    if not (BENCHMARK / "ground-truth.json").exists():
        pytest.skip(f"benchmark corpus not found at {BENCHMARK}")
    truth = json.loads((BENCHMARK / "ground-truth.json").read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for page_id in sorted(truth)[:20]:
        data = gzip.decompress((BENCHMARK / "html" / f"{page_id}.html.gz").read_bytes())
        try:
            text = clean_document(data, filename=f"{page_id}.html", source_url=truth[page_id]["url"]).text
        except CleaningError:
            text = ""
        got, want = _shingles(text), _shingles(truth[page_id]["articleBody"])
        overlap = sum((got & want).values())
        if got:
            precisions.append(overlap / sum(got.values()))
        if want:
            recalls.append(overlap / sum(want.values()))
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.8 * TRAFILATURA_PUBLISHED_F1


def test_utf16_page_with_bom_is_read():
    article = clean_document(b"\xff\xfe" + news_page().encode("utf-16-le"), filename="story.html")
    assert article.title == "Online Safety Act comes into force as regulator sets out first duties"
