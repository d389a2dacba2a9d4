"""Download a dossier: Markdown brief, printable HTML brief, CSV of passages, W3C JSON-LD."""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.templatetags.static import static
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from dossiers import exports
from dossiers.models import Dossier
from workspace.permissions import Action, get_object_for


@require_GET
@login_required
def dossier_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The dossier in `fmt` (md, html, csv, json) as a download; a fixed number of queries."""
    if fmt not in exports.FORMATS:
        raise Http404("No such export format.")
    dossier = get_object_for(request, Dossier.objects.select_related("workspace"), Action.VIEW, pk=pk)
    brief = exports.load_brief(dossier)  # every query happens here, before any streaming
    content_type = exports.FORMATS[fmt][1]
    response: HttpResponse | StreamingHttpResponse
    if fmt == "md":
        response = HttpResponse(exports.brief_markdown(brief), content_type=content_type)
    elif fmt == "html":
        # Absolute: the downloaded file, opened from disk, still finds its stylesheet.
        stylesheet_url = request.build_absolute_uri(static("css/brief.css"))
        response = HttpResponse(exports.brief_html(brief, stylesheet_url=stylesheet_url), content_type=content_type)
    elif fmt == "csv":
        response = StreamingHttpResponse(exports.csv_chunks(brief), content_type=content_type)
    else:
        data = exports.brief_json(
            brief, base_url=request.build_absolute_uri("/").rstrip("/"), id_url=request.build_absolute_uri(request.path)
        )
        response = HttpResponse(json.dumps(data, ensure_ascii=False), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, exports.filename(brief, fmt))
    response["X-Content-Type-Options"] = "nosniff"
    return response
