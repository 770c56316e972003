from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from config.api import api


def _without_login_redirect(patterns):
    """API views authenticate with their token: the session login redirect does not apply."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _without_login_redirect(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback.login_required = False
    return patterns


api_patterns, api_app, api_namespace = api.urls

urlpatterns = [
    path("", include("spie.accounts.urls")),
    path("", include("spie.core.urls")),
    path("territoires/", include("spie.territories.urls")),
    path("referentiels/", include("spie.referentials.urls")),
    path("personnes/", include("spie.people.urls")),
    path("diagnostics/", include("spie.diagnostics.urls")),
    path("parcours/", include("spie.pathways.urls")),
    path("offre/", include("spie.offers.urls")),
    path("entreprises/", include("spie.companies.urls")),
    path("mise-en-service/", include("spie.onboarding.urls")),
    path("instances/", include("spie.casereviews.urls")),
    path("temps-communs/", include("spie.exchanges.urls")),
    path("mon-espace/", include("spie.personspace.urls")),
    path("questionnaires/", include("spie.questionnaires.urls")),
    path("evaluation/", include("spie.evaluation.urls")),
    path("etudes/", include("spie.studies.urls")),
    path(
        "api/v1/",
        include((_without_login_redirect(api_patterns), api_app), namespace=api_namespace),
    ),
    path("admin-technique/", admin.site.urls),
]

handler400 = "spie.core.views.bad_request"
handler403 = "spie.core.views.permission_denied"
handler404 = "spie.core.views.page_not_found"
handler500 = "spie.core.views.server_error"
