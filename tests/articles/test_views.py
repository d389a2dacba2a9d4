"""The article pages: add, live states, list, reader, original download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.cleaning import paragraph_key
from articles.models import Article
from tests.articles.test_services import APPEAL, CLIPBOARD_HTML, CLIPBOARD_TEXT, NEWS_PAGE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
READER_QUERIES = 12  # whatever the number of annotations: see tests/annotations/test_reader.py
Status = Article.Status


def post_add(client, capture, **data):
    with capture(execute=True):
        return client.post(reverse("articles:add"), data)


def test_add_page_offers_files_paste_and_links(editor_client):
    page = editor_client.get(reverse("articles:add")).content.decode()
    assert 'type="file"' in page and "multiple" in page
    assert "Paste an article" in page and "One web address per line" in page
    assert "Link to the original" in page and 'type="hidden" name="html"' in page
    assert "js/paste.js" in page


def test_a_paste_is_stored_with_its_page_markup_and_its_link(
    editor_client, workspace, django_capture_on_commit_callbacks
):
    url = "https://harbour.example/news/flood-defences"
    data = {"text": CLIPBOARD_TEXT, "html": CLIPBOARD_HTML, "source_url": url}
    response = post_add(editor_client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 302
    article = Article.objects.get(workspace=workspace)
    assert article.status == Status.READY, article.last_error
    assert sorted(article.originals.values_list("filename", flat=True)) == ["pasted.html", "pasted.txt"]
    assert article.canonical_url == url and article.source.domain == "harbour.example"


def test_a_link_to_the_original_that_is_not_a_web_address_is_refused(editor_client):
    response = editor_client.post(reverse("articles:add"), {"text": CLIPBOARD_TEXT, "source_url": "ftp://x.example/a"})
    assert response.status_code == 422
    assert "Not a web address (http or https)." in response.content.decode()
    assert not Article.objects.exists()


def test_adding_files_text_and_links_returns_at_once_with_the_batch(
    editor_client, workspace, django_capture_on_commit_callbacks, local_site, settings
):
    settings.FETCH_ALLOW_LOOPBACK = True
    url = local_site.add("/story", NEWS_PAGE)
    files = [SimpleUploadedFile(f"page{n}.html", NEWS_PAGE.replace("Friday", f"day {n}").encode()) for n in (1, 2)]
    response = post_add(
        editor_client, django_capture_on_commit_callbacks, files=files, text="A pasted story about councils.", urls=url
    )
    assert response.status_code == 302
    ids = response.url.split("batch=")[1]
    assert len(ids.split(",")) == 4
    batch = editor_client.get(response.url).content.decode()
    assert "Just added" in batch
    assert Article.objects.filter(workspace=workspace).count() == 4


def test_submitting_nothing_explains_what_to_do(editor_client):
    response = editor_client.post(reverse("articles:add"), {"text": "   "})
    assert response.status_code == 422
    assert "Choose files, paste an article or give at least one link" in response.content.decode()


def test_a_line_that_is_not_a_web_address_is_named(editor_client, workspace):
    response = editor_client.post(reverse("articles:add"), {"urls": "https://ok.example/a\nfile:///etc/passwd"})
    assert response.status_code == 422
    assert "file:///etc/passwd" in response.content.decode()
    assert not Article.objects.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit_named(editor_client, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("huge.html", b"x" * 2048)
    response = editor_client.post(reverse("articles:add"), {"files": [big]})
    assert response.status_code == 422
    assert "huge.html" in response.content.decode() and "1.0\xa0KB" in response.content.decode()


def test_rows_keep_polling_while_an_article_is_in_progress(editor_client, workspace):
    queued = ArticleFactory(workspace=workspace, status=Status.QUEUED, label="story.pdf", title="")
    rows = editor_client.get(reverse("articles:rows_hx"), {"ids": str(queued.pk)}).content.decode()
    assert 'hx-trigger="every 2s"' in rows and "Queued" in rows and "story.pdf" in rows
    Article.objects.filter(pk=queued.pk).update(status=Status.FAILED, last_error="This PDF has no text layer.")
    rows = editor_client.get(reverse("articles:rows_hx"), {"ids": str(queued.pk)}).content.decode()
    assert "hx-trigger" not in rows
    assert "This PDF has no text layer." in rows and "Retry" in rows


def test_viewer_sees_failures_without_a_retry_button(viewer_client, workspace):
    failed = ArticleFactory(workspace=workspace, status=Status.FAILED, last_error="Not an article.")
    rows = viewer_client.get(reverse("articles:rows_hx"), {"ids": str(failed.pk)}).content.decode()
    assert "Not an article." in rows and "Retry" not in rows


def test_article_list_filters_on_state(editor_client, workspace):
    ArticleFactory(workspace=workspace, title="Ready story")
    ArticleFactory(workspace=workspace, title="Broken upload", status=Status.FAILED)
    page = editor_client.get(reverse("articles:list"), {"status": "failed"}).content.decode()
    assert "Broken upload" in page and "Ready story" not in page


def test_article_list_shows_an_empty_state(editor_client):
    assert "No articles yet" in editor_client.get(reverse("articles:list")).content.decode()


def test_article_list_runs_a_fixed_number_of_queries(editor_client, workspace, django_assert_max_num_queries):
    ArticleFactory.create_batch(40, workspace=workspace)
    with django_assert_max_num_queries(8):  # session, user, memberships, count, page, tag and dossier choices
        response = editor_client.get(reverse("articles:list"))
    assert response.content.decode().count('class="article-row"') == 40


def test_reader_shows_the_clean_article_and_its_metadata(editor_client, article, django_assert_max_num_queries):
    with django_assert_max_num_queries(READER_QUERIES):
        page = editor_client.get(article.get_absolute_url()).content.decode()
    assert article.title in page and "Sam Reporter" in page and article.standfirst in page
    assert '<p><span data-o="0">Ofcom has published new codes of practice' in page


def test_reader_of_a_failed_article_gives_the_reason_and_the_original(
    editor_client, workspace, django_capture_on_commit_callbacks
):
    post_add(editor_client, django_capture_on_commit_callbacks, files=[SimpleUploadedFile("x.pdf", b"%PDF-1.4 junk")])
    article = Article.objects.get()
    assert article.status == Status.FAILED
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert article.last_error in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert "Download what was received" in page


def test_original_downloads_as_an_attachment_of_the_exact_bytes(
    editor_client, workspace, django_capture_on_commit_callbacks
):
    post_add(
        editor_client, django_capture_on_commit_callbacks, files=[SimpleUploadedFile("page.html", NEWS_PAGE.encode())]
    )
    article = Article.objects.get()
    response = editor_client.get(reverse("articles:original", args=[article.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="page.html"')
    assert response["Content-Type"] == "application/octet-stream"
    assert b"".join(response.streaming_content) == NEWS_PAGE.encode()
    response.close()


def test_editor_retries_a_failed_link(
    editor_client, workspace, django_capture_on_commit_callbacks, local_site, settings
):
    settings.FETCH_ALLOW_LOOPBACK = True
    url = local_site.url("/later")
    post_add(editor_client, django_capture_on_commit_callbacks, urls=url)
    article = Article.objects.get()
    assert article.status == Status.FAILED
    local_site.add("/later", NEWS_PAGE)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("articles:reprocess", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == Status.READY


def test_reader_never_renders_unsafe_markup_from_a_page(editor_client, workspace, django_capture_on_commit_callbacks):
    payload = NEWS_PAGE.replace(
        "</article>",
        '<p>Quote <a href="javascript:alert(1)">here</a><img src=x onerror="alert(1)"></p><script>alert(1)</script></article>',
    )
    post_add(editor_client, django_capture_on_commit_callbacks, text=payload)
    article = Article.objects.get()
    body = editor_client.get(article.get_absolute_url()).content.decode()
    reader = body.split('class="reader__body"')[1]
    assert "<script>alert" not in reader and "javascript:" not in reader and "onerror" not in reader


def test_pages_carry_a_content_security_policy_without_inline_script(editor_client):
    response = editor_client.get(reverse("articles:list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_export_downloads_every_article_of_the_workspace_as_json_lines(viewer_client, workspace, other_workspace):
    import json

    mine = ArticleFactory.create_batch(3, workspace=workspace)
    ArticleFactory(workspace=other_workspace, title="Not ours")
    response = viewer_client.get(reverse("articles:export"))
    assert response["Content-Disposition"].startswith(f'attachment; filename="{workspace.slug}-articles-')
    records = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert sorted(r["id"] for r in records) == sorted(a.pk for a in mine)
    assert records[0]["text"] == mine[0].text and records[0]["original"] is None


# --- Removed lines: listed under the article, restored by editors ------------------------------

REMOVED = [
    {"key": paragraph_key(APPEAL), "text": APPEAL},
    {"key": paragraph_key("Advertisement"), "text": "Advertisement"},
]


def test_reader_lists_the_removed_lines_with_a_restore_button_for_editors(
    editor_client, workspace, django_assert_max_num_queries
):
    article = ArticleFactory(workspace=workspace, removed_lines=REMOVED)
    with django_assert_max_num_queries(READER_QUERIES):  # the lines come with the article's row
        page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Removed 2 lines of publisher text" in page
    assert APPEAL in page and "Advertisement" in page
    assert page.count('form="restore-lines"') == 2
    assert f'value="{paragraph_key(APPEAL)}"' in page


def test_viewer_sees_the_removed_lines_without_restore_buttons(viewer_client, workspace):
    article = ArticleFactory(workspace=workspace, removed_lines=REMOVED)
    page = viewer_client.get(article.get_absolute_url()).content.decode()
    assert "Removed 2 lines of publisher text" in page and APPEAL in page
    assert "restore-lines" not in page


@pytest.fixture
def pasted(editor_client, workspace, django_capture_on_commit_callbacks):
    """A pasted article whose newsletter line the cleaning removed."""
    post_add(editor_client, django_capture_on_commit_callbacks, text=CLIPBOARD_TEXT, html=CLIPBOARD_HTML)
    article = Article.objects.get(workspace=workspace)
    assert article.removed_lines == [{"key": paragraph_key(APPEAL), "text": APPEAL}]
    return article


def restore_line(client, article, line=APPEAL):
    return client.post(reverse("articles:restore_line", args=[article.pk]), {"key": paragraph_key(line)})


def test_restoring_a_line_asks_an_anonymous_visitor_to_sign_in(client, pasted):
    response = restore_line(client, pasted)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_restoring_a_line_of_another_workspaces_article_is_not_found(outsider_client, pasted):
    assert restore_line(outsider_client, pasted).status_code == 404
    assert Article.objects.get(pk=pasted.pk).kept_lines == []


def test_a_viewer_cannot_restore_a_line(viewer_client, pasted):
    assert restore_line(viewer_client, pasted).status_code == 403
    assert Article.objects.get(pk=pasted.pk).kept_lines == []


def test_an_editor_restores_a_line_and_the_article_is_cleaned_again(
    editor_client, pasted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = restore_line(editor_client, pasted)
    assert response.status_code == 302 and response.url == pasted.get_absolute_url()
    pasted.refresh_from_db()
    assert pasted.status == Status.READY and APPEAL in pasted.text
    page = editor_client.get(response.url).content.decode()
    assert "the article is being cleaned again" in page and "publisher text" not in page


def test_restoring_a_line_that_is_not_removed_changes_nothing(editor_client, pasted):
    response = restore_line(editor_client, pasted, line="A line never removed")
    assert response.status_code == 302
    pasted.refresh_from_db()
    assert pasted.kept_lines == [] and pasted.status == Status.READY
