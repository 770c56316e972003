from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.territory_list, name="list"),
    path("nouveau/", views.territory_create, name="create"),
    path("cohortes/nouvelle/", views.cohort_create, name="cohort_create"),
    path("budget/nouvelle-ligne/", views.budget_line_create, name="budget_line_create"),
    path("budget/<uuid:public_id>/modifier/", views.budget_line_edit, name="budget_line_edit"),
    path("budget/<uuid:public_id>/supprimer/", views.budget_line_delete, name="budget_line_delete"),
    path("<slug:code>/", views.territory_detail, name="detail"),
    path("<slug:code>/modifier/", views.territory_edit, name="edit"),
    path("<slug:code>/roles-territoriaux/", views.role_types, name="role_types"),
]
