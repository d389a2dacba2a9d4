"""Putting stories into a dossier and tagging them, from the upload batch or the reader."""

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from tests.factories import ArticleFactory, DossierFactory, TagFactory

pytestmark = pytest.mark.django_db
READER_QUERIES = 12  # whatever the number of annotations: see tests/annotations/test_reader.py
URL = reverse("dossiers:file_articles")


def ids(*articles) -> str:
    return ",".join(str(a.pk) for a in articles)


def test_batch_goes_into_a_new_dossier_with_tags(editor_client, workspace):
    first, second = ArticleFactory.create_batch(2, workspace=workspace)
    response = editor_client.post(
        URL, {"articles": ids(first, second), "new_dossier": "Online child safety", "tags": "age checks, Ofcom"}
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(workspace=workspace, title="Online child safety")
    assert list(dossier.items.values_list("article_id", flat=True)) == [first.pk, second.pk]
    assert sorted(t.name for t in first.tags.all()) == ["Ofcom", "age checks"]


def test_adding_a_story_already_in_the_dossier_says_so_and_adds_no_copy(editor_client, workspace):
    article = ArticleFactory(workspace=workspace)
    dossier = DossierFactory(workspace=workspace)
    editor_client.post(URL, {"articles": ids(article), "dossier": dossier.pk})
    response = editor_client.post(URL, {"articles": ids(article), "dossier": dossier.pk}, follow=True)
    assert dossier.items.count() == 1
    assert "0 stories added" in response.content.decode() and "1 already there" in response.content.decode()


def test_existing_tag_is_reused_whatever_its_case(editor_client, workspace):
    tag = TagFactory(workspace=workspace, name="Age checks")
    article = ArticleFactory(workspace=workspace)
    editor_client.post(URL, {"articles": ids(article), "tags": "AGE CHECKS"})
    assert list(article.tags.all()) == [tag]


def test_a_story_of_another_workspace_is_404(editor_client, workspace, other_workspace):
    foreign = ArticleFactory(workspace=other_workspace)
    dossier = DossierFactory(workspace=workspace)
    response = editor_client.post(URL, {"articles": ids(foreign), "dossier": dossier.pk})
    assert response.status_code == 404
    assert not dossier.items.exists()


def test_a_dossier_of_another_workspace_cannot_be_chosen(editor_client, workspace, other_workspace):
    article = ArticleFactory(workspace=workspace)
    foreign = DossierFactory(workspace=other_workspace)
    response = editor_client.post(URL, {"articles": ids(article), "dossier": foreign.pk})
    assert response.status_code == 422
    assert not foreign.items.exists()


def test_nothing_chosen_explains_what_to_do(editor_client, workspace):
    article = ArticleFactory(workspace=workspace)
    response = editor_client.post(URL, {"articles": ids(article)})
    assert response.status_code == 422
    assert "Choose a dossier, name a new one, or give tags." in response.content.decode()


def test_viewer_cannot_file_articles(viewer_client, workspace):
    article = ArticleFactory(workspace=workspace)
    assert viewer_client.post(URL, {"articles": ids(article), "tags": "x"}).status_code == 403
    assert not article.tags.exists()


def test_htmx_request_gets_the_form_fragment(editor_client, workspace):
    DossierFactory(workspace=workspace, title="Police capacity")
    response = editor_client.get(URL, {"articles": "1,2"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "<html" not in page and "Police capacity" in page and 'value="1,2"' in page


def test_reader_shows_the_articles_tags_and_dossiers(editor_client, workspace, django_assert_max_num_queries):
    article = ArticleFactory(workspace=workspace)
    TagFactory(workspace=workspace, name="age checks").articles.add(article)
    DossierFactory(workspace=workspace, title="Online child safety").items.create(article=article)
    with django_assert_max_num_queries(READER_QUERIES):
        page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "age checks" in page and "Online child safety" in page


def test_articles_ticked_in_the_list_come_to_the_filing_form(editor_client, workspace):
    first, second = ArticleFactory.create_batch(2, workspace=workspace)
    listing = editor_client.get(reverse("articles:list")).content.decode()
    assert 'form="bulk-file"' in listing
    page = editor_client.get(URL, {"articles": [first.pk, second.pk]}).content.decode()
    assert f'value="{first.pk},{second.pk}"' in page


def test_viewer_list_has_no_selection_boxes(viewer_client, workspace):
    ArticleFactory(workspace=workspace)
    assert 'form="bulk-file"' not in viewer_client.get(reverse("articles:list")).content.decode()
