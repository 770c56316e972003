"""Request-wide protections: no caching of personal data, idle sessions, NUL bytes in input."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import render

API_PREFIX = "/api/"
LAST_ACTIVITY_KEY = "last_activity"
# The last activity is written at most once a minute, not on every request.
_ACTIVITY_RESOLUTION = 60


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything that may carry personal data.

    That is: the whole API, every download (exports, CSV, PDF, JSON attachments), and every page
    served to someone signed in (a professional, or a person in their space) — person file pages
    first among them. Only the public pages (login, legal notices) stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _carries_personal_data(request, response):
            response["Cache-Control"] = "no-store"
        return response


def _carries_personal_data(request, response):
    if request.path.startswith(API_PREFIX):
        return True
    if "attachment" in response.get("Content-Disposition", "") or response.get("Content-Type", "").startswith(
        "text/csv"
    ):
        return True
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    session = getattr(request, "session", None)
    match = getattr(request, "resolver_match", None)
    return bool(session is not None and match is not None and match.namespace == "personspace")


class IdleSessionMiddleware:
    """Sign a professional out after `SESSION_IDLE_TIMEOUT_MINUTES` without any request.

    This comes on top of the absolute session lifetime (`SESSION_COOKIE_AGE`). The time of the last
    request is kept in the session; past the idle delay, the session is ended and the professional
    is sent to the login page with a French message, and back to the page asked for once signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.warning(
                    request,
                    "Votre session a expiré après une période d'inactivité. Reconnectez-vous pour continuer.",
                )
                return _to_login(request)
            if not isinstance(last, int) or now - last >= _ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def start_activity_clock(sender, request, user, **kwargs):
    """On login (`user_logged_in`), the idle delay starts: the first pages write nothing more."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


def _to_login(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"message": "Session expirée après une période d'inactivité."}, status=401)
    response = redirect_to_login(request.get_full_path() if request.method == "GET" else request.path)
    if request.headers.get("HX-Request") == "true":
        response["HX-Redirect"] = response["Location"]
    return response


class NulBytesMiddleware:
    """Refuse, with a French 400 page, a web request whose parameters hold a NUL character.

    No field of a web form or a search may contain one, and the databases refuse it (PostgreSQL
    raises, which would be a 500). The API refuses them itself, naming the field (spie.core.api).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            return render(request, "errors/400.html", status=400)
        return self.get_response(request)


def _has_nul(params):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in params.lists())
