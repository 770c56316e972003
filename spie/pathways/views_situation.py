"""Point de situation (alerts of a caseload, a structure or a territory), planning the next
appointment from a row (htmx inline form, or a plain page without JavaScript), and the
coordinator's settings page for the territory's delays."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate
from spie.people.models import Person
from spie.territories.models import TerritorySettings
from spie.territories.policies import NATIONAL_DEFAULTS, policy_for

from . import alerts, perms, services
from .alerts import SPECS, alerts_of
from .enums import AppointmentStatus, PathwayType, Stage
from .forms import SituationFilterForm, TerritorySettingsForm
from .models import Appointment
from .situation import apply_filters, referent_choices, rows, scoped_pathways, structure_choices
from .views_pathway import appointment_form, plan_from_form

SCOPE_LABELS = {
    "caseload": "les personnes que vous suivez",
    "structure": "les personnes suivies par votre structure",
    "territoire": "tout le territoire",
}


def _scope(request):
    scope = perms.situation_scope(request.membership)
    if scope is None:
        raise PermissionDenied
    return scope


def situation(request):
    membership = request.membership
    scope = _scope(request)
    today = timezone.localdate()
    form = SituationFilterForm(
        request.GET or None,
        referents=referent_choices(membership, scope),
        structures=structure_choices(membership, scope),
    )
    pathways = scoped_pathways(membership, scope)
    alert_type = ""
    if form.is_valid():
        pathways = apply_filters(pathways, form.cleaned_data)
        alert_type = form.cleaned_data["alerte"]
    if request.GET.get("format") == "csv":
        return _csv(request, rows(pathways, today, alert_type), today)
    counts = alerts.counts(pathways, today)
    page = paginate(request, rows(pathways, today, alert_type, sizes=None if alert_type else counts["tiers"]))
    _decorate(page, membership, today)
    context = {
        "form": form,
        "scope": scope,
        "scope_label": SCOPE_LABELS[scope],
        "counts": [(spec, counts[spec.type.value]) for spec in SPECS],
        "total": counts["total"],
        "page_obj": page,
        "alert_type": alert_type,
        "can_settings": perms.can_edit_territory_settings(membership),
    }
    return render(request, "pathways/situation.html", context)


def _decorate(page, membership, today):
    """Alerts, next appointment and rights of the rows of the page (two queries)."""
    items = list(page.object_list)
    ids = [item.pk for item in items]
    next_appointments = {}
    upcoming = (
        Appointment.objects.filter(pathway_id__in=ids, status=AppointmentStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("pathway_id", "starts_at")
        .values_list("pathway_id", "starts_at")
    )
    for pathway_id, starts_at in upcoming:
        next_appointments.setdefault(pathway_id, starts_at)
    followed = set(
        Person.objects.visible_to(membership)
        .filter(pk__in=[item.person_id for item in items])
        .values_list("pk", flat=True)
    )
    for item in items:
        item.alerts = alerts_of(item, today)
        item.next_appointment = next_appointments.get(item.pk)
        item.can_open = item.person_id in followed
        item.can_refer = item.can_open and item.referent_id == membership.pk
    page.object_list = items


def _csv(request, queryset, today):
    header = [
        "Nom",
        "Prénoms",
        "Type de parcours",
        "Étape",
        "Depuis le",
        "Référent·e",
        "Structure référente",
        "Alertes",
        "Alerte la plus ancienne depuis le",
    ]
    types = dict(PathwayType.choices)
    stages = dict(Stage.choices)

    def lines():
        for item in queryset.iterator(chunk_size=2000):
            found = alerts_of(item, today)
            yield [
                item.person.display_last_name,
                item.person.first_names,
                types.get(item.pathway_type, ""),
                stages.get(item.stage, ""),
                item.stage_since.strftime("%d/%m/%Y"),
                item.referent.user.get_full_name() if item.referent_id else "",
                item.referent_organisation.name if item.referent_organisation_id else "",
                " ; ".join(alert.label for alert in found),
                min(alert.since for alert in found).strftime("%d/%m/%Y") if found else "",
            ]

    return csv_response(request, "point-de-situation.csv", header, lines())


def _back(request):
    target = request.POST.get("suivant") or request.GET.get("suivant") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def plan_next(request, pathway_id):
    """Plan the next appointment of a row: an inline form (htmx) or a page (without JavaScript)."""
    membership = request.membership
    _scope(request)
    pathway = get_object_or_404(
        scoped_pathways(membership, perms.situation_scope(membership)).select_related("person__territory"),
        public_id=pathway_id,
    )
    person = pathway.person
    if not perms.can_plan_from_situation(membership, person):
        raise PermissionDenied
    form = appointment_form(request, person, request.POST if request.method == "POST" else None)
    partial = bool(request.headers.get("HX-Request"))
    if request.method == "POST":
        appointment = plan_from_form(request, person, form)
        if appointment is not None:
            if partial:
                return render(request, "pathways/_planned.html", {"pathway": pathway, "appointment": appointment})
            messages.success(request, f"Rendez-vous planifié pour {person.short_name}.")
            return redirect(_back(request) or "pathways:situation")
    context = {"form": form, "pathway": pathway, "person": person, "back": _back(request) or ""}
    template = "pathways/_plan_form.html" if partial else "pathways/plan_next.html"
    return render(request, template, context, status=400 if form.errors else 200)


def territory_settings(request):
    membership = request.membership
    if not perms.can_edit_territory_settings(membership):
        raise PermissionDenied
    territory = membership.organisation.territory
    row = TerritorySettings.objects.filter(territory=territory).first()
    initial = {name: getattr(row, name, None) for name in NATIONAL_DEFAULTS}
    form = TerritorySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_territory_settings(
                territory=territory, changes=dict(form.cleaned_data), by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Réglages du territoire enregistrés : les alertes en tiennent compte.")
            return redirect("pathways:settings")
    policy = policy_for(territory)
    fields = [(form[name], NATIONAL_DEFAULTS[name], getattr(policy, name)) for name in NATIONAL_DEFAULTS]
    return render(request, "pathways/settings.html", {"form": form, "fields": fields, "territory": territory})
