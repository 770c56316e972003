"""Production-safe settings: everything that varies comes from the environment."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from spie.core.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "template_partials",
    "axes",
    "csp",
    "spie.core",
    "spie.accounts",
    "spie.territories",
    "spie.referentials",
    "spie.people",
    "spie.diagnostics",
    "spie.pathways",
    "spie.offers",
    "spie.companies",
    "spie.onboarding",
    "spie.casereviews",
    "spie.exchanges",
    "spie.personspace",
    "spie.questionnaires",
    "spie.evaluation",
    "spie.studies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "spie.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "spie.core.middleware.IdleSessionMiddleware",
    "spie.accounts.middleware.CurrentMembershipMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "spie.core.middleware.NulBytesMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "spie.accounts.context_processors.current_membership",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"
DSFR_MARK_OPTIONAL_FIELDS = True

DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Repeated failed logins lock the account (per e-mail) for a while.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "spie.core.clientip.client_ip"
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Locking by IP address would lock a whole agency behind one address: lock the account only.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A locked-out professional may also unlock their account through a link e-mailed to them.
ACCOUNT_UNLOCK_LINK_MINUTES = env_int("ACCOUNT_UNLOCK_LINK_MINUTES", 30, minimum=1)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Plateforme SPIE <ne-pas-repondre@spie.example>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Exact identity search (people found by identifier or identity): searches allowed per account and
# per structure over the window; past the alert threshold (per account) or the structure's limit,
# the territory's coordinators get one e-mail per window. See spie.people.search_limits.
IDENTITY_SEARCH_WINDOW_MINUTES = env_int("IDENTITY_SEARCH_WINDOW_MINUTES", 60)
IDENTITY_SEARCHES_PER_ACCOUNT = env_int("IDENTITY_SEARCHES_PER_ACCOUNT", 30)
IDENTITY_SEARCHES_PER_STRUCTURE = env_int("IDENTITY_SEARCHES_PER_STRUCTURE", 200)
IDENTITY_SEARCH_ALERT_THRESHOLD = env_int("IDENTITY_SEARCH_ALERT_THRESHOLD", 30)

# Security baseline
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies (addresses or CIDR networks) whose X-Forwarded-For header is believed: see
# spie.core.clientip. Empty: the socket's address is the client's.
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", [])
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
# Besides that absolute lifetime, a professional is signed out after this long without a request.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The NIR is encrypted with FIELD_ENCRYPTION_KEY (a Fernet key) and looked up through an HMAC
# keyed with LOOKUP_HASH_KEY. Both are required; losing the first makes stored NIRs unreadable.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
LOOKUP_HASH_KEY = env_str("LOOKUP_HASH_KEY")
# Impact-study extracts identify people by an HMAC keyed with STUDY_HASH_KEY (required; never
# written with an extract). Changing it changes every study's pseudonymous ids.
STUDY_HASH_KEY = env_str("STUDY_HASH_KEY")
# Uploaded import files wait (encrypted) for their confirmation at most this many days
# (`manage.py purge_staged_imports`); the offers import refuses files over OFFERS_IMPORT_MAX_BYTES.
STAGED_IMPORT_RETENTION_DAYS = env_int("STAGED_IMPORT_RETENTION_DAYS", 7)
OFFERS_IMPORT_MAX_BYTES = env_int("OFFERS_IMPORT_MAX_BYTES", 20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
