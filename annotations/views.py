from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations import rendering
from annotations.models import Annotation, Tag
from annotations.notes import render_note
from annotations.permissions import can_change
from articles import services as article_services
from articles.models import Article
from workspace.http import is_htmx
from workspace.permissions import Action, get_object_for, workspace_view


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
        {"annotation": a, "note_html": render_note(a.note), "can_change": can_change(request, a)} for a in annotations
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
        # Added by the dossiers app; read through the reverse relation without importing it.
        article_dossiers=list(article.dossiers.all()),
    )
    return render(request, "annotations/article_reader.html", context)
