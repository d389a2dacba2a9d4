"""Re-anchoring highlighted passages when an article's text changes: pure functions, no database."""

import pytest

from annotations.anchoring import (
    CONTEXT_LENGTH,
    MIN_FUZZY_SCORE,
    Anchor,
    AnchorStatus,
    codepoint_to_utf16,
    describe,
    reanchor,
    selector_for_anchor,
    utf16_to_codepoint,
)

PASSAGE = "The regulator fined the company £10m on Tuesday."
LOOK_ALIKE = "The regulator fined another company £2m on Friday."
BEFORE = (
    "Shares in the energy group fell sharply in early trading after the announcement. "
    "Analysts said the penalty was smaller than expected. "
)
AFTER = (
    " A spokesperson for the firm said it would study the decision carefully before deciding whether to appeal."
    "\n\nCampaigners welcomed the move but said it came too late for customers who had already lost money."
)
ARTICLE = BEFORE + PASSAGE + AFTER


def highlight(text: str, passage: str, occurrence: int = 0):
    """The selector a researcher makes by highlighting the nth occurrence of `passage`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return describe(text, start, start + len(passage))


def anchored_text(text: str, anchor: Anchor) -> str:
    assert anchor.start is not None and anchor.end is not None
    return text[anchor.start : anchor.end]


def test_unchanged_text_keeps_the_passage_exactly_where_it_was():
    selector = highlight(ARTICLE, PASSAGE)

    anchor = reanchor(selector, ARTICLE)

    assert anchor == Anchor(AnchorStatus.EXACT, selector.start, selector.end, 1.0)


def test_text_inserted_before_the_passage_moves_the_highlight_with_it():
    selector = highlight(ARTICLE, PASSAGE)
    updated = "Update: this story has been corrected. " + ARTICLE

    anchor = reanchor(selector, updated)

    assert anchor.status == AnchorStatus.MOVED
    assert anchor.start == selector.start + len("Update: this story has been corrected. ")
    assert anchored_text(updated, anchor) == PASSAGE


def test_rewrapped_whitespace_still_finds_the_passage():
    selector = highlight(ARTICLE, PASSAGE)
    rewrapped = "  \n" + ARTICLE.replace("fined the company", "fined\n  the\u00a0company")

    anchor = reanchor(selector, rewrapped)

    assert anchor.status == AnchorStatus.MOVED
    assert anchored_text(rewrapped, anchor) == "The regulator fined\n  the\u00a0company £10m on Tuesday."


def test_a_non_breaking_space_swapped_for_a_space_keeps_the_same_position():
    selector = highlight(ARTICLE, PASSAGE)
    retyped = ARTICLE.replace("fined the company", "fined the\u00a0company")

    anchor = reanchor(selector, retyped)

    assert (anchor.status, anchor.start, anchor.end) == (AnchorStatus.EXACT, selector.start, selector.end)


def test_a_word_changed_inside_the_passage_is_a_fuzzy_match_in_the_right_place():
    selector = highlight(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("fined the company", "fined the firm")

    anchor = reanchor(selector, edited)

    assert anchor.status == AnchorStatus.FUZZY
    assert MIN_FUZZY_SCORE <= anchor.score < 1.0
    assert anchored_text(edited, anchor) == "The regulator fined the firm £10m on Tuesday."


def test_a_changed_first_word_is_included_in_the_fuzzy_match():
    selector = highlight(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("The regulator fined", "A regulator fined")

    anchor = reanchor(selector, edited)

    assert anchor.status == AnchorStatus.FUZZY
    assert anchored_text(edited, anchor) == "A regulator fined the company £10m on Tuesday."


def test_a_deleted_first_word_is_left_out_of_the_fuzzy_match():
    selector = highlight(ARTICLE, PASSAGE)
    edited = ARTICLE.replace("The regulator fined", "Regulator fined")

    anchor = reanchor(selector, edited)

    assert anchor.status == AnchorStatus.FUZZY
    assert anchored_text(edited, anchor) == "Regulator fined the company £10m on Tuesday."


def test_a_highlighted_paragraph_follows_a_one_word_correction_further_down_the_article():
    paragraph = AFTER.strip().split("\n\n")[0] + " " + BEFORE.strip() + " " + PASSAGE
    original = BEFORE * 20 + paragraph + AFTER * 20
    selector = highlight(original, paragraph)
    corrected_paragraph = paragraph.replace("carefully", "closely")
    corrected = "Correction appended. " + original.replace(paragraph, corrected_paragraph)

    anchor = reanchor(selector, corrected)

    assert anchor.status == AnchorStatus.FUZZY
    assert anchored_text(corrected, anchor) == corrected_paragraph


def test_a_deleted_passage_is_orphaned():
    selector = highlight(ARTICLE, PASSAGE)

    anchor = reanchor(selector, BEFORE + AFTER.lstrip())

    assert anchor == Anchor(AnchorStatus.ORPHANED, None, None, 0.0)


def test_a_deleted_passage_is_not_captured_by_a_look_alike_sentence_elsewhere():
    original = BEFORE + PASSAGE + AFTER + " " + LOOK_ALIKE
    selector = highlight(original, PASSAGE)
    without_passage = BEFORE + AFTER.lstrip() + " " + LOOK_ALIKE

    anchor = reanchor(selector, without_passage)

    assert anchor.status == AnchorStatus.ORPHANED


def test_a_deleted_passage_is_not_captured_by_the_look_alike_sentence_next_to_it():
    original = BEFORE + PASSAGE + " " + LOOK_ALIKE + AFTER
    selector = highlight(original, PASSAGE)

    anchor = reanchor(selector, BEFORE + LOOK_ALIKE + AFTER)

    assert anchor.status == AnchorStatus.ORPHANED


def test_the_same_quote_twice_each_highlight_keeps_its_own_occurrence():
    quote = "we will appeal"
    original = (
        f"The chief executive told staff: {quote}. Lawyers for the regulator disagreed. "
        f"Hours later the chairman repeated to reporters outside the court that {quote}."
    )
    first, second = highlight(original, quote, 0), highlight(original, quote, 1)
    updated = "Breaking: the court has adjourned.\n\n" + original

    first_anchor, second_anchor = reanchor(first, updated), reanchor(second, updated)

    assert first_anchor.status == second_anchor.status == AnchorStatus.MOVED
    assert first_anchor.start == updated.index(quote)
    assert second_anchor.start == updated.rindex(quote)


def test_an_emoji_before_the_passage_does_not_shift_it():
    text = "Reaction online 😡🔥 was swift. " + PASSAGE
    selector = highlight(text, PASSAGE)

    assert selector.start == len("Reaction online ") + 2 + len(" was swift. ")
    assert text[selector.start : selector.end] == PASSAGE
    assert reanchor(selector, text).status == AnchorStatus.EXACT


def test_an_emoji_added_before_the_passage_moves_it_by_one_position():
    selector = highlight(ARTICLE, PASSAGE)
    updated = "📢 " + ARTICLE

    anchor = reanchor(selector, updated)

    assert (anchor.status, anchor.start) == (AnchorStatus.MOVED, selector.start + 2)
    assert anchored_text(updated, anchor) == PASSAGE


def test_describe_keeps_up_to_32_characters_of_context_each_side():
    selector = highlight(ARTICLE, PASSAGE)

    assert selector.exact == PASSAGE
    assert selector.prefix == BEFORE[-CONTEXT_LENGTH:]
    assert selector.suffix == AFTER[:CONTEXT_LENGTH]


def test_describe_at_the_start_of_the_article_has_an_empty_prefix():
    selector = describe(ARTICLE, 0, 6)

    assert (selector.prefix, selector.exact) == ("", "Shares")


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 5, "not a non-empty range"),
        (5, len(ARTICLE) + 1, "not a non-empty range"),
        (10, 10, "not a non-empty range"),
        (12, 10, "not a non-empty range"),
        (len(BEFORE) - 1, len(BEFORE), "only whitespace"),
    ],
    ids=["negative start", "end past the text", "empty", "reversed", "whitespace only"],
)
def test_describe_rejects_a_range_that_is_not_a_passage(start, end, message):
    with pytest.raises(ValueError, match=message):
        describe(ARTICLE, start, end)


def test_a_refreshed_selector_quotes_the_edited_text():
    selector = highlight(ARTICLE, PASSAGE)
    edited = "New intro. " + ARTICLE.replace("fined the company", "fined the firm")

    refreshed = selector_for_anchor(selector, edited, reanchor(selector, edited))

    assert refreshed.exact == "The regulator fined the firm £10m on Tuesday."
    assert reanchor(refreshed, edited).status == AnchorStatus.EXACT


def test_an_orphaned_highlight_keeps_its_old_selector():
    selector = highlight(ARTICLE, PASSAGE)
    text = BEFORE + AFTER

    assert selector_for_anchor(selector, text, reanchor(selector, text)) == selector


@pytest.mark.parametrize(
    ("text", "codepoints", "utf16"),
    [
        ("plain ascii", 5, 5),
        ("café £10m", 9, 9),
        ("😀 grin", 1, 2),
        ("😀 grin", 6, 7),
        ("a𝔘b𝔘c", 4, 6),
        ("a𝔘b𝔘c", 5, 7),
        ("👩‍👩‍👧 family", 5, 8),
    ],
)
def test_browser_utf16_offsets_convert_to_and_from_codepoints(text, codepoints, utf16):
    assert codepoint_to_utf16(text, codepoints) == utf16
    assert utf16_to_codepoint(text, utf16) == codepoints


def test_a_browser_offset_inside_an_emoji_is_rejected():
    with pytest.raises(ValueError, match="surrogate pair"):
        utf16_to_codepoint("😀 grin", 1)


def test_an_offset_past_the_end_is_rejected():
    with pytest.raises(ValueError, match="outside"):
        codepoint_to_utf16("😀", 2)
    with pytest.raises(ValueError, match="outside"):
        utf16_to_codepoint("😀", 3)
