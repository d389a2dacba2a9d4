from articles.cleaning import near_duplicate_score
from articles.cleaning.text import fingerprint, html_to_blocks, html_to_text, text_hash

from .builders import OTHER_STORY, STORY


def test_blocks_are_separated_by_a_blank_line():
    assert html_to_text("<h2>Head</h2><p>One.</p><ul><li>a</li><li>b</li></ul>") == "Head\n\nOne.\n\na\n\nb"


def test_inline_elements_join_without_extra_spaces():
    assert (
        html_to_text("<p>Ofc<strong>om</strong> said <a href='https://x.example'>this</a>.</p>") == "Ofcom said this."
    )


def test_br_becomes_a_single_newline():
    assert html_to_text("<p>line one<br>line two</p>") == "line one\nline two"


def test_whitespace_runs_inside_a_block_collapse_to_one_space():
    assert html_to_text("<p>  many \n\t spaces   here </p>") == "many spaces here"


def test_text_is_nfc_normalised():
    assert html_to_text("<p>cafe\u0301</p>") == "café"


def test_same_html_always_gives_the_same_text():
    html = "<p>A <em>b</em> c</p><blockquote><p>q</p></blockquote><figure><figcaption>cap</figcaption></figure>"
    assert len({html_to_text(html) for _ in range(5)}) == 1


def test_blocks_match_paragraphs_of_the_text():
    html = "<p>One.</p><p>Two<br>lines.</p>"
    assert "\n\n".join(html_to_blocks(html)) == html_to_text(html)


def test_hash_ignores_case_whitespace_and_punctuation_style():
    assert text_hash("He said: “It’s done.”\n\nNext") == text_hash('he said "it\'s done"  next')


def test_hash_differs_for_different_words():
    assert text_hash("The council approved it.") != text_hash("The council rejected it.")


def test_fingerprint_has_64_values():
    assert len(fingerprint(" ".join(STORY))) == 64


def test_fingerprint_of_empty_text_is_empty_and_scores_zero():
    assert fingerprint("") == []
    assert near_duplicate_score([], fingerprint("some words")) == 0.0


def test_fingerprint_is_stable_across_calls():
    assert fingerprint(" ".join(STORY)) == fingerprint(" ".join(STORY))


def test_identical_texts_score_one():
    assert near_duplicate_score(fingerprint(" ".join(STORY)), fingerprint(" ".join(STORY))) == 1.0


def test_different_stories_on_the_same_topic_score_low():
    assert near_duplicate_score(fingerprint(" ".join(STORY)), fingerprint(" ".join(OTHER_STORY))) < 0.3


def test_word_count_counts_unspaced_scripts_by_characters():
    from articles.cleaning.text import word_count

    assert word_count("The council met on Monday.") == 5
    assert word_count("政府は月曜日に発表した") == 5  # ten characters, two to a word
    assert word_count("Ofcom 規制当局 said") == 4


def test_fingerprint_is_the_same_in_another_process():
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parents[3])
    text = " ".join(STORY)
    code = (
        "import json, sys; from articles.cleaning.text import fingerprint; print(json.dumps(fingerprint(sys.argv[1])))"
    )
    for seed in ("1", "2"):
        output = subprocess.run(
            [sys.executable, "-c", code, text],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": root},
        ).stdout
        assert json.loads(output) == fingerprint(text)


def test_fingerprint_values_fit_a_signed_64_bit_column():
    assert all(0 <= value < 2**63 for value in fingerprint(" ".join(STORY)) + fingerprint("two words"))


def test_fingerprint_of_a_short_text_is_full_length():
    assert len(fingerprint("only three words")) == 64
