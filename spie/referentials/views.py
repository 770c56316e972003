"""Pages to browse the referentials; any logged-in professional may read them."""

from collections import defaultdict

from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from spie.core.lists import csv_response, paginate, sort_queryset
from spie.core.text import normalize_for_search
from spie.territories.models import Commune

from .enums import Vocabulary
from .fields import SEPARATOR, commune_code_from_text, commune_option, rome_code_from_text, rome_option
from .forms import CommuneSearchForm, NafSearchForm, RomeSearchForm
from .models import (
    Action,
    NafActivity,
    NafDivisionJob,
    Objective,
    ReferentialVersion,
    RomeAppellation,
    RomeJob,
    Situation,
    Theme,
    VocabularyTerm,
)

SUGGESTIONS = 10
COMMUNE_SORTS = {
    "nom": "search_name",
    "code": "insee_code",
    "departement": "departement__code",
    "population": "population",
}


def index(request):
    return render(request, "referentials/index.html", {"current_version": ReferentialVersion.objects.current()})


def _wants_csv(request):
    return request.GET.get("format") == "csv"


def _suggestion_query(request):
    """The text typed in the field named by `champ` (the autocomplete widget sends its own name)."""
    return request.GET.get(request.GET.get("champ") or "q", "").strip()[:100]


def communes(request):
    form = CommuneSearchForm(request.GET or None)
    queryset = Commune.objects.select_related("departement", "epci")
    query = ""
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    elif form.is_bound:
        query = form.cleaned_data["q"].strip()
        code = commune_code_from_text(query) if SEPARATOR in query else None
        if code:  # a suggestion was picked
            queryset = queryset.filter(insee_code=code)
        elif query:
            queryset = queryset.search(query)
        if form.cleaned_data["departement"]:
            queryset = queryset.filter(departement=form.cleaned_data["departement"])
    queryset, sort = sort_queryset(request, queryset, COMMUNE_SORTS, "nom")
    if _wants_csv(request):
        rows = (
            [
                c.insee_code,
                c.name,
                ", ".join(c.postal_code_list),
                c.departement.code,
                c.departement.name,
                c.epci.siren if c.epci else "",
                c.epci.name if c.epci else "",
                c.population if c.population is not None else "",
                c.latitude if c.latitude is not None else "",
                c.longitude if c.longitude is not None else "",
            ]
            for c in queryset.iterator(chunk_size=2000)
        )
        header = ["Code INSEE", "Nom", "Codes postaux", "Département", "Nom du département"]
        header += ["SIREN de l'EPCI", "EPCI", "Population", "Latitude", "Longitude"]
        return csv_response(request, "communes.csv", header, rows)
    context = {"form": form, "query": query, "page_obj": paginate(request, queryset), "sort": sort}
    return render(request, "referentials/communes.html", context)


def commune_suggestions(request):
    query = _suggestion_query(request)
    code = commune_code_from_text(query) if SEPARATOR in query else None
    if code:
        communes = Commune.objects.filter(insee_code=code)
    elif len(query) >= 2:
        communes = Commune.objects.search(query).order_by(F("population").desc(nulls_last=True), "name")
    else:
        communes = Commune.objects.none()
    prefix = query if query.isdigit() else ""
    options = [commune_option(commune, prefix) for commune in communes[:SUGGESTIONS]]
    return render(request, "referentials/suggestions.html", {"options": options})


def rome(request):
    form = RomeSearchForm(request.GET or None)
    queryset = RomeJob.objects.select_related("domain__parent").annotate(title_count=Count("appellations"))
    query = ""
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    elif form.is_bound:
        query = form.cleaned_data["q"].strip()
        code = rome_code_from_text(query) if SEPARATOR in query else None
        if code:
            queryset = queryset.filter(code=code)
        elif query:
            queryset = queryset.search(query)
        if form.cleaned_data["domaine"]:
            queryset = queryset.filter(domain__parent=form.cleaned_data["domaine"])
    queryset = queryset.order_by("code")
    if _wants_csv(request):
        rows = (
            [job.code, job.label, job.domain.code, job.domain.label, job.domain.parent.label]
            for job in queryset.iterator(chunk_size=2000)
        )
        header = ["Code ROME", "Métier", "Domaine professionnel", "Libellé du domaine", "Grand domaine"]
        return csv_response(request, "metiers-rome.csv", header, rows)
    context = {"form": form, "query": query, "page_obj": paginate(request, queryset)}
    return render(request, "referentials/rome.html", context)


