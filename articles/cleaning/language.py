"""The language of a text that does not say it: uploads (text, Markdown, PDF, DOCX), pastes, and
web pages without a `lang`. Search stems words by the article's language (`articles/search.py`);
without one it matches exact words only ("inquiries" would miss "inquiry").

py3langid is the detector trafilatura itself uses. Only a confident answer on enough text is kept:
a wrong language would stem worse than none.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

from .text import word_count

MIN_WORDS = 20
MIN_CONFIDENCE = 0.9
SAMPLE_CHARS = 5_000  # the start of the text says it as well as the whole
NOT_A_LANGUAGE = frozenset({"und", "zxx"})


@cache
def _identifier() -> LanguageIdentifier:
    # Loaded once per process, on first use (about a second): workers keep it.
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """The text's ISO 639 code ("en", "fr"), or "" when there is too little text or no clear answer."""
    sample = text[:SAMPLE_CHARS]
    if word_count(sample) < MIN_WORDS:
        return ""
    language, confidence = _identifier().classify(sample)
    return "" if confidence < MIN_CONFIDENCE or language in NOT_A_LANGUAGE else str(language)
