"""Pages of bulk assignment and caseload hand-over (services in spie.people.bulk).

`people:bulk_assign` accepts the selected people as repeated `personnes=<uuid>` parameters, so that
any list (the caseload, the orientation queue…) can link to it with its own checkboxes.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from dsfr.forms import DsfrBaseForm

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.core.lists import paginate
from spie.core.text import as_uuid

from .bulk import (
    assign_referent_bulk,
    assignable_people,
    can_bulk_assign,
    can_hand_over_caseload,
    eligible_referents,
    hand_over_caseload,
    referent_caseload,
)
from .models import FollowUpMember, active_team_q

MAX_SELECTION = 500


def _label(membership):
    return f"{membership.user.get_full_name()} — {membership.organisation.name} ({membership.get_role_display()})"


class BulkAssignForm(DsfrBaseForm):
    referent = forms.ChoiceField(label="Nouveau ou nouvelle référent·e")

    def __init__(self, *args, referents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].choices = [("", "Choisissez un professionnel")] + [
            (str(m.public_id), _label(m)) for m in referents
        ]


class HandOverForm(DsfrBaseForm):
    collegues = forms.MultipleChoiceField(
        label="Collègues qui reprennent le suivi",
        widget=forms.CheckboxSelectMultiple,
        help_text="Les personnes sont réparties entre les collègues cochés, en équilibrant leur nombre de suivis.",
    )
    quitter_equipes = forms.BooleanField(
        label="Retirer aussi ce professionnel des autres équipes de suivi dont il fait partie",
        required=False,
        initial=True,
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collegues"].choices = [(str(m.public_id), _label(m)) for m in colleagues]


def _selected_ids(values):
    return [public_id for value in values[:MAX_SELECTION] if (public_id := as_uuid(value))]


def _safe_next(request, url, default):
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def bulk_assign(request):
    if not can_bulk_assign(request.membership):
        raise PermissionDenied
    scope = assignable_people(request.membership)
    referents = list(eligible_referents(request.membership.organisation.territory_id))
    source = request.POST if request.method == "POST" else request.GET
    selected_ids = _selected_ids(source.getlist("personnes"))
    form = BulkAssignForm(request.POST or None, referents=referents)
    if request.method == "POST" and form.is_valid():
        people = list(scope.filter(public_id__in=selected_ids))
        target = next(m for m in referents if str(m.public_id) == form.cleaned_data["referent"])
        try:
            result = assign_referent_bulk(people=people, membership=target, by=Actor.from_request(request))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if target.user_id == request.user.pk:
                messages.success(
                    request,
                    f"Vous ne pouvez pas vous désigner vous-même : {result.requested} demande(s) pour devenir "
                    "référent·e envoyée(s). Le ou la référent·e actuel·le ou un·e chargé·e d'orientation décide.",
                )
                return redirect(_safe_next(request, request.POST.get("suite", ""), reverse("people:bulk_assign")))
            messages.success(
                request,
                f"{target.user.get_full_name()} est désormais référent·e de {result.changed} personne(s)"
                + (f" ({result.unchanged} l'étai(en)t déjà)" if result.unchanged else "")
                + ". Un e-mail l'en informe.",
            )
            return redirect(_safe_next(request, request.POST.get("suite", ""), reverse("people:bulk_assign")))
    without_referent = Exists(FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True))
    if selected_ids:
        listed = scope.filter(public_id__in=selected_ids)
    else:
        listed = scope.annotate(has_referent=without_referent).filter(has_referent=False)
    listed = listed.select_related("commune").order_by("search_birth_name", "search_first_name", "pk")
    context = {
        "form": form,
        "page_obj": paginate(request, listed, per_page=100 if not selected_ids else MAX_SELECTION),
        "selected": {str(public_id) for public_id in selected_ids},
        "from_selection": bool(selected_ids),
        "suite": _safe_next(request, source.get("suite", ""), ""),
    }
    return render(request, "people/bulk_assign.html", context)


def bulk_hand_over(request, membership_id):
    territory_id = request.membership.organisation.territory_id if request.membership else None
    if territory_id is None:
        raise PermissionDenied
    departing = get_object_or_404(
        Membership.objects.select_related("user", "organisation__territory"),
        public_id=membership_id,
        organisation__territory_id=territory_id,
    )
    if not can_hand_over_caseload(request.membership, departing):
        raise PermissionDenied
    # The author never takes the caseload themself (they would ask to join each team instead).
    colleagues = [
        m
        for m in eligible_referents(departing.organisation.territory_id, exclude=departing)
        if m.user_id != request.user.pk
    ]
    colleagues.sort(key=lambda m: (m.organisation_id != departing.organisation_id, m.organisation.name))
    form = HandOverForm(
        request.POST or None,
        colleagues=colleagues,
        initial={"collegues": [str(m.public_id) for m in colleagues if m.organisation_id == departing.organisation_id]},
    )
    next_url = _safe_next(request, (request.POST or request.GET).get("suite", ""), "")
    caseload_count = referent_caseload(departing).count()
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["collegues"])
        try:
            result = hand_over_caseload(
                departing=departing,
                to_memberships=[m for m in colleagues if str(m.public_id) in chosen],
                by=Actor.from_request(request),
                leave_all_teams=form.cleaned_data["quitter_equipes"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            shares = ", ".join(f"{m.user.get_full_name()} : {n}" for m, n in result.by_referent.items())
            messages.success(
                request,
                f"Passation faite : {result.changed} personne(s) confiée(s)"
                + (f" ({shares})" if shares else "")
                + ". Chaque collègue reçoit un seul e-mail.",
            )
            return redirect(
                next_url or reverse("accounts:organisation_detail", args=[departing.organisation.public_id])
            )
    context = {"departing": departing, "form": form, "caseload_count": caseload_count, "suite": next_url}
    return render(request, "people/bulk_hand_over.html", context)
