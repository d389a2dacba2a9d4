"""W3C Web Annotation export and import: the model's shapes, the Working Group's MUST
assertions, round trips, idempotence, re-anchoring, bad files, views and commands."""

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from annotations import urls as annotation_urls
from annotations import w3c, w3c_views
from annotations.models import Annotation
from tests.annotations.conftest import FLOOD_PAGE, AnnotationFactory, article_from_page, span_of
from tests.factories import ArticleFactory, MembershipFactory, TagFactory, UserFactory
from workspace import urls as project_urls
from workspace.models import Role

BASE = "https://research.example"
CANONICAL = "https://harbourgazette.example/news/council-delays-flood-defence-scheme"
TAGGED = "more than 400 homes flooded in 2023"
NOTE = "**Check** the figure with the council's own flood report."
COST = "the scheme would cost £14m, almost twice the original estimate"
GONE = "The mayor said the defences would be finished by Christmas."
W3C_TESTS = Path("/work/shared/w3c-annotation-tests")
NO_W3C_TESTS = f"The W3C Web Annotation test suite is not at {W3C_TESTS}: the MUST assertions cannot run."


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def article(workspace):
    return article_from_page(workspace, FLOOD_PAGE, canonical_url=CANONICAL)


@pytest.fixture
def author(workspace):
    return MembershipFactory(workspace=workspace, user=UserFactory(first_name="Priya", last_name="Shah")).user


@pytest.fixture
def annotated(article, author):
    """A tagged and noted passage, a plain highlight, an orphaned passage and an article note."""
    flooding = TagFactory(workspace=article.workspace, name="flooding")
    housing = TagFactory(workspace=article.workspace, name="housing")
    return {
        "tagged": AnnotationFactory(
            article=article, author=author, passage=TAGGED, note=NOTE, tags=[flooding, housing]
        ),
        "highlight": AnnotationFactory(article=article, author=author, passage=COST),
        "orphan": AnnotationFactory(
            article=article,
            author=author,
            exact=GONE,
            prefix="estimate, and that the council could not sign a ",
            suffix="\n\nThe Environment Agency",
            anchor=Annotation.Anchor.ORPHANED,
            anchor_score=0.0,
        ),
        "article_note": AnnotationFactory(
            article=article, author=author, note="Follow up with the Environment Agency."
        ),
    }


def export(article) -> dict:
    return w3c.collection(
        w3c.export_queryset(Annotation.objects.filter(article=article)),
        base_url=BASE,
        id_url=f"{BASE}/annotations/export/articles/{article.pk}/",
        label="Flood defences",
    )


def item_for(data: dict, annotation: Annotation) -> dict:
    [item] = [i for i in data["first"]["items"] if i["id"] == f"{BASE}/annotations/api/annotations/{annotation.pk}/"]
    return item


def selectors_by_type(item: dict) -> dict:
    return {s["type"]: s for s in item["target"]["selector"]}


@pytest.fixture
def twin(other_workspace):
    """The same story (same canonical URL, same text) in another workspace."""
    return article_from_page(other_workspace, FLOOD_PAGE, canonical_url=CANONICAL)


@pytest.fixture
def importer(other_workspace):
    return MembershipFactory(workspace=other_workspace, role=Role.EDITOR).user


def import_into(workspace, data, user=None) -> w3c.ImportResult:
    return w3c.import_collection(data, workspace=workspace, user=user, base_url=BASE)


def passages(workspace) -> set[tuple]:
    return {
        (a.exact, a.start, a.end, a.anchor, a.note, tuple(sorted(t.name for t in a.tags.all())))
        for a in Annotation.objects.in_workspace(workspace).prefetch_related("tags")
    }


# --- Export shapes ----------------------------------------------------------------------------


def test_collection_embeds_one_page_with_every_annotation(annotated, article):
    data = export(article)
    assert (data["@context"], data["type"], data["total"]) == (
        "http://www.w3.org/ns/anno.jsonld",
        "AnnotationCollection",
        4,
    )
    assert data["first"]["type"] == "AnnotationPage"
    assert len(data["first"]["items"]) == 4


def test_tagged_noted_passage_has_quote_and_position_selectors(annotated, article):
    item = item_for(export(article), annotated["tagged"])
    start, end = span_of(article.text, TAGGED)
    selectors = selectors_by_type(item)
    assert selectors["TextQuoteSelector"]["exact"] == TAGGED
    assert selectors["TextQuoteSelector"]["prefix"] == article.text[start - 32 : start]
    assert selectors["TextPositionSelector"] == {"type": "TextPositionSelector", "start": start, "end": end}


