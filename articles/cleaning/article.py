"""The value object produced by the cleaning pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CleanedArticle:
    title: str
    standfirst: str
    authors: list[str]
    published: date | None
    site_name: str
    canonical_url: str
    language: str
    html: str
    text: str
    text_hash: str
    fingerprint: list[int]
    removed_boilerplate: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
