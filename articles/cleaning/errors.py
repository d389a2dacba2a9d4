"""The one exception the cleaning package raises for input it cannot use."""

from __future__ import annotations


class CleaningError(Exception):
    """A document could not be cleaned.

    ``message`` is one plain-English sentence that can be shown to the researcher
    who uploaded the document.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
