from django.urls import path

from . import views

app_name = "referentials"

urlpatterns = [
    path("", views.index, name="index"),
    path("communes/", views.communes, name="communes"),
    path("communes/suggestions/", views.commune_suggestions, name="commune_suggestions"),
    path("rome/", views.rome, name="rome"),
    path("rome/suggestions/", views.rome_suggestions, name="rome_suggestions"),
    path("rome/<str:code>/", views.rome_detail, name="rome_detail"),
    path("naf/", views.naf, name="naf"),
    path("parcours/", views.pathway, name="pathway"),
    path("data-inclusion/", views.vocabularies, name="vocabularies"),
]
