"""Passages stay attached when an article is cleaned again with a changed text, or are kept as orphans."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from annotations import services
from annotations.models import Annotation
from articles import services as article_services
from articles.models import Article
from tests.annotations.conftest import FLOOD_PAGE, annotations_url, span_of
from tests.factories import MembershipFactory
from workspace.models import Role

pytestmark = pytest.mark.django_db

COST = "the scheme would cost £14m, almost twice the original estimate"
HOMES = "more than 400 homes flooded in 2023"
RESIDENTS = (
    "<p>Residents of the lower town, where <strong>more than 400 homes</strong> flooded in 2023, said they were "
    "<em>angry and frightened</em> by the decision.</p>"
)
REWRITTEN = (
    "<p>People living near the harbour, whose houses were damaged two years ago, called the delay unacceptable.</p>"
)
assert RESIDENTS in FLOOD_PAGE
NEW_OPENING = (
    "<p>Updated on Friday: this article has been revised to include a response from the Environment Agency.</p>"
)


@pytest.fixture
def member(workspace):
    return MembershipFactory(workspace=workspace, role=Role.EDITOR)


@pytest.fixture
def pasted_article(member, django_capture_on_commit_callbacks):
    """The flood story pasted as HTML and cleaned by the (eager) task, as the add page does it."""
    with django_capture_on_commit_callbacks(execute=True):
        article = article_services.submit_paste(workspace=member.workspace, user=member.user, text=FLOOD_PAGE)
    article.refresh_from_db()
    assert article.status == Article.Status.READY
    return article


@pytest.fixture
def reclean(django_capture_on_commit_callbacks):
    """Store a changed page as the article's newest original and clean the article again from it."""

    def run(article: Article, page: str) -> Article:
        article_services.store_original(
            article=article,
            file=ContentFile(page.encode(), name="pasted"),
            filename="pasted.html",
            content_type="text/html; charset=utf-8",
        )
        with django_capture_on_commit_callbacks(execute=True):
            article_services.requeue(article=article)
        article.refresh_from_db()
        assert article.status == Article.Status.READY, article.last_error
        return article

    return run


def highlight(article, member, passage, note="", tags=()):
    start, end = span_of(article.text, passage)
    return services.create_annotation(
        article=article, user=member.user, start=start, end=end, exact=passage, note=note, tag_names=list(tags)
    )


def test_text_inserted_before_a_passage_moves_it(pasted_article, member, reclean):
    annotation = highlight(pasted_article, member, HOMES, note="Check the number")
    old_start = annotation.start

    article = reclean(pasted_article, FLOOD_PAGE.replace("<h1>", NEW_OPENING + "<h1>", 1))

    annotation.refresh_from_db()
    assert article.text.startswith("Updated on Friday")
    assert annotation.anchor == Annotation.Anchor.MOVED
    assert annotation.start > old_start
    assert article.text[annotation.start : annotation.end] == annotation.exact == HOMES
    assert annotation.note == "Check the number"


def test_a_word_changed_inside_a_passage_is_an_approximate_match_with_its_score(pasted_article, member, reclean):
    annotation = highlight(pasted_article, member, COST, note="Cost doubled?")

    article = reclean(pasted_article, FLOOD_PAGE.replace("almost twice", "nearly twice"))

    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.FUZZY
    assert 0.75 <= annotation.anchor_score < 1.0
    assert article.text[annotation.start : annotation.end] == annotation.exact
    assert annotation.exact == "the scheme would cost £14m, nearly twice the original estimate"
    assert annotation.note == "Cost doubled?"


def test_a_deleted_passage_is_orphaned_and_still_listed_with_its_quote_and_note(
    pasted_article, member, reclean, editor_client
):
    annotation = highlight(pasted_article, member, HOMES, note="Ask residents", tags=["flooding"])

    reclean(pasted_article, FLOOD_PAGE.replace(RESIDENTS, ""))

    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.ORPHANED
    assert (annotation.start, annotation.end, annotation.anchor_score) == (None, None, 0.0)
    assert annotation.deleted_at is None
    listed = editor_client.get(annotations_url(pasted_article)).json()["annotations"]
    assert [(a["id"], a["exact"], a["note"], a["anchor"]) for a in listed] == [
        (annotation.pk, HOMES, "Ask residents", "orphaned")
    ]
    assert [t["name"] for t in listed[0]["tags"]] == ["flooding"]


