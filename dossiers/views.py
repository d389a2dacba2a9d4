from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations.models import Annotation, Tag
from annotations.notes import render_note
from annotations.selectors import tags_by_annotation
from annotations.services import parse_tag_names
from articles.models import Article
from dossiers import exports, selectors, services
from dossiers.forms import DossierForm, FileArticlesForm, NoteForm, PinForm, SectionForm
from dossiers.models import Dossier, DossierArticle, DossierPassage, DossierSection
from dossiers.timeline import timeline_svg
from workspace.http import is_htmx, safe_next
from workspace.permissions import Action, get_object_for, workspace_view

STORIES_PER_PAGE = 50
PASSAGES_PER_PAGE = 50
TAG_GROUPS_SHOWN = 30


def dossier_for(request: HttpRequest, pk: int, action: Action) -> Dossier:
    return get_object_for(request, Dossier.objects.select_related("workspace"), action, pk=pk)


@workspace_view(Action.VIEW)
def dossier_list(request: HttpRequest) -> HttpResponse:
    dossiers = Dossier.objects.in_workspace(request.workspace).annotate(
        story_count=Count("items", distinct=True), passage_count=Count("passages", distinct=True)
    )
    show_archived = request.GET.get("archived") == "1"
    dossiers = dossiers.filter(archived_at__isnull=not show_archived)
    return render(request, "dossiers/dossier_list.html", {"dossiers": dossiers, "show_archived": show_archived})


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
    dossier = dossier_for(request, pk, Action.VIEW)
    facts, sections = selectors.story_facts(dossier), list(dossier.sections.all())
    paginator = Paginator(selectors.story_items(dossier), STORIES_PER_PAGE)
    paginator.count = len(facts)  # one row per story, read already: no COUNT query
    stories = paginator.get_page(request.GET.get("page"))
    groups = selectors.sections(dossier, sections)
    passages = sum(group["count"] for group in groups)
    context = {
        "dossier": dossier,
        "description_html": render_note(dossier.description),
        "overview": selectors.overview(facts, passages=passages),
        "timeline": timeline_svg(selectors.timeline_counts(facts)),
        "groups": groups,
        "sources": selectors.sources(facts),
        "stories": stories,
        "sections": sections,
        "section_form": SectionForm(),
        "export_formats": exports.EXPORT_FORMATS,
        "passages_url": reverse("dossiers:passages", args=[dossier.pk]),
    }
    # Counting the tags of every pinned passage is the page's longest query (30 ms for 10,000
    # pins): the page loads them after itself (`dossier_tags_hx`), or now when the address asks.
    if passages and request.GET.get("tags"):
        context.update(tags_context(request, dossier))
    for item in stories.object_list:
        item.action_url = reverse("dossiers:story_action", args=[dossier.pk, item.pk])
    prepare_pins(dossier, [pin for group in groups for pin in group["passages"]], sections)
    return render(request, "dossiers/dossier_detail.html", context)


@workspace_view(Action.VIEW)
def dossier_tags_hx(request: HttpRequest, pk: int) -> HttpResponse:
    """The dossier page's "Passages by tag", loaded after the page."""
    dossier = dossier_for(request, pk, Action.VIEW)
    context = {"dossier": dossier, "passages_url": reverse("dossiers:passages", args=[dossier.pk])}
    return render(request, "dossiers/_tag_groups.html", {**context, **tags_context(request, dossier)})


def tags_context(request: HttpRequest, dossier: Dossier) -> dict:
    """The tags of the pinned passages, most used first: the first TAG_GROUPS_SHOWN, or all when asked."""
    counts = selectors.tag_counts(dossier)
    limit = None if request.GET.get("tags") == "all" else TAG_GROUPS_SHOWN
    return {"tags_loaded": True, "tag_groups": selectors.tag_groups(counts, limit=limit), "tag_total": len(counts)}


