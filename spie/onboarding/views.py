from dataclasses import fields

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from spie.accounts.actors import Actor
from spie.accounts.perms import can_import_accounts
from spie.territories.models import Territory, TerritorySettings
from spie.territories.policies import Policy

from . import guide, services
from .checklist import checklist_for, checklists_for
from .forms import TerritorySettingsForm
from .perms import can_edit_territory_settings, can_view_national_progress, can_view_territory_checklist


def index(request):
    """National progress for administrators; the own territory's checklist for the others."""
    if can_view_national_progress(request.membership):
        return redirect("onboarding:national")
    territory = request.membership.organisation.territory if request.membership else None
    if territory is None or not can_view_territory_checklist(request.membership, territory):
        raise PermissionDenied
    return redirect("onboarding:checklist", territory.code)


def national(request):
    if not can_view_national_progress(request.membership):
        raise PermissionDenied
    territories = Territory.objects.select_related("cohort").order_by("cohort__year", "name")
    status = request.GET.get("etat", "")
    checklists = checklists_for(territories)
    if status == "termine":
        checklists = [c for c in checklists if c.complete]
    elif status == "en_cours":
        checklists = [c for c in checklists if not c.complete]
    context = {
        "checklists": checklists,
        "status": status,
        "complete_count": sum(1 for c in checklists if c.complete),
    }
    return render(request, "onboarding/national.html", context)


def _territory_for(request, code):
    """The territory if the membership may see it (404), then the checklist right (403)."""
    territory = get_object_or_404(Territory.objects.visible_to(request.membership).select_related("cohort"), code=code)
    if not can_view_territory_checklist(request.membership, territory):
        raise PermissionDenied
    return territory


def checklist(request, code):
    territory = _territory_for(request, code)
    context = {
        "territory": territory,
        "checklist": checklist_for(territory),
        "can_import": can_import_accounts(request.membership, territory),
    }
    return render(request, "onboarding/checklist.html", context)


def territory_settings(request, code):
    territory = _territory_for(request, code)
    if not can_edit_territory_settings(request.membership, territory):
        raise PermissionDenied
    row = TerritorySettings.objects.filter(territory=territory).first()
    initial = {f.name: getattr(row, f.name) for f in fields(Policy)} if row else {}
    form = TerritorySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _, changed = services.update_territory_settings(
            territory=territory, values=form.cleaned_data, by=Actor.from_request(request)
        )
        messages.success(
            request, f"{len(changed)} délai(s) modifié(s)." if changed else "Aucun changement : rien à enregistrer."
        )
        return redirect("onboarding:checklist", territory.code)
    return render(request, "onboarding/settings.html", {"territory": territory, "form": form})


@login_not_required
def guide_index(request):
    pages = guide.guide_pages()
    membership = getattr(request, "membership", None)
    mine = guide.ROLE_PAGES.get(membership.role) if membership is not None else None
    return render(request, "onboarding/guide_index.html", {"pages": pages, "mine": mine})


@login_not_required
def guide_page(request, slug):
    page = guide.guide_page(slug)
    if page is None:
        raise Http404
    return render(request, "onboarding/guide_page.html", {"page": page, "pages": guide.guide_pages()})


@login_not_required
def example(request, name):
    if name not in guide.example_files():
        raise Http404
    response = FileResponse(
        (guide.EXAMPLES_DIR / name).open("rb"), as_attachment=True, filename=name, content_type="text/csv"
    )
    return response
