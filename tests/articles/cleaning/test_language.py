"""The language of uploads and pages that do not declare one."""

import pytest

from articles.cleaning import clean_document, clean_pasted
from articles.cleaning.language import detect_language

from .builders import STORY

ENGLISH = " ".join(STORY)
FRENCH = (
    "L'enquête publique sur la gestion des inondations par la mairie s'est ouverte lundi. Les habitants "
    "ont témoigné devant la commission pendant plusieurs heures, et le maire a promis de publier tous les "
    "documents demandés avant la fin du mois."
)


def test_a_text_upload_gets_the_language_it_is_written_in():
    assert clean_document(ENGLISH.encode(), filename="story.txt").language == "en"
    assert clean_document(FRENCH.encode(), filename="enquete.txt").language == "fr"


def test_pasted_text_gets_its_language_too():
    assert clean_pasted(FRENCH).language == "fr"


def test_a_declared_language_is_kept():
    page = f'<html lang="de"><body><article><p>{ENGLISH}</p></article></body></html>'
    assert clean_document(page.encode(), filename="story.html").language == "de"


@pytest.mark.parametrize(
    "text",
    [
        "Ofcom sets out age checks.",  # too few words to tell
        " ".join(str(n) for n in range(200)),  # numbers: no language
    ],
)
def test_no_language_is_guessed_without_enough_words_to_tell(text):
    assert detect_language(text) == ""
