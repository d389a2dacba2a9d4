"""Searching and filtering passages: quote in context, linked into the reader at the highlight."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from annotations import views
from articles import search
from dossiers import services as dossier_services
from tests.factories import AnnotationFactory, ArticleFactory, DossierFactory, TagFactory

pytestmark = pytest.mark.django_db
URL = reverse("annotations:passages")


def quotes(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [p.exact for p in response.context["page"].object_list]


@pytest.fixture
def passages(workspace):
    article = ArticleFactory(
        workspace=workspace, text="Ofcom fined the platform. Police were overstretched. Councils agreed."
    )
    return {
        "ofcom": AnnotationFactory(article=article, start=0, end=25, exact="Ofcom fined the platform.", note=""),
        "police": AnnotationFactory(
            article=article, start=26, end=52, exact="Police were overstretched.", note="Capacity is the **story**."
        ),
    }


def test_words_in_the_quote_find_the_passage(editor_client, passages):
    assert quotes(editor_client, q="ofcom") == ["Ofcom fined the platform."]


def test_words_in_the_note_find_the_passage(editor_client, passages):
    assert quotes(editor_client, q="capacity") == ["Police were overstretched."]


def test_a_result_shows_the_quote_in_context_and_links_to_the_highlight(editor_client, passages):
    page = editor_client.get(URL, {"q": "police"}).content.decode()
    annotation = passages["police"]
    assert f"{annotation.article.get_absolute_url()}#annotation-{annotation.pk}" in page
    assert "<mark>Police were overstretched.</mark>" in page
    assert "<strong>story</strong>" in page


def test_filters_by_tag_and_dossier(editor_client, workspace, passages):
    tag = TagFactory(workspace=workspace, name="police")
    passages["police"].tags.add(tag)
    dossier = DossierFactory(workspace=workspace)
    dossier_services.pin_passage(dossier=dossier, annotation=passages["ofcom"])
    assert quotes(editor_client, tags=[tag.pk]) == ["Police were overstretched."]
    assert quotes(editor_client, dossier=dossier.pk) == ["Ofcom fined the platform."]


def test_deleted_passages_and_other_workspaces_never_show(editor_client, passages, other_workspace):
    passages["ofcom"].deleted_at = passages["ofcom"].created_at
    passages["ofcom"].save()
    AnnotationFactory(
        article=ArticleFactory(workspace=other_workspace, text="Ofcom secret. More."),
        start=0,
        end=13,
        exact="Ofcom secret.",
    )
    assert quotes(editor_client, q="ofcom") == []


@pytest.mark.parametrize("query", ['"open', "-only", "x" * 10_000, "'; DROP TABLE x; --", "📱"])
def test_odd_queries_never_fail(editor_client, passages, query):
    response = editor_client.get(URL, {"q": query})
    page = response.content.decode()
    assert response.status_code == 200
    assert "passage" in page and (
        "for “" in page
        or "Nothing to search for" in page
        or "No passage found" in page
        or "at most 500 characters" in page
    )


def test_outsider_sees_no_passage_of_this_workspace(outsider_client, passages):
    assert quotes(outsider_client, q="ofcom") == []


def test_passage_search_runs_a_fixed_number_of_queries(editor_client, workspace, django_assert_max_num_queries):
    article = ArticleFactory(workspace=workspace, text="Ofcom said. " * 40)
    for n in range(30):
        AnnotationFactory(article=article, start=n * 12, end=n * 12 + 11, exact="Ofcom said.")
    # Session, user, memberships; the workspace's languages (PostgreSQL), the hits (counted up to a cap),
    # the page's ids, its passages, their tags; the choices of tags, dossiers and authors.
    with django_assert_max_num_queries(11):
        response = editor_client.get(URL, {"q": "ofcom"})
    assert len(response.context["page"].object_list) == 30


# --- Counting, sorting and paging many passages ---------------------------------------------------


@pytest.fixture
def said(workspace):
    """Five passages quoting "Ofcom said", created a day apart (newest last)."""
    article = ArticleFactory(workspace=workspace, text="Ofcom said. " * 10)
    start = timezone.now() - timedelta(days=10)
    return [
        AnnotationFactory(
            article=article, start=n * 12, end=n * 12 + 11, exact="Ofcom said.", created_at=start + timedelta(days=n)
        )
        for n in range(5)
    ]


def lede(response) -> str:
    return " ".join(
        lxml_html.fromstring(response.content.decode()).xpath("//p[@class='lede']")[0].text_content().split()
    )


def test_the_number_of_passages_found_is_shown(editor_client, said):
    assert lede(editor_client.get(URL, {"q": "ofcom"})) == "5 passages for “ofcom”"
    assert lede(editor_client.get(URL)) == "5 passages"


def test_past_the_count_limit_passages_are_counted_roughly(editor_client, said, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 1_234_567)
    assert lede(editor_client.get(URL)) == "about 1,200,000 passages"
    monkeypatch.setattr(search, "estimate_rows", lambda queryset: 0)
    assert lede(editor_client.get(URL, {"q": "ofcom"})) == "more than 2 passages for “ofcom”"


def test_passages_found_are_newest_first_unless_relevance_is_chosen(editor_client, said):
    response = editor_client.get(URL, {"q": "ofcom"})
    assert [p.pk for p in response.context["page"].object_list] == [p.pk for p in reversed(said)]


def test_too_many_passages_to_rank_are_shown_newest_first_and_say_so(editor_client, said, settings):
    settings.SEARCH_RANK_LIMIT = 2
    response = editor_client.get(URL, {"q": "ofcom", "order": "relevance"})
    assert [p.pk for p in response.context["page"].object_list] == [p.pk for p in reversed(said)]
    assert "So many passages match that they are shown newest first" in response.content.decode()


def test_passages_are_paged_in_order(editor_client, said, monkeypatch):
    monkeypatch.setattr(views, "PASSAGES_PER_PAGE", 2)
    pages = [editor_client.get(URL, {"q": "ofcom", "order": "created", "page": n}) for n in (1, 2, 3)]
    shown = [p.pk for response in pages for p in response.context["page"].object_list]
    assert shown == [p.pk for p in said]


def test_the_tag_filter_lists_the_workspaces_tags_with_the_chosen_ones_selected(
    editor_client, workspace, other_workspace, said
):
    chosen, other = TagFactory(workspace=workspace, name="age & <checks>"), TagFactory(workspace=workspace, name="b")
    TagFactory(workspace=other_workspace, name="theirs")
    said[0].tags.add(chosen)
    response = editor_client.get(URL, {"tags": [chosen.pk]})
    options = lxml_html.fromstring(response.content.decode()).xpath("//select[@name='tags']/option")
    assert [(o.get("value"), o.text, o.get("selected") is not None) for o in options] == [
        (str(chosen.pk), "age & <checks>", True),
        (str(other.pk), "b", False),
    ]
    assert [p.pk for p in response.context["page"].object_list] == [said[0].pk]


def test_listing_passages_runs_a_fixed_number_of_queries(editor_client, said, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        response = editor_client.get(URL, {"page": 1})
    assert len(response.context["page"].object_list) == 5
