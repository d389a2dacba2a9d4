from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotations import saved_searches
from annotations.models import SavedSearch
from workspace.http import is_htmx, safe_next
from workspace.permissions import Action, workspace_view


class SaveSearchForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=SavedSearch.Kind.choices)


def mine(request: HttpRequest):
    return SavedSearch.objects.filter(workspace=request.workspace, user=request.user)


@workspace_view(Action.VIEW)
def saved_search_list(request: HttpRequest) -> HttpResponse:
    """The researcher's saved searches, each with how many results are new since the last visit."""
    entries = [{"saved": s, "new": saved_searches.new_since_last_visit(s)} for s in mine(request)[:50]]
    template = "annotations/_saved_searches.html" if is_htmx(request) else "annotations/saved_search_list.html"
    return render(request, template, {"entries": entries})


@workspace_view(Action.VIEW)
@require_POST
def saved_search_create(request: HttpRequest) -> HttpResponse:
    form = SaveSearchForm(request.POST)
    back = safe_next(request, default="/")
    if not form.is_valid():
        messages.error(request, "Give the search a name (at most 120 characters) to save it.")
        return redirect(back)
    query = request.POST.copy()
    query.pop("next", None)
    saved = saved_searches.save_search(request=request, query=query, **form.cleaned_data)
    messages.success(request, f"Search saved as “{saved.name}”. It is listed under Saved in the navigation.")
    return redirect(back)


@workspace_view(Action.VIEW)
def saved_search_open(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(mine(request), pk=pk)
    saved_searches.mark_seen(saved)
    return redirect(saved_searches.url_of(saved))


@workspace_view(Action.VIEW)
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(mine(request), pk=pk)
    saved.delete()
    messages.success(request, f"Saved search “{saved.name}” deleted.")
    return redirect("annotations:saved_searches")
