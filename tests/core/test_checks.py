import pytest
from django.core.checks import run_checks
from django.test import override_settings

from spie.core.checks import check_published_keys, published_keys

GOOD = {
    "SECRET_KEY": "x7#p2L!v9Qz@4mR8w$eT1yU6iO3aS5dF0gH2jK4lZ7xC9vB1nM-not-published",
    "FIELD_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLXRlc3Q=",
    "LOOKUP_HASH_KEY": "production-like-lookup-key",
    "STUDY_HASH_KEY": "production-like-study-key",
}


def test_the_published_keys_are_read_from_the_dev_and_test_settings():
    keys = published_keys()
    assert "dev-only-insecure-key-never-use-in-production-0123456789" in keys["SECRET_KEY"]
    assert "test-only-insecure-key-never-use-in-production-0123456789" in keys["SECRET_KEY"]
    assert "ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24=" in keys["FIELD_ENCRYPTION_KEY"]
    assert "test-only-lookup-hash-key-not-for-production" in keys["LOOKUP_HASH_KEY"]
    assert "dev-only-study-hash-key-not-for-production" in keys["STUDY_HASH_KEY"]


@pytest.mark.parametrize(
    ("setting", "published"),
    [
        ("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789"),
        ("SECRET_KEY", "test-only-insecure-key-never-use-in-production-0123456789"),
        ("FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWtleS1uZXZlci1pbi1wcm9kdWN0aW8="),
        ("LOOKUP_HASH_KEY", "dev-only-lookup-hash-key-not-for-production"),
        ("STUDY_HASH_KEY", "test-only-study-hash-key-not-for-production"),
    ],
)
def test_the_deploy_check_refuses_a_published_key(setting, published):
    with override_settings(DEBUG=False, **{**GOOD, setting: published}):
        errors = check_published_keys()
        assert [error.id for error in errors] == ["spie.E001"]
        assert setting in errors[0].msg
        assert "spie.E001" in [error.id for error in run_checks(include_deployment_checks=True)]


def test_the_deploy_check_accepts_keys_of_its_own():
    with override_settings(DEBUG=False, **GOOD):
        assert check_published_keys() == []


def test_the_published_keys_are_fine_while_debugging():
    with override_settings(DEBUG=True):
        assert check_published_keys() == []