def test_tagged_noted_passage_has_a_commenting_body_and_a_tagging_body_per_tag(annotated, article):
    item = item_for(export(article), annotated["tagged"])
    assert item["motivation"] == ["commenting", "tagging"]
    assert item["body"] == [
        {"type": "TextualBody", "purpose": "commenting", "value": NOTE, "format": "text/markdown"},
        {"type": "TextualBody", "purpose": "tagging", "value": "flooding"},
        {"type": "TextualBody", "purpose": "tagging", "value": "housing"},
    ]


def test_passage_targets_the_reader_with_the_canonical_url_as_scope(annotated, article):
    target = item_for(export(article), annotated["tagged"])["target"]
    assert target["source"] == f"{BASE}/articles/{article.pk}/"
    assert target["scope"] == CANONICAL


def test_annotation_has_creator_and_utc_timestamps(annotated, article):
    item = item_for(export(article), annotated["tagged"])
    assert item["creator"] == {"type": "Person", "name": "Priya Shah"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["created"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["modified"])


def test_plain_highlight_has_no_body_and_motivation_highlighting(annotated, article):
    item = item_for(export(article), annotated["highlight"])
    assert item["motivation"] == "highlighting"
    assert "body" not in item


def test_orphaned_passage_has_only_a_quote_selector(annotated, article):
    item = item_for(export(article), annotated["orphan"])
    assert [s["type"] for s in item["target"]["selector"]] == ["TextQuoteSelector"]
    assert item["target"]["selector"][0]["exact"] == GONE


def test_article_note_targets_the_whole_article(annotated, article):
    item = item_for(export(article), annotated["article_note"])
    assert item["target"] == {
        "type": "SpecificResource",
        "source": f"{BASE}/articles/{article.pk}/",
        "scope": CANONICAL,
    }
    assert item["motivation"] == "commenting"


def test_article_note_without_canonical_url_targets_the_reader_url(workspace):
    note = AnnotationFactory(article=ArticleFactory(workspace=workspace, canonical_url=""), note="Background only.")
    assert w3c.annotation_to_w3c(note, base_url=BASE)["target"] == f"{BASE}/articles/{note.article_id}/"


def test_deleted_annotations_are_not_exported(annotated, article):
    Annotation.objects.filter(pk=annotated["highlight"].pk).update(deleted_at=timezone.now())
    data = export(article)
    assert data["total"] == 3
    assert all(not i["id"].endswith(f"/{annotated['highlight'].pk}/") for i in data["first"]["items"])


def test_streamed_collection_is_the_same_json_as_the_built_one(annotated, article):
    queryset = w3c.export_queryset(Annotation.objects.filter(article=article))
    options = {"base_url": BASE, "id_url": f"{BASE}/x/", "label": 'Label with "items": [] inside'}
    streamed = "".join(w3c.collection_chunks(queryset, total=queryset.count(), **options))
    assert json.loads(streamed) == w3c.collection(queryset, **options)


# --- The W3C Working Group's MUST assertions ---------------------------------------------------


def musts() -> list:
    """(Musts test file, assertion schema) for every assertion of every *Musts.test."""
    if not W3C_TESTS.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=NO_W3C_TESTS))]
    params = []
    for test_file in sorted(W3C_TESTS.glob("**/*Musts.test")):
        for assertion in json.loads(test_file.read_text())["assertions"]:
            params.append(pytest.param(test_file.relative_to(W3C_TESTS).as_posix(), assertion, id=assertion))
    return params


def schema_registry() -> Registry:
    """Every schema of the suite under its (draft-04) `id`; assertions refer to definitions/*.json so."""
    registry = Registry()
    for schema_file in sorted(W3C_TESTS.glob("**/*.json")):
        contents = json.loads(schema_file.read_text())
        uri = contents.get("id")
        if isinstance(uri, str) and uri not in registry:  # two unreferenced assertions share an id
            registry = registry.with_resource(uri, Resource.from_contents(contents, default_specification=DRAFT4))
    return registry.crawl()


RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", re.IGNORECASE)
FORMATS = FormatChecker(formats=())  # no optional packages: the two formats the suite uses, checked here


@FORMATS.checks("date-time")
def is_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(RFC3339.fullmatch(value)) and bool(datetime.fromisoformat(value.upper().replace("Z", "+00:00")))


@FORMATS.checks("uri")
def is_uri(value) -> bool:
    return not isinstance(value, str) or bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+", value))


