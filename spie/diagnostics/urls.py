from django.urls import path

from . import views

app_name = "diagnostics"

urlpatterns = [
    path("personne/<uuid:person_id>/", views.person_diagnostics, name="person"),
    path("personne/<uuid:person_id>/nouveau/", views.start, name="start"),
    path("personne/<uuid:person_id>/comparer/", views.compare, name="compare"),
    path("<uuid:diagnostic_id>/", views.detail, name="detail"),
    path("<uuid:diagnostic_id>/modifier/<slug:section>/", views.edit, name="edit"),
    path("<uuid:diagnostic_id>/co-auteur/", views.coauthor, name="coauthor"),
    path("<uuid:diagnostic_id>/rejoindre/", views.join, name="join"),
    path("<uuid:diagnostic_id>/valider/", views.validate, name="validate"),
    path("<uuid:diagnostic_id>/abandonner/", views.abandon, name="abandon"),
    path("<uuid:diagnostic_id>/co-signer/", views.cosign, name="cosign"),
]
