"""Which word pairs a tsquery needs (`articles/phrases.py`), read from PostgreSQL's text form."""

import itertools

import pytest

from articles.phrases import MAX_ALTERNATIVES, NO_CONDITION, required_pairs


def pairs(tsquery: str) -> list[set[str]]:
    return [set(alternative) for alternative in required_pairs(tsquery)]


def test_a_two_word_phrase_needs_its_pair():
    assert pairs("'public' <-> 'inquiri'") == [{"public inquiri"}]


def test_a_longer_phrase_needs_each_neighbouring_pair():
    assert pairs("'well-known' <-> 'well' <-> 'known' <-> 'fact'") == [{"well-known well", "well known", "known fact"}]


def test_words_apart_in_a_phrase_need_no_pair():
    """`"state of emergency"`: a stop word between them, so any word may stand there."""
    assert required_pairs("'state' <2> 'emerg'") == NO_CONDITION


def test_words_without_a_phrase_need_nothing():
    assert required_pairs("'public' & 'inquiri'") == NO_CONDITION


def test_and_needs_the_pairs_of_every_phrase():
    assert pairs("'public' <-> 'inquiri' & 'water' <-> 'board' & 'x'") == [{"public inquiri", "water board"}]


def test_or_needs_the_pairs_of_either_side():
    assert pairs("'public' <-> 'inquiri' | 'water' <-> 'board'") == [{"public inquiri"}, {"water board"}]


def test_or_with_a_side_without_a_phrase_needs_nothing():
    assert required_pairs("'public' <-> 'inquiri' | 'water'") == NO_CONDITION


def test_an_excluded_phrase_needs_nothing():
    assert required_pairs("'x' & !( 'water' <-> 'board' )") == NO_CONDITION


def test_precedence_as_postgresql_prints_it():
    """`|` binds loosest, then `&`, then `<->`: the phrase after `&` is required on that side only."""
    tsquery = "'public' <-> 'inquiri' | 'state' <2> 'emerg' & !( 'water' <-> 'board' ) & 'well' <-> 'known'"
    assert pairs(tsquery) == [{"public inquiri"}, {"well known"}]


def test_parentheses_group_alternatives():
    assert pairs("( 'a' <-> 'b' | 'c' <-> 'd' ) & 'e' <-> 'f'") == [{"a b", "e f"}, {"c d", "e f"}]


def test_a_prefix_word_needs_no_pair():
    assert required_pairs("'public' <-> 'inquir':*") == NO_CONDITION


def test_a_weighted_word_still_needs_its_pair():
    assert pairs("'public':A <-> 'inquiri'") == [{"public inquiri"}]


def test_quotes_inside_a_word_are_read():
    assert pairs("'o''brien' <-> 'said'") == [{"o'brien said"}]


def test_every_configuration_is_an_alternative():
    """The search ORs the query as parsed by each language of the workspace."""
    tsquery = "'public' <-> 'inquiri' | 'public' <-> 'inquiry' | 'public' <-> 'inquiri'"  # english | simple | french
    assert pairs(tsquery) == [{"public inquiri"}, {"public inquiry"}]


def test_a_configuration_without_the_phrase_lifts_the_condition():
    assert required_pairs("'public' <-> 'inquiri' | 'public' & 'inquiry'") == NO_CONDITION


def test_many_combinations_keep_a_condition_every_match_meets():
    sides = " & ".join(f"( 'a{n}' <-> 'b{n}' | 'c{n}' <-> 'd{n}' )" for n in range(6))
    found = required_pairs(sides)
    assert found != NO_CONDITION and len(found) <= MAX_ALTERNATIVES
    for choice in itertools.product(*[[f"a{n} b{n}", f"c{n} d{n}"] for n in range(6)]):
        held = set(choice)  # an article matching the query holds one pair of each side
        assert any(alternative <= held for alternative in found)


def test_only_stop_words_need_nothing():
    assert required_pairs("") == NO_CONDITION


@pytest.mark.parametrize("text", ["'a' <-> ", "( 'a'", "'a' 'b'", "'a' ? 'b'"])
def test_an_unreadable_tsquery_is_refused(text):
    with pytest.raises(ValueError):
        required_pairs(text)
