"""Searching and filtering passages: quote in context, linked into the reader at the highlight."""

import pytest
from django.urls import reverse

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
    with django_assert_max_num_queries(10):
        response = editor_client.get(URL, {"q": "ofcom"})
    assert len(response.context["page"].object_list) == 30
