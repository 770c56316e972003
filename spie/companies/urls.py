from django.urls import path

from . import views, views_immersions, views_trainings

app_name = "companies"

urlpatterns = [
    # Directory
    path("", views.company_list, name="list"),
    path("nouvelle/", views.company_create, name="create"),
    path("import/<slug:kind>/", views.import_upload, name="import"),
    path("imports/<uuid:import_id>/", views.import_preview, name="import_preview"),
    path("demandes-de-contact/", views.contact_requests, name="contact_requests"),
    path("metiers-en-tension/", views.shortage_list, name="shortages"),
    path("metiers-en-tension/ajouter/", views.shortage_create, name="shortage_create"),
    path("metiers-en-tension/<uuid:public_id>/modifier/", views.shortage_edit, name="shortage_edit"),
    path("metiers-en-tension/<uuid:public_id>/supprimer/", views.shortage_delete, name="shortage_delete"),
    path("territoire/", views.territory_figures, name="territory"),
    path("besoins/<uuid:public_id>/", views.opening_detail, name="opening_detail"),
    path("besoins/<uuid:public_id>/cloturer/", views.opening_close, name="opening_close"),
    # Trainings and events
    path("formations/", views_trainings.training_list, name="trainings"),
    path("formations/nouvelle/", views_trainings.training_create, name="training_create"),
    path("formations/<uuid:public_id>/", views_trainings.training_detail, name="training_detail"),
    path("formations/<uuid:public_id>/modifier/", views_trainings.training_edit, name="training_edit"),
    path("positionnements/<uuid:public_id>/<slug:step>/", views_trainings.positioning_step, name="positioning_step"),
    path("evenements/", views_trainings.event_list, name="events"),
    path("evenements/nouveau/", views_trainings.event_create, name="event_create"),
    path("evenements/<uuid:public_id>/", views_trainings.event_detail, name="event_detail"),
    path("evenements/<uuid:public_id>/modifier/", views_trainings.event_edit, name="event_edit"),
    path("evenements/<uuid:public_id>/inviter/", views_trainings.event_invite, name="event_invite"),
    path("evenements/<uuid:public_id>/bilan/", views_trainings.event_outcomes, name="event_outcomes"),
    path("participations/<uuid:public_id>/", views_trainings.participation, name="participation"),
    # Immersions
    path("immersions/<uuid:public_id>/", views_immersions.immersion_detail, name="immersion_detail"),
    path("immersions/<uuid:public_id>/modifier/", views_immersions.immersion_edit, name="immersion_edit"),
    path("immersions/<uuid:public_id>/annuler/", views_immersions.immersion_cancel, name="immersion_cancel"),
    path("immersions/<uuid:public_id>/bilan/", views_immersions.immersion_assess, name="immersion_assess"),
    path("immersions/<uuid:public_id>/convention/", views_immersions.immersion_agreement, name="immersion_agreement"),
    path("immersions/<uuid:public_id>/<slug:step>/", views_immersions.immersion_step, name="immersion_step"),
    # The person's tabs
    path("personnes/<uuid:public_id>/immersions/", views_immersions.person_immersions, name="person_immersions"),
    path("personnes/<uuid:public_id>/entreprises/", views_immersions.person_companies, name="person_companies"),
    path("personnes/<uuid:public_id>/immersions/nouvelle/", views_immersions.immersion_create, name="immersion_create"),
    path(
        "personnes/<uuid:public_id>/formations/positionner/", views_immersions.person_position, name="person_position"
    ),
    # Secure links (no account)
    path("lien/<str:token>/", views_immersions.link, name="link"),
    # A company
    path("<uuid:public_id>/", views.company_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.company_edit, name="edit"),
    path("<uuid:public_id>/activation/", views.company_active, name="active"),
    path("<uuid:public_id>/contacts/ajouter/", views.contact_add, name="contact_add"),
    path("<uuid:public_id>/contacts/<uuid:contact_id>/retirer/", views.contact_remove, name="contact_remove"),
    path("<uuid:public_id>/metiers/ajouter/", views.job_add, name="job_add"),
    path("<uuid:public_id>/metiers/<str:job_code>/retirer/", views.job_remove, name="job_remove"),
    path("<uuid:public_id>/besoins/ajouter/", views.opening_add, name="opening_add"),
    path("<uuid:public_id>/solliciter/", views.contact_request_create, name="contact_request"),
]
