"""Saved searches: name a search, find it in the navigation, see what is new since the last visit."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import SavedSearch
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def save(client, **params):
    data = {"name": "Ofcom stories", "kind": "articles", "next": "/articles/search/?q=ofcom", **params}
    return client.post(reverse("annotations:saved_search_create"), data)


def test_a_search_is_saved_with_its_query(editor_client, workspace):
    response = save(editor_client, q="ofcom", status="ready", page="3")
    assert response.status_code == 302
    saved = SavedSearch.objects.get()
    assert saved.query_string == "q=ofcom&status=ready"
    assert saved.user == editor_client.user and saved.workspace == workspace


def test_the_search_page_offers_to_save_it(editor_client):
    page = editor_client.get(reverse("articles:search"), {"q": "ofcom"}).content.decode()
    assert "Save this search" in page


def test_new_results_since_the_last_visit_are_counted(editor_client, workspace):
    ArticleFactory(
        workspace=workspace, title="Ofcom one", text="Ofcom said.", created_at=timezone.now() - timedelta(hours=1)
    )
    save(editor_client, q="ofcom")
    saved = SavedSearch.objects.get()
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now() - timedelta(minutes=1))
    ArticleFactory(workspace=workspace, title="Ofcom two", text="Ofcom again.")
    ArticleFactory(workspace=workspace, title="Other", text="Nothing here.")
    menu = editor_client.get(reverse("annotations:saved_searches"), headers={"HX-Request": "true"}).content.decode()
    assert "Ofcom stories" in menu and "1 new" in menu


def test_opening_a_saved_search_marks_it_seen_and_runs_it(editor_client, workspace):
    save(editor_client, q="ofcom")
    saved = SavedSearch.objects.get()
    SavedSearch.objects.filter(pk=saved.pk).update(last_seen_at=timezone.now() - timedelta(days=1))
    response = editor_client.get(reverse("annotations:saved_search_open", args=[saved.pk]))
    assert response.url == f"{reverse('articles:search')}?q=ofcom"
    saved.refresh_from_db()
    assert saved.last_seen_at > timezone.now() - timedelta(minutes=1)


def test_a_nameless_search_is_not_saved(editor_client):
    save(editor_client, name="")
    assert not SavedSearch.objects.exists()


def test_others_saved_searches_are_private(editor_client, viewer_client):
    save(editor_client, q="ofcom")
    saved = SavedSearch.objects.get()
    assert viewer_client.get(reverse("annotations:saved_search_open", args=[saved.pk])).status_code == 404
    assert viewer_client.post(reverse("annotations:saved_search_delete", args=[saved.pk])).status_code == 404
    assert "Ofcom stories" not in viewer_client.get(reverse("annotations:saved_searches")).content.decode()


def test_navigation_loads_saved_searches_on_demand(editor_client):
    page = editor_client.get(reverse("articles:list")).content.decode()
    assert 'hx-get="/annotations/saved/"' in page
