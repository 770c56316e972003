from django.urls import path

from . import views

app_name = "personspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.login_page, name="login"),
    path("connexion/code/", views.code_page, name="code"),
    path("connexion/lien/<str:token>/", views.link_page, name="link"),
    path("deconnexion/", views.logout, name="logout"),
    path("rendez-vous/", views.appointments, name="appointments"),
    path("rendez-vous/<uuid:public_id>/confirmer/", views.confirm_appointment, name="confirm_appointment"),
    path("rendez-vous/<uuid:public_id>/deplacer/", views.move_appointment, name="move_appointment"),
    path("contrat/", views.contract, name="contract"),
    path("contrat/<uuid:public_id>/approuver/", views.approve_contract, name="approve_contract"),
    path("orientations/", views.referrals, name="referrals"),
    path("immersions/", views.immersions, name="immersions"),
    path("acces/", views.access_log, name="access_log"),
    path("consentement/", views.consent, name="consent"),
    path("mes-donnees/", views.data, name="data"),
    path("mes-donnees/telecharger/", views.download_data, name="download_data"),
    path("dossier/<uuid:person_id>/", views.file_tab, name="file_tab"),
    path("dossier/<uuid:person_id>/inviter/", views.invite, name="invite"),
    path(
        "dossier/<uuid:person_id>/coordonnees/<uuid:change_id>/confirmer/",
        views.confirm_contact,
        name="confirm_contact",
    ),
]
