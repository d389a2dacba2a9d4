"""Articles as JSON records: the data a researcher can always take away (command and download)."""

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.db.models import Prefetch, Q

from articles.models import Article, NearDuplicate, Original
from workspace.models import Workspace

CHUNK_SIZE = 500


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def original_record(original: Original | None) -> dict | None:
    if original is None:
        return None
    return {
        "sha256": original.sha256,
        "filename": original.filename,
        "content_type": original.content_type,
        "size": original.size,
        "url": original.url,
        "final_url": original.final_url,
        "http_status": original.http_status,
        "fetched_at": iso(original.fetched_at),
    }


def article_record(article: Article, near_duplicates: list[int]) -> dict:
    originals = article.first_originals
    return {
        "id": article.pk,
        "status": article.status,
        "last_error": article.last_error,
        "kind": article.kind,
        "label": article.label,
        "submitted_url": article.submitted_url,
        "title": article.title,
        "standfirst": article.standfirst,
        "authors": article.authors,
        "published_on": iso(article.published_on),
        "site_name": article.site_name,
        "canonical_url": article.canonical_url,
        "language": article.language,
        "word_count": article.word_count,
        "text": article.text,
        "html": article.html,
        "created_at": iso(article.created_at),
        "cleaned_at": iso(article.cleaned_at),
        "original": original_record(originals[0] if originals else None),
        "duplicate_of": article.duplicate_of_id,
        "near_duplicates": near_duplicates,
    }


def articles_of(workspace: Workspace):
    # The first original in the model's ordering: the one processing reads (`originals.first()`).
    first_original = Original.objects.order_by(*Original._meta.ordering).defer("headers")[:1]
    return (
        Article.objects.in_workspace(workspace)
        .defer("fingerprint", "text_hash")
        .order_by("pk")
        .prefetch_related(Prefetch("originals", queryset=first_original, to_attr="first_originals"))
    )


def near_duplicate_map(article_ids: list[int]) -> dict[int, list[int]]:
    links = NearDuplicate.objects.filter(Q(article_id__in=article_ids) | Q(other_id__in=article_ids)).values_list(
        "article_id", "other_id"
    )
    ids, found = set(article_ids), defaultdict(set)
    for first, second in links:
        if first in ids:
            found[first].add(second)
        if second in ids:
            found[second].add(first)
    return {pk: sorted(others) for pk, others in found.items()}


def chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def records(workspace: Workspace, chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    for chunk in chunks(articles_of(workspace).iterator(chunk_size=chunk_size), chunk_size):
        near = near_duplicate_map([a.pk for a in chunk])
        for article in chunk:
            yield article_record(article, near.get(article.pk, []))


def jsonl_lines(workspace: Workspace) -> Iterator[str]:
    for record in records(workspace):
        yield json.dumps(record, ensure_ascii=False) + "\n"
