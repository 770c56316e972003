from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("export.csv", views.export, name="export"),
    path("territoires/", views.national, name="national"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/<slug:code>/", views.definition, name="definition"),
]
