"""The directory: search, a service's page, the structure's own services, exports."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate
from spie.referentials.enums import Vocabulary
from spie.referentials.models import VocabularyTerm
from spie.territories.policies import policy_for

from . import perms, services
from .enums import SearchSort
from .export import CSV_HEADER, directory_csv_rows, directory_json, service_csv_row
from .forms import OfferForm, OfferSearchForm
from .models import Offer
from .search import DEFAULT_RADIUS_KM, OfferSearch, search_offers

PAGE_SIZE = 20


def _labels():
    """{(vocabulary, value): label} of every data·inclusion term (one query per page)."""
    return {(v, value): label for v, value, label in VocabularyTerm.objects.values_list("vocabulary", "value", "label")}


def _decorate(offers, labels, stale_months):
    for offer in offers:
        offer.thematique_labels = [labels.get((Vocabulary.THEMATIQUES, value), value) for value in offer.thematiques]
        offer.public_labels = [labels.get((Vocabulary.PUBLICS, value), value) for value in offer.publics]
        offer.stale = offer.is_stale(stale_months)
    return offers


def params_from_form(form, *, territory=None):
    data = form.cleaned_data if form.is_valid() else {}
    return OfferSearch(
        thematiques=[data["thematique"]] if data.get("thematique") else [],
        commune=data.get("commune"),
        radius_km=data.get("rayon_km") or DEFAULT_RADIUS_KM,
        publics=[data["public"]] if data.get("public") else [],
        modes_accueil=[data["mode_accueil"]] if data.get("mode_accueil") else [],
        frais=[data["frais"]] if data.get("frais") else [],
        text=data.get("q", ""),
        sort=data.get("tri") or (SearchSort.RELEVANCE if data.get("q") else SearchSort.DISTANCE),
        territory=territory,
    )


def _territory(membership):
    return membership.organisation.territory if membership and membership.organisation.territory_id else None


def search(request):
    if not perms.can_search_offers(request.membership):
        raise PermissionDenied
    form = OfferSearchForm(request.GET or None)
    territory = _territory(request.membership)
    params = params_from_form(form, territory=territory)
    if params.commune is not None:
        params.commune = type(params.commune).objects.select_related("departement", "epci").get(pk=params.commune.pk)
    offers = search_offers(params)
    if request.GET.get("format") == "csv":
        return csv_response(request, "offre-insertion.csv", ["Distance (km)", *CSV_HEADER], _search_csv_rows(offers))
    page_obj = paginate(request, offers, per_page=PAGE_SIZE)
    stale_months = policy_for(territory).offer_stale_months if territory else 12
    _decorate(page_obj.object_list, _labels(), stale_months)
    context = {
        "form": form,
        "page_obj": page_obj,
        "params": params,
        "searched": form.is_bound,
        "can_manage": perms.can_manage_offers(request.membership),
        "can_import": perms.can_import_offers(request.membership),
        "can_export": perms.can_export_directory(request.membership),
        "can_propose": perms.can_propose_offer(request.membership),
    }
    return render(request, "offers/search.html", context)


def _search_csv_rows(offers):
    for offer in offers.iterator(chunk_size=2000):
        distance = "" if offer.distance is None else f"{offer.distance:.1f}".replace(".", ",")
        yield [distance, *service_csv_row(offer)]


def detail(request, offer_id):
    if not perms.can_search_offers(request.membership):
        raise PermissionDenied
    offer = get_object_or_404(Offer.objects.select_related("structure__organisation", "territory"), public_id=offer_id)
    labels = _labels()
    stale_months = policy_for(offer.territory).offer_stale_months if offer.territory_id else 12
    _decorate([offer], labels, stale_months)
    context = {
        "offer": offer,
        "labels": {
            "kind": labels.get((Vocabulary.TYPES_DE_SERVICES, offer.kind), ""),
            "fees": labels.get((Vocabulary.FRAIS, offer.fees), ""),
            "modes": [labels.get((Vocabulary.MODES_ACCUEIL, v), v) for v in offer.reception_modes],
            "mobilisation": [labels.get((Vocabulary.MODES_MOBILISATION, v), v) for v in offer.mobilisation_modes],
            "mobilisable_by": [labels.get((Vocabulary.PERSONNE_MOBILISATRICE, v), v) for v in offer.mobilisable_by],
        },
        "stale_months": stale_months,
        "can_edit": perms.can_edit_offer(request.membership, offer),
    }
    return render(request, "offers/detail.html", context)


def manage(request):
    """The services of the current structure, to create and keep up to date."""
    if not perms.can_manage_offers(request.membership):
        raise PermissionDenied
    offers = Offer.objects.managed_by(request.membership).select_related("structure").order_by("name", "pk")
    page_obj = paginate(request, offers)
    territory = _territory(request.membership)
    _decorate(page_obj.object_list, _labels(), policy_for(territory).offer_stale_months)
    return render(request, "offers/manage.html", {"page_obj": page_obj})


def offer_create(request):
    if not perms.can_manage_offers(request.membership):
        raise PermissionDenied
    return _offer_form(request, None)


def offer_edit(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("structure"), public_id=offer_id)
    if not perms.can_edit_offer(request.membership, offer):
        raise PermissionDenied
    return _offer_form(request, offer)


def _offer_form(request, offer):
    initial = OfferForm.initial_for(offer) if offer else {"mobilisable_by": ["professionnels"]}
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_offer(data=form.offer_data(), offer=offer, by=Actor.from_request(request))
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Service « {saved.name} » enregistré.")
            return redirect("offers:detail", saved.public_id)
    return render(request, "offers/offer_form.html", {"form": form, "offer": offer})


@require_POST
def offer_confirm(request, offer_id):
    offer = get_object_or_404(Offer.objects.select_related("structure"), public_id=offer_id)
    if not perms.can_edit_offer(request.membership, offer):
        raise PermissionDenied
    services.confirm_offer_up_to_date(offer=offer, by=Actor.from_request(request))
    messages.success(request, "Merci : le service est indiqué à jour aujourd'hui.")
    return redirect("offers:manage")


def _export_territory(request):
    if not perms.can_export_directory(request.membership):
        raise PermissionDenied
    return request.membership.organisation.territory


def export_json(request):
    territory = _export_territory(request)
    payload = directory_json(Offer.objects.filter(territory=territory))
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="offre-{territory.code}-{stamp}.json"'
    return response


def export_csv(request):
    territory = _export_territory(request)
    offers = Offer.objects.filter(territory=territory).order_by("name", "pk")
    return csv_response(request, f"offre-{territory.code}.csv", CSV_HEADER, directory_csv_rows(offers))
