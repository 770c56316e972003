from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("mes-inscriptions/", views.my_registrations, name="mine"),
    path("publier/", views.event_create, name="create"),
    path("<uuid:public_id>/", views.event_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.event_edit, name="edit"),
    path("<uuid:public_id>/annuler/", views.event_cancel, name="cancel"),
    path("<uuid:public_id>/agenda.ics", views.event_ics_download, name="ics"),
    path("<uuid:public_id>/inscription/", views.register, name="register"),
    path("<uuid:public_id>/desinscription/", views.unregister, name="unregister"),
    path("<uuid:public_id>/evaluation/", views.rate, name="rate"),
    path("<uuid:public_id>/participants/", views.participants, name="participants"),
    path("<uuid:public_id>/presences/", views.attendance, name="attendance"),
]
