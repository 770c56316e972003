from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import csv_response, paginate, sort_queryset

from . import services
from .budget import national_budget_by_year
from .forms import BudgetLineForm, CohortForm, TerritorialRoleTypesForm, TerritoryFilterForm, TerritoryForm
from .models import BudgetLine, Territory, TerritorySettings
from .perms import can_designate_role_types, can_list_territories, can_manage_budget, can_manage_territories

SORTS = {
    "code": "code",
    "nom": "name",
    "cohorte": "cohort__year",
    "statut": "status",
    "structures": "structure_count",
    "budget": "budget_total",
}


def _territories_with_figures():
    budget = (
        BudgetLine.objects.filter(territory=OuterRef("pk"))
        .order_by()
        .values("territory")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Territory.objects.select_related("cohort")
        .prefetch_related("departements")
        .annotate(
            structure_count=Count("organisations", distinct=True),
            budget_total=Coalesce(
                Subquery(budget), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
        )
    )


def _filter(form, territories):
    if not form.is_valid():
        return territories
    data = form.cleaned_data
    if data["q"]:
        territories = territories.filter(Q(name__icontains=data["q"].strip()) | Q(code=data["q"].strip().lower()))
    if data["cohort"]:
        territories = territories.filter(cohort=data["cohort"])
    if data["status"]:
        territories = territories.filter(status=data["status"])
    return territories


def _csv(request, territories):
    rows = (
        [
            t.code,
            t.name,
            t.cohort.name,
            t.get_status_display(),
            ", ".join(d.code for d in t.departements.all()),
            t.structure_count,
            f"{Decimal(t.budget_total):.2f}".replace(".", ","),
        ]
        for t in territories
    )
    header = ["Code", "Nom", "Cohorte", "Statut", "Départements", "Structures", "Budget attribué (€)"]
    return csv_response(request, "territoires.csv", header, rows)


def territory_list(request):
    if not can_list_territories(request.membership):
        raise PermissionDenied
    form = TerritoryFilterForm(request.GET or None)
    territories, sort = sort_queryset(request, _filter(form, _territories_with_figures()), SORTS, "code")
    if request.GET.get("format") == "csv":
        return _csv(request, territories)
    context = {
        "form": form,
        "page_obj": paginate(request, territories),
        "sort": sort,
        "budget_years": national_budget_by_year(),
        "national_lines": BudgetLine.objects.filter(territory__isnull=True).order_by("-year"),
        "can_manage": can_manage_territories(request.membership),
        "can_manage_budget": can_manage_budget(request.membership),
    }
    return render(request, "territories/list.html", context)


def _territory_for(request, code):
    """The territory if the current membership may see it; 404 otherwise."""
    return get_object_or_404(Territory.objects.visible_to(request.membership).select_related("cohort"), code=code)


def territory_detail(request, code):
    territory = _territory_for(request, code)
    budget_lines = territory.budget_lines.order_by("year", "purpose", "pk")
    context = {
        "territory": territory,
        "departements": territory.departements.order_by("code"),
        "epcis": territory.epcis.order_by("name"),
        "commune_count": territory.communes().count(),
        "structures": territory.organisations.order_by("-is_active", "name"),
        "budget_lines": budget_lines,
        "budget_total": budget_lines.aggregate(total=Sum("amount"))["total"] or 0,
        "can_manage": can_manage_territories(request.membership),
        "can_manage_budget": can_manage_budget(request.membership),
        "can_view_roles": can_designate_role_types(request.membership, territory),
    }
    return render(request, "territories/detail.html", context)


def _require(allowed):
    if not allowed:
        raise PermissionDenied


def territory_create(request):
    _require(can_manage_territories(request.membership))
    form = TerritoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            territory = services.create_territory(by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Le territoire « {territory.name} » est créé.")
            return redirect("territories:detail", territory.code)
    return render(request, "territories/territory_form.html", {"form": form, "territory": None})


def territory_edit(request, code):
    territory = _territory_for(request, code)
    _require(can_manage_territories(request.membership))
    form = TerritoryForm(request.POST or None, initial=TerritoryForm.initial_for(territory))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_territory(territory=territory, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"Le territoire « {territory.name} » est enregistré.")
            return redirect("territories:detail", territory.code)
    return render(request, "territories/territory_form.html", {"form": form, "territory": territory})


def cohort_create(request):
    _require(can_manage_territories(request.membership))
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, f"La cohorte « {cohort.name} » est créée.")
            return redirect("territories:list")
    return render(request, "territories/cohort_form.html", {"form": form})


def _budget_line_for(request, public_id):
    """A line of a territory the membership sees (national lines: administrators only); 404 otherwise."""
    lines = BudgetLine.objects.select_related("territory")
    if not can_manage_budget(request.membership):
        lines = lines.filter(territory__in=Territory.objects.visible_to(request.membership))
    line = get_object_or_404(lines, public_id=public_id)
    _require(can_manage_budget(request.membership))
    return line


def _after_budget(line):
    return redirect("territories:detail", line.territory.code) if line.territory else redirect("territories:list")


def budget_line_create(request):
    _require(can_manage_budget(request.membership))
    territory = Territory.objects.filter(code=request.GET.get("territoire", "")).first()
    initial = {
        "territory": territory.code if territory else None,
        "purpose": "territory_project" if territory else None,
    }
    form = BudgetLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.create_budget_line(by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "La ligne budgétaire est ajoutée.")
            return _after_budget(line)
    return render(request, "territories/budget_line_form.html", {"form": form, "line": None})


def budget_line_edit(request, public_id):
    line = _budget_line_for(request, public_id)
    form = BudgetLineForm(request.POST or None, initial=BudgetLineForm.initial_for(line))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_budget_line(line=line, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, "La ligne budgétaire est enregistrée.")
            return _after_budget(line)
    return render(request, "territories/budget_line_form.html", {"form": form, "line": line})


def budget_line_delete(request, public_id):
    line = _budget_line_for(request, public_id)
    if request.method == "POST":
        services.delete_budget_line(line=line, by=Actor.from_request(request))
        messages.success(request, "La ligne budgétaire est supprimée.")
        return _after_budget(line)
    return render(request, "territories/budget_line_delete.html", {"line": line})


def role_types(request, code):
    """The types of structure that may hold a territorial role in the territory."""
    territory = _territory_for(request, code)
    _require(can_designate_role_types(request.membership, territory))
    row = TerritorySettings.objects.filter(territory=territory).first()
    form = TerritorialRoleTypesForm(request.POST or None, initial={"types": row.territorial_role_types if row else []})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_territorial_role_types(
                territory=territory, types=form.cleaned_data["types"], by=Actor.from_request(request)
            )
        except DomainError as error:
            form.add_error("types", error.message)
        else:
            messages.success(request, "Les structures autorisées à porter un rôle territorial sont enregistrées.")
            return redirect("territories:role_types", territory.code)
    return render(request, "territories/role_types.html", {"territory": territory, "form": form})
