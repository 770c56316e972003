from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.core.plugins import person_tabs

from . import perms, services
from .enums import AccessKind, JoinRequestStatus
from .forms import HandOverForm, JoinRequestForm, LeaveForm, PersonForm, RefuseForm
from .models import FollowUpMember, JoinRequest, Person
from .rgpd import person_export


def person_for(request, public_id, *, what="Consultation du dossier"):
    """The full file, if the current membership may open it (404 otherwise); the read is logged."""
    person = get_object_or_404(
        Person.objects.visible_to(request.membership).select_related("territory", "commune"),
        public_id=public_id,
    )
    services.log_access(person=person, by=Actor.from_request(request), kind=AccessKind.READ, what=what)
    return person


def _file_context(request, person, tab):
    membership = request.membership
    return {
        "person": person,
        "tab": tab,
        "can_edit": perms.can_edit_person(membership, person),
        "can_manage_team": perms.can_manage_team(membership, person),
        "can_view_access_log": perms.can_view_access_log(membership, person),
        "can_export": perms.can_export_person_data(membership, person),
        "show_sensitive": perms.can_see_sensitive(membership, person),
        "seat": perms.team_seat(membership, person),
        "tabs": [
            {"key": key, "label": label, "url": url, "active": key == tab}
            for _, key, label, url in person_tabs(membership, person)
        ],
    }


def detail(request, public_id):
    person = person_for(request, public_id)
    return render(request, "people/detail.html", _file_context(request, person, "synthese"))


def team(request, public_id):
    person = person_for(request, public_id, what="Consultation de l'équipe de suivi")
    context = _file_context(request, person, "equipe")
    context["former_members"] = (
        person.team.exclude(pk__in=[seat.pk for seat in person.active_team])
        .select_related("membership__user", "membership__organisation")
        .order_by("-ended_on")
    )
    context["join_requests"] = person.join_requests.select_related(
        "membership__user", "membership__organisation", "decided_by__user"
    )
    return render(request, "people/team.html", context)


def history(request, public_id):
    person = person_for(request, public_id, what="Consultation de l'historique")
    events = AuditEvent.objects.filter(subject_id=person.public_id).select_related(
        "actor", "membership__organisation", "api_token__organisation"
    )[:500]
    context = {**_file_context(request, person, "historique"), "events": events}
    return render(request, "people/history.html", context)


def access_log(request, public_id):
    person = person_for(request, public_id, what="Consultation des accès")
    if not perms.can_view_access_log(request.membership, person):
        raise PermissionDenied
    logs = person.access_logs.select_related("user", "organisation")[:1000]
    context = {**_file_context(request, person, "acces"), "logs": logs}
    return render(request, "people/access_log.html", context)


