import pytest
from django.contrib import admin
from django.urls import reverse

from spie.referentials import models
from tests.accounts.factories import UserFactory

MODELS = [
    models.ReferentialVersion,
    models.Theme,
    models.Situation,
    models.Objective,
    models.Action,
    models.RomeDomain,
    models.RomeJob,
    models.RomeAppellation,
    models.NafActivity,
    models.NafDivisionJob,
    models.VocabularyTerm,
]


@pytest.fixture
def superuser(db):
    return UserFactory(email="tech@travail.gouv.fr", is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_referentials_are_read_mostly_in_the_admin(client, superuser, referentials, model):
    model_admin = admin.site._registry[model]
    client.force_login(superuser)
    meta = model._meta
    assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200
    assert not model_admin.has_add_permission(None)
    assert not model_admin.has_delete_permission(None, obj)


def test_openapi_schema_lists_the_referentials(client_as, conseiller):  # the API docs need a login
    paths = client_as(conseiller).get("/api/v1/openapi.json").json()["paths"]
    for name in ("themes", "situations", "objectives", "actions", "rome", "communes"):
        assert f"/api/v1/referentials/{name}" in paths
