"""Saved searches: a name for a search URL, and what is new since the researcher last opened it."""

from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils import timezone

from annotations.filters import PassageFilter
from annotations.models import Annotation, SavedSearch
from articles.filters import ArticleFilter
from articles.models import Article

# Paging and sorting do not change what a search finds.
IGNORED_PARAMS = {"page", "order", "csrfmiddlewaretoken", "name", "kind"}


def clean_query_string(query: QueryDict) -> str:
    kept = query.copy()
    for key in IGNORED_PARAMS:
        kept.pop(key, None)
    return kept.urlencode()[:2000]


def save_search(*, request: HttpRequest, name: str, kind: str, query: QueryDict) -> SavedSearch:
    return SavedSearch.objects.create(
        workspace=request.workspace, user=request.user, name=name, kind=kind, query_string=clean_query_string(query)
    )


def url_of(saved: SavedSearch) -> str:
    base = reverse("articles:search" if saved.kind == SavedSearch.Kind.ARTICLES else "annotations:passages")
    return f"{base}?{saved.query_string}" if saved.query_string else base


def mark_seen(saved: SavedSearch) -> None:
    saved.last_seen_at = timezone.now()
    saved.save(update_fields=["last_seen_at"])


def new_since_last_visit(saved: SavedSearch) -> int:
    """How many results were added after the researcher last opened this search."""
    data = QueryDict(saved.query_string)
    if saved.kind == SavedSearch.Kind.ARTICLES:
        queryset = Article.objects.in_workspace(saved.workspace).filter(created_at__gt=saved.last_seen_at)
        return ArticleFilter(data, queryset=queryset, workspace=saved.workspace).qs.count()
    queryset = Annotation.objects.live().in_workspace(saved.workspace).exclude(exact="")
    queryset = queryset.filter(created_at__gt=saved.last_seen_at)
    return PassageFilter(data, queryset=queryset, workspace=saved.workspace).qs.count()
