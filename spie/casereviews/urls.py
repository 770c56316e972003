from django.urls import path

from . import views

app_name = "casereviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("nouvelle/", views.body_create, name="body_create"),
    path("a-inscrire/", views.waiting, name="waiting"),
    path("situations-reperees/", views.candidate_list, name="candidates"),
    path("situations-reperees/<uuid:pathway_id>/inviter/", views.candidate_invite, name="candidate_invite"),
    path("instance/<uuid:body_id>/", views.body, name="body"),
    path("instance/<uuid:body_id>/membres/", views.member_add, name="member_add"),
    path("instance/<uuid:body_id>/membres/<uuid:member_id>/retirer/", views.member_remove, name="member_remove"),
    path("instance/<uuid:body_id>/seances/nouvelle/", views.session_create, name="session_create"),
    path("seance/<uuid:session_id>/", views.session, name="session"),
    path("seance/<uuid:session_id>/inscrire/", views.session_schedule, name="session_schedule"),
    path("seance/<uuid:session_id>/publier/", views.session_publish, name="session_publish"),
    path("seance/<uuid:session_id>/presences/", views.session_attendance, name="session_attendance"),
    path("seance/<uuid:session_id>/tenir/", views.session_hold, name="session_hold"),
    path("seance/<uuid:session_id>/signer/", views.session_sign, name="session_sign"),
    path("seance/<uuid:session_id>/annuler/", views.session_cancel, name="session_cancel"),
    path("seance/<uuid:session_id>/compte-rendu.pdf", views.session_pdf, name="session_pdf"),
    path("personne/<uuid:person_id>/", views.person_cases, name="person_cases"),
    path("personne/<uuid:person_id>/presenter/", views.refer, name="refer"),
    path("situation/<uuid:case_id>/", views.case_detail, name="case"),
    path("situation/<uuid:case_id>/presentation/", views.presentation_edit, name="presentation"),
    path("situation/<uuid:case_id>/retirer/", views.case_withdraw, name="withdraw"),
    path("situation/<uuid:case_id>/examen/", views.case_discussion, name="discussion"),
    path("situation/<uuid:case_id>/decisions/", views.case_decision, name="decision"),
    path("situation/<uuid:case_id>/actions/", views.case_action, name="action"),
    path("action/<uuid:action_id>/realisee/", views.action_done, name="action_done"),
]
