from django.urls import path

from . import views, views_mirror

app_name = "questionnaires"

urlpatterns = [
    # Answering (no professional account).
    path("repondre/<str:token>/", views.answer_link, name="answer_link"),
    path("mon-espace/", views.space_list, name="space_list"),
    path("mon-espace/<uuid:public_id>/", views.space_answer, name="space_answer"),
    # The person's file.
    path("personnes/<uuid:public_id>/", views.person_questionnaires, name="person"),
    path("personnes/<uuid:public_id>/groupe-miroir/", views.person_mirror_join, name="person_mirror_join"),
    # Results and comment review.
    path("resultats/", views.results, name="results"),
    path("commentaires/", views.comments, name="comments"),
    path("commentaires/<uuid:public_id>/", views.comment_review, name="comment_review"),
    # Groupe miroir.
    path("groupe-miroir/", views_mirror.mirror, name="mirror"),
    path("groupe-miroir/membres/ajouter/", views_mirror.volunteer_add, name="volunteer_add"),
    path("groupe-miroir/membres/<uuid:public_id>/retrait/", views_mirror.member_withdraw, name="member_withdraw"),
    path("groupe-miroir/seances/ajouter/", views_mirror.session_create, name="session_create"),
    path("groupe-miroir/seances/<uuid:public_id>/", views_mirror.session_detail, name="session"),
    path(
        "groupe-miroir/seances/<uuid:public_id>/presences/", views_mirror.session_attendance, name="session_attendance"
    ),
    path("groupe-miroir/seances/<uuid:public_id>/synthese/", views_mirror.session_feedback, name="session_feedback"),
]