def edit(request, public_id):
    person = person_for(request, public_id, what="Ouverture du formulaire de modification")
    if not perms.can_edit_person(request.membership, person):
        raise PermissionDenied
    show_sensitive = perms.can_see_sensitive(request.membership, person)
    form = PersonForm(request.POST or None, initial=PersonForm.initial_from(person), show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        nir = form.cleaned_data["nir"] or None
        try:
            _, changed = services.update_person(
                person=person, changes=form.person_data(), nir=nir, by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "Dossier enregistré." if changed else "Aucune modification.")
            return redirect("people:detail", person.public_id)
    return render(request, "people/edit.html", {**_file_context(request, person, "synthese"), "form": form})


@require_POST
def consent(request, public_id):
    person = person_for(request, public_id, what="Consentement")
    if not perms.can_edit_person(request.membership, person):
        raise PermissionDenied
    given = request.POST.get("given") == "oui"
    services.set_consent(person=person, given=given, by=Actor.from_request(request))
    messages.success(request, "Consentement au partage enregistré." if given else "Retrait du consentement enregistré.")
    return redirect("people:detail", person.public_id)


def limited(request, public_id):
    """Identity and team only, for a professional of the territory who found the person by search."""
    person = get_object_or_404(Person.objects.in_territory_of(request.membership), public_id=public_id)
    if Person.objects.visible_to(request.membership).filter(pk=person.pk).exists():
        return redirect("people:detail", person.public_id)
    if not perms.can_see_limited_view(request, person):
        raise Http404
    services.log_access(person=person, by=Actor.from_request(request), kind=AccessKind.LIMITED, what="Vue restreinte")
    pending = JoinRequest.objects.filter(
        person=person, membership=request.membership, status=JoinRequestStatus.PENDING
    ).first()
    context = {
        "person": person,
        "pending_request": pending,
        "can_ask": perms.can_ask_to_join(request.membership, person) and pending is None,
        "form": JoinRequestForm(),
    }
    return render(request, "people/limited.html", context)


@require_POST
def ask_to_join(request, public_id):
    person = get_object_or_404(Person.objects.in_territory_of(request.membership), public_id=public_id)
    if not perms.can_see_limited_view(request, person):
        raise Http404
    if not perms.can_ask_to_join(request.membership, person):
        raise PermissionDenied
    form = JoinRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_to_join(
                person=person, message=form.cleaned_data["message"], by=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Demande envoyée : le ou la référent·e vous répondra par e-mail.")
    else:
        messages.error(request, "Expliquez en quelques mots pourquoi vous souhaitez rejoindre l'équipe.")
    return redirect("people:limited", person.public_id)


def _join_request_for(request, public_id, request_id):
    person = person_for(request, public_id, what="Décision sur une demande d'accès")
    if not perms.can_manage_team(request.membership, person):
        raise PermissionDenied
    return person, get_object_or_404(person.join_requests.select_related("membership__user"), public_id=request_id)


@require_POST
def approve_request(request, public_id, request_id):
    person, join_request = _join_request_for(request, public_id, request_id)
    try:
        services.approve_join_request(join_request=join_request, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{join_request.membership.user} a rejoint l'équipe de suivi.")
    return redirect("people:team", person.public_id)


def refuse_request(request, public_id, request_id):
    person, join_request = _join_request_for(request, public_id, request_id)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.refuse_join_request(
                join_request=join_request, reason=form.cleaned_data["reason"], by=Actor.from_request(request)
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Demande refusée ; le demandeur en est informé.")
        return redirect("people:team", person.public_id)
    context = {**_file_context(request, person, "equipe"), "form": form, "join_request": join_request}
    return render(request, "people/refuse_request.html", context)


def hand_over(request, public_id):
    person = person_for(request, public_id, what="Changement de référent")
    if not perms.can_hand_over_referent(request.membership, person):
        raise PermissionDenied
    candidates = [seat for seat in person.active_team if not seat.is_referent]
    form = HandOverForm(request.POST or None, seats=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_over_referent(
                person=person, to_seat=form.cleaned_data["seat"], by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error("seat", error.message)
        else:
            messages.success(request, "Le rôle de référent·e est transmis.")
            return redirect("people:team", person.public_id)
    context = {**_file_context(request, person, "equipe"), "form": form, "candidates": candidates}
    return render(request, "people/hand_over.html", context)


def leave(request, public_id, seat_id):
    person = person_for(request, public_id, what="Sortie de l'équipe")
    seat = get_object_or_404(FollowUpMember.objects.filter(person=person), public_id=seat_id)
    is_self = seat.membership_id == getattr(request.membership, "pk", None)
    if not (is_self or perms.can_manage_team(request.membership, person)):
        raise PermissionDenied
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_team(seat=seat, reason=form.cleaned_data["reason"], by=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("people:team", person.public_id)
        messages.success(request, "Sortie de l'équipe de suivi enregistrée ; l'historique est conservé.")
        return redirect(
            "people:team" if not is_self else "people:caseload", *([person.public_id] if not is_self else [])
        )
    context = {**_file_context(request, person, "equipe"), "form": form, "leaving": seat, "is_self": is_self}
    return render(request, "people/leave.html", context)


@require_POST
def sensitive_access(request, public_id, seat_id):
    person = person_for(request, public_id, what="Habilitation aux informations sensibles")
    if not perms.can_manage_team(request.membership, person):
        raise PermissionDenied
    seat = get_object_or_404(FollowUpMember.objects.active().filter(person=person), public_id=seat_id)
    allowed = request.POST.get("allowed") == "oui"
    services.set_sensitive_access(seat=seat, allowed=allowed, by=Actor.from_request(request))
    messages.success(request, "Habilitation enregistrée.")
    return redirect("people:team", person.public_id)


def export(request, public_id, fmt="html"):
    person = person_for(request, public_id, what="Export des données (droit d'accès)")
    if not perms.can_export_person_data(request.membership, person):
        raise PermissionDenied
    data = person_export(person, by=Actor.from_request(request))
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="donnees-{person.public_id}.json"'
        return response
    return render(request, "people/export.html", {"person": person, "data": data})
