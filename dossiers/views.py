from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from annotations.services import parse_tag_names
from articles.models import Article
from dossiers import services
from dossiers.forms import DossierForm, FileArticlesForm
from dossiers.models import Dossier
from workspace.http import is_htmx, safe_next
from workspace.permissions import Action, get_object_for, workspace_view


@workspace_view(Action.VIEW)
def dossier_list(request: HttpRequest) -> HttpResponse:
    dossiers = Dossier.objects.in_workspace(request.workspace).annotate(story_count=Count("items"))
    return render(request, "dossiers/dossier_list.html", {"dossiers": dossiers})


@workspace_view(Action.EDIT)
def dossier_create(request: HttpRequest) -> HttpResponse:
    form = DossierForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            dossier = services.create_dossier(workspace=request.workspace, user=request.user, **form.cleaned_data)
            messages.success(request, f"Dossier “{dossier.title}” created.")
            return redirect(dossier)
        return render(request, "dossiers/dossier_form.html", {"form": form}, status=422)
    return render(request, "dossiers/dossier_form.html", {"form": form})


@workspace_view(Action.VIEW)
def dossier_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = get_object_for(request, Dossier.objects.select_related("workspace"), Action.VIEW, pk=pk)
    items = dossier.items.select_related("article").order_by("position", "added_at")
    return render(request, "dossiers/dossier_detail.html", {"dossier": dossier, "items": items})


@workspace_view(Action.EDIT)
def file_articles(request: HttpRequest) -> HttpResponse:
    """Put articles into a dossier and tag them: after an upload, from the reader, from lists."""
    data = request.POST if request.method == "POST" else None
    initial = {"articles": request.GET.get("articles", "")}
    form = FileArticlesForm(data, initial=initial, workspace=request.workspace)
    template = "dossiers/_file_articles.html" if is_htmx(request) else "dossiers/file_articles.html"
    if request.method != "POST":
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=422)
    wanted = form.cleaned_data["articles"]
    found = {a.pk: a for a in Article.objects.in_workspace(request.workspace).filter(pk__in=wanted)}
    articles = [found[pk] for pk in wanted if pk in found]  # in the order given
    if not articles:
        raise Http404("No such articles.")
    summary = services.file_articles(
        workspace=request.workspace,
        user=request.user,
        articles=articles,
        dossier=form.cleaned_data["dossier"],
        new_dossier=form.cleaned_data["new_dossier"].strip(),
        tag_names=parse_tag_names(form.cleaned_data["tags"]),
    )
    messages.success(request, summary)
    return redirect(safe_next(request, default=reverse("articles:list")))
