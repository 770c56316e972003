from django.urls import path

from . import views_orientation, views_pathway, views_situation

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
    # The shared pathway.
    path("point-de-situation/", views_situation.situation, name="situation"),
    path("point-de-situation/<uuid:pathway_id>/planifier/", views_situation.plan_next, name="plan_next"),
    path("reglages/", views_situation.territory_settings, name="settings"),
    path("personne/<uuid:person_id>/parcours/", views_pathway.pathway, name="pathway"),
    path("personne/<uuid:person_id>/parcours/ouvrir/", views_pathway.open_pathway, name="open_pathway"),
    path("personne/<uuid:person_id>/parcours/cloturer/", views_pathway.close, name="close"),
    path("personne/<uuid:person_id>/parcours/point/", views_pathway.review, name="review"),
    path("personne/<uuid:person_id>/emploi/", views_pathway.return_to_work, name="return_to_work"),
    path("personne/<uuid:person_id>/emploi/point/<uuid:checkpoint_id>/", views_pathway.checkpoint, name="checkpoint"),
    path("personne/<uuid:person_id>/contrat/", views_pathway.contract, name="contract"),
    path("personne/<uuid:person_id>/contrat/preparer/", views_pathway.start_contract, name="start_contract"),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/objectifs/",
        views_pathway.add_objective,
        name="add_objective",
    ),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/objectifs/<uuid:objective_id>/retirer/",
        views_pathway.remove_objective,
        name="remove_objective",
    ),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/objectifs/<uuid:objective_id>/actions/",
        views_pathway.add_action,
        name="add_action",
    ),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/actions/<uuid:action_id>/retirer/",
        views_pathway.remove_action,
        name="remove_action",
    ),
    path("personne/<uuid:person_id>/contrat/<uuid:contract_id>/derogation/", views_pathway.exemption, name="exemption"),
    path("personne/<uuid:person_id>/contrat/<uuid:contract_id>/signer/", views_pathway.sign, name="sign"),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/imprimer/",
        views_pathway.print_contract,
        name="print_contract",
    ),
    path(
        "personne/<uuid:person_id>/contrat/<uuid:contract_id>/pdf/",
        views_pathway.contract_pdf_view,
        name="contract_pdf",
    ),
    path(
        "personne/<uuid:person_id>/contrat/actions/<uuid:action_id>/statut/",
        views_pathway.action_status,
        name="action_status",
    ),
    path("personne/<uuid:person_id>/rendez-vous/", views_pathway.appointments, name="appointments"),
    path(
        "personne/<uuid:person_id>/rendez-vous/<uuid:appointment_id>/statut/",
        views_pathway.appointment_status,
        name="appointment_status",
    ),
]
