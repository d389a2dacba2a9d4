"""Workspaces: switching, members, invitations, and the operators' commands."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.factories import PASSWORD, ArticleFactory, MembershipFactory, UserFactory, WorkspaceFactory
from workspace.models import Invitation, Membership, Role, Workspace

pytestmark = pytest.mark.django_db


def test_member_switches_to_another_of_their_workspaces(editor_client, workspace):
    other = WorkspaceFactory(name="Data team")
    MembershipFactory(workspace=other, user=editor_client.user, role=Role.VIEWER)
    ArticleFactory(workspace=other, title="Only in the data team")
    response = editor_client.post(reverse("switch_workspace"), {"workspace": other.pk, "next": "/articles/"})
    assert response.status_code == 302
    page = editor_client.get(reverse("articles:list")).content.decode()
    assert "Only in the data team" in page
    assert "Add articles</a>" not in page  # viewer there


def test_switching_to_a_workspace_you_are_not_in_is_404(editor_client, other_workspace):
    response = editor_client.post(reverse("switch_workspace"), {"workspace": other_workspace.pk})
    assert response.status_code == 404


def test_switch_ignores_an_offsite_next_url(editor_client, workspace):
    response = editor_client.post(
        reverse("switch_workspace"), {"workspace": workspace.pk, "next": "https://evil.example/"}
    )
    assert response.url == reverse("home")


def test_user_without_workspace_gets_a_clear_page(client, user):
    client.force_login(user)
    response = client.get(reverse("articles:list"))
    assert "You are not in a workspace yet" in response.content.decode()


def test_invitation_creates_an_account_and_membership(owner_client, workspace, client):
    owner_client.post(reverse("members"), {"email": "Reporter@Newsroom.test", "role": Role.VIEWER})
    invitation = Invitation.objects.get(workspace=workspace)
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"username": "reporter", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(workspace=workspace, user__username="reporter")
    assert membership.role == Role.VIEWER
    assert membership.user.email == "reporter@newsroom.test"


def test_invitation_cannot_be_used_twice(owner_client, workspace, client):
    owner_client.post(reverse("members"), {"email": "a@newsroom.test", "role": Role.EDITOR})
    invitation = Invitation.objects.get(workspace=workspace)
    data = {"username": "first", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("invitation_accept", args=[invitation.token]), data)
    response = client.post(reverse("invitation_accept", args=[invitation.token]), {**data, "username": "second"})
    assert response.status_code == 410
    assert not Membership.objects.filter(user__username="second").exists()


def test_signed_in_user_accepts_invitation_with_one_click(owner_client, workspace, client):
    owner_client.post(reverse("members"), {"email": "existing@newsroom.test", "role": Role.EDITOR})
    existing = UserFactory(email="existing@newsroom.test")
    client.force_login(existing)
    client.post(reverse("invitation_accept", args=[Invitation.objects.get().token]))
    assert Membership.objects.get(workspace=workspace, user=existing).role == Role.EDITOR


def test_invalid_invitation_email_is_shown_with_422(owner_client, workspace):
    response = owner_client.post(reverse("members"), {"email": "not an email", "role": Role.EDITOR})
    assert response.status_code == 422
    assert "Enter a valid email address" in response.content.decode()


def test_last_owner_cannot_be_demoted(owner_client, workspace):
    membership = Membership.objects.get(workspace=workspace, user=owner_client.user)
    response = owner_client.post(reverse("member_update", args=[membership.pk]), {"role": Role.VIEWER}, follow=True)
    membership.refresh_from_db()
    assert membership.role == Role.OWNER
    assert "at least one owner" in response.content.decode()


def test_create_workspace_command_makes_the_owner(user):
    call_command("create_workspace", "Investigations desk", "--owner", user.username, "--slug", "investigations")
    workspace = Workspace.objects.get(slug="investigations")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.OWNER


def test_create_workspace_command_refuses_an_unknown_owner(db):
    with pytest.raises(CommandError, match="No user named"):
        call_command("create_workspace", "Desk", "--owner", "nobody")


def test_add_member_command_sets_the_role(workspace, user):
    call_command("add_member", workspace.slug, user.username, "--role", "viewer")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.VIEWER
    call_command("add_member", workspace.slug, user.username, "--role", "editor")
    assert Membership.objects.get(workspace=workspace, user=user).role == Role.EDITOR


def test_data_page_offers_exports_to_all_and_import_to_editors(viewer_client, editor_client):
    viewer_page = viewer_client.get(reverse("data")).content.decode()
    assert reverse("articles:export") in viewer_page and reverse("annotations:export") in viewer_page
    assert reverse("annotations:import") not in viewer_page
    assert reverse("annotations:import") in editor_client.get(reverse("data")).content.decode()


def test_owner_lets_editors_change_others_annotations(owner_client, workspace):
    owner_client.post(reverse("workspace_settings"), {"editors_can_change_others": "on"})
    workspace.refresh_from_db()
    assert workspace.editors_can_change_others_annotations
    owner_client.post(reverse("workspace_settings"), {})
    workspace.refresh_from_db()
    assert not workspace.editors_can_change_others_annotations


def test_editor_cannot_change_the_workspace_rules(editor_client, workspace):
    assert editor_client.post(reverse("workspace_settings"), {"editors_can_change_others": "on"}).status_code == 403
    workspace.refresh_from_db()
    assert not workspace.editors_can_change_others_annotations


def test_an_invitation_is_refused_to_an_account_of_another_address(owner_client, workspace, client):
    """Whoever else holds the link (forwarded, leaked) does not join with it."""
    owner_client.post(reverse("members"), {"email": "newcomer@newsroom.test", "role": Role.EDITOR})
    invitation = Invitation.objects.get(workspace=workspace)
    stranger = UserFactory(username="stranger", email="stranger@elsewhere.test")
    client.force_login(stranger)
    url = reverse("invitation_accept", args=[invitation.token])

    page = client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert f"This invitation is for newcomer@newsroom.test, and you are signed in as {stranger}" in page
    assert "Join the workspace" not in page
    assert "This invitation is for newcomer@newsroom.test" in response.content.decode()
    assert not Membership.objects.filter(workspace=workspace, user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None  # still there for the newcomer


def test_the_invited_address_is_matched_whatever_its_case(owner_client, workspace, client):
    owner_client.post(reverse("members"), {"email": "newcomer@newsroom.test", "role": Role.EDITOR})
    client.force_login(UserFactory(email="NewComer@Newsroom.test"))
    client.post(reverse("invitation_accept", args=[Invitation.objects.get().token]))
    assert Membership.objects.filter(workspace=workspace, user__email="NewComer@Newsroom.test").exists()


def test_a_member_opening_someone_elses_invitation_leaves_it_open(owner_client, editor_client, workspace):
    owner_client.post(reverse("members"), {"email": "newcomer@newsroom.test", "role": Role.VIEWER})
    invitation = Invitation.objects.get(workspace=workspace)
    editor_client.post(reverse("invitation_accept", args=[invitation.token]))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
