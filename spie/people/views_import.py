from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.imports import ImportFileError

from .forms import ImportUploadForm
from .imports import apply_import, plan_import
from .models import PersonImport
from .perms import can_import_people

PREVIEW_ROWS = 200


def _check(request):
    if not can_import_people(request.membership):
        raise PermissionDenied


def _import_for(request, import_id):
    """The import if it was sent by the current membership; 404 otherwise."""
    _check(request)
    return get_object_or_404(
        PersonImport.objects.select_related("territory"), public_id=import_id, membership=request.membership
    )


def upload(request):
    _check(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        person_import = PersonImport(
            territory_id=request.membership.organisation.territory_id,
            membership=request.membership,
            filename=upload_file.name[:255],
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        person_import.stage(upload_file.read())
        person_import.save()
        return redirect("people:import_preview", person_import.public_id)
    return render(request, "people/import_upload.html", {"form": form})


def preview(request, import_id):
    person_import = _import_for(request, import_id)
    if person_import.applied_at:
        messages.info(request, f"Ce fichier a déjà été importé : {person_import.summary}.")
        return redirect("people:caseload")
    try:
        report = plan_import(
            person_import.staged_content(), territory=person_import.territory, membership=request.membership
        )
    except ImportFileError as error:
        return render(request, "people/import_upload.html", {"form": ImportUploadForm(), "file_error": str(error)})
    can_apply = report.can_apply(person_import.skip_invalid) and len(report.rejected) < len(report.results)
    if request.method == "POST" and can_apply:
        counts = apply_import(
            report,
            territory=person_import.territory,
            by=Actor.from_request(request),
            skip_invalid=person_import.skip_invalid,
        )
        summary = (
            f"{counts['created']} dossier(s) créé(s), {counts['updated']} mis à jour, "
            f"{counts['unchanged']} inchangé(s), {counts['join_requests']} demande(s) pour rejoindre une équipe, "
            f"{len(report.rejected)} ligne(s) rejetée(s)"
        )
        person_import.summary, person_import.applied_at = summary, timezone.now()
        person_import.content = b""
        person_import.save(update_fields=["summary", "applied_at", "content", "updated_at"])
        messages.success(request, f"Import terminé : {summary}.")
        return redirect("people:caseload")
    context = {
        "person_import": person_import,
        "report": report,
        "rows": (report.rejected + [r for r in report.results if not r.rejected])[:PREVIEW_ROWS],
        "can_apply": can_apply,
        "preview_rows": PREVIEW_ROWS,
    }
    return render(request, "people/import_preview.html", context)


@require_POST
def cancel(request, import_id):
    """Drop an uploaded file that was not imported: nothing of it is kept."""
    person_import = _import_for(request, import_id)
    if person_import.applied_at is None:
        person_import.delete()
        messages.info(request, "Import annulé : le fichier a été supprimé.")
    return redirect("people:import")
