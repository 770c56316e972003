"""Bulk onboarding: import of structures and professionals, and the follow-up of invitations."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from spie.core.errors import DomainError
from spie.core.imports import ImportFileError
from spie.core.lists import paginate
from spie.territories.models import Territory

from . import imports, mailing, services
from .actors import Actor
from .enums import EmailStatus, ImportKind
from .forms import AccountImportForm, InvitationFilterForm
from .models import AccountImport, Invitation, Organisation
from .perms import (
    can_follow_invitations,
    can_import_accounts,
    can_manage_members,
    can_resend_invitation,
    is_national_admin,
)

PREVIEW_ROWS = 200
IMPORTERS = {
    ImportKind.ORGANISATIONS: (imports.plan_organisations, imports.apply_organisations),
    ImportKind.PROFESSIONALS: (imports.plan_professionals, imports.apply_professionals),
}
TITLES = {
    ImportKind.ORGANISATIONS: "Importer les structures du territoire",
    ImportKind.PROFESSIONALS: "Importer les professionnels du territoire",
}


def _own_territory(request):
    membership = request.membership
    return membership.organisation.territory if membership and membership.organisation.territory_id else None


def import_upload(request, kind):
    membership = request.membership
    national = is_national_admin(membership)
    if not national and not can_import_accounts(membership, _own_territory(request)):
        raise PermissionDenied
    form = AccountImportForm(
        request.POST or None,
        request.FILES or None,
        territories=Territory.objects.order_by("name") if national else None,
        initial={"territory": request.GET.get("territoire")},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        account_import = AccountImport(
            kind=kind,
            territory=form.cleaned_data["territory"] if national else _own_territory(request),
            membership=membership,
            filename=upload.name[:255],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        account_import.stage(upload.read())
        account_import.save()
        return redirect("accounts:import_detail", account_import.public_id)
    context = {"form": form, "kind": kind, "title": TITLES[kind]}
    return render(request, "accounts/import_upload.html", context)


def _import_for(request, import_id):
    """The import if it was sent by the current membership; 404 otherwise."""
    account_import = get_object_or_404(
        AccountImport.objects.select_related("territory"), public_id=import_id, membership=request.membership
    )
    if not can_import_accounts(request.membership, account_import.territory):
        raise PermissionDenied
    return account_import


def import_detail(request, import_id):
    account_import = _import_for(request, import_id)
    if account_import.applied_at:
        return _import_done(request, account_import)
    plan, apply = IMPORTERS[account_import.kind]
    try:
        report = plan(
            account_import.staged_content(), territory=account_import.territory, membership=request.membership
        )
    except ImportFileError as error:
        context = {
            "form": AccountImportForm(),
            "kind": account_import.kind,
            "title": TITLES[account_import.kind],
            "file_error": str(error),
        }
        return render(request, "accounts/import_upload.html", context)
    can_apply = report.can_apply(account_import.skip_invalid) and len(report.rejected) < len(report.results)
    if request.method == "POST" and can_apply:
        counts = apply(
            report,
            territory=account_import.territory,
            by=Actor.from_request(request),
            skip_invalid=account_import.skip_invalid,
            source_import=account_import,
        )
        account_import.summary = _summary(account_import.kind, counts, len(report.rejected))
        account_import.applied_at, account_import.content = timezone.now(), b""
        account_import.save(update_fields=["summary", "applied_at", "content", "updated_at"])
        messages.success(request, f"Import terminé : {account_import.summary}.")
        return redirect("accounts:import_detail", account_import.public_id)
    context = {
        "account_import": account_import,
        "report": report,
        "rows": (report.rejected + [r for r in report.results if not r.rejected])[:PREVIEW_ROWS],
        "can_apply": can_apply,
        "preview_rows": PREVIEW_ROWS,
        "title": TITLES[account_import.kind],
    }
    return render(request, "accounts/import_preview.html", context)


@require_POST
def import_cancel(request, import_id):
    """Drop an uploaded file that was not imported: nothing of it is kept."""
    account_import = _import_for(request, import_id)
    kind = account_import.kind
    if account_import.applied_at is None:
        account_import.delete()
        messages.info(request, "Import annulé : le fichier a été supprimé.")
    if kind == ImportKind.ORGANISATIONS:
        return redirect("accounts:import_organisations")
    return redirect("accounts:import_professionals")


def _summary(kind, counts, rejected):
    if kind == ImportKind.ORGANISATIONS:
        return (
            f"{counts['created']} structure(s) créée(s), {counts['updated']} mise(s) à jour, "
            f"{counts['unchanged']} inchangée(s), {rejected} ligne(s) rejetée(s)"
        )
    return (
        f"{counts['invited']} invitation(s) en file d'envoi, {counts['roles']} rôle(s) modifié(s), "
        f"{counts['unchanged']} inchangé(s), {rejected} ligne(s) rejetée(s)"
    )


def _import_done(request, account_import):
    counts = mailing.queue_counts(account_import.invitations.all())
    context = {"account_import": account_import, "counts": counts}
    if request.htmx and request.GET.get("partial") == "progression":
        return render(request, "accounts/_invitation_progress.html", context)
    return render(request, "accounts/import_done.html", context)


def _invitation_scope(request):
    """The invitations the current membership follows, and the territory or structure named."""
    membership = request.membership
    if membership is None:
        raise PermissionDenied
    code = request.GET.get("territoire")
    if is_national_admin(membership) and code:
        territory = get_object_or_404(Territory, code=code)
        return Invitation.objects.filter(organisation__territory=territory), territory, None
    territory = _own_territory(request)
    if territory is not None and can_follow_invitations(membership, territory):
        return Invitation.objects.filter(organisation__territory=territory), territory, None
    organisation = membership.organisation
    if can_manage_members(membership, organisation):
        return Invitation.objects.filter(organisation=organisation), None, organisation
    raise PermissionDenied


STATUS_FILTERS = {
    "a_envoyer": Q(email_status__in=[EmailStatus.QUEUED, EmailStatus.SENDING], accepted_at__isnull=True),
    "envoyee": Q(email_status=EmailStatus.SENT, accepted_at__isnull=True),
    "echec": Q(email_status=EmailStatus.FAILED, accepted_at__isnull=True),
    "acceptee": Q(accepted_at__isnull=False),
}


def invitations(request):
    invitations, territory, organisation = _invitation_scope(request)
    invitations = invitations.filter(revoked_at__isnull=True)
    counts = mailing.queue_counts(invitations)
    form = InvitationFilterForm(request.GET or None)
    listed = invitations
    if form.is_valid():
        if form.cleaned_data["statut"]:
            listed = listed.filter(STATUS_FILTERS[form.cleaned_data["statut"]])
        if form.cleaned_data["q"]:
            q = form.cleaned_data["q"].strip()
            listed = listed.filter(Q(email__icontains=q) | Q(last_name__icontains=q))
    listed = listed.select_related("organisation").order_by("-created_at", "pk")
    context = {
        "page_obj": paginate(request, listed),
        "counts": counts,
        "form": form,
        "territory": territory,
        "organisation": organisation,
        "now": timezone.now(),
    }
    if request.htmx and request.GET.get("partial") == "progression":
        return render(request, "accounts/_invitation_progress.html", context)
    return render(request, "accounts/invitations.html", context)


@require_POST
def invitation_resend(request, public_id):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation__territory"),
        public_id=public_id,
        organisation__in=Organisation.objects.visible_to(request.membership),
    )
    if not can_resend_invitation(request.membership, invitation):
        raise PermissionDenied
    try:
        services.resend_invitation(invitation=invitation, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'invitation de {invitation.email} est renvoyée avec un nouveau lien.")
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(next_url)
    return redirect("accounts:invitations")


@require_POST
def invitations_resend_failed(request):
    invitations, territory, _ = _invitation_scope(request)
    failed = invitations.filter(email_status=EmailStatus.FAILED)
    count = services.resend_failed_invitations(invitations=failed, by=Actor.from_request(request), territory=territory)
    messages.success(request, f"{count} invitation(s) en échec remise(s) en file d'envoi.")
    suffix = f"?territoire={territory.code}" if territory and is_national_admin(request.membership) else ""
    return redirect(reverse("accounts:invitations") + suffix)
