"""Participatory evaluation: a territory's evaluations by year, written by its coordinator."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.territories.models import Territory

from . import perms, services
from .enums import EvaluationStatus
from .forms import EvaluationForm, NationalFilterForm, NewEvaluationForm, UnpublishForm
from .models import ParticipatoryEvaluation

NATIONAL_SORTS = {"annee": "year", "territoire": "territory__name", "statut": "status", "publication": "published_at"}


def _territory_for(request, code):
    """The territory if the current membership may see it (404 otherwise), and may read its evaluations."""
    territory = get_object_or_404(Territory.objects.visible_to(request.membership), code=code)
    if not perms.can_view_territory_evaluations(request.membership, territory):
        raise PermissionDenied
    return territory


def _evaluation_for(request, public_id):
    """The evaluation if it is in the membership's scope (404), readable by it (403)."""
    evaluation = get_object_or_404(
        ParticipatoryEvaluation.objects.in_scope_of(request.membership).select_related("territory"),
        public_id=public_id,
    )
    if not perms.can_read_evaluation(request.membership, evaluation):
        raise PermissionDenied
    return evaluation


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _indicators_url(membership, territory):
    """The territory's indicators, for those who may read them there (read beside the evaluations)."""
    from spie.evaluation.perms import indicators_scope

    scope = indicators_scope(membership)
    if scope == "national":
        return f"{reverse('evaluation:indicators')}?{urlencode({'territoire': territory.code})}"
    if scope == "territoire":
        return reverse("evaluation:indicators")
    return None


def territory_evaluations(request, code):
    territory = _territory_for(request, code)
    evaluations = (
        ParticipatoryEvaluation.objects.visible_to(request.membership).filter(territory=territory).order_by("-year")
    )
    context = {
        "territory": territory,
        "evaluations": evaluations,
        "can_write": perms.can_write_evaluation(request.membership, territory),
        "indicators_url": _indicators_url(request.membership, territory),
    }
    return render(request, "studies/territory_evaluations.html", context)


def evaluation_create(request, code):
    territory = _territory_for(request, code)
    if not perms.can_write_evaluation(request.membership, territory):
        raise PermissionDenied
    form = NewEvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.create_evaluation(
                territory=territory, year=data["year"], data=data, by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Brouillon de l'évaluation {evaluation.year} enregistré.")
            return redirect("studies:evaluation_detail", evaluation.public_id)
    return render(request, "studies/evaluation_form.html", {"form": form, "territory": territory})


def evaluation_detail(request, public_id):
    evaluation = _evaluation_for(request, public_id)
    context = {
        "evaluation": evaluation,
        "territory": evaluation.territory,
        "can_write": perms.can_write_evaluation(request.membership, evaluation.territory),
        "unpublish_form": UnpublishForm(),
    }
    return render(request, "studies/evaluation_detail.html", context)


def evaluation_edit(request, public_id):
    evaluation = _evaluation_for(request, public_id)
    if not perms.can_write_evaluation(request.membership, evaluation.territory):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, initial={f: getattr(evaluation, f) for f in services.EVALUATION_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_evaluation(evaluation=evaluation, data=form.cleaned_data, by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Évaluation {evaluation.year} enregistrée.")
            return redirect("studies:evaluation_detail", evaluation.public_id)
    context = {"form": form, "territory": evaluation.territory, "evaluation": evaluation}
    return render(request, "studies/evaluation_form.html", context)


@require_POST
def evaluation_publish(request, public_id):
    evaluation = _evaluation_for(request, public_id)
    if not perms.can_write_evaluation(request.membership, evaluation.territory):
        raise PermissionDenied
    try:
        services.publish_evaluation(evaluation=evaluation, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Évaluation {evaluation.year} publiée : les professionnels du territoire la voient.")
    return redirect("studies:evaluation_detail", evaluation.public_id)


@require_POST
def evaluation_unpublish(request, public_id):
    evaluation = _evaluation_for(request, public_id)
    if not perms.can_write_evaluation(request.membership, evaluation.territory):
        raise PermissionDenied
    form = UnpublishForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.unpublish_evaluation(evaluation=evaluation, reason=reason, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"L'évaluation {evaluation.year} est repassée en brouillon.")
    return redirect("studies:evaluation_detail", evaluation.public_id)


def national_evaluations(request):
    if not perms.can_list_national_evaluations(request.membership):
        raise PermissionDenied
    form = NationalFilterForm(request.GET or None)
    evaluations = ParticipatoryEvaluation.objects.select_related("territory__cohort")
    if form.is_valid():
        if form.cleaned_data["year"]:
            evaluations = evaluations.filter(year=form.cleaned_data["year"])
        if form.cleaned_data["status"]:
            evaluations = evaluations.filter(status=form.cleaned_data["status"])
    evaluations, sort = sort_queryset(request, evaluations, NATIONAL_SORTS, "-annee")
    if request.GET.get("format") == "csv":
        return _national_csv(request, evaluations)
    year = form.cleaned_data["year"] if form.is_valid() else None
    context = {
        "form": form,
        "page_obj": paginate(request, evaluations),
        "sort": sort,
        "year": year,
        "territory_count": Territory.objects.count(),
        "published_count": evaluations.filter(status=EvaluationStatus.PUBLISHED).count(),
        "missing": _without_published_evaluation(year) if year else None,
    }
    return render(request, "studies/national_evaluations.html", context)


def _without_published_evaluation(year):
    """Territories that have not published their evaluation of `year` (one query)."""
    published = ParticipatoryEvaluation.objects.published().filter(year=year).values("territory_id")
    return list(Territory.objects.exclude(pk__in=published).order_by("name").values_list("name", "code"))


def _national_csv(request, evaluations):
    header = [
        "Année",
        "Code du territoire",
        "Territoire",
        "Cohorte",
        "Statut",
        "Publiée le",
        "Ce qu'en disent les structures",
        "Ce qu'en dit le groupe miroir",
        "Ce qui a changé",
        "Prochaines étapes",
    ]
    rows = (
        [
            e.year,
            e.territory.code,
            e.territory.name,
            e.territory.cohort.name,
            e.get_status_display(),
            e.published_at.strftime("%d/%m/%Y") if e.published_at else "",
            e.structures_said,
            e.mirror_group_said,
            e.what_changed,
            e.next_steps,
        ]
        for e in evaluations.iterator(chunk_size=500)
    )
    return csv_response(request, "evaluations-participatives.csv", header, rows)