def must_failures(assertion: str, instance: dict, registry: Registry) -> list[str]:
    schema = json.loads((W3C_TESTS / assertion).read_text())
    assert schema["expectedResult"] == "valid"
    validator = Draft4Validator(schema, registry=registry, format_checker=FORMATS)
    return [f"{assertion}: {error.message[:300]}" for error in validator.iter_errors(instance)]


def instances_for(test_file: str, data: dict) -> list[dict]:
    """Annotation musts check each annotation; collection and page musts the collection (with its
    embedded page), as the suite's pageMusts.test asks."""
    return data["first"]["items"] if test_file.startswith("annotations/") else [data]


@pytest.fixture(scope="module")
def registry():
    return schema_registry() if W3C_TESTS.is_dir() else None


@pytest.mark.parametrize(("test_file", "assertion"), musts())
def test_export_meets_w3c_must_assertion(test_file, assertion, registry, annotated, article, workspace):
    AnnotationFactory(article=ArticleFactory(workspace=workspace, canonical_url=""), note="A note, no canonical URL.")
    data = w3c.collection(
        w3c.export_queryset(Annotation.objects.in_workspace(workspace)),
        base_url=BASE,
        id_url=f"{BASE}/annotations/export/",
        label="Investigations desk",
    )
    assert len(data["first"]["items"]) == 5
    failures = [f for instance in instances_for(test_file, data) for f in must_failures(assertion, instance, registry)]
    assert failures == []


@pytest.mark.skipif(not W3C_TESTS.is_dir(), reason=NO_W3C_TESTS)
def test_w3c_assertions_catch_an_invalid_annotation(registry, annotated, article):
    item = item_for(export(article), annotated["tagged"])
    broken = {**item, "created": "2025-03-01 09:30", "@context": "http://example.org/other", "bodyValue": "x"}
    del broken["target"]
    failed = {
        assertion
        for assertion in json.loads((W3C_TESTS / "annotations/annotationMusts.test").read_text())["assertions"]
        if must_failures(assertion, broken, registry)
    }
    assert {
        "annotations/3.1-annotationContextValidated.json",
        "annotations/3.1-targetKeyFound.json",
        "annotations/3.2.5-notBodyBodyValue.json",
        "annotations/3.3.1-annotationCreatedValidated.json",
    } <= failed


# --- Import -----------------------------------------------------------------------------------


def test_round_trip_into_another_workspace_recreates_passages_tags_and_notes(
    annotated, article, twin, other_workspace, importer
):
    result = import_into(other_workspace, json.loads(json.dumps(export(article))), importer)
    assert (result.created, result.skipped_duplicates, result.errors) == (4, 0, [])
    assert passages(other_workspace) == passages(article.workspace)


def test_round_trip_attaches_to_the_twin_article_and_the_importer(annotated, article, twin, other_workspace, importer):
    import_into(other_workspace, export(article), importer)
    imported = Annotation.objects.in_workspace(other_workspace)
    assert {a.article_id for a in imported} == {twin.pk}
    assert {a.author_id for a in imported} == {importer.pk}


def test_round_trip_keeps_the_source_ids_and_dates(annotated, article, twin, other_workspace):
    data = export(article)
    import_into(other_workspace, data)
    tagged = item_for(data, annotated["tagged"])
    copy = Annotation.objects.in_workspace(other_workspace).get(import_id=tagged["id"])
    assert copy.created_at == annotated["tagged"].created_at.replace(microsecond=0)


def test_importing_the_same_file_twice_creates_no_duplicates(annotated, article, twin, other_workspace):
    data = export(article)
    import_into(other_workspace, data)
    again = import_into(other_workspace, data)
    assert (again.created, again.skipped_duplicates) == (0, 4)
    assert Annotation.objects.in_workspace(other_workspace).count() == 4


def test_importing_an_export_into_its_own_workspace_creates_nothing(annotated, article, workspace):
    result = import_into(workspace, export(article))
    assert (result.created, result.skipped_duplicates) == (0, 4)


def test_the_same_annotation_twice_in_one_file_is_imported_once(annotated, article, twin, other_workspace):
    item = item_for(export(article), annotated["tagged"])
    result = import_into(other_workspace, [item, item])
    assert (result.created, result.skipped_duplicates) == (1, 1)


def test_annotation_without_id_is_imported_once(twin, other_workspace):
    item = {"type": "Annotation", "bodyValue": "A note.", "target": CANONICAL}
    import_into(other_workspace, [item])
    again = import_into(other_workspace, [item])
    assert (again.created, again.skipped_duplicates) == (0, 1)


