"""The import_articles / import_to_dossier / export_articles management commands."""

import hashlib
import io
import itertools
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Tag
from articles.models import Article, NearDuplicate, Original
from dossiers.models import Dossier
from tests.articles.test_services import NEWS_PAGE  # one realistic news page for all ingestion tests
from tests.factories import ArticleFactory, MembershipFactory, TagFactory, WorkspaceFactory
from workspace.celery import app as celery_app

pytestmark = pytest.mark.django_db
Status = Article.Status

NOTES = (
    "Police forces lack specialist officers for online abuse cases\n\n"
    "A review of police capacity found that most forces have fewer than ten officers trained to investigate "
    "online child abuse, while referrals from platforms have doubled in three years.\n\n"
    "The inspectorate recommended a national unit and better sharing of evidence between forces, and said "
    "that victims waited too long for their devices to be examined.\n"
)


def run(command: str, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def member():
    return MembershipFactory(workspace__slug="newsroom", user__username="maya")


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "clippings"
    (root / "police").mkdir(parents=True)
    (root / "age-checks.html").write_text(NEWS_PAGE, encoding="utf-8")
    (root / "police" / "capacity.txt").write_text(NOTES, encoding="utf-8")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    return root


@pytest.fixture
def page(tmp_path):
    path = tmp_path / "age-checks.html"
    path.write_text(NEWS_PAGE, encoding="utf-8")
    return path


# --- import_articles ---------------------------------------------------------------------------


def test_inline_import_of_a_folder_cleans_supported_files_and_skips_others(member, folder):
    out, err = run("import_articles", str(folder), "--workspace", "newsroom", "--user", "maya", "--inline")

    assert "2 ready, 0 duplicate, 0 failed, 0 still in progress" in out
    assert "Skipped" in err and "photo.png" in err
    assert sorted(Article.objects.values_list("label", flat=True)) == ["age-checks.html", "capacity.txt"]
    assert set(Article.objects.values_list("added_by", flat=True)) == {member.user.pk}


def test_inline_import_lists_each_item_with_its_state_and_title(member, page):
    out, _ = run("import_articles", str(page), "--workspace", "newsroom", "--inline")

    assert "READY" in out and "Age checks start for adult sites" in out


def test_urls_file_reports_bad_lines_and_imports_good_ones(member, local_site, settings, tmp_path):
    settings.FETCH_ALLOW_LOOPBACK = True
    url = local_site.add("/news/age-checks", NEWS_PAGE)
    links = tmp_path / "links.txt"
    links.write_text(f"# links for the dossier\n\n{url}\nnot a web address\n", encoding="utf-8")

    out, err = run("import_articles", "--urls", str(links), "--workspace", "newsroom", "--inline")

    assert "line 4" in err and "not a web address" in err
    assert "1 ready, 0 duplicate, 0 failed, 0 still in progress" in out
    assert Article.objects.get().submitted_url == url


def test_importing_the_same_file_twice_reports_a_duplicate(member, page):
    run("import_articles", str(page), "--workspace", "newsroom", "--inline")
    out, _ = run("import_articles", str(page), "--workspace", "newsroom", "--inline")

    assert "0 ready, 1 duplicate, 0 failed, 0 still in progress" in out
    assert "DUPLICATE" in out


def test_inline_import_processes_each_item_exactly_once(member, page, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run("import_articles", str(page), "--workspace", "newsroom", "--inline")

    article = Article.objects.get()
    assert callbacks  # the enqueue after commit ran too, and found nothing left to claim
    assert (article.status, article.attempts) == (Status.READY, 1)


def test_inline_import_restores_the_celery_configuration(member, page):
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = False, True

    run("import_articles", str(page), "--workspace", "newsroom", "--inline")

    assert (celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates) == (False, True)


def test_without_wait_or_inline_the_items_are_left_to_the_worker(member, page):
    out, _ = run("import_articles", str(page), "--workspace", "newsroom")

    assert "1 queued for the worker" in out
    assert Article.objects.get().status == Status.QUEUED


def test_wait_stops_at_the_timeout_and_counts_what_is_still_in_progress(member, page):
    out, _ = run("import_articles", str(page), "--workspace", "newsroom", "--wait", "--timeout", "0.6")

    assert "0 ready, 0 duplicate, 0 failed, 1 still in progress" in out


def test_progress_without_a_terminal_is_printed_as_lines(member, folder):
    _, err = run("import_articles", str(folder), "--workspace", "newsroom", "--inline")

    assert "1/2 (50%)" in err and "2/2 (100%)" in err
    assert "\r" not in err


def test_a_text_file_imported_with_its_source_url_gets_that_site_and_link(member, folder):
    url = "https://www.police-review.example/2026/capacity"
    text_file = folder / "police" / "capacity.txt"
    run("import_articles", str(text_file), "--source-url", url, "--workspace", "newsroom", "--inline")

    article = Article.objects.get()
    assert article.status == Status.READY, article.last_error
    assert article.canonical_url == url and article.source.domain == "police-review.example"
    assert article.originals.get().url == url


def test_a_source_url_with_several_files_is_an_error(member, folder):
    with pytest.raises(CommandError, match="exactly one file"):
        run("import_articles", str(folder), "--source-url", "https://example.com/a", "--workspace", "newsroom")
    assert not Article.objects.exists()


def test_a_source_url_that_is_not_a_web_address_is_an_error(member, page):
    with pytest.raises(CommandError, match="not a web address"):
        run("import_articles", str(page), "--source-url", "ftp://example.com/a", "--workspace", "newsroom")


def test_unknown_workspace_is_an_error(member, page):
    with pytest.raises(CommandError, match="No workspace"):
        run("import_articles", str(page), "--workspace", "nowhere")


def test_unknown_user_is_an_error(member, page):
    with pytest.raises(CommandError, match="No user"):
        run("import_articles", str(page), "--workspace", "newsroom", "--user", "nobody")


def test_missing_path_is_an_error(member, tmp_path):
    with pytest.raises(CommandError, match="No such file or folder"):
        run("import_articles", str(tmp_path / "missing.html"), "--workspace", "newsroom")
    assert not Article.objects.exists()


def test_nothing_to_import_is_an_error(member, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")

    with pytest.raises(CommandError, match="Nothing to import"):
        run("import_articles", str(tmp_path), "--workspace", "newsroom")


# --- import_to_dossier -------------------------------------------------------------------------


def test_import_to_dossier_puts_new_articles_in_the_dossier_with_the_tags(member, folder):
    run(
        "import_to_dossier",
        str(folder),
        "--workspace",
        "newsroom",
        "--dossier",
        "Online child safety",
        "--tag",
        "age checks",
        "--inline",
    )

    dossier = Dossier.objects.get(workspace=member.workspace, title="Online child safety")
    tag = Tag.objects.get(workspace=member.workspace, name="age checks")
    articles = set(Article.objects.all())
    assert len(articles) == 2
    assert set(dossier.articles.all()) == articles
    assert set(tag.articles.all()) == articles


def test_import_to_dossier_reuses_existing_dossier_and_tag_ignoring_case(member, page):
    dossier = Dossier.objects.create(workspace=member.workspace, title="Online child safety")
    tag = TagFactory(workspace=member.workspace, name="Age Checks")

    run(
        "import_to_dossier",
        str(page),
        "--workspace",
        "newsroom",
        "--dossier",
        "online child safety",
        "--tag",
        "age checks",
    )

    article = Article.objects.get()
    assert list(dossier.articles.all()) == [article]
    assert list(tag.articles.all()) == [article]
    assert Dossier.objects.count() == 1 and Tag.objects.count() == 1


# --- export_articles ---------------------------------------------------------------------------


def export(*args) -> list[dict]:
    out, _ = run("export_articles", *args)
    return [json.loads(line) for line in out.splitlines()]


def test_export_jsonl_round_trips_articles_their_original_and_duplicate(member, page):
    run("import_articles", str(page), "--workspace", "newsroom", "--inline")
    run("import_articles", str(page), "--workspace", "newsroom", "--inline")
    first, copy = Article.objects.order_by("pk")

    records = export("--workspace", "newsroom", "--format", "jsonl")

    assert [r["id"] for r in records] == [first.pk, copy.pk]
    assert records[0]["title"] == first.title == "Age checks start for adult sites"
    assert records[0]["text"] == first.text
    assert records[0]["original"]["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert records[0]["duplicate_of"] is None
    assert (records[1]["status"], records[1]["duplicate_of"]) == ("duplicate", first.pk)


def test_export_lists_near_duplicates_from_both_sides(member):
    one, two, three = ArticleFactory.create_batch(3, workspace=member.workspace)
    NearDuplicate.objects.create(article=one, other=two, score=0.9)
    NearDuplicate.objects.create(article=two, other=three, score=0.8)

    records = {r["id"]: r for r in export("--workspace", "newsroom")}

    assert records[one.pk]["near_duplicates"] == [two.pk]
    assert records[two.pk]["near_duplicates"] == [one.pk, three.pk]
    assert records[three.pk]["original"] is None


def test_export_of_an_empty_workspace_prints_nothing(member):
    out, _ = run("export_articles", "--workspace", "newsroom")

    assert out == ""


def test_export_only_includes_the_workspace_articles(member):
    ArticleFactory(workspace=WorkspaceFactory())
    mine = ArticleFactory(workspace=member.workspace)

    assert [r["id"] for r in export("--workspace", "newsroom")] == [mine.pk]


def test_export_runs_a_bounded_number_of_queries(member, django_assert_max_num_queries):
    articles = ArticleFactory.create_batch(30, workspace=member.workspace)
    for i, article in enumerate(articles):
        Original.objects.create(article=article, file=f"originals/{i:02d}", sha256=f"{i:064x}", size=10)
    for first, second in itertools.pairwise(articles):
        NearDuplicate.objects.create(article=first, other=second, score=0.9)

    with django_assert_max_num_queries(5):
        records = export("--workspace", "newsroom")

    assert len(records) == 30
    assert all(r["original"] and r["near_duplicates"] for r in records)


def test_export_writes_to_the_output_file(member, tmp_path):
    article = ArticleFactory(workspace=member.workspace)
    target = tmp_path / "export.jsonl"

    run("export_articles", "--workspace", "newsroom", "--output", str(target))

    assert [json.loads(line)["id"] for line in target.read_text(encoding="utf-8").splitlines()] == [article.pk]


def test_export_refuses_other_formats(member):
    with pytest.raises(CommandError, match="only jsonl"):
        run("export_articles", "--workspace", "newsroom", "--format", "csv")


def test_export_of_an_unknown_workspace_is_an_error(db):
    with pytest.raises(CommandError, match="No workspace"):
        run("export_articles", "--workspace", "nowhere")
