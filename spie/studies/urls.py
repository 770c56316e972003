from django.urls import path

from . import views, views_studies

app_name = "studies"

urlpatterns = [
    path("", views_studies.study_list, name="studies"),
    path("nouvelle/", views_studies.study_create, name="study_create"),
    path("<uuid:public_id>/", views_studies.study_detail, name="study_detail"),
    path("<uuid:public_id>/extraction/", views_studies.study_extract, name="study_extract"),
    path("evaluations/", views.national_evaluations, name="national_evaluations"),
    path("evaluations/<uuid:public_id>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<uuid:public_id>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<uuid:public_id>/publier/", views.evaluation_publish, name="evaluation_publish"),
    path("evaluations/<uuid:public_id>/brouillon/", views.evaluation_unpublish, name="evaluation_unpublish"),
    path("territoires/<slug:code>/evaluations/", views.territory_evaluations, name="territory_evaluations"),
    path("territoires/<slug:code>/evaluations/nouvelle/", views.evaluation_create, name="evaluation_create"),
]
