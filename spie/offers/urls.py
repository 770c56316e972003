from django.urls import path

from . import views, views_import, views_proposals, views_referrals

app_name = "offers"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<uuid:offer_id>/", views.detail, name="detail"),
    path("services/<uuid:offer_id>/modifier/", views.offer_edit, name="offer_edit"),
    path("services/<uuid:offer_id>/a-jour/", views.offer_confirm, name="offer_confirm"),
    path("ma-structure/", views.manage, name="manage"),
    path("ma-structure/nouveau/", views.offer_create, name="offer_create"),
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("import/", views_import.upload, name="import"),
    path("import/<uuid:import_id>/", views_import.preview, name="import_preview"),
    path("doublons/", views_import.duplicates, name="duplicates"),
    path("doublons/<uuid:candidate_id>/", views_import.duplicate_decide, name="duplicate_decide"),
    path("orientations/", views_referrals.inbox, name="inbox"),
    path("orientations/<uuid:referral_id>/", views_referrals.referral_detail, name="referral_detail"),
    path("orientations/<uuid:referral_id>/accepter/", views_referrals.referral_accept, name="referral_accept"),
    path("orientations/<uuid:referral_id>/refuser/", views_referrals.referral_refuse, name="referral_refuse"),
    path(
        "orientations/<uuid:referral_id>/demarrer/",
        views_referrals.referral_follow,
        {"step": "demarrer"},
        name="referral_start",
    ),
    path(
        "orientations/<uuid:referral_id>/terminer/",
        views_referrals.referral_follow,
        {"step": "terminer"},
        name="referral_end",
    ),
    path(
        "orientations/<uuid:referral_id>/abandonner/",
        views_referrals.referral_follow,
        {"step": "abandonner"},
        name="referral_abandon",
    ),
    path("orientations/<uuid:referral_id>/action/", views_referrals.referral_link, name="referral_link"),
    path("reponse/<str:token>/", views_referrals.referral_answer, name="referral_answer"),
    path("personne/<uuid:public_id>/orientations/", views_referrals.person_referrals, name="person_referrals"),
    path("personne/<uuid:public_id>/suggestions/", views_referrals.person_suggestions, name="person_suggestions"),
    path("personne/<uuid:public_id>/orienter/<uuid:offer_id>/", views_referrals.refer, name="refer"),
    path("propositions/", views_proposals.proposals, name="proposals"),
    path("propositions/nouvelle/", views_proposals.proposal_create, name="proposal_create"),
    path("propositions/<uuid:proposal_id>/", views_proposals.proposal_detail, name="proposal_detail"),
    path("propositions/<uuid:proposal_id>/commenter/", views_proposals.proposal_comment, name="proposal_comment"),
    path("propositions/<uuid:proposal_id>/etape/", views_proposals.proposal_move, name="proposal_move"),
]
