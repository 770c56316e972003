from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from spie.core.errors import DomainError
from spie.core.lists import csv_response

from . import services
from .actors import Actor
from .deactivation import pending_hand_overs
from .enums import ApiTokenScope, Role
from .forms import (
    AcceptInvitationForm,
    ApiTokenForm,
    InvitationForm,
    LoginForm,
    ProfileForm,
    RoleForm,
)
from .middleware import SESSION_KEY
from .models import Membership, Organisation
from .perms import can_change_role, can_grant_role, can_grant_token_scope, can_manage_api_tokens, can_manage_members


def _organisation_for(request, public_id):
    """The structure if the current membership may see it; 404 otherwise."""
    return get_object_or_404(
        Organisation.objects.visible_to(request.membership).select_related("territory", "commune"),
        public_id=public_id,
    )


def _managed_organisation(request, public_id):
    organisation = _organisation_for(request, public_id)
    if not can_manage_members(request.membership, organisation):
        raise PermissionDenied
    return organisation


def _grantable_roles(membership, organisation):
    return [role for role in Role.values if can_grant_role(membership, role, organisation)]


def _add_domain_error(form, error, default_field=None):
    form.add_error(error.field if error.field in form.fields else default_field, error.message)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


login_view = login_not_required(LoginView.as_view())


def home(request):
    return render(request, "accounts/home.html")


@require_POST
def switch_membership(request):
    chosen = request.POST.get("membership", "")
    membership = next((m for m in request.memberships if str(m.public_id) == chosen), None)
    if membership is None:
        messages.error(request, "Ce rattachement n'existe pas ou n'est plus actif.")
    else:
        request.session[SESSION_KEY] = str(membership.public_id)
        messages.success(request, f"Vous travaillez maintenant pour : {membership}.")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("accounts:home")
        return response
    return redirect("accounts:home")


def profile(request):
    user = request.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "phone": user.phone}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, by=Actor.from_request(request), **form.cleaned_data)
        messages.success(request, "Votre profil est enregistré.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


def my_organisation(request):
    if request.membership is None:
        raise PermissionDenied
    return redirect("accounts:organisation_detail", request.membership.organisation.public_id)


def organisation_detail(request, public_id):
    organisation = _organisation_for(request, public_id)
    members = organisation.memberships.select_related("user").order_by("-is_active", "user__last_name")
    can_manage = can_manage_members(request.membership, organisation)
    context = {
        "organisation": organisation,
        "members": members,
        "can_manage": can_manage,
        "invitations": organisation.invitations.pending().order_by("email") if can_manage else [],
        "can_manage_tokens": can_manage_api_tokens(request.membership, organisation),
        "roles": Role.choices,
    }
    return render(request, "accounts/organisation_detail.html", context)


def organisation_members_csv(request, public_id):
    organisation = _organisation_for(request, public_id)
    members = organisation.memberships.select_related("user").order_by("user__last_name")
    rows = (
        [
            m.user.last_name,
            m.user.first_name,
            m.user.email,
            m.get_role_display(),
            "oui" if m.is_active else "non",
        ]
        for m in members
    )
    return csv_response(
        request, f"membres-{organisation.siret}.csv", ["Nom", "Prénom", "E-mail", "Rôle", "Actif"], rows
    )


def invite(request, public_id):
    organisation = _managed_organisation(request, public_id)
    form = InvitationForm(request.POST or None, allowed_roles=_grantable_roles(request.membership, organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_professional(organisation=organisation, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
            return redirect("accounts:organisation_detail", organisation.public_id)
    return render(request, "accounts/invite.html", {"organisation": organisation, "form": form})


@login_not_required
def invitation_accept(request, token):
    invitation = services.find_usable_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    has_account = services.User.objects.filter(email=invitation.email).exists()
    form = (
        None
        if has_account
        else AcceptInvitationForm(
            request.POST or None,
            email=invitation.email,
            initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
        )
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        fields = form.cleaned_data if form else {}
        try:
            user, membership = services.accept_invitation(
                invitation=invitation,
                first_name=fields.get("first_name", ""),
                last_name=fields.get("last_name", ""),
                password=fields.get("password1"),
            )
        except DomainError as error:
            context = {"invitation": invitation, "form": form, "has_account": has_account, "error": error.message}
            return render(request, "accounts/invitation_accept.html", context, status=403)
        if has_account:
            messages.success(request, "Invitation acceptée : connectez-vous pour accéder à la structure.")
            return redirect("accounts:login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SESSION_KEY] = str(membership.public_id)
        messages.success(request, f"Bienvenue sur la plateforme SPIE, {user.first_name} !")
        return redirect("accounts:home")
    context = {"invitation": invitation, "form": form, "has_account": has_account}
    return render(request, "accounts/invitation_accept.html", context)


def _member_for(request, public_id):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        public_id=public_id,
        organisation__in=Organisation.objects.visible_to(request.membership),
    )
    if not can_manage_members(request.membership, membership.organisation):
        raise PermissionDenied
    return membership


def member_role(request, public_id):
    membership = _member_for(request, public_id)
    allowed = [role for role in Role.values if can_change_role(request.membership, membership, role)]
    if not allowed:
        raise PermissionDenied
    form = RoleForm(request.POST or None, allowed_roles=allowed, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.change_member_role(
                membership=membership,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _add_domain_error(form, error, "role")
        else:
            messages.success(request, f"Rôle de {membership.user} : {membership.get_role_display()}.")
            return redirect("accounts:organisation_detail", membership.organisation.public_id)
    return render(request, "accounts/member_role.html", {"member": membership, "form": form})


def member_deactivate(request, public_id):
    membership = _member_for(request, public_id)
    hand_overs = pending_hand_overs(membership) if membership.is_active else []
    if request.method == "POST" and not hand_overs:
        try:
            services.deactivate_member(membership=membership, by=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{membership.user} n'est plus membre actif de la structure.")
        return redirect("accounts:organisation_detail", membership.organisation.public_id)
    if request.method == "POST":
        messages.error(request, "Organisez d'abord la passation : la désactivation n'est pas encore possible.")
    return render(request, "accounts/member_deactivate.html", {"member": membership, "hand_overs": hand_overs})


def _token_scopes(request, organisation):
    return [scope for scope in ApiTokenScope.values if can_grant_token_scope(request.membership, organisation, scope)]


def _token_organisation(request, public_id):
    """The structure whose tokens the membership manages: its manager, or the territory's
    coordinator for tokens with the orientation scope."""
    organisation = _organisation_for(request, public_id)
    if not _token_scopes(request, organisation):
        raise PermissionDenied
    return organisation


def api_tokens(request, public_id):
    organisation = _token_organisation(request, public_id)
    scopes = _token_scopes(request, organisation)
    form = ApiTokenForm(request.POST or None, allowed_scopes=scopes)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.create_api_token(
                organisation=organisation, by=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            _add_domain_error(form, error)
        else:
            form = ApiTokenForm(allowed_scopes=scopes)
    context = {
        "organisation": organisation,
        "tokens": organisation.api_tokens.select_related("created_by"),
        "form": form,
        "new_key": new_key,
    }
    return render(request, "accounts/api_tokens.html", context)


@require_POST
def api_token_revoke(request, public_id, token_id):
    organisation = _token_organisation(request, public_id)
    token = get_object_or_404(organisation.api_tokens, public_id=token_id)
    if not (
        can_manage_api_tokens(request.membership, organisation)
        or can_grant_token_scope(request.membership, organisation, token.scope)
    ):
        raise PermissionDenied
    try:
        services.revoke_api_token(token=token, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:api_tokens", organisation.public_id)
