from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from articles import search, services
from articles.exports import jsonl_lines
from articles.filters import ORDERINGS, ArticleFilter
from articles.forms import AddArticlesForm, parse_ids
from articles.humanize import times_since
from articles.models import Article
from articles.paging import HitCount, IdPaginator
from workspace.http import filters_open
from workspace.permissions import Action, can, get_object_for, workspace_view

PAGE_SIZE = 50


def rows_context(articles) -> dict:
    """Context for `_article_rows.html`: it polls while any of these articles is in progress."""
    articles = list(articles)
    for article, ago in zip(articles, times_since(a.created_at for a in articles), strict=True):
        article.added_ago = ago
    return {
        "articles": articles,
        "rows_ids": ",".join(str(a.pk) for a in articles),
        "rows_polling": any(a.is_active for a in articles),
    }


def filtered_articles(request: HttpRequest) -> dict:
    """The list, filtered and searched as the URL says, with snippets for the page shown."""
    articles = Article.objects.in_workspace(request.workspace)
    filterset = ArticleFilter(request.GET or None, queryset=articles, workspace=request.workspace)
    # A word found in most articles, or a filter most of them pass ("has annotations"), is not
    # counted match by match: past a cap, an estimate. The whole list is counted exactly (an
    # index-only count of the workspace's articles).
    cap = min(search.COUNT_LIMIT, settings.SEARCH_RANK_LIMIT)
    if filterset.searching:
        hits = search.count_hits(filterset.qs, cap=cap)
    elif filters_open(request):
        # The sort is known before counting: the ids are counted in its order, and the first pages
        # come from them (one query of the filter, not two).
        hits = search.count_hits(filterset.qs.order_by(*filterset.ordering()), cap=cap, in_order=True)
    else:
        hits = HitCount(filterset.qs.count())
    # Ranking reads every match's index entry: past a limit, newest first answers at once.
    too_many_to_rank = filterset.ranking and hits.value > settings.SEARCH_RANK_LIMIT
    ordering = ORDERINGS["-added"] if too_many_to_rank else filterset.ordering()
    matches = filterset.qs
    if filterset.searching and ordering != ORDERINGS["relevance"]:
        matches = search.among_hits(matches, hits, articles)
    # The list never shows bodies: leave the long columns in the database.
    rows = articles.defer("html", "text", "fingerprint", "removed_lines")
    paginator = IdPaginator(matches.order_by(*ordering), PAGE_SIZE, rows=rows, hits=hits)
    page = paginator.get_page(request.GET.get("page"))
    query = filterset.form.cleaned_data.get("q", "") if filterset.searching else ""
    search.add_snippets(page.object_list, query)  # also sets an empty one on each row when not searching
    empty_reason = search.explain_empty(query) if query and not hits.value else ""
    return {
        "filter": filterset,
        "page": page,
        "hits": hits,
        "articles_wording": hits.wording("article"),
        "query": query,
        "empty_reason": empty_reason,
        "too_many_to_rank": too_many_to_rank,
        "filters_open": filters_open(request),
    }


@workspace_view(Action.VIEW)
def article_list(request: HttpRequest) -> HttpResponse:
    context = filtered_articles(request)
    context.update(rows_context(context["page"].object_list))
    return render(request, "articles/article_list.html", context)


@workspace_view(Action.VIEW)
def article_search(request: HttpRequest) -> HttpResponse:
    """The same list, opened on the search box."""
    context = filtered_articles(request)
    context.update(rows_context(context["page"].object_list), search_page=True)
    return render(request, "articles/article_list.html", context)


@workspace_view(Action.VIEW)
def original_download(request: HttpRequest, pk: int) -> FileResponse:
    article = get_object_for(request, Article.objects.all(), Action.VIEW, pk=pk)
    original = article.originals.first()
    if original is None:
        raise Http404("Nothing was received for this article yet.")
    # Served as an attachment and as plain bytes, so nothing in it ever renders in our origin.
    return FileResponse(
        original.file.open("rb"),
        as_attachment=True,
        filename=original.filename or f"original-{original.sha256[:12]}",
        content_type="application/octet-stream",
    )


@workspace_view(Action.EDIT)
def article_add(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        ids = parse_ids(request.GET.get("batch", ""))
        batch = Article.objects.in_workspace(request.workspace).filter(pk__in=ids).order_by("pk")
        context = {"form": AddArticlesForm(), "batch": bool(ids), **rows_context(batch if ids else [])}
        return render(request, "articles/article_add.html", context)
    form = AddArticlesForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "articles/article_add.html", {"form": form, "batch": False}, status=422)
    articles = submit_all(request, form.cleaned_data)
    messages.success(request, f"{len(articles)} item{pluralize(len(articles))} received. They are being cleaned now.")
    return redirect(f"{reverse('articles:add')}?batch={','.join(str(a.pk) for a in articles)}")


def submit_all(request: HttpRequest, data: dict) -> list[Article]:
    owner = {"workspace": request.workspace, "user": request.user}
    articles = [services.submit_file(file=f, content_type=f.content_type or "", **owner) for f in data["files"]]
    if data["text"].strip():
        paste = {"text": data["text"], "html": data["html"], "source_url": data["source_url"]}
        articles.append(services.submit_paste(**paste, **owner))
    if data["urls"]:
        articles += services.submit_urls(urls=data["urls"], **owner)
    return articles


@workspace_view(Action.VIEW)
def article_rows_hx(request: HttpRequest) -> HttpResponse:
    """The live list of some articles' states; keeps polling while any is still in progress."""
    ids = parse_ids(request.GET.get("ids", ""))
    articles = Article.objects.in_workspace(request.workspace).filter(pk__in=ids).order_by("pk")
    selectable = request.GET.get("select") == "1" and can(request, request.workspace, Action.EDIT)
    return render(request, "articles/_article_rows.html", {**rows_context(articles), "rows_selectable": selectable})


@workspace_view(Action.VIEW)
@require_POST
def article_reprocess(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_for(request, Article.objects.select_related("workspace"), Action.EDIT, pk=pk)
    if article.is_active:
        messages.info(request, "This article is already being processed.")
    else:
        services.requeue(article=article)
        verb = "Cleaning again" if article.originals.exists() else "Trying again"
        messages.success(request, f"{verb}: “{article.display_title}”.")
    return redirect(article)


@workspace_view(Action.VIEW)
@require_POST
def article_restore_line(request: HttpRequest, pk: int) -> HttpResponse:
    """Put back a line cleaning removed as publisher text; its site keeps it from now on too."""
    article = get_object_for(request, Article.objects.all(), Action.EDIT, pk=pk)
    key = request.POST.get("key", "")
    line = next((line for line in article.removed_lines if line["key"] == key), None)
    if line is None:
        messages.info(request, "That line is no longer among the removed ones.")
    elif article.is_active:
        messages.info(request, "This article is being processed; try again in a moment.")
    else:
        services.restore_line(article=article, key=key, example=line["text"])
        messages.success(
            request, f"Restored “{Truncator(line['text']).chars(80)}”: the article is being cleaned again."
        )
    return redirect(article)


@workspace_view(Action.VIEW)
def article_export(request: HttpRequest) -> StreamingHttpResponse:
    """Every article of the workspace as JSON Lines, streamed: a researcher's data is never locked in."""
    filename = f"{request.workspace.slug}-articles-{timezone.localdate():%Y-%m-%d}.jsonl"
    response = StreamingHttpResponse(jsonl_lines(request.workspace), content_type="application/x-ndjson")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
