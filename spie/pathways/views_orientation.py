from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.diagnostics.selectors import latest_validated_diagnostic
from spie.people.views import _file_context, person_for
from spie.territories.policies import policy_for

from . import perms, services_orientation
from .enums import PathwayType, ReorientationStatus
from .forms_orientation import DecisionForm, QueueFilterForm, RefuseForm, ReorientationRequestForm
from .models import ReorientationRequest
from .orientation_queue import QUEUE_SORTS, awaiting_orientation, filter_queue, waiting_days
from .pickers import referent_choices, structure_choices, structure_filter_choices

TAB = "orientation"


def _officer_territory(request):
    if not perms.can_view_orientation_queue(request.membership):
        raise PermissionDenied
    return request.membership.organisation.territory


def queue(request):
    territory = _officer_territory(request)
    target = policy_for(territory).orientation_target_days
    form = QueueFilterForm(request.GET or None, structures=structure_filter_choices(territory.pk))
    people = awaiting_orientation(territory.pk)
    if form.is_valid():
        people = filter_queue(people, form.cleaned_data, target_days=target)
    people, sort = sort_queryset(request, people, QUEUE_SORTS, "attente")
    today = timezone.localdate()
    if request.GET.get("format") == "csv":
        return _queue_csv(request, people, target, today)
    page = paginate(request, people)
    for person in page:
        person.waiting_days = waiting_days(person, today)
        person.is_late = person.waiting_days > target
    context = {
        "form": form,
        "page_obj": page,
        "sort": sort,
        "target": target,
        "territory": territory,
        "pending_requests": ReorientationRequest.objects.filter(
            territory=territory, status=ReorientationStatus.PENDING
        ).count(),
    }
    return render(request, "pathways/queue.html", context)


def _queue_csv(request, people, target, today):
    header = [
        "Nom",
        "Prénoms",
        "Date d'entrée",
        "Jours d'attente",
        "Objectif (jours)",
        "Hors délai",
        "Commune",
        "Structure du référent",
        "Diagnostic validé",
        "Orientation proposée",
    ]
    labels = dict(PathwayType.choices)
    rows = (
        [
            person.display_last_name,
            person.first_names,
            person.entry_date.strftime("%d/%m/%Y"),
            waiting_days(person, today),
            target,
            "oui" if waiting_days(person, today) > target else "non",
            person.commune.name if person.commune_id else "",
            person.referent_organisation_name or "",
            "oui" if person.has_diagnostic else "non",
            labels.get(person.proposed_pathway, ""),
        ]
        for person in people.iterator(chunk_size=2000)
    )
    return csv_response(request, "file-orientation.csv", header, rows)


def reorientations(request):
    territory = _officer_territory(request)
    requests = (
        ReorientationRequest.objects.filter(territory=territory, status=ReorientationStatus.PENDING)
        .select_related("person", "requested_by__user", "requested_by__organisation", "decision")
        .order_by("created_at", "pk")
    )
    return render(request, "pathways/reorientations.html", {"page_obj": paginate(request, requests)})


def _person(request, person_id, what):
    person = person_for(request, person_id, what=what)
    if not perms.can_view_orientation(request.membership, person):
        raise PermissionDenied
    return person


def orientation(request, person_id):
    person = _person(request, person_id, "Consultation de l'orientation")
    membership = request.membership
    decisions = person.orientation_decisions.select_related(
        "referent__user", "referent_organisation", "decided_by__user"
    )
    requests = person.reorientation_requests.select_related(
        "requested_by__user", "requested_by__organisation", "decided_by__user", "new_decision"
    )
    pending = next((item for item in requests if item.status == ReorientationStatus.PENDING), None)
    in_force = next((decision for decision in decisions if decision.status == "en_vigueur"), None)
    target = policy_for(person.territory).orientation_target_days
    context = {
        **_file_context(request, person, TAB),
        "decisions": decisions,
        "in_force": in_force,
        "requests": requests,
        "pending": pending,
        "diagnostic": latest_validated_diagnostic(person),
        "target": target,
        "waiting_days": waiting_days(person),
        "can_decide": perms.can_decide_orientation(membership, person),
        "can_request": perms.can_request_reorientation(membership, person) and in_force and not pending,
        "can_cancel": pending is not None and perms.can_cancel_reorientation(membership, pending),
    }
    return render(request, "pathways/orientation.html", context)


def _decision_form(request, person, *, initial):
    data = request.POST if request.method == "POST" else (request.GET if "structure" in request.GET else None)
    structure = (data or {}).get("structure") or initial.get("structure")
    form = DecisionForm(
        data,
        initial=initial,
        structures=structure_choices(person.territory_id),
        referents=referent_choices(person.territory_id, structure),
    )
    return form


