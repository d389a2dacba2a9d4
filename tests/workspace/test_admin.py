import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
OUR_APPS = {"workspace", "articles", "annotations", "dossiers"}


def test_every_model_of_ours_is_in_the_admin():
    ours = [m for m in apps.get_models() if m._meta.app_label in OUR_APPS and not m._meta.auto_created]
    missing = [m.__name__ for m in ours if m not in admin.site._registry]
    assert missing == []


@pytest.mark.parametrize(
    "app_model", ["workspace/workspace", "articles/article", "annotations/annotation", "dossiers/dossier"]
)
def test_admin_lists_open_for_a_superuser(client, app_model):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    app, model = app_model.split("/")
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
