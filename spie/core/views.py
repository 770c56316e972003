from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views import defaults

from spie.core.api import json_error


def _is_api(request):
    """Under /api/ every answer is JSON, errors included."""
    return request.path.startswith("/api/")


@login_not_required
def accessibility(request):
    return render(request, "core/accessibility.html")


@login_not_required
def legal_notice(request):
    return render(request, "core/legal_notice.html")


@login_not_required
def privacy(request):
    return render(request, "core/privacy.html")


def bad_request(request, exception=None):
    if _is_api(request):
        return json_error("Requête invalide.", 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return json_error("Action non autorisée pour cette structure.", 403)
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    if _is_api(request):
        return json_error("Ressource introuvable.", 404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _is_api(request):
        return json_error("Erreur interne du serveur, réessayez plus tard.", 500)
    return render(request, "errors/500.html", status=500)
