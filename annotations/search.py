"""Full-text search over passages (their quote and note), with the articles' query syntax."""

from django.db import connection
from django.db.models import BooleanField, FloatField, QuerySet, Value
from django.db.models.expressions import RawSQL

from articles.search import MAX_QUERY_LENGTH, fts5_query, parse, pg_tsquery, pg_workspace_configs


def search_passages(queryset: QuerySet, query: str, *, workspace) -> QuerySet:
    """`queryset` of annotations narrowed to those whose quote or note matches, with `search_rank`."""
    query = query.strip()[:MAX_QUERY_LENGTH]
    parsed = parse(query)
    if not parsed.positive:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        configs = pg_workspace_configs(workspace.pk)
        tsquery, params = pg_tsquery(configs), [query] * len(configs)
        column = "annotations_annotation.search_vector"
        matches = RawSQL(f"{column} @@ {tsquery}", params, output_field=BooleanField())
        rank = RawSQL(f"ts_rank_cd({column}, {tsquery})", params, output_field=FloatField())
        return queryset.annotate(search_match=matches, search_rank=rank).filter(search_match=True)
    match = fts5_query(parsed)
    hits = RawSQL("SELECT rowid FROM annotations_annotation_fts WHERE annotations_annotation_fts MATCH %s", [match])
    rank = RawSQL(
        "(SELECT -bm25(annotations_annotation_fts, 2.0, 1.0) FROM annotations_annotation_fts "
        "WHERE annotations_annotation_fts MATCH %s AND rowid = annotations_annotation.id)",
        [match],
        output_field=FloatField(),
    )
    return queryset.filter(pk__in=hits).annotate(search_rank=rank)
