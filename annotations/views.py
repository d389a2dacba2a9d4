from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from annotations.models import Tag
from workspace.permissions import Action, workspace_view


@workspace_view(Action.VIEW)
def tag_list(request: HttpRequest) -> HttpResponse:
    tags = Tag.objects.in_workspace(request.workspace).annotate(article_count=Count("articles"))
    return render(request, "annotations/tag_list.html", {"tags": tags})
