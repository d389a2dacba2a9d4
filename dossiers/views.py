from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dossiers import services
from dossiers.forms import DossierForm
from dossiers.models import Dossier
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
