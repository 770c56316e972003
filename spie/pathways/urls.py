from django.urls import path

from . import views_orientation

app_name = "pathways"

urlpatterns = [
    path("orientation/", views_orientation.queue, name="queue"),
    path("orientation/reorientations/", views_orientation.reorientations, name="reorientations"),
    path("orientation/referents/", views_orientation.referents, name="referents"),
    path("personne/<uuid:person_id>/orientation/", views_orientation.orientation, name="orientation"),
    path("personne/<uuid:person_id>/orientation/decider/", views_orientation.decide, name="decide"),
    path(
        "personne/<uuid:person_id>/reorientation/",
        views_orientation.request_reorientation,
        name="request_reorientation",
    ),
    path(
        "personne/<uuid:person_id>/reorientation/<uuid:request_id>/accepter/",
        views_orientation.accept_reorientation,
        name="accept_reorientation",
    ),
    path(
        "personne/<uuid:person_id>/reorientation/<uuid:request_id>/refuser/",
        views_orientation.refuse_reorientation,
        name="refuse_reorientation",
    ),
    path(
        "personne/<uuid:person_id>/reorientation/<uuid:request_id>/annuler/",
        views_orientation.cancel_reorientation,
        name="cancel_reorientation",
    ),
]
