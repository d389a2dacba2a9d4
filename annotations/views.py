from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import urlencode
from django.urls import reverse
from django.utils.timezone import get_current_timezone

from annotations import rendering
from annotations.filters import NEWEST_FIRST, PassageFilter
from annotations.models import Annotation, Tag
from annotations.notes import render_note, shorten
from annotations.permissions import can_change
from annotations.selectors import TagView, tags_of
from articles import search
from articles import services as article_services
from articles.humanize import times_since
from articles.models import Article
from articles.paging import IdPaginator
from workspace.http import filters_open, is_htmx
from workspace.models import User, Workspace
from workspace.permissions import Action, get_object_for, workspace_view

PASSAGES_PER_PAGE = 50
QUOTE_LENGTH = 280  # characters of a quote shown in the side panel


@dataclass(slots=True)
class ReaderAnnotation:
    """What the reader shows of an annotation, read as a plain row: for 500 annotations, building
    model instances took a quarter of the page's time. Duck-types `Annotation` for the panel
    (`annotations.panel`) and `can_change`."""

    pk: int
    workspace: Workspace
    author_id: int | None
    exact: str
    start: int | None
    end: int | None
    anchor: str
    anchor_score: float
    note: str
    version: int
    updated_at: datetime
    author: User | None = None
    tag_list: list[TagView] = field(default_factory=list)

    @property
    def is_passage(self) -> bool:
        return bool(self.exact)


READER_FIELDS = (
    "pk", "author_id", "exact", "start", "end", "anchor", "anchor_score", "note", "version", "updated_at",
)  # fmt: skip


def article_annotations(article: Article) -> list[ReaderAnnotation]:
    """The article's live annotations in text order, each with `tag_list` (by name) and its author."""
    rows = (
        Annotation.objects.live().filter(article=article, workspace=article.workspace_id).order_by("start", "end", "pk")
    )
    found = [
        ReaderAnnotation(pk, article.workspace, author_id, *rest)
        for pk, author_id, *rest in rows.values_list(*READER_FIELDS)
    ]
    authors = User.objects.in_bulk({a.author_id for a in found if a.author_id})
    links = Annotation.tags.through.objects.filter(annotation__article=article, annotation__deleted_at=None)
    tags = tags_of(links)
    for a in found:
        a.author = authors.get(a.author_id)
        a.tag_list = tags.get(a.pk, [])
    return found


def highlights(annotations: list[ReaderAnnotation]) -> list[rendering.Highlight]:
    return [
        rendering.Highlight(a.start, a.end, a.pk, f"tag--{a.tag_list[0].colour}" if a.tag_list else "")
        for a in annotations
        if a.start is not None and a.end is not None
    ]


def panel_entries(request: HttpRequest, annotations: list[ReaderAnnotation]) -> list[dict]:
    """What each entry of the side panel shows, prepared once here rather than by filters per entry."""
    zone = get_current_timezone()
    return [
        {
            "annotation": a,
            "tags": a.tag_list,
            "tag_names": ", ".join(tag.name for tag in a.tag_list),
            "quote": shorten(a.exact, QUOTE_LENGTH),
            "updated": a.updated_at.astimezone(zone).isoformat(),
            "ago": ago,
            "note_html": render_note(a.note),
            "can_change": can_change(request, a),
        }
        for a, ago in zip(annotations, times_since(a.updated_at for a in annotations), strict=True)
    ]


def reader_context(request: HttpRequest, article: Article) -> dict:
    annotations = article_annotations(article)
    body = rendering.render(article.html, highlights(annotations)) if article.status == Article.Status.READY else None
    entries = panel_entries(request, annotations)
    return {
        "article": article,
        "body_html": body.html if body else "",
        "passages": [e for e in entries if e["annotation"].start is not None],
        "orphans": [e for e in entries if e["annotation"].is_passage and e["annotation"].start is None],
        "article_notes": [e for e in entries if not e["annotation"].is_passage],
        "annotation_count": len(entries),
        # Made once here, not once per panel entry (the pin form lives in the dossiers app).
        "pin_url": reverse("dossiers:pin"),
        "pin_next": urlencode(request.path),
    }


@workspace_view(Action.VIEW)
def article_reader(request: HttpRequest, pk: int) -> HttpResponse:
    """The article to read and annotate: clean text, highlights, and the side panel of annotations."""
    article = get_object_for(request, Article.objects.select_related("workspace", "duplicate_of"), Action.VIEW, pk=pk)
    context = reader_context(request, article)
    if is_htmx(request) and request.GET.get("part") == "annotated":
        return render(request, "annotations/_annotated.html", context)
    context.update(
        original=article.originals.first(),
        also_published=article_services.near_duplicates_of(article),
        article_tags=list(article.tags.all()),
        # Added by the dossiers app; read through the reverse relations without importing it.
        article_dossiers=list(article.dossiers.all()),
        # Ids and titles for the toolbar's select (a workspace may hold hundreds of dossiers).
        toolbar_dossiers=list(article.workspace.dossiers.filter(archived_at__isnull=True).values("pk", "title")),
    )
    return render(request, "annotations/article_reader.html", context)


@workspace_view(Action.VIEW)
def passage_search(request: HttpRequest) -> HttpResponse:
    """Passages of the workspace by words in their quote or note, tags, dossier, article, author, date."""
    passages = Annotation.objects.live().in_workspace(request.workspace).exclude(exact="")
    filterset = PassageFilter(request.GET or None, queryset=passages, workspace=request.workspace)
    # Counted up to a cap, then estimated: a workspace's million passages are not counted on every visit.
    hits = search.count_hits(filterset.qs, cap=min(search.COUNT_LIMIT, settings.SEARCH_RANK_LIMIT))
    # As for articles: past the ranking limit, newest first answers at once.
    too_many_to_rank = filterset.ranking and hits.value > settings.SEARCH_RANK_LIMIT
    ordering = NEWEST_FIRST if too_many_to_rank else filterset.ordering()
    ranked = filterset.ranking and not too_many_to_rank
    matches = filterset.qs if ranked else search.among_hits(filterset.qs, hits, passages)
    rows = (
        passages.select_related("article", "author")
        .defer("article__html", "article__text", "article__fingerprint", "article__removed_lines")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    )
    paginator = IdPaginator(matches.order_by(*ordering), PASSAGES_PER_PAGE, rows=rows, hits=hits)
    page = paginator.get_page(request.GET.get("page"))
    query = filterset.form.cleaned_data.get("q", "") if filterset.searching else ""
    empty_reason = search.explain_empty(query) if query and not hits.value else ""
    context = {
        "filter": filterset,
        "page": page,
        "hits": hits.wording("passage"),
        "query": query,
        "empty_reason": empty_reason,
        "too_many_to_rank": too_many_to_rank,
        "filters_open": filters_open(request),
    }
    return render(request, "annotations/passage_search.html", context)
