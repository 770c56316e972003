"""Territorial roles of a territory: who holds them, since when and why; granting and withdrawing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.territories.models import Territory
from spie.territories.policies import territorial_role_types

from . import services
from .actors import Actor
from .enums import TERRITORIAL_ROLES, OrganisationType, Role
from .forms import TerritorialRoleFilterForm, TerritorialRoleGrantForm, WithdrawRoleForm
from .models import Membership, Organisation
from .perms import can_grant_role, can_view_territorial_roles, can_withdraw_role, is_national_admin

SORTS = {
    "depuis": "since",
    "nom": "user__last_name",
    "structure": "organisation__name",
    "role": "role",
}


def _territory(request):
    """The territory whose roles are listed: the coordinator's own, or for a national
    administrator the one named by `?territoire=`; 403 for everyone else, 404 for an unknown code."""
    membership = request.membership
    if is_national_admin(membership):
        territory = get_object_or_404(Territory, code=request.GET.get("territoire", ""))
    else:
        territory = membership.organisation.territory if membership and membership.organisation.territory_id else None
    if not can_view_territorial_roles(membership, territory):
        raise PermissionDenied
    return territory


def _holders(territory):
    return (
        Membership.objects.active()
        .territorial()
        .filter(organisation__territory=territory)
        .select_related("user", "organisation", "role_granted_by")
        .annotate(since=Coalesce(F("role_granted_at"), F("created_at")))
    )


def _filter(form, holders, allowed_types):
    if not form.is_valid():
        return holders
    data = form.cleaned_data
    if data["q"]:
        q = data["q"].strip()
        holders = holders.filter(
            Q(user__last_name__icontains=q) | Q(user__email__icontains=q) | Q(organisation__name__icontains=q)
        )
    if data["role"]:
        holders = holders.filter(role=data["role"])
    if data["type"]:
        holders = holders.filter(organisation__type=data["type"])
    out_of_rule = ~Q(organisation__type__in=allowed_types) | Q(role_grant_reason="")
    if data["conformite"] == "hors_regle":
        holders = holders.filter(out_of_rule)
    elif data["conformite"] == "conforme":
        holders = holders.exclude(out_of_rule)
    return holders


def _csv(request, territory, holders, allowed_types):
    rows = (
        [
            m.user.last_name,
            m.user.first_name,
            m.user.email,
            m.organisation.name,
            m.organisation.get_type_display(),
            m.get_role_display(),
            timezone.localtime(m.since).strftime("%d/%m/%Y"),
            m.role_granted_by.get_full_name() if m.role_granted_by else "",
            m.role_grant_reason,
            "oui" if m.organisation.type in allowed_types and m.role_grant_reason else "non",
        ]
        for m in holders
    )
    header = ["Nom", "Prénom", "E-mail", "Structure", "Type", "Rôle", "Depuis", "Donné par", "Motif", "Conforme"]
    return csv_response(request, f"roles-territoriaux-{territory.code}.csv", header, rows)


def territorial_roles(request):
    territory = _territory(request)
    allowed_types = territorial_role_types(territory)
    form = TerritorialRoleFilterForm(request.GET or None)
    holders, sort = sort_queryset(request, _filter(form, _holders(territory), allowed_types), SORTS, "-depuis")
    if request.GET.get("format") == "csv":
        return _csv(request, territory, holders, allowed_types)
    context = {
        "territory": territory,
        "form": form,
        "page_obj": paginate(request, holders),
        "sort": sort,
        "allowed_types": allowed_types,
        "national": is_national_admin(request.membership),
        "can_grant": bool(_grantable_roles(request.membership, territory)),
    }
    return render(request, "accounts/territorial_roles.html", context)


def _grantable_roles(membership, territory):
    """Territorial roles the membership may give in the territory (checked on a Département, a type
    that may always hold them; the chosen structure is checked again by the service)."""
    sample = Organisation(territory=territory, type=OrganisationType.DEPARTEMENT)
    return [role for role in TERRITORIAL_ROLES if can_grant_role(membership, role, sample)]


def _candidates(territory):
    return (
        Membership.objects.active()
        .filter(organisation__territory=territory, organisation__type__in=territorial_role_types(territory))
        .exclude(role__in=[*TERRITORIAL_ROLES, Role.ADMIN_NATIONAL])
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name", "organisation__name")
    )


def _list_url(request, territory):
    suffix = f"?territoire={territory.code}" if is_national_admin(request.membership) else ""
    return reverse("accounts:territorial_roles") + suffix


def territorial_role_grant(request):
    territory = _territory(request)
    roles = _grantable_roles(request.membership, territory)
    if not roles:
        raise PermissionDenied
    form = TerritorialRoleGrantForm(request.POST or None, memberships=_candidates(territory), allowed_roles=roles)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["membership"]
        try:
            services.change_member_role(
                membership=member,
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else "role", error.message)
        else:
            messages.success(request, f"Rôle « {Role(form.cleaned_data['role']).label} » donné à {member.user}.")
            return redirect(_list_url(request, territory))
    return render(request, "accounts/territorial_role_grant.html", {"territory": territory, "form": form})


def territorial_role_withdraw(request, public_id):
    territory = _territory(request)
    member = get_object_or_404(_holders(territory), public_id=public_id)
    if not can_withdraw_role(request.membership, member):
        raise PermissionDenied
    form = WithdrawRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_territorial_role(
                membership=member, reason=form.cleaned_data["reason"], by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"{member.user} n'a plus le rôle « {member.get_role_display()} ».")
            return redirect(_list_url(request, territory))
    context = {"territory": territory, "member": member, "form": form}
    return render(request, "accounts/territorial_role_withdraw.html", context)
