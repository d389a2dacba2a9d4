"""Download a workspace's (or an article's) annotations as W3C Web Annotations, and import them."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from annotations import w3c
from annotations.models import Annotation
from articles.models import Article
from workspace.http import safe_next
from workspace.permissions import Action, get_object_for, workspace_view

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def base_url_of(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@require_GET
@login_required
def article_annotations_export(request: HttpRequest, pk: int) -> HttpResponse:
    """One article's live annotations as an AnnotationCollection (JSON-LD)."""
    articles = Article.objects.select_related("workspace").defer("text", "html")
    article = get_object_for(request, articles, Action.VIEW, pk=pk)
    annotations = w3c.export_queryset(Annotation.objects.filter(article=article))
    data = w3c.collection(
        annotations,
        base_url=base_url_of(request),
        id_url=request.build_absolute_uri(request.path),
        label=f"Annotations on “{article.title or f'article {article.pk}'}”",
    )
    body = json.dumps(data, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=w3c.MEDIA_TYPE)
    return attachment(response, f"annotations-article-{article.pk}.jsonld")


@require_GET
@workspace_view(Action.VIEW)
def workspace_annotations_export(request: HttpRequest) -> HttpResponse:
    """Every live annotation of the current workspace, streamed (chunked reads, bounded queries)."""
    workspace = request.workspace
    annotations = w3c.export_queryset(Annotation.objects.in_workspace(workspace))
    chunks = w3c.collection_chunks(
        annotations.iterator(chunk_size=500),
        total=annotations.count(),
        base_url=base_url_of(request),
        id_url=request.build_absolute_uri(request.path),
        label=f"Annotations of {workspace.name}",
    )
    response = StreamingHttpResponse(chunks, content_type=w3c.MEDIA_TYPE)
    return attachment(response, f"{workspace.slug}-annotations.jsonld")


@require_POST
@workspace_view(Action.EDIT)
def workspace_annotations_import(request: HttpRequest) -> HttpResponse:
    """A W3C annotation file (collection, page, annotation or list) into the current workspace."""
    upload = request.FILES.get("file")
    if upload is None:
        return refusal("Choose a W3C annotation file (.jsonld or .json) to import.")
    if upload.size > MAX_IMPORT_BYTES:
        return refusal(f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    try:
        data = w3c.load_json(upload.read())
    except w3c.ImportFileError as error:
        return refusal(str(error))
    result = w3c.import_collection(data, workspace=request.workspace, user=request.user, base_url=base_url_of(request))
    level = messages.WARNING if result.errors else messages.SUCCESS
    messages.add_message(request, level, result.summary())
    return HttpResponseRedirect(safe_next(request, default=reverse("home")))


def refusal(message: str) -> HttpResponse:
    return HttpResponse(message, status=422, content_type="text/plain; charset=utf-8")
