from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from spie.core.lists import csv_response, paginate
from spie.core.models import AuditEvent

from .forms import AuditFilterForm
from .perms import can_view_audit_log


def _filtered_events(request):
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.select_related("actor", "membership__organisation", "territory", "api_token")
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action__startswith=data["action"])
        if data["actor"]:
            events = events.filter(actor__email__iexact=data["actor"])
        if data["target_id"]:
            events = events.filter(target_id=data["target_id"])
        if data["territory"]:
            events = events.filter(territory=data["territory"])
        if data["since"]:
            events = events.filter(created_at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(created_at__date__lte=data["until"])
    return form, events


def audit_log(request):
    if not can_view_audit_log(request.membership):
        raise PermissionDenied
    form, events = _filtered_events(request)
    if request.GET.get("format") == "csv":
        rows = (
            [
                e.created_at.isoformat(),
                e.action,
                e.actor.email if e.actor else (f"API : {e.api_token.name}" if e.api_token else ""),
                e.membership.organisation.name if e.membership else "",
                e.territory.code if e.territory else "",
                e.target_type,
                e.target_id or "",
            ]
            for e in events.iterator(chunk_size=2000)
        )
        header = ["Date", "Action", "Auteur", "Structure", "Territoire", "Objet", "Identifiant"]
        return csv_response(request, "journal-audit.csv", header, rows)
    page = paginate(request, events, per_page=50)
    return render(request, "accounts/audit_log.html", {"form": form, "page_obj": page})
