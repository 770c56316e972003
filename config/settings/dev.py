"""Local development: the embedded SQLite database, e-mails in the console."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24=")
os.environ.setdefault("LOOKUP_HASH_KEY", "dev-only-lookup-hash-key-not-for-production")
os.environ.setdefault("STUDY_HASH_KEY", "dev-only-study-hash-key-not-for-production")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
os.environ.setdefault("DJANGO_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from .base import *  # noqa: E402,F403

DEBUG = os.environ.get("DJANGO_DEBUG", "true").lower() == "true"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
