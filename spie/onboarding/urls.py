from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.index, name="index"),
    path("national/", views.national, name="national"),
    path("aide/", views.guide_index, name="guide"),
    path("aide/exemples/<str:name>", views.example, name="example"),
    path("aide/<slug:slug>/", views.guide_page, name="guide_page"),
    path("<slug:code>/", views.checklist, name="checklist"),
    path("<slug:code>/delais/", views.territory_settings, name="settings"),
]