def test_each_passage_gets_its_own_verdict_in_one_reclean(pasted_article, member, reclean):
    unchanged = highlight(pasted_article, member, "postponed work on the seafront flood defences")
    edited = highlight(pasted_article, member, COST)
    removed = highlight(pasted_article, member, HOMES)
    note = services.create_annotation(article=pasted_article, user=member.user, note="On the whole story")

    page = FLOOD_PAGE.replace("almost twice", "nearly twice").replace(RESIDENTS, REWRITTEN)
    reclean(pasted_article, page)

    anchors = {a.pk: a.anchor for a in Annotation.objects.all()}
    assert anchors == {unchanged.pk: "exact", edited.pk: "fuzzy", removed.pk: "orphaned", note.pk: "exact"}
    assert Annotation.objects.get(pk=note.pk).note == "On the whole story"


def test_a_passage_deleted_then_undone_after_a_reclean_comes_back_at_its_new_place(
    pasted_article, member, reclean, editor_client
):
    annotation = highlight(pasted_article, member, HOMES)
    services.delete_annotation(annotation=annotation)

    article = reclean(pasted_article, FLOOD_PAGE.replace("<h1>", NEW_OPENING + "<h1>", 1))
    services.restore_annotation(annotation=annotation)

    annotation.refresh_from_db()
    assert annotation.deleted_at is None
    assert article.text[annotation.start : annotation.end] == HOMES


def test_an_orphan_reappears_when_its_passage_comes_back(pasted_article, member, reclean):
    annotation = highlight(pasted_article, member, HOMES)
    reclean(pasted_article, FLOOD_PAGE.replace(RESIDENTS, REWRITTEN))
    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.ORPHANED

    article = reclean(pasted_article, FLOOD_PAGE)

    annotation.refresh_from_db()
    assert annotation.anchor == Annotation.Anchor.MOVED  # an orphan has no old position to be exact at
    assert article.text[annotation.start : annotation.end] == HOMES


def test_cleaning_again_to_the_same_text_leaves_passages_alone(pasted_article, member, reclean):
    annotation = highlight(pasted_article, member, HOMES)
    before = (annotation.start, annotation.end, annotation.anchor, annotation.version)

    reclean(pasted_article, FLOOD_PAGE)

    annotation.refresh_from_db()
    assert (annotation.start, annotation.end, annotation.anchor, annotation.version) == before


def test_an_orphan_can_be_reattached_to_a_new_selection(pasted_article, member, reclean, editor_client):
    annotation = highlight(pasted_article, member, HOMES, note="Ask residents")
    article = reclean(pasted_article, FLOOD_PAGE.replace(RESIDENTS, REWRITTEN))
    annotation.refresh_from_db()
    assert annotation.is_orphaned
    start, end = span_of(article.text, "whose houses were damaged two years ago")

    services.update_annotation(annotation=annotation, version=annotation.version, start=start, end=end)

    annotation.refresh_from_db()
    assert (annotation.anchor, annotation.anchor_score) == ("exact", 1.0)
    assert annotation.exact == "whose houses were damaged two years ago"
    assert annotation.note == "Ask residents"


# --- Writes outside a re-clean --------------------------------------------------------------


def test_tag_names_are_trimmed_and_case_insensitively_unique_in_order():
    assert services.parse_tag_names(" Flooding , budget,flooding,, BUDGET , new   homes ") == [
        "Flooding",
        "budget",
        "new homes",
    ]


def test_a_stale_save_changes_nothing_even_its_tags(ready_article, member):
    annotation = highlight(ready_article, member, HOMES, note="first", tags=["flooding"])
    services.update_annotation(annotation=annotation, version=1, note="second")

    with pytest.raises(services.StaleVersion):
        services.update_annotation(annotation=annotation, version=1, note="third", tag_names=["other"])

    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("second", 2)
    assert [t.name for t in annotation.tags.all()] == ["flooding"]


def test_deleting_keeps_the_annotation_for_undo(ready_article, member):
    annotation = highlight(ready_article, member, HOMES, note="keep")

    services.delete_annotation(annotation=annotation)

    annotation.refresh_from_db()
    assert annotation.deleted_at is not None
    assert annotation.deleted_at <= timezone.now()
    assert not Annotation.objects.live().exists()
    assert (annotation.exact, annotation.note) == (HOMES, "keep")
