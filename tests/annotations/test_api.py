"""The reader's JSON endpoints: what a researcher's browser sends and what it gets back."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html as lxml_html

from annotations.models import Annotation, Tag
from annotations.services import StaleVersion
from tests.annotations.conftest import (
    AnnotationFactory,
    annotation_url,
    annotations_url,
    article_from_page,
    reader_url,
    restore_url,
    span_of,
)
from tests.factories import ArticleFactory, MembershipFactory, TagFactory
from workspace.models import Role

pytestmark = pytest.mark.django_db

PASSAGE = "more than 400 homes flooded in 2023"
NOT_FOUND = {"error": "No such article or annotation."}
VIEWER_REFUSED = "Your role in this workspace is viewer: you can read everything but not change it."
NOT_YOURS = "You can change your own annotations; this one belongs to another member."


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def patch_json(client, url, data):
    return client.patch(url, data=json.dumps(data), content_type="application/json")


def passage_body(article, passage=PASSAGE, **extra):
    start, end = span_of(article.text, passage)
    return {"start": start, "end": end, "exact": passage, **extra}


def create(client, article, **body):
    response = post_json(client, annotations_url(article), body)
    assert response.status_code == 201, response.content
    return response.json()


# --- Creating ----------------------------------------------------------------------------


def test_highlighting_a_passage_stores_its_selectors_and_tags(editor_client, ready_article):
    start, end = span_of(ready_article.text, PASSAGE)
    body = {"start": start, "end": end, "exact": PASSAGE, "note": "Check the *council's* figure.", "tags": ["Flooding"]}

    response = post_json(editor_client, annotations_url(ready_article), body)

    assert response.status_code == 201
    data = response.json()
    assert (data["start"], data["end"], data["exact"]) == (start, end, PASSAGE)
    assert data["prefix"] == ready_article.text[start - 32 : start]
    assert data["suffix"] == ready_article.text[end : end + 32]
    assert data["anchor"] == "exact"
    assert data["anchor_score"] == 1.0
    assert data["version"] == 1
    assert data["can_change"] is True
    assert data["deleted"] is False
    assert data["note_html"] == "<p>Check the <em>council's</em> figure.</p>\n"
    assert [t["name"] for t in data["tags"]] == ["Flooding"]
    stored = Annotation.objects.get(pk=data["id"])
    assert ready_article.text[stored.start : stored.end] == stored.exact == PASSAGE
    assert stored.author == editor_client.user
    assert Tag.objects.get(name="Flooding").workspace == ready_article.workspace


def test_an_existing_tag_is_reused_whatever_its_case(editor_client, ready_article, workspace):
    existing = TagFactory(workspace=workspace, name="Flooding", colour="teal")

    data = create(editor_client, ready_article, **passage_body(ready_article, tags=["flooding", " FLOODING "]))

    assert data["tags"] == [{"name": "Flooding", "colour": "teal"}]
    assert list(Annotation.objects.get(pk=data["id"]).tags.all()) == [existing]


@pytest.mark.parametrize(
    "note",
    [
        "<script>alert(1)</script> hello",
        "[click me](javascript:alert(1))",
        '<a href="javascript:alert(1)">click me</a>',
        "<img src=x onerror=alert(1)>",
        "[x](JaVaScRiPt:alert(1)) and javascript:alert(1)",
    ],
)
def test_a_script_or_javascript_link_in_a_note_never_survives(editor_client, ready_article, note):
    data = create(editor_client, ready_article, **passage_body(ready_article, note=note))

    rendered = lxml_html.fragment_fromstring(data["note_html"], create_parent="div")
    assert not rendered.xpath("//script | //img | //@*[starts-with(name(), 'on')]")
    assert all(not href.strip().lower().startswith("javascript") for href in rendered.xpath("//a/@href"))
    assert data["note"] == note  # the Markdown itself is kept as written


def test_a_link_in_a_note_opens_safely(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="See https://example.org/report"))

    assert '<a href="https://example.org/report" rel="noopener noreferrer nofollow">' in data["note_html"]


def test_a_note_on_the_whole_article_needs_no_passage(editor_client, ready_article):
    data = create(editor_client, ready_article, note="Follow up with the Environment Agency.", tags=["to check"])

    stored = Annotation.objects.get(pk=data["id"])
    assert (stored.exact, stored.start, stored.end) == ("", None, None)
    assert data["note"] == "Follow up with the Environment Agency."
    assert [t["name"] for t in data["tags"]] == ["to check"]


def test_an_article_note_with_neither_note_nor_tags_is_refused(editor_client, ready_article):
    response = post_json(editor_client, annotations_url(ready_article), {"note": "   "})

    assert response.status_code == 400
    assert response.json() == {"error": "An article-level annotation needs a note or tags."}


def test_a_selection_across_two_paragraphs_is_accepted_without_the_separator(editor_client, ready_article):
    text = ready_article.text
    start = text.index("a shortage of contractors.")
    end = text.index("Residents of the lower town") + len("Residents of the lower town")
    # What a browser's Selection.toString() gives: no blank line between the paragraphs.
    browser_exact = "a shortage of contractors.Residents of the lower town"

    data = create(editor_client, ready_article, start=start, end=end, exact=browser_exact)

    assert data["exact"] == "a shortage of contractors.\n\nResidents of the lower town"
    assert data["exact"] == text[start:end]


def test_offsets_count_an_emoji_as_one_character(editor_client, workspace):
    page = (
        "<html><head><title>Fans celebrate</title></head><body><article><h1>Fans celebrate</h1>"
        "<p>Supporters posted 🎉🎉 and 👩‍👩‍👧 all night after the final whistle in the town square.</p>"
        "<p>The club said the parade would take place on Sunday afternoon along the seafront.</p>"
        "</article></body></html>"
    )
    article = article_from_page(workspace, page)
    passage = "the parade would take place on Sunday"
    start, end = span_of(article.text, passage)
    utf16_start = start + sum(1 for ch in article.text[:start] if ord(ch) > 0xFFFF)
    assert utf16_start > start  # the emoji really are astral characters

    data = create(editor_client, article, start=start, end=end, exact=passage)
    assert (data["start"], data["end"], data["exact"]) == (start, end, passage)

    in_utf16 = post_json(
        editor_client,
        annotations_url(article),
        {"start": utf16_start, "end": utf16_start + len(passage), "exact": passage},
    )
    assert in_utf16.status_code == 400


# --- Refusals ------------------------------------------------------------------------------


def test_an_unknown_article_is_not_found(editor_client, ready_article):
    response = post_json(editor_client, reverse("annotations:api_article_annotations", args=[999_999]), {"note": "x"})

    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_another_workspaces_article_looks_exactly_like_an_unknown_one(outsider_client, ready_article):
    body = passage_body(ready_article)

    created = post_json(outsider_client, annotations_url(ready_article), body)
    listed = outsider_client.get(annotations_url(ready_article))
    unknown = post_json(outsider_client, reverse("annotations:api_article_annotations", args=[999_999]), body)

    assert created.status_code == listed.status_code == unknown.status_code == 404
    assert created.json() == listed.json() == unknown.json() == NOT_FOUND
    assert not Annotation.objects.exists()


def test_another_workspaces_annotation_is_not_found(outsider_client, ready_article):
    annotation = AnnotationFactory(article=ready_article, passage=PASSAGE, note="Confidential source")

    for response in (
        outsider_client.get(annotation_url(annotation)),
        patch_json(outsider_client, annotation_url(annotation), {"version": 1, "note": "mine now"}),
        outsider_client.delete(annotation_url(annotation)),
        outsider_client.post(restore_url(annotation)),
    ):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
    annotation.refresh_from_db()
    assert (annotation.note, annotation.deleted_at) == ("Confidential source", None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"start": 10, "end": 100_000}, "That selection is not a passage of this article: Passage 10..100000"),
        ({"start": -5, "end": 10}, "That selection is not a passage of this article: Passage -5..10"),
        ({"start": 40, "end": 40}, "is not a non-empty range"),
        ({"start": 50, "end": 40}, "is not a non-empty range"),
        ({"start": 10}, "is not a non-empty range"),
        ({"start": "10", "end": 20}, "“start” must be a whole number of characters."),
        ({"start": 10, "end": 20.5}, "“end” must be a whole number of characters."),
        ({"start": True, "end": 20}, "“start” must be a whole number of characters."),
    ],
)
def test_a_selection_outside_the_text_is_refused(editor_client, ready_article, body, message):
    response = post_json(editor_client, annotations_url(ready_article), body)

    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not Annotation.objects.exists()


def test_a_selection_of_only_whitespace_is_refused(editor_client, ready_article):
    start = ready_article.text.index("\n\n")

    response = post_json(editor_client, annotations_url(ready_article), {"start": start, "end": start + 2})

    assert response.status_code == 400
    assert response.json()["error"].endswith("contains only whitespace.")


@pytest.mark.parametrize("exact", ["", "   ", "more than 500 homes flooded in 2023"])
def test_a_quote_that_does_not_match_the_text_is_refused(editor_client, ready_article, exact):
    start, end = span_of(ready_article.text, PASSAGE)

    response = post_json(editor_client, annotations_url(ready_article), {"start": start, "end": end, "exact": exact})

    assert response.status_code == 400
    assert response.json() == {
        "error": "The selected text does not match the article: it may have been cleaned again. Reload."
    }


def test_an_article_still_being_cleaned_cannot_be_highlighted(editor_client, workspace):
    article = ArticleFactory(workspace=workspace, status="cleaning")

    response = post_json(editor_client, annotations_url(article), {"start": 0, "end": 5})

    assert response.status_code == 400
    assert response.json() == {"error": "This article is not ready for annotating yet."}


def test_a_note_over_ten_thousand_characters_is_refused(editor_client, ready_article):
    response = post_json(editor_client, annotations_url(ready_article), passage_body(ready_article, note="x" * 10_001))

    assert response.status_code == 400
    assert response.json() == {"error": "A note can be at most 10,000 characters long; this one has 10,001."}


def test_a_note_of_exactly_ten_thousand_characters_is_kept(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="x" * 10_000))

    assert len(data["note"]) == 10_000


@pytest.mark.parametrize("tags", ["flooding", [1, 2], {"name": "flooding"}, ["ok", None]])
def test_tags_that_are_not_a_list_of_names_are_refused(editor_client, ready_article, tags):
    response = post_json(editor_client, annotations_url(ready_article), passage_body(ready_article, tags=tags))

    assert response.status_code == 400
    assert response.json() == {"error": "“tags” must be a list of tag names."}


def test_more_than_twenty_tags_are_refused(editor_client, ready_article):
    tags = [f"theme {n}" for n in range(21)]

    response = post_json(editor_client, annotations_url(ready_article), passage_body(ready_article, tags=tags))

    assert response.status_code == 400
    assert response.json() == {"error": "At most 20 tags on one annotation."}
    assert not Tag.objects.exists()


def test_a_note_that_is_not_text_is_refused(editor_client, ready_article):
    response = post_json(editor_client, annotations_url(ready_article), passage_body(ready_article, note=["x"]))

    assert response.status_code == 400
    assert response.json() == {"error": "“note” must be text."}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "The request body is not valid JSON."),
        (b"\xff\xfe\x00", "The request body is not valid JSON."),
        ('["a", "list"]', "The request body must be a JSON object."),
        ('"text"', "The request body must be a JSON object."),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(editor_client, ready_article, raw, message):
    response = editor_client.post(annotations_url(ready_article), data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_an_oversized_request_is_refused(editor_client, ready_article):
    body = json.dumps(passage_body(ready_article, note="x" * 9_000, padding="y" * 70_000))

    response = editor_client.post(annotations_url(ready_article), data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"error": "The request is too large."}


def test_a_wrong_method_is_refused(editor_client, ready_article):
    assert editor_client.put(annotations_url(ready_article)).status_code == 405


# --- Roles and sign-in ---------------------------------------------------------------------


def test_a_viewer_sees_annotations_but_cannot_create_one(viewer_client, ready_article):
    AnnotationFactory(article=ready_article, passage=PASSAGE, note="Seen by all")

    listed = viewer_client.get(annotations_url(ready_article))
    created = post_json(viewer_client, annotations_url(ready_article), passage_body(ready_article))

    assert listed.status_code == 200
    assert [a["note"] for a in listed.json()["annotations"]] == ["Seen by all"]
    assert listed.json()["annotations"][0]["can_change"] is False
    assert created.status_code == 403
    assert created.json() == {"error": VIEWER_REFUSED}
    assert Annotation.objects.count() == 1


def test_a_viewer_cannot_edit_delete_or_restore(viewer_client, ready_article):
    annotation = AnnotationFactory(article=ready_article, passage=PASSAGE, note="Original note")

    for response in (
        patch_json(viewer_client, annotation_url(annotation), {"version": 1, "note": "changed"}),
        viewer_client.delete(annotation_url(annotation)),
        viewer_client.post(restore_url(annotation)),
    ):
        assert response.status_code == 403
        assert response.json() == {"error": VIEWER_REFUSED}
    annotation.refresh_from_db()
    assert (annotation.note, annotation.deleted_at, annotation.version) == ("Original note", None, 1)


def test_signed_out_requests_get_a_json_401(client, ready_article):
    annotation = AnnotationFactory(article=ready_article, passage=PASSAGE)

    for response in (
        client.get(annotations_url(ready_article)),
        post_json(client, annotations_url(ready_article), passage_body(ready_article)),
        patch_json(client, annotation_url(annotation), {"version": 1, "note": "x"}),
        client.delete(annotation_url(annotation)),
        client.get(reverse("annotations:api_tags")),
    ):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"error": "Sign in first."}


def csrf_client(workspace) -> Client:
    membership = MembershipFactory(workspace=workspace, role=Role.EDITOR)
    client = Client(enforce_csrf_checks=True)
    client.force_login(membership.user)
    client.user = membership.user
    return client


def test_a_post_without_the_csrf_header_is_refused(workspace, ready_article):
    client = csrf_client(workspace)
    client.get(reader_url(ready_article))  # has the CSRF cookie, but sends no header

    response = post_json(client, annotations_url(ready_article), passage_body(ready_article))

    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_a_post_with_the_token_from_the_reader_page_is_accepted(workspace, ready_article):
    client = csrf_client(workspace)
    page = client.get(reader_url(ready_article)).content.decode()
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)

    response = client.post(
        annotations_url(ready_article),
        data=json.dumps(passage_body(ready_article)),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201


def test_patch_and_delete_need_the_csrf_header_too(workspace, ready_article):
    client = csrf_client(workspace)
    client.get(reader_url(ready_article))
    annotation = AnnotationFactory(article=ready_article, passage=PASSAGE, author=client.user)

    assert patch_json(client, annotation_url(annotation), {"version": 1, "note": "x"}).status_code == 403
    assert client.delete(annotation_url(annotation)).status_code == 403
    annotation.refresh_from_db()
    assert (annotation.version, annotation.deleted_at) == (1, None)


# --- Editing, deleting, undo -------------------------------------------------------------------


def test_editing_a_note_and_tags_raises_the_version(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="first", tags=["a", "b"]))

    response = patch_json(editor_client, annotation_url(data["id"]), {"version": 1, "note": "second", "tags": ["c"]})

    assert response.status_code == 200
    assert response.json()["note"] == "second"
    assert [t["name"] for t in response.json()["tags"]] == ["c"]
    assert response.json()["version"] == 2


def test_an_edit_without_a_version_is_refused(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="first"))

    response = patch_json(editor_client, annotation_url(data["id"]), {"note": "second"})

    assert response.status_code == 400
    assert response.json() == {"error": "Send the “version” you edited, so that nobody's change is lost."}


def test_saving_over_someone_elses_newer_change_is_refused_and_loses_nothing(
    owner_client, editor_client, ready_article
):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="first", tags=["flooding"]))
    url = annotation_url(data["id"])
    assert patch_json(owner_client, url, {"version": 1, "note": "owner's correction"}).status_code == 200

    stale = patch_json(editor_client, url, {"version": 1, "note": "editor's late edit", "tags": ["other"]})

    assert stale.status_code == 409
    assert stale.json() == {"error": StaleVersion.message}
    assert stale.json()["error"].startswith("Someone changed this annotation")
    annotation = Annotation.objects.get(pk=data["id"])
    assert annotation.note == "owner's correction"
    assert annotation.version == 2
    assert [t.name for t in annotation.tags.all()] == ["flooding"]


def test_reattaching_an_orphan_to_a_new_selection_anchors_it_exactly(editor_client, ready_article):
    orphan = AnnotationFactory(
        article=ready_article,
        author=editor_client.user,
        exact="the scheme would cost £12m",
        prefix="the environment said ",
        start=None,
        end=None,
        anchor=Annotation.Anchor.ORPHANED,
        anchor_score=0.0,
        note="Cost figure",
    )
    passage = "the scheme would cost £14m"
    start, end = span_of(ready_article.text, passage)

    response = patch_json(
        editor_client, annotation_url(orphan), {"version": 1, "start": start, "end": end, "exact": passage}
    )

    assert response.status_code == 200
    data = response.json()
    assert (data["anchor"], data["anchor_score"]) == ("exact", 1.0)
    assert (data["start"], data["end"], data["exact"]) == (start, end, passage)
    assert data["note"] == "Cost figure"


def test_a_deleted_annotation_comes_back_with_its_note_and_tags_on_undo(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="keep me", tags=["flooding"]))
    url = annotation_url(data["id"])

    deleted = editor_client.delete(url)

    assert deleted.status_code == 200
    assert deleted.json() == {"id": data["id"], "deleted": True}
    assert editor_client.get(annotations_url(ready_article)).json()["annotations"] == []
    assert editor_client.get(url).json()["deleted"] is True

    restored = editor_client.post(restore_url(data["id"]))

    assert restored.status_code == 200
    assert restored.json()["deleted"] is False
    listed = editor_client.get(annotations_url(ready_article)).json()["annotations"]
    assert [(a["id"], a["note"], [t["name"] for t in a["tags"]]) for a in listed] == [
        (data["id"], "keep me", ["flooding"])
    ]


def test_emptying_an_article_note_is_refused_like_creating_an_empty_one(editor_client, ready_article):
    data = create(editor_client, ready_article, note="Call the council", tags=["to check"])

    response = patch_json(editor_client, annotation_url(data["id"]), {"version": 1, "note": "  ", "tags": []})

    assert response.status_code == 400
    assert response.json() == {"error": "An article-level annotation needs a note or tags."}
    assert Annotation.objects.get(pk=data["id"]).note == "Call the council"


def test_an_edit_with_too_many_tags_changes_nothing(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="first", tags=["flooding"]))

    response = patch_json(
        editor_client,
        annotation_url(data["id"]),
        {"version": 1, "note": "second", "tags": [f"t{n}" for n in range(21)]},
    )

    assert response.status_code == 400
    assert response.json() == {"error": "At most 20 tags on one annotation."}
    annotation = Annotation.objects.get(pk=data["id"])
    assert (annotation.note, annotation.version) == ("first", 1)
    assert [t.name for t in annotation.tags.all()] == ["flooding"]


def test_a_deleted_annotation_cannot_be_edited(editor_client, ready_article):
    data = create(editor_client, ready_article, **passage_body(ready_article, note="keep me"))
    editor_client.delete(annotation_url(data["id"]))

    response = patch_json(editor_client, annotation_url(data["id"]), {"version": 2, "note": "changed"})

    assert response.status_code == 409


def test_an_editor_cannot_change_another_members_annotation(editor_client, ready_article):
    theirs = AnnotationFactory(article=ready_article, passage=PASSAGE, note="theirs")

    assert editor_client.get(annotation_url(theirs)).json()["can_change"] is False
    for response in (
        patch_json(editor_client, annotation_url(theirs), {"version": 1, "note": "mine"}),
        editor_client.delete(annotation_url(theirs)),
    ):
        assert response.status_code == 403
        assert response.json() == {"error": NOT_YOURS}
    theirs.refresh_from_db()
    assert (theirs.note, theirs.deleted_at) == ("theirs", None)


def test_editors_change_others_annotations_when_the_workspace_allows_it(editor_client, ready_article, workspace):
    workspace.editors_can_change_others_annotations = True
    workspace.save()
    theirs = AnnotationFactory(article=ready_article, passage=PASSAGE, note="theirs")

    assert editor_client.get(annotation_url(theirs)).json()["can_change"] is True
    assert patch_json(editor_client, annotation_url(theirs), {"version": 1, "note": "edited"}).status_code == 200
    assert editor_client.delete(annotation_url(theirs)).status_code == 200


def test_an_owner_changes_anyones_annotation(owner_client, ready_article):
    theirs = AnnotationFactory(article=ready_article, passage=PASSAGE, note="theirs")

    assert owner_client.get(annotation_url(theirs)).json()["can_change"] is True
    assert patch_json(owner_client, annotation_url(theirs), {"version": 1, "note": "edited"}).status_code == 200
    assert owner_client.delete(annotation_url(theirs)).status_code == 200
    assert owner_client.post(restore_url(theirs)).status_code == 200


# --- Listing and tag suggestions ---------------------------------------------------------------


def test_the_list_holds_live_annotations_in_text_order(viewer_client, ready_article):
    later = AnnotationFactory(article=ready_article, passage="a new timetable")
    earlier = AnnotationFactory(article=ready_article, passage="flood defences")
    note = AnnotationFactory(article=ready_article, note="On the whole article")
    gone = AnnotationFactory(article=ready_article, passage="£14m")
    gone.deleted_at = gone.created_at
    gone.save()

    listed = viewer_client.get(annotations_url(ready_article)).json()["annotations"]

    assert {a["id"] for a in listed} == {later.pk, earlier.pk, note.pk}
    passages = [a["id"] for a in listed if a["start"] is not None]
    assert passages == [earlier.pk, later.pk]


def test_tag_suggestions_are_this_workspaces_tags_most_used_first(
    editor_client, ready_article, workspace, foreign_article, other_workspace
):
    rare = TagFactory(workspace=workspace, name="flood risk")
    common = TagFactory(workspace=workspace, name="flooding")
    unused = TagFactory(workspace=workspace, name="floodplain")
    TagFactory(workspace=workspace, name="budget")
    foreign = TagFactory(workspace=other_workspace, name="flood secrets")
    AnnotationFactory(article=foreign_article, passage=PASSAGE, tags=[foreign])
    AnnotationFactory.create_batch(3, article=ready_article, passage=PASSAGE, tags=[common])
    AnnotationFactory(article=ready_article, passage=PASSAGE, tags=[rare])

    response = editor_client.get(reverse("annotations:api_tags"), {"q": "FLOOD"})

    assert response.status_code == 200
    names = [t["name"] for t in response.json()["tags"]]
    assert names == [common.name, rare.name, unused.name]
    assert response.json()["tags"][0] == {"name": "flooding", "colour": common.colour}


def test_deleted_annotations_do_not_count_towards_a_tags_use(editor_client, ready_article, workspace):
    popular = TagFactory(workspace=workspace, name="alpha")
    emptied = TagFactory(workspace=workspace, name="beta")
    AnnotationFactory(article=ready_article, passage=PASSAGE, tags=[popular])
    for annotation in AnnotationFactory.create_batch(2, article=ready_article, passage=PASSAGE, tags=[emptied]):
        annotation.deleted_at = annotation.created_at
        annotation.save()

    names = [t["name"] for t in editor_client.get(reverse("annotations:api_tags")).json()["tags"]]

    assert names == ["alpha", "beta"]
