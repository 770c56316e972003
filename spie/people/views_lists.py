from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import redirect, render

from spie.accounts.actors import Actor
from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.core.text import normalize_for_search

from . import search_limits, services
from .forms import CaseloadFilterForm, IdentitySearchForm, PersonCreateForm
from .identifiers import clean_nir, lookup_hash
from .models import FollowUpMember, Person, active_team_q
from .perms import FOUND_PEOPLE_SESSION_KEY

CASELOAD_SORTS = {
    "nom": "search_birth_name",
    "naissance": "birth_date",
    "entree": "entry_date",
    "referent": "referent_name",
}


def _referent_subquery(field):
    referents = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True).order_by()
    if not isinstance(field, str):
        return Subquery(referents.annotate(value=field).values("value")[:1])
    return Subquery(referents.values(field)[:1])


def _caseload(request):
    """The people followed by the current membership, or by its whole structure for a manager."""
    membership = request.membership
    people = Person.objects.in_territory_of(membership)
    structure_wide = request.GET.get("perimetre") == "structure" and membership.role == Role.GESTIONNAIRE
    if structure_wide:
        people = people.followed_by_organisation(membership.organisation)
    else:
        people = people.filter(pk__in=FollowUpMember.objects.active().filter(membership=membership).values("person"))
    return structure_wide, people.select_related("commune").annotate(
        referent_membership=_referent_subquery("membership__public_id"),
        referent_name=_referent_subquery(
            Concat("membership__user__first_name", Value(" "), "membership__user__last_name")
        ),
        referent_organisation=_referent_subquery("membership__organisation__name"),
    )


def _filter(people, form):
    if not form.is_valid():
        return people
    data = form.cleaned_data
    if data["q"]:
        name = normalize_for_search(data["q"])
        people = people.filter(search_birth_name__startswith=name) | people.filter(search_usage_name__startswith=name)
    if data["referent"]:
        people = people.filter(referent_membership=data["referent"])
    if data["consent"]:
        people = people.filter(consent_given=data["consent"] == "oui")
    if data["entry_from"]:
        people = people.filter(entry_date__gte=data["entry_from"])
    if data["entry_to"]:
        people = people.filter(entry_date__lte=data["entry_to"])
    if data["commune"]:
        people = people.filter(commune=data["commune"])
    return people


def caseload(request):
    if request.membership is None or request.membership.organisation.territory_id is None:
        raise PermissionDenied
    structure_wide, people = _caseload(request)
    colleagues = Membership.objects.active().filter(organisation=request.membership.organisation).select_related("user")
    referents = [(str(m.public_id), m.user.get_full_name()) for m in colleagues.order_by("user__last_name")]
    form = CaseloadFilterForm(request.GET or None, referents=referents)
    people, sort = sort_queryset(request, _filter(people, form), CASELOAD_SORTS, "nom")
    if request.GET.get("format") == "csv":
        return _caseload_csv(request, people)
    context = {
        "form": form,
        "page_obj": paginate(request, people),
        "sort": sort,
        "structure_wide": structure_wide,
        "can_see_structure": request.membership.role == Role.GESTIONNAIRE,
    }
    return render(request, "people/caseload.html", context)


def _caseload_csv(request, people):
    header = [
        "Nom",
        "Prénoms",
        "Date de naissance",
        "Date d'entrée",
        "Commune",
        "Référent·e",
        "Structure du référent",
        "Consentement",
    ]
    rows = (
        [
            person.display_last_name,
            person.first_names,
            person.birth_date.strftime("%d/%m/%Y"),
            person.entry_date.strftime("%d/%m/%Y"),
            person.commune.name if person.commune_id else "",
            person.referent_name or "",
            person.referent_organisation or "",
            "oui" if person.consent_given else "non",
        ]
        for person in people.iterator(chunk_size=2000)
    )
    return csv_response(request, "personnes-suivies.csv", header, rows)


def remember_found(request, people):
    """Remember who this professional just found, so that their limited view may open."""
    found = [str(person.public_id) for person in people]
    previous = [key for key in request.session.get(FOUND_PEOPLE_SESSION_KEY, []) if key not in found]
    request.session[FOUND_PEOPLE_SESSION_KEY] = (found + previous)[:50]


def _annotate_visibility(request, people):
    visible = set(
        Person.objects.visible_to(request.membership).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    for person in people:
        person.is_visible = person.pk in visible
    return people


def _search(request, form):
    territory_id = request.membership.organisation.territory_id
    data = form.cleaned_data
    identifier = data["identifier"].replace(" ", "").upper()
    people = Person.objects.filter(territory_id=territory_id, anonymised_at__isnull=True)
    if identifier:
        try:
            nir_hash = lookup_hash(clean_nir(identifier))
        except ValidationError:
            nir_hash = None
        keys = {"france_travail_id": identifier, "si_id": data["identifier"].strip()}
        if nir_hash:
            keys["nir_hash"] = nir_hash
        matches = [person for key, value in keys.items() for person in people.filter(**{key: value})]
        return list({person.pk: person for person in matches}.values())
    return list(
        people.matching_identity(
            last_name=data["last_name"], first_name=data["first_name"], birth_date=data["birth_date"]
        )
    )


def search(request):
    if request.membership is None or request.membership.organisation.territory_id is None:
        raise PermissionDenied
    form = IdentitySearchForm(request.GET or None)
    results, limited = None, None
    if form.is_valid():
        by, territory = Actor.from_request(request), request.membership.organisation.territory
        mode = "identifiant" if form.cleaned_data["identifier"] else "identite"
        try:
            search_limits.check_identity_search(by=by, territory=territory, mode=mode)
        except search_limits.SearchLimited as error:
            limited = error.message
        else:
            results = _annotate_visibility(request, _search(request, form))
            remember_found(request, results)
            search_limits.record_identity_search(by=by, territory=territory, mode=mode, results=len(results))
            for person in results:
                services.log_access(person=person, by=by, kind="limited", what="Résultat de recherche")
    context = {"form": form, "results": results, "limited": limited}
    return render(request, "people/search.html", context, status=429 if limited else 200)


def create(request):
    membership = request.membership
    if membership is None or membership.organisation.territory_id is None or membership.role == Role.ADMIN_NATIONAL:
        raise PermissionDenied
    form = PersonCreateForm(request.POST or None)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        as_referent = data.pop("as_referent")
        duplicates = services.find_duplicates(
            membership.organisation.territory,
            nir=form.cleaned_data["nir"],
            france_travail_id=data["france_travail_id"],
            si_id=data["si_id"],
            caf_number=data["caf_number"],
            last_names=[data["birth_name"], data["usage_name"]],
            first_names=data["first_names"],
            birth_date=data["birth_date"],
        )
        if duplicates:
            remember_found(request, duplicates)
            services.log_identity_shown(
                people=duplicates, by=Actor.from_request(request), what="Doublon possible (création de dossier)"
            )
            _annotate_visibility(request, duplicates)
        else:
            try:
                person = services.create_person(
                    territory=membership.organisation.territory,
                    data=data,
                    nir=form.cleaned_data["nir"],
                    as_referent=as_referent,
                    by=Actor.from_request(request),
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, f"Dossier de {person.short_name} créé.")
                return redirect("people:detail", person.public_id)
    return render(request, "people/create.html", {"form": form, "duplicates": duplicates})
