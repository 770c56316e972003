"""Upload of a data·inclusion file with its preview, and the coordinator's list of likely duplicates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.imports import ImportFileError
from spie.core.lists import paginate

from . import perms, services
from .enums import DuplicateStatus
from .forms import ImportUploadForm
from .imports import apply_import, plan_import, summary_line
from .models import DuplicateCandidate, OfferImport

PREVIEW_ROWS = 200


def upload(request):
    if not perms.can_import_offers(request.membership):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        offer_import = OfferImport(
            membership=request.membership,
            filename=upload_file.name[:255],
            source=form.cleaned_data["source"],
        )
        offer_import.stage(upload_file.read())
        offer_import.save()
        query = "?valides=1" if form.cleaned_data["skip_invalid"] else ""
        return redirect(f"{offer_import_url(offer_import)}{query}")
    return render(request, "offers/import_upload.html", {"form": form})


def offer_import_url(offer_import):
    from django.urls import reverse

    return reverse("offers:import_preview", args=[offer_import.public_id])


def preview(request, import_id):
    if not perms.can_import_offers(request.membership):
        raise PermissionDenied
    offer_import = get_object_or_404(OfferImport, public_id=import_id, membership=request.membership)
    if offer_import.applied_at:
        messages.info(request, f"Ce fichier a déjà été importé : {offer_import.summary}.")
        return redirect("offers:search")
    skip_invalid = request.GET.get("valides") == "1" or request.POST.get("valides") == "1"
    try:
        plan = plan_import(offer_import.staged_content(), source=offer_import.source)
    except ImportFileError as error:
        return render(
            request, "offers/import_upload.html", {"form": ImportUploadForm(), "file_error": str(error)}, status=200
        )
    can_apply = plan.can_apply(skip_invalid)
    if request.method == "POST" and can_apply:
        counts = apply_import(
            plan, by=Actor.from_request(request), skip_invalid=skip_invalid, filename=offer_import.filename
        )
        summary = summary_line(counts)
        offer_import.summary, offer_import.applied_at, offer_import.content = summary[:255], timezone.now(), b""
        offer_import.save(update_fields=["summary", "applied_at", "content", "updated_at"])
        messages.success(request, f"Import terminé — {summary}.")
        return redirect("offers:duplicates" if counts["duplicates"] else "offers:search")
    rejected = plan.rejected
    context = {
        "offer_import": offer_import,
        "plan": plan,
        "rejected": rejected[:PREVIEW_ROWS],
        "rejected_count": len(rejected),
        "accepted": [r for r in plan.results if not r.rejected][:PREVIEW_ROWS],
        "can_apply": can_apply,
        "skip_invalid": skip_invalid,
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "offers/import_preview.html", context)


def duplicates(request):
    if not perms.can_review_duplicates(request.membership):
        raise PermissionDenied
    status = request.GET.get("statut", DuplicateStatus.OPEN)
    if status not in DuplicateStatus.values:
        status = DuplicateStatus.OPEN
    candidates = (
        DuplicateCandidate.objects.visible_to(request.membership)
        .filter(status=status)
        .select_related("structure_a", "structure_b", "offer_a__structure", "offer_b__structure", "territory")
        .order_by("-created_at", "pk")
    )
    context = {"page_obj": paginate(request, candidates), "status": status, "statuses": DuplicateStatus.choices}
    return render(request, "offers/duplicates.html", context)


@require_POST
def duplicate_decide(request, candidate_id):
    if not perms.can_review_duplicates(request.membership):
        raise PermissionDenied
    candidate = get_object_or_404(DuplicateCandidate.objects.visible_to(request.membership), public_id=candidate_id)
    confirmed = request.POST.get("decision") == "confirmer"
    try:
        services.decide_duplicate(candidate=candidate, confirmed=confirmed, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Doublon confirmé : le second enregistrement n'apparaît plus dans la recherche."
            if confirmed
            else "Signalement écarté : les deux enregistrements restent dans l'annuaire.",
        )
    return redirect("offers:duplicates")
