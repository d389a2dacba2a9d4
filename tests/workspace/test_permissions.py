"""The permission matrix: each role × each action, and a non-member."""

import pytest
from django.urls import reverse

from articles.models import Article
from dossiers.models import Dossier
from tests.factories import ArticleFactory, DossierFactory, MembershipFactory
from workspace.models import Role
from workspace.permissions import Action, role_allows

pytestmark = pytest.mark.django_db

MATRIX = {
    Role.VIEWER: {Action.VIEW},
    Role.EDITOR: {Action.VIEW, Action.EDIT},
    Role.OWNER: {Action.VIEW, Action.EDIT, Action.MANAGE},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_role_allows_exactly_the_matrix(role, action):
    assert role_allows(role, action) == (action in MATRIX[role])


def test_no_role_allows_nothing():
    assert not any(role_allows("", action) for action in Action)


READ_PAGES = ["articles:list", "articles:search", "dossiers:list", "annotations:tags", "members"]


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("who", ["viewer_client", "editor_client", "owner_client"])
def test_every_member_can_read_the_workspace_pages(request, page, who):
    client = request.getfixturevalue(who)
    assert client.get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", [*READ_PAGES, "articles:add", "dossiers:create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("who", "status"), [("viewer_client", 403), ("editor_client", 302), ("owner_client", 302)])
def test_only_editors_and_owners_create_dossiers(request, workspace, who, status):
    client = request.getfixturevalue(who)
    response = client.post(reverse("dossiers:create"), {"title": "Online child safety", "description": ""})
    assert response.status_code == status
    assert Dossier.objects.filter(workspace=workspace).exists() == (status == 302)


@pytest.mark.parametrize(("who", "status"), [("viewer_client", 403), ("editor_client", 302), ("owner_client", 302)])
def test_only_editors_and_owners_add_articles(request, workspace, who, status):
    client = request.getfixturevalue(who)
    response = client.post(reverse("articles:add"), {"text": "A short story about regulators and platforms."})
    assert response.status_code == status
    assert Article.objects.filter(workspace=workspace).exists() == (status == 302)


def test_viewer_sees_why_they_cannot_change_anything(viewer_client):
    response = viewer_client.get(reverse("articles:add"))
    assert response.status_code == 403
    assert "viewer" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("viewer_client", 403), ("editor_client", 403), ("owner_client", 302)])
def test_only_owners_invite(request, workspace, who, status):
    client = request.getfixturevalue(who)
    response = client.post(reverse("members"), {"email": "new@newsroom.test", "role": Role.EDITOR})
    assert response.status_code == status
    assert workspace.invitations.exists() == (status == 302)


@pytest.mark.parametrize(("who", "status"), [("viewer_client", 403), ("editor_client", 403), ("owner_client", 302)])
def test_only_owners_change_roles(request, workspace, who, status):
    client = request.getfixturevalue(who)
    other = MembershipFactory(workspace=workspace, role=Role.VIEWER)
    response = client.post(reverse("member_update", args=[other.pk]), {"role": Role.EDITOR})
    other.refresh_from_db()
    assert response.status_code == status
    assert (other.role == Role.EDITOR) == (status == 302)


def test_viewer_cannot_reprocess_an_article(viewer_client, workspace):
    article = ArticleFactory(workspace=workspace, status=Article.Status.FAILED)
    response = viewer_client.post(reverse("articles:reprocess", args=[article.pk]))
    article.refresh_from_db()
    assert response.status_code == 403
    assert article.status == Article.Status.FAILED


@pytest.mark.parametrize("url_name", ["reader", "articles:original"])
def test_outsider_gets_404_for_another_workspaces_article(outsider_client, workspace, url_name):
    article = ArticleFactory(workspace=workspace)
    response = outsider_client.get(reverse(url_name, args=[article.pk]))
    assert response.status_code == 404
    assert article.title not in response.content.decode()


def test_outsider_gets_404_for_another_workspaces_dossier(outsider_client, workspace):
    dossier = DossierFactory(workspace=workspace, title="Secret investigation")
    response = outsider_client.get(reverse("dossiers:detail", args=[dossier.pk]))
    assert response.status_code == 404
    assert "Secret investigation" not in response.content.decode()


def test_outsider_cannot_reprocess_another_workspaces_article(outsider_client, workspace):
    article = ArticleFactory(workspace=workspace, status=Article.Status.FAILED)
    assert outsider_client.post(reverse("articles:reprocess", args=[article.pk])).status_code == 404


def test_outsider_lists_show_only_their_own_workspace(outsider_client, workspace):
    ArticleFactory(workspace=workspace, title="Leaked memo on age checks")
    DossierFactory(workspace=workspace, title="Secret investigation")
    assert "Leaked memo" not in outsider_client.get(reverse("articles:list")).content.decode()
    assert "Secret investigation" not in outsider_client.get(reverse("dossiers:list")).content.decode()
    rows = outsider_client.get(reverse("articles:rows_hx"), {"ids": ",".join(str(a.pk) for a in Article.objects.all())})
    assert "Leaked memo" not in rows.content.decode()


def test_outsider_cannot_change_a_membership_of_another_workspace(outsider_client, workspace):
    victim = MembershipFactory(workspace=workspace, role=Role.OWNER)
    response = outsider_client.post(reverse("member_update", args=[victim.pk]), {"remove": "1"})
    assert response.status_code == 404
    victim.refresh_from_db()  # still there
    assert victim.role == Role.OWNER