def prepare_pins(dossier: Dossier, pins, sections: list[DossierSection]) -> None:
    """What `_pin.html` repeats for each pin, made here: its form action, its passage's tags (one
    query for the page), and its section options (rendered once per section, not once per pin: a
    template loop per pin was most of a long page)."""
    options = {
        choice: render_to_string("dossiers/_section_options.html", {"sections": sections, "selected": choice})
        for choice in [None, *(section.pk for section in sections)]
    }
    tags = tags_by_annotation(pin.annotation_id for pin in pins)
    for pin in pins:
        pin.tag_list = tags.get(pin.annotation_id, [])
        pin.action_url = reverse("dossiers:passage_action", args=[dossier.pk, pin.pk])
        pin.section_options = options.get(pin.section_id, options[None])


@workspace_view(Action.EDIT)
def dossier_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for(request, pk, Action.EDIT)
    form = DossierForm(request.POST or None, instance=dossier)
    if request.method == "POST":
        if form.is_valid():
            services.update_dossier(dossier=dossier, **form.cleaned_data)
            messages.success(request, "Dossier saved.")
            return redirect(dossier)
        return render(request, "dossiers/dossier_form.html", {"form": form, "dossier": dossier}, status=422)
    return render(request, "dossiers/dossier_form.html", {"form": form, "dossier": dossier})


