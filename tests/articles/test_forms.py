"""The Add articles form: what it accepts of a paste, its page markup and its link."""

import pytest

from articles.forms import PASTE_HTML_MAX_CHARS, AddArticlesForm

STORY = "The council has postponed work on the seafront flood defences until next spring."


def form(**data) -> AddArticlesForm:
    return AddArticlesForm({"text": STORY, "urls": "", **data})


def test_a_paste_keeps_its_page_markup_and_link():
    bound = form(html="<p>The council</p>", source_url=" https://harbour.example/news/1 ")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["html"] == "<p>The council</p>"
    assert bound.cleaned_data["source_url"] == "https://harbour.example/news/1"


@pytest.mark.parametrize(
    "link", ["ftp://harbour.example/a", "javascript:alert(1)", "file:///etc/passwd", "harbour.example/a"]
)
def test_a_link_to_the_original_that_is_not_http_is_refused(link):
    bound = form(source_url=link)
    assert not bound.is_valid()
    assert bound.errors["source_url"] == ["Not a web address (http or https)."]


def test_a_link_to_the_original_without_a_paste_is_refused():
    bound = form(text="", source_url="https://harbour.example/news/1")
    assert not bound.is_valid()
    assert "paste it too" in bound.errors["source_url"][0]


def test_page_markup_past_the_bound_is_dropped_for_the_plain_text():
    bound = form(html="x" * (PASTE_HTML_MAX_CHARS + 1))
    assert bound.is_valid()
    assert bound.cleaned_data["html"] == ""
