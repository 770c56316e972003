"""Referrals: from the person's file (tab, suggestions, refer), the receiving inbox, the e-mailed link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import paginate
from spie.core.models import AuditEvent
from spie.people.enums import AccessKind
from spie.people.services import log_access
from spie.people.views import _file_context, person_for

from . import perms, services
from .enums import ReferralStatus
from .forms import (
    CloseReferralForm,
    ExternalAnswerForm,
    LinkActionForm,
    ReferralForm,
    RefuseReferralForm,
    theme_labels,
)
from .mapping import person_themes, shareable_themes, suggest_offers
from .models import Offer, Referral

REFERRAL_RELATED = ("offer__structure", "sender__user", "sender__organisation", "receiving_organisation", "person")


def _need_labels(referral):
    from spie.referentials.models import Theme

    labels = dict(Theme.objects.filter(version__is_current=True, code__in=referral.needs).values_list("code", "label"))
    return [labels.get(code, code) for code in referral.needs]


# From the person's file ---------------------------------------------------------------------


def _shareable_choices(membership, person):
    from .forms import need_choices

    choices = need_choices()
    allowed = set(shareable_themes([code for code, _ in choices], membership, person))
    return [(code, label) for code, label in choices if code in allowed]


def person_referrals(request, public_id):
    person = person_for(request, public_id, what="Consultation des orientations")
    referrals = person.referrals.select_related(*REFERRAL_RELATED).order_by("-sent_at")
    context = {
        **_file_context(request, person, "orientations"),
        "referrals": referrals,
        "can_refer": perms.can_refer_person(request.membership, person),
    }
    return render(request, "offers/person_referrals.html", context)


def person_suggestions(request, public_id):
    person = person_for(request, public_id, what="Suggestions d'offres")
    themes, radius, available = person_themes(person, request.membership)
    chosen = [theme for theme in request.GET.getlist("theme") if theme]
    if chosen:
        themes = shareable_themes(chosen, request.membership, person)
    suggestions = suggest_offers(person, themes, radius_km=radius) if person.commune_id else []
    for suggestion in suggestions:
        suggestion.thematique_labels = theme_labels(suggestion.thematiques)

    context = {
        **_file_context(request, person, "suggestions"),
        "suggestions": suggestions,
        "themes": themes,
        "diagnostic_available": available,
        "theme_choices": _shareable_choices(request.membership, person),
        "can_refer": perms.can_refer_person(request.membership, person),
    }
    return render(request, "offers/person_suggestions.html", context)


def refer(request, public_id, offer_id):
    person = person_for(request, public_id, what="Orientation vers un service")
    if not perms.can_refer_person(request.membership, person):
        raise PermissionDenied
    offer = get_object_or_404(Offer.objects.published().select_related("structure__organisation"), public_id=offer_id)
    themes, _, _ = person_themes(person, request.membership)
    form = ReferralForm(request.POST or None, initial={"needs": themes})
    form.fields["needs"].choices = _shareable_choices(request.membership, person)
    if request.method == "POST" and form.is_valid():
        try:
            services.refer_person(
                person=person,
                offer=offer,
                message=form.cleaned_data["message"],
                needs=form.cleaned_data["needs"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Orientation envoyée à « {offer.structure.name} ».")
            return redirect("offers:person_referrals", person.public_id)
    context = {**_file_context(request, person, "orientations"), "form": form, "offer": offer}
    return render(request, "offers/refer.html", context)


# The receiving structure --------------------------------------------------------------------


def inbox(request):
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None:
        raise PermissionDenied
    status = request.GET.get("statut", "")
    referrals = Referral.objects.received_by(membership.organisation).select_related(*REFERRAL_RELATED)
    if status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    context = {
        "page_obj": paginate(request, referrals.order_by("-sent_at", "pk")),
        "status": status,
        "statuses": ReferralStatus.choices,
    }
    return render(request, "offers/inbox.html", context)


def _referral_for(request, referral_id):
    """A referral the current membership may open (404 otherwise)."""
    return get_object_or_404(
        Referral.objects.visible_to(request.membership).select_related(*REFERRAL_RELATED), public_id=referral_id
    )


def referral_detail(request, referral_id):
    referral = _referral_for(request, referral_id)
    membership = request.membership
    receiving = perms.can_answer_referral(membership, referral)
    if receiving:
        log_access(
            person=referral.person, by=Actor.from_request(request), kind=AccessKind.LIMITED, what="Orientation reçue"
        )
    events = AuditEvent.objects.for_target(referral).select_related("actor", "membership__organisation")
    context = {
        "referral": referral,
        "needs": _need_labels(referral),
        "events": events,
        "receiving": receiving,
        "in_team": perms.can_link_referral_action(membership, referral),
        "can_answer": receiving and referral.status == ReferralStatus.SENT,
        "can_follow": perms.can_follow_referral(membership, referral),
        "refuse_form": RefuseReferralForm(),
        "close_form": CloseReferralForm(),
        "link_form": LinkActionForm(initial={"action_id": referral.contract_action_id}),
    }
    return render(request, "offers/referral_detail.html", context)


def _act(request, referral_id, predicate):
    referral = _referral_for(request, referral_id)
    if not predicate(request.membership, referral):
        raise PermissionDenied
    return referral


def _done(request, referral, call, success):
    try:
        call()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("offers:referral_detail", referral.public_id)


@require_POST
def referral_accept(request, referral_id):
    referral = _act(request, referral_id, perms.can_answer_referral)
    by = Actor.from_request(request)
    return _done(
        request,
        referral,
        lambda: services.accept_referral(referral=referral, by=by),
        "Orientation acceptée : vous faites maintenant partie de l'équipe de suivi.",
    )


@require_POST
def referral_refuse(request, referral_id):
    referral = _act(request, referral_id, perms.can_answer_referral)
    form = RefuseReferralForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif du refus.")
        return redirect("offers:referral_detail", referral.public_id)
    by = Actor.from_request(request)
    return _done(
        request,
        referral,
        lambda: services.refuse_referral(referral=referral, reason=form.cleaned_data["reason"], by=by),
        "Orientation refusée ; le professionnel qui l'a envoyée en est informé.",
    )


FOLLOW_ACTIONS = {
    "demarrer": (services.start_referral, "L'accompagnement dans le service a démarré."),
    "terminer": (services.end_referral, "L'orientation est terminée."),
    "abandonner": (services.abandon_referral, "L'orientation est indiquée abandonnée."),
}


@require_POST
def referral_follow(request, referral_id, step):
    referral = _act(request, referral_id, perms.can_follow_referral)
    service, success = FOLLOW_ACTIONS[step]
    by = Actor.from_request(request)
    form = CloseReferralForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    if step == "demarrer":
        return _done(request, referral, lambda: service(referral=referral, by=by), success)
    return _done(request, referral, lambda: service(referral=referral, note=note, by=by), success)


@require_POST
def referral_link(request, referral_id):
    referral = _act(request, referral_id, perms.can_link_referral_action)
    form = LinkActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Identifiant d'action invalide.")
        return redirect("offers:referral_detail", referral.public_id)
    by = Actor.from_request(request)
    return _done(
        request,
        referral,
        lambda: services.link_referral_action(referral=referral, action_id=form.cleaned_data["action_id"], by=by),
        "Rattachement au contrat d'engagement enregistré.",
    )


# Answer without an account ------------------------------------------------------------------


@login_not_required
def referral_answer(request, token):
    """The e-mailed link: identity, message and needs only; one answer, then the link is spent."""
    referral = services.find_referral_by_token(token)
    if referral is None:
        return render(request, "offers/referral_link_invalid.html", status=404)
    form = ExternalAnswerForm(request.POST or None)
    if request.method == "GET":
        log_access(
            person=referral.person, by=None, kind=AccessKind.LIMITED, what="Orientation lue par lien (sans compte)"
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "accepter":
                services.accept_referral(referral=referral, responder_name=data["responder_name"])
            else:
                services.refuse_referral(
                    referral=referral, reason=data["reason"], responder_name=data["responder_name"]
                )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(request, "offers/referral_answered.html", {"accepted": data["decision"] == "accepter"})
    context = {"referral": referral, "needs": _need_labels(referral), "form": form}
    return render(request, "offers/referral_answer.html", context)
