"""The Tags page: each tag with its usage, and for editors rename, recolour, merge and delete."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations import services
from annotations.models import TAG_COLOURS, Annotation, Tag
from articles.paging import IdPaginator
from workspace.http import safe_next
from workspace.permissions import Action, can, get_object_for, workspace_view

PAGE_SIZE = 100


def link_count(through, **filters) -> Coalesce:
    """How many rows of an M2M through table point at the outer tag: a subquery per shown row,
    so a tag with many passages and many articles is not joined into their product."""
    links = through.objects.filter(tag_id=OuterRef("pk"), **filters).order_by().values("tag_id")
    return Coalesce(Subquery(links.annotate(n=Count("*")).values("n"), output_field=IntegerField()), Value(0))


def with_counts(tags: QuerySet) -> QuerySet:
    """Live passages are all the tag's passage links less those of deleted passages: the links are
    counted from the tag's own index and the few deleted passages from theirs (`annotation_deleted`),
    so no passage row is read however often the tag is used."""
    through = Annotation.tags.through
    return tags.annotate(
        passage_count=link_count(through) - link_count(through, annotation__deleted_at__isnull=False),
        article_count=link_count(Tag.articles.through),
    )


def list_context(request: HttpRequest, params: QueryDict) -> dict:
    query = " ".join(params.get("q", "").split())[: services.MAX_TAG_LENGTH]
    tags = Tag.objects.in_workspace(request.workspace)
    if query:
        tags = tags.filter(name__icontains=query)
    # The page's tags are found first, then counted: OFFSET would count every tag before the page.
    paginator = IdPaginator(tags.order_by(Lower("name"), "pk"), PAGE_SIZE, rows=with_counts(tags))
    page = paginator.get_page(params.get("page"))
    prepare_rows(page.object_list)
    state = {"q": query} if query else {}
    if page.number > 1:
        state["page"] = page.number
    back_query = urlencode(state)
    context = {
        "page": page,
        "query": query,
        "articles_url": reverse("articles:list"),
        "back": reverse("annotations:tags") + (f"?{back_query}" if back_query else ""),
        "back_query": f"{back_query}&" if back_query else "",
    }
    merge = params.get("merge", "")
    if merge.isdigit() and can(request, request.workspace, Action.EDIT):
        source = with_counts(Tag.objects.in_workspace(request.workspace)).filter(pk=merge).first()
        if source is not None:
            context["merge_source"] = source
            context["merge_targets"] = Tag.objects.in_workspace(request.workspace).exclude(pk=source.pk).only("name")
    return context


def prepare_rows(tags: list[Tag]) -> None:
    """What each row repeats, made once: its action URL, and its colour options (eight lists,
    one per colour selected, each rendered once for the page) rather than a template loop per row."""
    options = {
        colour: render_to_string("annotations/_colour_options.html", {"colours": TAG_COLOURS, "selected": colour})
        for colour in TAG_COLOURS
    }
    for tag in tags:
        tag.action_url = reverse("annotations:tag_action", args=[tag.pk])
        tag.colour_options = options.get(tag.colour) or options[TAG_COLOURS[0]]


@workspace_view(Action.VIEW)
def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annotations/tag_list.html", list_context(request, request.GET))


def passages(count: int) -> str:
    return f"{count} passage{pluralize(count)}"


def rename(request: HttpRequest, tag: Tag) -> str:
    old = tag.name
    name = services.check_tag_name(request.POST.get("name", ""))
    target = services.tag_named(workspace=tag.workspace, name=name, exclude=tag)
    if target is not None:
        moved = services.merge_tags(source=tag, target=target)
        return f"“{old}” merged into “{target.name}”, which already had that name: {passages(moved)} moved."
    tag = services.rename_tag(tag=tag, name=name)
    return f"“{old}” renamed to “{tag.name}”." if tag.name != old else f"“{old}” kept its name."


def recolour(request: HttpRequest, tag: Tag) -> str:
    services.recolour_tag(tag=tag, colour=request.POST.get("colour", ""))
    return f"“{tag.name}” is now {tag.colour}."


def merge(request: HttpRequest, tag: Tag) -> str:
    target_id = request.POST.get("target", "")
    if not target_id.isdigit():
        raise ValidationError(f"Choose the tag to merge “{tag.name}” into.")
    # Only a tag of the same workspace: another workspace's tag does not exist from here.
    target = get_object_or_404(Tag.objects.in_workspace(tag.workspace), pk=target_id)
    moved = services.merge_tags(source=tag, target=target)
    return f"“{tag.name}” merged into “{target.name}”: {passages(moved)} moved."


def delete(request: HttpRequest, tag: Tag) -> str:
    removed = services.delete_tag(tag=tag)
    return f"Tag “{tag.name}” deleted. It was removed from {passages(removed)}; the passages themselves are kept."


ACTIONS = {"rename": rename, "recolour": recolour, "merge": merge, "delete": delete}


@workspace_view(Action.EDIT)
@require_POST
def tag_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename, recolour, merge or delete one tag, then back to the page of the list it was on."""
    tag = get_object_for(request, Tag.objects.select_related("workspace"), Action.EDIT, pk=pk)
    back = safe_next(request, default=reverse("annotations:tags"))
    action = request.POST.get("action", "")
    try:
        if action not in ACTIONS:
            raise ValidationError("Choose rename, recolour, merge or delete.")
        done = ACTIONS[action](request, tag)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        params = QueryDict(urlsplit(back).query, mutable=True)
        if action == "merge":
            params["merge"] = str(tag.pk)
        context = list_context(request, params)
        context["failed"] = {"pk": tag.pk, "action": action, "name": request.POST.get("name", "")}
        return render(request, "annotations/tag_list.html", context, status=422)
    messages.success(request, done)
    return redirect(back)
