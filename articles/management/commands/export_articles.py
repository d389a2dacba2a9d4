"""Export a workspace's articles, one JSON object per line.

    python manage.py export_articles --workspace SLUG [--format jsonl] [--output FILE]

Streams: articles are read in chunks, each chunk with two more queries (its first original
and its near-duplicate links), so the number of queries grows with chunks, not articles.
"""

import json
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch, Q

from articles.models import Article, NearDuplicate, Original
from workspace.models import Workspace

CHUNK_SIZE = 500
FORMATS = ("jsonl",)


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


class Command(BaseCommand):
    help = "Export the articles of a workspace as JSON Lines (one article per line)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, metavar="SLUG", help="The workspace to export.")
        parser.add_argument("--format", default="jsonl", metavar="FORMAT", help="Only jsonl for now (the default).")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(f"Unsupported format “{options['format']}”: only {', '.join(FORMATS)} is available.")
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace with the slug “{options['workspace']}”.")
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8", newline="\n") as handle:
                    count = self.export(workspace, handle.write)
            except OSError as error:
                raise CommandError(f"Could not write {options['output']}: {error}") from None
            if options["verbosity"] >= 1:
                self.stderr.write(f"Exported {count} articles to {options['output']}.", style_func=lambda s: s)
        else:
            try:
                self.export(workspace, lambda line: self.stdout.write(line, ending=""))
                self.stdout.flush()
            except BrokenPipeError:  # `export_articles … | head`: the reader has what it wanted
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())

    def export(self, workspace: Workspace, write) -> int:
        count = 0
        for record in records(workspace):
            write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
