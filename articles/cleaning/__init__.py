"""Turn uploaded or pasted news articles into clean, safe HTML, plain text and metadata.

Pure Python (no Django): the service layer calls ``clean_document`` or
``clean_pasted`` from a Celery task and stores the resulting ``CleanedArticle``.
"""

from .article import CleanedArticle
from .boilerplate import paragraph_key
from .errors import CleaningError
from .pipeline import clean_document, clean_pasted
from .text import near_duplicate_score

__all__ = [
    "CleanedArticle",
    "CleaningError",
    "clean_document",
    "clean_pasted",
    "near_duplicate_score",
    "paragraph_key",
]
