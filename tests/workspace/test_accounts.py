import pytest
from django.urls import reverse

from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def test_researcher_signs_in_and_lands_on_articles(client):
    membership = MembershipFactory()
    response = client.post(reverse("login"), {"username": membership.user.username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("articles:list")
    assert membership.workspace.name in response.content.decode()


def test_wrong_password_is_refused_with_a_message(client):
    membership = MembershipFactory()
    response = client.post(reverse("login"), {"username": membership.user.username, "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(editor_client):
    assert editor_client.get(reverse("logout")).status_code == 405
    editor_client.post(reverse("logout"))
    assert editor_client.get(reverse("articles:list")).status_code == 302


def test_password_change_requires_the_old_password(editor_client):
    new = "a much longer new passphrase"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert editor_client.post(reverse("password_change"), data).status_code == 302
    editor_client.user.refresh_from_db()
    assert editor_client.user.check_password(new)


def test_password_rules_refuse_a_short_password(editor_client):
    data = {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"}
    response = editor_client.post(reverse("password_change"), data)
    assert "too short" in response.content.decode()
