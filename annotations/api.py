"""The JSON endpoints the reader uses. See docs/API.md.

All are session-authenticated and CSRF-protected (header X-CSRFToken), permission-checked
through `workspace.permissions`, and answer bad input with 4xx and {"error": "…"}.
Offsets are Unicode code points into the article's plain text (W3C TextPositionSelector).
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_http_methods

from annotations import services
from annotations.models import Annotation, Tag
from annotations.notes import render_note
from annotations.permissions import can_change, require_change
from articles.models import Article
from workspace.permissions import Action, get_object_for

MAX_BODY_BYTES = 64 * 1024


def error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def json_view(*methods: str):
    """Sign-in, allowed methods, and every refusal as a JSON error instead of an HTML page."""

    def decorator(view):
        @require_http_methods(list(methods))
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not request.user.is_authenticated:
                return error("Sign in first.", 401)
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error("No such article or annotation.", 404)
            except PermissionDenied as denied:
                return error(str(denied) or "You may not do that here.", 403)
            except ValidationError as invalid:
                return error(" ".join(invalid.messages), 400)
            except services.StaleVersion as stale:
                return error(stale.message, 409)

        wrapper.__name__ = view.__name__
        return wrapper

    return decorator


def read_body(request: HttpRequest) -> dict:
    if len(request.body) > MAX_BODY_BYTES:
        raise ValidationError("The request is too large.")
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as bad:
        raise ValidationError("The request body is not valid JSON.") from bad
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data


def optional_int(data: dict, name: str) -> int | None:
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"“{name}” must be a whole number of characters.")
    return value


def optional_str(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"“{name}” must be text.")
    return value


def tag_list(data: dict) -> list[str] | None:
    value = data.get("tags")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("“tags” must be a list of tag names.")
    return services.clean_tag_names(value)


def annotation_json(request: HttpRequest, annotation: Annotation) -> dict:
    return {
        "id": annotation.pk,
        "article": annotation.article_id,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "start": annotation.start,
        "end": annotation.end,
        "anchor": annotation.anchor,
        "anchor_score": round(annotation.anchor_score, 3),
        "note": annotation.note,
        "note_html": render_note(annotation.note),
        "tags": [{"name": t.name, "colour": t.colour} for t in annotation.tags.all()],
        "author": str(annotation.author) if annotation.author else "",
        "created": annotation.created_at.isoformat(),
        "updated": annotation.updated_at.isoformat(),
        "version": annotation.version,
        "can_change": can_change(request, annotation),
        "deleted": annotation.deleted_at is not None,
    }


def annotation_for(request: HttpRequest, pk: int, *, change: bool) -> Annotation:
    queryset = Annotation.objects.select_related("workspace", "article", "author").prefetch_related("tags")
    annotation = get_object_for(request, queryset, Action.EDIT if change else Action.VIEW, pk=pk)
    if change:
        require_change(request, annotation)
    return annotation


@json_view("GET", "POST")
def article_annotations(request: HttpRequest, article_pk: int) -> JsonResponse:
    if request.method == "GET":
        article = get_object_for(request, Article.objects.select_related("workspace"), Action.VIEW, pk=article_pk)
        annotations = Annotation.objects.live().filter(article=article).select_related("workspace", "author")
        items = [annotation_json(request, a) for a in annotations.prefetch_related("tags")]
        return JsonResponse({"annotations": items})
    article = get_object_for(request, Article.objects.select_related("workspace"), Action.EDIT, pk=article_pk)
    data = read_body(request)
    annotation = services.create_annotation(
        article=article,
        user=request.user,
        start=optional_int(data, "start"),
        end=optional_int(data, "end"),
        exact=optional_str(data, "exact"),
        note=optional_str(data, "note") or "",
        tag_names=tag_list(data) or [],
    )
    return JsonResponse(annotation_json(request, annotation_for(request, annotation.pk, change=False)), status=201)


@json_view("GET", "PATCH", "DELETE")
def annotation_detail(request: HttpRequest, pk: int) -> JsonResponse:
    if request.method == "GET":
        return JsonResponse(annotation_json(request, annotation_for(request, pk, change=False)))
    annotation = annotation_for(request, pk, change=True)
    if request.method == "DELETE":
        services.delete_annotation(annotation=annotation)
        return JsonResponse({"id": annotation.pk, "deleted": True})
    data = read_body(request)
    version = optional_int(data, "version")
    if version is None:
        raise ValidationError("Send the “version” you edited, so that nobody's change is lost.")
    services.update_annotation(
        annotation=annotation,
        version=version,
        note=optional_str(data, "note"),
        tag_names=tag_list(data),
        start=optional_int(data, "start"),
        end=optional_int(data, "end"),
        exact=optional_str(data, "exact"),
    )
    return JsonResponse(annotation_json(request, annotation_for(request, pk, change=False)))


@json_view("POST")
def annotation_restore(request: HttpRequest, pk: int) -> JsonResponse:
    annotation = annotation_for(request, pk, change=True)
    services.restore_annotation(annotation=annotation)
    return JsonResponse(annotation_json(request, annotation_for(request, pk, change=False)))


@json_view("GET")
def tag_suggestions(request: HttpRequest) -> JsonResponse:
    """Tags of the current workspace whose name contains `q`, most used first."""
    if request.workspace is None:
        raise Http404
    query = (request.GET.get("q") or "").strip()[:80]
    tags = Tag.objects.in_workspace(request.workspace).filter(name__icontains=query)
    tags = tags.annotate(uses=Count("annotations", filter=Q(annotations__deleted_at__isnull=True)))
    return JsonResponse({"tags": [{"name": t.name, "colour": t.colour} for t in tags.order_by("-uses", "name")[:20]]})
