import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from spie.core.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def test_env_helpers_refuse_malformed_values(monkeypatch):
    monkeypatch.setenv("SPIE_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="SPIE_FLAG must be a boolean"):
        env_bool("SPIE_FLAG", False)
    monkeypatch.setenv("SPIE_COUNT", "douze")
    with pytest.raises(ImproperlyConfigured, match="SPIE_COUNT must be an integer"):
        env_int("SPIE_COUNT", 1)
    monkeypatch.delenv("SPIE_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SPIE_REQUIRED is required"):
        env_str("SPIE_REQUIRED")


def test_env_helpers_read_good_values(monkeypatch):
    monkeypatch.setenv("SPIE_FLAG", "Yes")
    monkeypatch.setenv("SPIE_COUNT", "12")
    monkeypatch.setenv("SPIE_HOSTS", "a.fr, b.fr,")
    assert env_bool("SPIE_FLAG") is True
    assert env_int("SPIE_COUNT") == 12
    assert env_list("SPIE_HOSTS") == ["a.fr", "b.fr"]


def _production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "EMAIL_BACKEND"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DJANGO_SECRET_KEY="x7#p2L!v9Qz@4mR8w$eT1yU6iO3aS5dF0gH2jK4lZ7xC9vB1nM",
        DJANGO_ALLOWED_HOSTS="spie.exemple.gouv.fr",
        FIELD_ENCRYPTION_KEY="cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGhlLXRlc3Q=",
        LOOKUP_HASH_KEY="production-like-lookup-key-for-the-test",
        STUDY_HASH_KEY="production-like-study-key-for-the-test",
        **overrides,
    )
    return env


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/connexion/")
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "frame-ancestors 'none'" in policy


def test_unknown_page_is_a_french_404(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_delays_from_the_environment_refuse_zero_or_negative_values(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_TIMEOUT_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_TIMEOUT_MINUTES must be at least 1"):
        env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
    monkeypatch.setenv("SESSION_IDLE_TIMEOUT_MINUTES", "45")
    assert env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1) == 45
