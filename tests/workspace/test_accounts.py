import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, MembershipFactory
from workspace.models import Invitation, Role

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


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_wrong_passwords_lock_that_username_from_that_address(client, settings, caplog):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "guess").status_code == 200
    locked = sign_in(client, user.username, "guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert f"wrong {settings.AXES_FAILURE_LIMIT} times" in page
    assert "for 15 minutes" in page
    assert locked["Retry-After"] == "900"
    assert f"Sign-in as '{user.username}' from 203.0.113.7 refused" in caplog.text
    # Even the right password is refused until the pause is over ...
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    # ... but only for that pair: the researcher can still sign in from their newsroom.
    assert sign_in(Client(), user.username, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, settings):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "guess")
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(client, settings):
    user = MembershipFactory().user
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, user.username, "guess")
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, user.username, "guess").status_code == 200


def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended(client, settings):
    settings.BEHIND_PROXY = True
    user = MembershipFactory().user
    for n in range(settings.AXES_FAILURE_LIMIT):
        # An attacker varying the first X-Forwarded-For entry does not escape the count.
        client.post(
            reverse("login"),
            {"username": user.username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
        )
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short1", "too short"),
        ("1234567890123", "entirely numeric"),
        ("password1234", "too common"),
        ("newsroomreporter", "too similar to the username"),
    ],
)
def test_password_rules_apply_when_joining_by_invitation(client, owner_client, workspace, password, rule):
    owner_client.post(reverse("members"), {"email": "reporter@newsroom.test", "role": Role.EDITOR})
    invitation = Invitation.objects.get(workspace=workspace)
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"username": "newsroomreporter", "password1": password, "password2": password},
    )
    assert response.status_code == 422
    assert rule in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