def rome_detail(request, code):
    job = get_object_or_404(RomeJob.objects.select_related("domain__parent"), code=code.upper())
    divisions = list(
        NafDivisionJob.objects.filter(job=job).order_by("division_code").values_list("division_code", flat=True)
    )
    division_labels = dict(
        NafActivity.objects.filter(division_code__in=divisions)
        .order_by()
        .values_list("division_code", "division_label")
        .distinct()
    )
    context = {
        "job": job,
        "titles": job.appellations.order_by("label"),
        "divisions": [(code, division_labels.get(code, "")) for code in divisions],
    }
    return render(request, "referentials/rome_detail.html", context)


def rome_suggestions(request):
    """Jobs matching the text, best first; when only a job title matches, the option shows it."""
    query = _suggestion_query(request)
    needle = normalize_for_search(query)
    code = rome_code_from_text(query) if SEPARATOR in query else None
    if code:
        jobs = list(RomeJob.objects.filter(code=code))
    elif len(query) >= 2:
        candidates = RomeJob.objects.search(query).order_by("code")[:200]
        jobs = sorted(
            candidates,
            key=lambda job: (
                0 if job.search_label.startswith(needle) else 1 if needle in job.search_label else 2,
                job.code,
            ),
        )[:SUGGESTIONS]
    else:
        jobs = []
    titles = {}
    unmatched = [job.pk for job in jobs if not code and needle not in job.search_label]
    if unmatched:
        for job_id, label in (
            RomeAppellation.objects.filter(job_id__in=unmatched, search_label__contains=needle)
            .order_by("label")
            .values_list("job_id", "label")
        ):
            titles.setdefault(job_id, label)
    options = [rome_option(job, titles.get(job.pk)) for job in jobs]
    return render(request, "referentials/suggestions.html", {"options": options})


def naf(request):
    form = NafSearchForm(request.GET or None)
    queryset = NafActivity.objects.all()
    query = ""
    if form.is_bound and not form.is_valid():
        queryset = queryset.none()
    elif form.is_bound:
        query = form.cleaned_data["q"].strip()
        if query:
            queryset = queryset.search(query)
        if form.cleaned_data["section"]:
            queryset = queryset.filter(section_code=form.cleaned_data["section"])
    queryset = queryset.order_by("code", "version")
    if _wants_csv(request):
        rows = (
            [a.code, a.label, a.division_code, a.division_label, a.section_code, a.section_label, a.version]
            for a in queryset.iterator(chunk_size=2000)
        )
        header = ["Code NAF", "Activité", "Division", "Libellé de la division", "Section"]
        header += ["Libellé de la section", "Nomenclature"]
        return csv_response(request, "activites-naf.csv", header, rows)
    context = {"form": form, "query": query, "page_obj": paginate(request, queryset)}
    return render(request, "referentials/naf.html", context)


def pathway(request):
    """The pathway referential of one version (current by default), theme by theme."""
    versions = list(ReferentialVersion.objects.order_by("-published_on", "code"))
    wanted = request.GET.get("version")
    if wanted:
        version = next((v for v in versions if v.code == wanted), None)
        if version is None:
            raise Http404("Version du référentiel inconnue.")
    else:
        version = next((v for v in versions if v.is_current), versions[0] if versions else None)
    themes = list(Theme.objects.filter(version=version).order_by("position")) if version else []
    theme_code = request.GET.get("theme", "")
    shown = [theme for theme in themes if theme.code == theme_code] if theme_code else themes
    items = {theme.pk: {"situations": [], "objectives": [], "actions": []} for theme in shown}
    for key, model in (("situations", Situation), ("objectives", Objective), ("actions", Action)):
        for item in model.objects.filter(version=version, theme__in=[t.pk for t in shown]).order_by("position"):
            items[item.theme_id][key].append(item)
    context = {
        "versions": versions,
        "version": version,
        "themes": themes,
        "theme_code": theme_code,
        "sections": [(theme, items[theme.pk]) for theme in shown],
    }
    return render(request, "referentials/pathway.html", context)


def vocabularies(request):
    """Every data·inclusion vocabulary; thématiques grouped under their category."""
    terms = defaultdict(list)
    for term in VocabularyTerm.objects.order_by("vocabulary", "value"):
        terms[term.vocabulary].append(term)
    thematiques = terms.get(Vocabulary.THEMATIQUES, [])
    terms[Vocabulary.THEMATIQUES] = sorted(
        thematiques, key=lambda t: (t.parent_value or t.value, bool(t.parent_value), t.label)
    )
    tabs = [{"value": value, "label": label, "terms": terms.get(value, [])} for value, label in Vocabulary.choices]
    return render(request, "referentials/vocabularies.html", {"tabs": tabs})