def _decide(request, person, form, reorientation_request=None):
    """Validate and apply the decision form; returns the decision or None (errors on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = form.cleaned_data
    referent = (
        Membership.objects.select_related("organisation", "user")
        .filter(public_id=data["referent"], organisation__public_id=data["structure"])
        .first()
    )
    if referent is None:
        form.add_error("referent", "Choisissez un professionnel de la structure référente.")
        return None
    arguments = {
        "pathway_type": data["pathway_type"],
        "referent": referent,
        "notified_on": data["notified_on"],
        "comment": data["comment"],
        "by": Actor.from_request(request),
    }
    try:
        if reorientation_request is not None:
            return services_orientation.accept_reorientation(request=reorientation_request, **arguments)
        return services_orientation.decide_orientation(person=person, **arguments)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


def decide(request, person_id):
    person = _person(request, person_id, "Décision d'orientation")
    if not perms.can_decide_orientation(request.membership, person):
        raise PermissionDenied
    diagnostic = latest_validated_diagnostic(person)
    referent = person.referent
    initial = {
        "pathway_type": diagnostic.proposed_pathway if diagnostic else "",
        "notified_on": timezone.localdate(),
        "structure": str(referent.membership.organisation.public_id) if referent else "",
        "referent": str(referent.membership.public_id) if referent else "",
    }
    form = _decision_form(request, person, initial=initial)
    decision = _decide(request, person, form)
    if decision is not None:
        messages.success(
            request,
            f"Orientation enregistrée : parcours {decision.get_pathway_type_display().lower()}, "
            f"référent·e {decision.referent.user.get_full_name()} (prévenu·e par e-mail).",
        )
        return redirect("pathways:orientation", person.public_id)
    context = {**_file_context(request, person, TAB), "form": form, "diagnostic": diagnostic, "title": "Décider"}
    return render(request, "pathways/decide.html", context)


def referents(request):
    """htmx: the referent picker for the structure chosen in the decision form."""
    territory = _officer_territory(request)
    form = DecisionForm(
        initial={"structure": request.GET.get("structure", "")},
        referents=referent_choices(territory.pk, request.GET.get("structure", "")),
    )
    return render(request, "pathways/_referent_field.html", {"form": form})


def request_reorientation(request, person_id):
    person = _person(request, person_id, "Demande de réorientation")
    if not perms.can_request_reorientation(request.membership, person):
        raise PermissionDenied
    form = ReorientationRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_orientation.request_reorientation(
                person=person,
                reason=form.cleaned_data["reason"],
                wished_pathway_type=form.cleaned_data["wished_pathway_type"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Demande de réorientation envoyée au service d'orientation.")
            return redirect("pathways:orientation", person.public_id)
    context = {**_file_context(request, person, TAB), "form": form}
    return render(request, "pathways/request_reorientation.html", context)


def _reorientation(request, person_id, request_id, what):
    person = _person(request, person_id, what)
    item = get_object_or_404(
        person.reorientation_requests.select_related("requested_by__user", "decision"), public_id=request_id
    )
    return person, item


def accept_reorientation(request, person_id, request_id):
    person, item = _reorientation(request, person_id, request_id, "Réponse à une demande de réorientation")
    if not perms.can_decide_orientation(request.membership, person):
        raise PermissionDenied
    if item.status != ReorientationStatus.PENDING:
        messages.error(request, "Cette demande de réorientation a déjà été traitée.")
        return redirect("pathways:orientation", person.public_id)
    initial = {
        "pathway_type": item.wished_pathway_type or item.decision.pathway_type,
        "notified_on": timezone.localdate(),
    }
    form = _decision_form(request, person, initial=initial)
    decision = _decide(request, person, form, reorientation_request=item)
    if decision is not None:
        messages.success(request, "Demande acceptée : la nouvelle orientation est enregistrée.")
        return redirect("pathways:orientation", person.public_id)
    context = {
        **_file_context(request, person, TAB),
        "form": form,
        "diagnostic": latest_validated_diagnostic(person),
        "reorientation": item,
        "title": "Accepter la demande et décider",
    }
    return render(request, "pathways/decide.html", context)


def refuse_reorientation(request, person_id, request_id):
    person, item = _reorientation(request, person_id, request_id, "Réponse à une demande de réorientation")
    if not perms.can_decide_orientation(request.membership, person):
        raise PermissionDenied
    form = RefuseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_orientation.refuse_reorientation(
                request=item, reason=form.cleaned_data["reason"], by=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Demande refusée ; le référent en est informé.")
        return redirect("pathways:orientation", person.public_id)
    context = {**_file_context(request, person, TAB), "form": form, "reorientation": item}
    return render(request, "pathways/refuse_reorientation.html", context)


@require_POST
def cancel_reorientation(request, person_id, request_id):
    person, item = _reorientation(request, person_id, request_id, "Annulation d'une demande de réorientation")
    if not perms.can_cancel_reorientation(request.membership, item):
        raise PermissionDenied
    try:
        services_orientation.cancel_reorientation(request=item, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Demande de réorientation annulée.")
    return redirect("pathways:orientation", person.public_id)
