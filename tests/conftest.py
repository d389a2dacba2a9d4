import pytest
from django.test import Client

from tests.factories import ArticleFactory, MembershipFactory, UserFactory, WorkspaceFactory
from workspace.celery import app as celery_app
from workspace.models import Role


@pytest.fixture(autouse=True)
def eager_tasks():
    """Unit tests run tasks in-process; worker tests start a real worker instead."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Investigations desk")


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory(name="Sports desk")


def member_client(workspace, role) -> Client:
    membership = MembershipFactory(workspace=workspace, role=role)
    client = Client()
    client.force_login(membership.user)
    client.user = membership.user
    return client


@pytest.fixture
def owner_client(workspace):
    return member_client(workspace, Role.OWNER)


@pytest.fixture
def editor_client(workspace):
    return member_client(workspace, Role.EDITOR)


@pytest.fixture
def viewer_client(workspace):
    return member_client(workspace, Role.VIEWER)


@pytest.fixture
def outsider_client(other_workspace):
    """A signed-in member of another workspace."""
    return member_client(other_workspace, Role.OWNER)


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def article(workspace):
    return ArticleFactory(workspace=workspace)
