import pytest

from articles.cleaning import clean_pasted, paragraph_key
from articles.cleaning.boilerplate import is_boilerplate_sentence, keep_range, sentence_spans

STORY_SENTENCE = "The Online Safety Act came into force on Monday, ministers said."


def test_glued_donation_appeal_is_cut_from_pasted_text():
    pasted = (
        "Your support helps us keep reporting on the issues that matter. Donate today."
        + STORY_SENTENCE
        + "\n\nPlatforms now have three months to complete their first risk assessments, the regulator said."
    )
    article = clean_pasted(pasted)
    assert article.paragraphs[0] == STORY_SENTENCE
    assert "Donate today." in article.removed_boilerplate


def test_sentence_splitter_handles_a_missing_space_after_a_full_stop():
    text = "Donate today.The Online Safety Act came into force."
    assert [text[a:b] for a, b in sentence_spans(text)] == ["Donate today.", "The Online Safety Act came into force."]


def test_trailing_newsletter_sentence_is_cut():
    text = STORY_SENTENCE + " Sign up for our daily newsletter to get the latest news."
    start, end, removed = keep_range(text)
    assert text[start:end] == STORY_SENTENCE
    assert removed == ["Sign up for our daily newsletter to get the latest news."]


def test_boilerplate_sentence_in_the_middle_of_prose_is_kept():
    text = "Ministers met on Monday. Subscribe now. The bill passed on Tuesday."
    start, end, removed = keep_range(text)
    assert (text[start:end], removed) == (text, [])


@pytest.mark.parametrize(
    "sentence",
    [
        "The charity said donations had fallen by a third.",
        "Ofcom said it would consult on the newsletter rules.",
        "Readers who subscribe to the paper's print edition were not affected.",
        "The firm said cookies were used to track children across sites.",
        "She said she would share the findings with the committee.",
        "Most popular among teenagers was the short-video app, the survey found.",
        "Comments made by the minister were closed to further debate, aides said.",
        "Support for the bill has grown among backbench MPs.",
        "Read more widely, the report suggests a deeper problem.",
    ],
)
def test_story_sentences_are_never_boilerplate(sentence):
    assert not is_boilerplate_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Sign up for our newsletter",
        "Your support helps us keep reporting on the issues that matter.",
        "Support independent journalism.",
        "Become a member",
        "Donate now",
        "Join the conversation",
        "Comments are closed",
        "Leave a comment",
        "Share this article",
        "Share on Facebook Share on Twitter",
        "We use cookies to improve your experience.",
        "Most popular",
        "Most read",
        "Read more",
        "Related stories",
        "Advertisement",
        "Subscribe to continue reading",
    ],
)
def test_known_chrome_phrases_are_boilerplate(sentence):
    assert is_boilerplate_sentence(sentence)


def test_photograph_credit_is_kept():
    assert not is_boilerplate_sentence("Photograph: Alex Brown/Reuters")


def test_paragraphs_with_a_known_key_are_dropped():
    recurring = "The Ledger is owned by Ledger Media Group and regulated by IPSO."
    pasted = f"{STORY_SENTENCE}\n\n{recurring}"
    article = clean_pasted(pasted, known_boilerplate=frozenset({paragraph_key(recurring)}))
    assert article.paragraphs == [STORY_SENTENCE]
    assert recurring in article.removed_boilerplate


def test_paragraph_key_ignores_case_spacing_and_punctuation():
    assert paragraph_key("Sign up  for our Newsletter!") == paragraph_key("sign up for our newsletter")


def test_most_popular_heading_takes_its_list_with_it():
    html = (
        "<p>" + STORY_SENTENCE + "</p><h2>Most popular</h2><ol><li>Man bites dog</li><li>Ten best sandwiches</li></ol>"
    )
    article = clean_pasted(html)
    assert article.text == STORY_SENTENCE
