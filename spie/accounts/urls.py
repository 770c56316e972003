from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from . import views, views_audit, views_imports, views_roles, views_unlock
from .enums import ImportKind
from .forms import DsfrPasswordResetForm, DsfrSetPasswordForm

app_name = "accounts"


def _public(view_class, **kwargs):
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path("", views.home, name="home"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/deblocage/", views_unlock.unlock_request, name="unlock_request"),
    path("connexion/deblocage/<str:token>/", views_unlock.unlock_confirm, name="unlock"),
    path(
        "mot-de-passe/oubli/",
        _public(
            auth_views.PasswordResetView,
            form_class=DsfrPasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="emails/password_reset.txt",
            subject_template_name="emails/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        _public(auth_views.PasswordResetDoneView, template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        _public(
            auth_views.PasswordResetConfirmView,
            form_class=DsfrSetPasswordForm,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        _public(
            auth_views.PasswordResetCompleteView,
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
    path("compte/", views.profile, name="profile"),
    path("compte/rattachement/", views.switch_membership, name="switch_membership"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("structure/", views.my_organisation, name="my_organisation"),
    path("structures/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path(
        "structures/<uuid:public_id>/membres.csv",
        views.organisation_members_csv,
        name="organisation_members_csv",
    ),
    path("structures/<uuid:public_id>/inviter/", views.invite, name="invite"),
    path("structures/<uuid:public_id>/jetons-api/", views.api_tokens, name="api_tokens"),
    path(
        "structures/<uuid:public_id>/jetons-api/<uuid:token_id>/revoquer/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("membres/<uuid:public_id>/role/", views.member_role, name="member_role"),
    path("membres/<uuid:public_id>/desactiver/", views.member_deactivate, name="member_deactivate"),
    path("journal/", views_audit.audit_log, name="audit_log"),
    path("roles-territoriaux/", views_roles.territorial_roles, name="territorial_roles"),
    path("roles-territoriaux/donner/", views_roles.territorial_role_grant, name="territorial_role_grant"),
    path(
        "roles-territoriaux/<uuid:public_id>/retirer/",
        views_roles.territorial_role_withdraw,
        name="territorial_role_withdraw",
    ),
    path(
        "structures/import/",
        views_imports.import_upload,
        {"kind": ImportKind.ORGANISATIONS},
        name="import_organisations",
    ),
    path(
        "professionnels/import/",
        views_imports.import_upload,
        {"kind": ImportKind.PROFESSIONALS},
        name="import_professionals",
    ),
    path("imports/<uuid:import_id>/", views_imports.import_detail, name="import_detail"),
    path("imports/<uuid:import_id>/annuler/", views_imports.import_cancel, name="import_cancel"),
    path("invitations/", views_imports.invitations, name="invitations"),
    path("invitations/renvoyer-echecs/", views_imports.invitations_resend_failed, name="invitations_resend_failed"),
    path("invitations/<uuid:public_id>/renvoyer/", views_imports.invitation_resend, name="invitation_resend"),
]