def test_annotation_on_an_article_of_another_workspace_is_not_imported(annotated, article, other_workspace):
    ArticleFactory(workspace=other_workspace, canonical_url="https://elsewhere.example/story")
    result = import_into(other_workspace, export(article))
    assert result.created == 0
    assert len(result.errors) == 4
    tagged_id = f"{BASE}/annotations/api/annotations/{annotated['tagged'].pk}/"
    assert any(e.startswith(f"{tagged_id}: no article of this workspace at ") for e in result.errors)
    assert not Annotation.objects.in_workspace(other_workspace).exists()


def test_reader_url_of_our_own_server_finds_the_article_without_canonical_url(workspace):
    article = ArticleFactory(workspace=workspace, canonical_url="")
    start, end = span_of(article.text, "codes of practice")
    item = {
        "id": "https://other.example/anno/1",
        "type": "Annotation",
        "target": {
            "source": f"{BASE}/articles/{article.pk}/",
            "selector": [
                {"type": "TextQuoteSelector", "exact": "codes of practice"},
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }
    assert import_into(workspace, item).created == 1
    assert Annotation.objects.get(import_id="https://other.example/anno/1").start == start


def imported_after_edit(annotated, article, twin, other_workspace, text: str, annotation: str) -> Annotation:
    twin.text = text
    twin.save(update_fields=["text"])
    item = item_for(export(article), annotated[annotation])
    result = import_into(other_workspace, item)
    assert result.created == 1, result.errors
    return Annotation.objects.in_workspace(other_workspace).get()


def test_import_after_text_moved_reanchors_as_moved(annotated, article, twin, other_workspace):
    text = "An editor's note was added at the top.\n\n" + twin.text
    copy = imported_after_edit(annotated, article, twin, other_workspace, text, "tagged")
    assert copy.anchor == Annotation.Anchor.MOVED
    assert text[copy.start : copy.end] == TAGGED


def test_import_after_a_word_changed_reanchors_as_fuzzy(annotated, article, twin, other_workspace):
    text = twin.text.replace(COST, COST.replace("£14m", "£16m"))
    copy = imported_after_edit(annotated, article, twin, other_workspace, text, "highlight")
    assert copy.anchor == Annotation.Anchor.FUZZY
    assert text[copy.start : copy.end] == COST.replace("£14m", "£16m")


def test_import_after_the_passage_was_deleted_keeps_it_orphaned(annotated, article, twin, other_workspace):
    text = twin.text.replace(f"Residents of the lower town, where {TAGGED}", "Residents")
    copy = imported_after_edit(annotated, article, twin, other_workspace, text, "tagged")
    assert (copy.anchor, copy.start, copy.end, copy.exact) == (Annotation.Anchor.ORPHANED, None, None, TAGGED)
    assert sorted(t.name for t in copy.tags.all()) == ["flooding", "housing"]


def test_import_reuses_existing_tags_case_insensitively(annotated, article, twin, other_workspace):
    existing = TagFactory(workspace=other_workspace, name="Flooding")
    import_into(other_workspace, item_for(export(article), annotated["tagged"]))
    assert existing in Annotation.objects.in_workspace(other_workspace).get().tags.all()


def test_imported_annotation_without_purposes_reads_tags_from_a_tagging_motivation(twin, other_workspace):
    item = {
        "id": "urn:x:1",
        "motivation": "tagging",
        "body": {"type": "TextualBody", "value": "courts"},
        "target": CANONICAL,
    }
    import_into(other_workspace, item)
    assert [t.name for t in Annotation.objects.get(import_id="urn:x:1").tags.all()] == ["courts"]


def test_not_json_is_refused_with_a_plain_message():
    with pytest.raises(w3c.ImportFileError, match="not JSON"):
        w3c.load_json(b"\x89PNG\r\n\x1a\n not json")


def test_json_array_of_numbers_gives_one_error_per_item(workspace):
    result = import_into(workspace, [1, 2, 3])
    assert (result.created, len(result.errors)) == (0, 3)
    assert result.errors[0] == "item 1: not an annotation object"


@pytest.mark.parametrize(
    "data", [42, "text", None, {"hello": "world"}, {"type": "AnnotationCollection", "first": "https://x.example/p1"}]
)
def test_json_that_is_no_annotation_gives_an_error(workspace, data):
    result = import_into(workspace, data)
    assert result.created == 0
    assert len(result.errors) == 1


def test_collection_whose_items_lack_targets_lists_each(annotated, article, workspace):
    data = export(article)
    for item in data["first"]["items"]:
        del item["target"]
    result = import_into(workspace, data)
    assert result.created == 0
    assert all("no target with a source URL" in e for e in result.errors)
    assert len(result.errors) == 4


def test_ten_thousand_items_of_junk_give_errors_not_an_exception(workspace):
    junk = [
        {"type": "Annotation", "target": {"source": 5, "selector": "x"}},
        {"target": {"source": CANONICAL, "selector": [{"type": "TextQuoteSelector", "exact": ["a"]}]}},
        {"target": {"source": CANONICAL, "selector": {"type": "CssSelector", "value": "p"}}},
        {"target": CANONICAL, "body": {"value": 7}},
        {"target": [], "body": [None, 1, "https://x.example"]},
        {"type": ["Collection"], "target": CANONICAL},
        {"id": 7, "target": {"source": CANONICAL, "selector": [{"type": "TextQuoteSelector", "exact": "   "}]}},
        "https://x.example/annotation/1",
        [[[]]],
    ]
    items = [junk[i % len(junk)] for i in range(10_000)]
    result = import_into(workspace, {"type": "AnnotationPage", "items": items})
    assert (result.created, len(result.errors)) == (0, 10_000)


def test_a_note_longer_than_allowed_is_refused(twin, other_workspace):
    item = {"id": "urn:x:long", "bodyValue": "x" * 10_001, "target": CANONICAL}
    result = import_into(other_workspace, item)
    assert result.created == 0
    assert "urn:x:long: its note has 10,001 characters" in result.errors[0]


def test_items_beyond_the_cap_are_not_read(workspace, monkeypatch):
    monkeypatch.setattr(w3c, "MAX_IMPORT_ITEMS", 2)
    result = import_into(workspace, [1, 2, 3])
    assert result.errors[0] == "Only the first 2 of 3 items were read."
    assert len(result.errors) == 3


def test_summary_names_counts_and_problems():
    result = w3c.ImportResult(created=3, skipped_duplicates=1, errors=["a: bad", "b: worse"])
    assert result.summary() == "3 imported, 1 already there, 2 problems: a: bad; b: worse."


# --- Views ------------------------------------------------------------------------------------
# Until annotations/urls.py routes the three views, this module is the URLconf that does.

W3C_PATTERNS = [
    path("export/", w3c_views.workspace_annotations_export, name="export"),
    path("export/articles/<int:pk>/", w3c_views.article_annotations_export, name="export_article"),
    path("import/", w3c_views.workspace_annotations_import, name="import"),
]
urlpatterns = [
    *[p for p in project_urls.urlpatterns if str(p.pattern) != "annotations/"],
    path("annotations/", include((annotation_urls.urlpatterns + W3C_PATTERNS, "annotations"))),
]


@pytest.fixture(autouse=True)
def routed(settings):
    try:
        reverse("annotations:export")
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


def url(name: str, *args) -> str:
    return reverse(f"annotations:{name}", args=args)


def test_viewer_downloads_an_articles_annotations(viewer_client, annotated, article):
    response = viewer_client.get(url("export_article", article.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Content-Disposition"] == f'attachment; filename="annotations-article-{article.pk}.jsonld"'
    assert json.loads(response.content)["total"] == 4


def test_outsider_gets_404_for_an_articles_annotations(outsider_client, annotated, article):
    assert outsider_client.get(url("export_article", article.pk)).status_code == 404


def test_viewer_downloads_the_workspace_annotations(viewer_client, annotated, workspace):
    response = viewer_client.get(url("export"))
    data = json.loads(b"".join(response.streaming_content))
    assert response["Content-Disposition"] == f'attachment; filename="{workspace.slug}-annotations.jsonld"'
    assert (data["total"], len(data["first"]["items"])) == (4, 4)


def make_annotations(workspace, count: int) -> None:
    """`count` tagged, noted passages, five to an article."""
    tag = TagFactory(workspace=workspace)
    for first in range(0, count, 5):
        article = ArticleFactory(workspace=workspace)
        for index in range(first, min(first + 5, count)):
            AnnotationFactory(article=article, passage="codes of practice", note=f"Note {index}", tags=[tag])


@pytest.mark.parametrize("name", ["export", "export_article"])
def test_export_query_count_does_not_grow_with_annotations(
    viewer_client, workspace, django_assert_max_num_queries, name
):
    def download():
        article_pk = Annotation.objects.in_workspace(workspace).values_list("article_id", flat=True).last()
        response = viewer_client.get(url(name, article_pk) if name == "export_article" else url(name))
        return b"".join(response.streaming_content) if response.streaming else response.content

    make_annotations(workspace, 5)
    with CaptureQueriesContext(connection) as few:
        download()
    make_annotations(workspace, 45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert json.loads(download())["total"] in (5, 50)


def upload(client, data, name="annotations.jsonld", **extra):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(url("import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_editor_imports_a_file_and_is_sent_back_with_a_summary(annotated, article, twin, importer):
    client = Client()
    client.force_login(importer)
    response = upload(client, export(article), next=f"/articles/{twin.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{twin.pk}/"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["4 imported, 0 already there, 0 problems."]


def test_import_message_lists_problems(editor_client, workspace):
    response = upload(editor_client, [1, {"target": "https://nowhere.example/a", "bodyValue": "x"}], next="/")
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith(
        "0 imported, 0 already there, 2 problems: item 1: not an annotation object; item 2: no article"
    )


def test_import_redirects_home_for_an_unsafe_next(editor_client):
    response = upload(editor_client, [], next="https://evil.example/")
    assert response["Location"] == reverse("home")


def test_import_of_a_non_json_file_is_422(editor_client):
    response = upload(editor_client, b"<html>not json</html>")
    assert response.status_code == 422
    assert "not JSON" in response.content.decode()


def test_viewer_may_not_import(viewer_client):
    assert upload(viewer_client, []).status_code == 403


def test_import_needs_post(editor_client):
    assert editor_client.get(url("import")).status_code == 405


# --- Commands ---------------------------------------------------------------------------------


def test_commands_round_trip_through_a_file(
    annotated, article, workspace, other_workspace, twin, importer, tmp_path, capsys
):
    path = tmp_path / "export.jsonld"
    call_command("export_annotations", "--workspace", workspace.slug, "--output", str(path), "--base-url", BASE)
    call_command("import_annotations", str(path), "--workspace", other_workspace.slug, "--user", importer.username)
    assert capsys.readouterr().out.strip() == "4 imported, 0 already there, 0 problems."
    assert passages(other_workspace) == passages(workspace)


def test_export_command_of_one_article_writes_its_collection(annotated, article, workspace, capsys):
    ArticleFactory(workspace=workspace)
    AnnotationFactory(article=ArticleFactory(workspace=workspace), note="Elsewhere.")
    call_command("export_annotations", "--workspace", workspace.slug, "--article", str(article.pk), "--base-url", BASE)
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 4
    assert data["id"].endswith(f"/articles/{article.pk}/")


def test_import_command_twice_reports_duplicates(annotated, article, other_workspace, twin, tmp_path, capsys):
    path = tmp_path / "export.jsonld"
    path.write_text(json.dumps(export(article)))
    call_command("import_annotations", str(path), "--workspace", other_workspace.slug, "--base-url", BASE)
    call_command("import_annotations", str(path), "--workspace", other_workspace.slug, "--base-url", BASE)
    assert capsys.readouterr().out.splitlines()[-1] == "0 imported, 4 already there, 0 problems."


@pytest.mark.parametrize(
    ("command", "arguments", "message"),
    [
        ("export_annotations", ["--workspace", "nope"], "No workspace"),
        ("export_annotations", ["--workspace", "{ws}", "--article", "999999"], "No article"),
        ("import_annotations", ["{file}", "--workspace", "nope"], "No workspace"),
        ("import_annotations", ["{file}", "--workspace", "{ws}", "--user", "nobody"], "No user"),
        ("import_annotations", ["{file}", "--workspace", "{ws}", "--user", "{outsider}"], "not a member"),
        ("import_annotations", ["{missing}", "--workspace", "{ws}"], "Could not read"),
        ("import_annotations", ["{junk}", "--workspace", "{ws}"], "not JSON"),
    ],
)
def test_commands_refuse_bad_arguments(workspace, tmp_path, command, arguments, message):
    (tmp_path / "ok.json").write_text("[]")
    (tmp_path / "junk.json").write_bytes(b"\xff\xfe garbage")
    values = {
        "ws": workspace.slug,
        "file": str(tmp_path / "ok.json"),
        "missing": str(tmp_path / "missing.json"),
        "junk": str(tmp_path / "junk.json"),
        "outsider": UserFactory().username,
    }
    with pytest.raises(CommandError, match=message):
        call_command(command, *[a.format(**values) for a in arguments])
