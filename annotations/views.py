from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotations import rendering
from annotations.filters import PassageFilter
from annotations.models import Annotation, Tag
from annotations.notes import render_note
from annotations.permissions import can_change
from articles import services as article_services
from articles.models import Article
from articles.search import explain_empty
from workspace.http import filters_open, is_htmx
from workspace.permissions import Action, get_object_for, workspace_view

PASSAGES_PER_PAGE = 50


def article_annotations(article: Article) -> list[Annotation]:
    tags = Prefetch("tags", queryset=Tag.objects.order_by("name"))
    annotations = (
        Annotation.objects.live().filter(article=article).select_related("author", "workspace").prefetch_related(tags)
    )
    return list(annotations.order_by("start", "end", "pk"))


def highlights(annotations: list[Annotation]) -> list[rendering.Highlight]:
    return [
        rendering.Highlight(a.start, a.end, a.pk, f"tag--{a.tags.all()[0].colour}" if a.tags.all() else "")
        for a in annotations
        if a.start is not None and a.end is not None
    ]


def panel_entries(request: HttpRequest, annotations: list[Annotation]) -> list[dict]:
    return [
        {
            "annotation": a,
            "tags": list(a.tags.all()),
            "note_html": render_note(a.note),
            "can_change": can_change(request, a),
        }
        for a in annotations
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
        # Reversed once here, not once per panel entry (the pin form lives in the dossiers app).
        "pin_url": reverse("dossiers:pin"),
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
        # workspace_id too: the related manager sets the workspace on each row, reading that field.
        toolbar_dossiers=list(
            article.workspace.dossiers.filter(archived_at__isnull=True).only("pk", "title", "workspace_id")
        ),
    )
    return render(request, "annotations/article_reader.html", context)


@workspace_view(Action.VIEW)
def passage_search(request: HttpRequest) -> HttpResponse:
    """Passages of the workspace by words in their quote or note, tags, dossier, article, author, date."""
    passages = Annotation.objects.live().in_workspace(request.workspace).exclude(exact="")
    passages = passages.select_related("article", "author").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )
    filterset = PassageFilter(request.GET or None, queryset=passages, workspace=request.workspace)
    page = Paginator(filterset.qs.order_by(*filterset.ordering()), PASSAGES_PER_PAGE).get_page(request.GET.get("page"))
    query = filterset.form.cleaned_data.get("q", "") if filterset.searching else ""
    empty_reason = explain_empty(query) if query and not page.paginator.count else ""
    context = {
        "filter": filterset,
        "page": page,
        "query": query,
        "empty_reason": empty_reason,
        "filters_open": filters_open(request),
    }
    return render(request, "annotations/passage_search.html", context)
