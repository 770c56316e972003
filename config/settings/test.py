"""Test settings: fast hashing, in-memory e-mail, the database chosen by DATABASE_URL."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdC1vbmx5LWtleS1uZXZlci1pbi1wcm9kdWN0aW8=")
os.environ.setdefault("LOOKUP_HASH_KEY", "test-only-lookup-hash-key-not-for-production")
os.environ.setdefault("STUDY_HASH_KEY", "test-only-study-hash-key-not-for-production")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")

from django.template.base import TemplateSyntaxError  # noqa: E402

from .base import *  # noqa: E402,F403


class UndefinedTemplateVariable(str):
    """`string_if_invalid` that fails the test: an undefined variable in a template is a bug, not a blank."""

    def __mod__(self, name):
        raise TemplateSyntaxError(f"Undefined template variable: {name!r}")

    def __contains__(self, search):
        return search == "%s"


DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
AXES_ENABLED = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_USE_FINDERS = True
TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = UndefinedTemplateVariable("%s")  # noqa: F405
WHITENOISE_AUTOREFRESH = True

# Live-server request threads must not keep their connections open between tests.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