@workspace_view(Action.EDIT)
@require_POST
def dossier_archive(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for(request, pk, Action.EDIT)
    archived = request.POST.get("archived") == "1"
    services.set_archived(dossier=dossier, archived=archived)
    messages.success(request, f"“{dossier.title}” {'archived' if archived else 'is active again'}.")
    return redirect(dossier)


@workspace_view(Action.EDIT)
@require_POST
def story_action(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Remove a story, move it up or down, or write the curator's note on it."""
    dossier = dossier_for(request, pk, Action.EDIT)
    item = get_object_or_404(DossierArticle.objects.select_related("article"), pk=item_pk, dossier=dossier)
    action = request.POST.get("action")
    if action == "remove":
        services.remove_article(item=item)
        messages.success(request, f"“{item.article.display_title}” removed from the dossier.")
    elif action in {"up", "down"}:
        services.move(item=item, siblings=dossier.items.order_by("position", "added_at"), direction=move_step(action))
    elif action == "note":
        form = NoteForm(request.POST)
        if not form.is_valid():
            messages.error(request, form.errors["note"][0])
        else:
            services.set_article_note(item=item, note=form.cleaned_data["note"])
            messages.success(request, "Note saved.")
    return redirect(safe_next(request, default=dossier.get_absolute_url()))


def move_step(action: str) -> int:
    return -1 if action == "up" else 1


@workspace_view(Action.EDIT)
@require_POST
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    dossier = dossier_for(request, pk, Action.EDIT)
    form = SectionForm(request.POST)
    if form.is_valid():
        services.create_section(dossier=dossier, **form.cleaned_data)
        messages.success(request, f"Section “{form.cleaned_data['title']}” added.")
    else:
        messages.error(request, "Give the section a title (at most 200 characters).")
    return redirect(f"{dossier.get_absolute_url()}#sections")


@workspace_view(Action.EDIT)
@require_POST
def section_action(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    dossier = dossier_for(request, pk, Action.EDIT)
    section = get_object_or_404(DossierSection, pk=section_pk, dossier=dossier)
    action = request.POST.get("action")
    if action == "delete":
        moved = services.delete_section(section=section)
        messages.success(request, f"Section deleted; its {moved} passage(s) are now under “Other passages”.")
    elif action in {"up", "down"}:
        services.move(item=section, siblings=dossier.sections.all(), direction=move_step(action))
    elif action == "update":
        form = SectionForm(request.POST)
        if form.is_valid():
            services.update_section(section=section, **form.cleaned_data)
        else:
            messages.error(request, "Give the section a title (at most 200 characters).")
    return redirect(f"{dossier.get_absolute_url()}#sections")


@workspace_view(Action.EDIT)
def pin_passage(request: HttpRequest) -> HttpResponse:
    """Pin a passage into a dossier: the form (GET, for the reader's panel) and the action (POST)."""
    annotation_id = request.POST.get("annotation") or request.GET.get("annotation") or ""
    if not annotation_id.isdigit():
        raise Http404("No such passage.")
    # Editing rights in the passage's own workspace, not only in the current one.
    annotation = get_object_for(
        request, Annotation.objects.select_related("workspace", "article"), Action.EDIT, pk=annotation_id
    )
    form = PinForm(request.POST or None, workspace=annotation.workspace)
    context = {"form": form, "annotation": annotation, "has_dossiers": form.fields["dossier"].queryset.exists()}
    template = "dossiers/_pin_form.html" if is_htmx(request) else "dossiers/pin.html"
    if request.method != "POST":
        return render(request, template, context)
    if not form.is_valid():
        return render(request, template, context, status=422)
    dossier = form.cleaned_data["dossier"]
    _, created = services.pin_passage(dossier=dossier, annotation=annotation, note=form.cleaned_data["note"])
    text = "Passage pinned to" if created else "This passage was already in"
    messages.success(request, f"{text} “{dossier.title}”.")
    return redirect(safe_next(request, default=dossier.get_absolute_url()))


@workspace_view(Action.EDIT)
@require_POST
def passage_action(request: HttpRequest, pk: int, pin_pk: int) -> HttpResponse:
    """Unpin, move up or down within its section, or change section and curator's note."""
    dossier = dossier_for(request, pk, Action.EDIT)
    pin = get_object_or_404(DossierPassage, pk=pin_pk, dossier=dossier)
    action = request.POST.get("action")
    try:
        if action == "unpin":
            services.unpin_passage(pin=pin)
            messages.success(request, "Passage removed from the dossier (the annotation itself is kept).")
        elif action in {"up", "down"}:
            siblings = dossier.passages.filter(section=pin.section_id).order_by("position", "added_at")
            services.move(item=pin, siblings=siblings, direction=move_step(action))
        elif action == "update":
            section = section_from(request, dossier)
            services.update_pin(pin=pin, section=section, note=request.POST.get("note", pin.note))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect(safe_next(request, default=f"{dossier.get_absolute_url()}#sections"))


def section_from(request: HttpRequest, dossier: Dossier) -> DossierSection | None:
    value = request.POST.get("section", "")
    if not value.isdigit():
        return None
    return get_object_or_404(DossierSection, pk=value, dossier=dossier)


@workspace_view(Action.VIEW)
def group_passages(request: HttpRequest, pk: int) -> HttpResponse:
    """All passages of one section or one tag, paged (the page shows only the first of each)."""
    dossier = dossier_for(request, pk, Action.VIEW)
    if request.GET.get("tag", "").isdigit():
        tag = get_object_or_404(Tag, pk=request.GET["tag"], workspace=dossier.workspace)
        queryset, title = selectors.passages_with_tag(dossier, tag), f"Tagged “{tag.name}”"
    elif request.GET.get("section", "").isdigit():
        section = get_object_or_404(DossierSection, pk=request.GET["section"], dossier=dossier)
        queryset, title = selectors.passages_of_section(dossier, section), section.title
    else:
        queryset, title = selectors.passages_of_section(dossier, None), "Other passages"
    page = Paginator(queryset, PASSAGES_PER_PAGE).get_page(request.GET.get("page"))
    sections = list(dossier.sections.all())
    prepare_pins(dossier, page.object_list, sections)
    context = {"dossier": dossier, "page": page, "title": title, "sections": sections}
    template = "dossiers/_passages.html" if is_htmx(request) else "dossiers/dossier_passages.html"
    return render(request, template, context)


@workspace_view(Action.EDIT)
def file_articles(request: HttpRequest) -> HttpResponse:
    """Put articles into a dossier and tag them: after an upload, from the reader, from lists."""
    data = request.POST if request.method == "POST" else None
    # A comma-separated list (upload batch, reader) or one value per checkbox (article list).
    initial = {"articles": ",".join(request.GET.getlist("articles"))}
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
