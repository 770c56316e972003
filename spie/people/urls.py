from django.urls import path

from . import views, views_bulk, views_import, views_lists

app_name = "people"

urlpatterns = [
    path("", views_lists.caseload, name="caseload"),
    path("recherche/", views_lists.search, name="search"),
    path("nouveau/", views_lists.create, name="create"),
    path("import/", views_import.upload, name="import"),
    path("import/<uuid:import_id>/", views_import.preview, name="import_preview"),
    path("import/<uuid:import_id>/annuler/", views_import.cancel, name="import_cancel"),
    path("attribution/", views_bulk.bulk_assign, name="bulk_assign"),
    path("passation/<uuid:membership_id>/", views_bulk.bulk_hand_over, name="bulk_hand_over"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/equipe/", views.team, name="team"),
    path("<uuid:public_id>/historique/", views.history, name="history"),
    path("<uuid:public_id>/acces/", views.access_log, name="access_log"),
    path("<uuid:public_id>/modifier/", views.edit, name="edit"),
    path("<uuid:public_id>/consentement/", views.consent, name="consent"),
    path("<uuid:public_id>/identite/", views.limited, name="limited"),
    path("<uuid:public_id>/rejoindre/", views.ask_to_join, name="ask_to_join"),
    path("<uuid:public_id>/demandes/<uuid:request_id>/accepter/", views.approve_request, name="approve_request"),
    path("<uuid:public_id>/demandes/<uuid:request_id>/refuser/", views.refuse_request, name="refuse_request"),
    path("<uuid:public_id>/equipe/referent/", views.hand_over, name="hand_over"),
    path("<uuid:public_id>/equipe/<uuid:seat_id>/quitter/", views.leave, name="leave"),
    path("<uuid:public_id>/equipe/<uuid:seat_id>/sensible/", views.sensitive_access, name="sensitive_access"),
    path("<uuid:public_id>/export/", views.export, name="export"),
    path("<uuid:public_id>/export.json", views.export, {"fmt": "json"}, name="export_json"),
]
