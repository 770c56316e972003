"""Impact studies, for national administrators: declare a study, download its extract, see the log."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.lists import paginate

from . import cohort, perms, services
from .enums import ExportChannel
from .forms import StudyForm
from .models import Study, StudyExport


def _require(request):
    if not perms.can_manage_studies(request.membership):
        raise PermissionDenied


def _study_for(request, public_id):
    _require(request)
    return get_object_or_404(Study.objects.select_related("territory", "created_by__user"), public_id=public_id)


def study_list(request):
    _require(request)
    studies = Study.objects.select_related("territory", "created_by__user").order_by("-created_at", "-pk")
    return render(request, "studies/study_list.html", {"page_obj": paginate(request, studies)})


def study_create(request):
    _require(request)
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            study = services.create_study(**form.cleaned_data, by=Actor.from_request(request))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, f"Étude « {study.name} » créée : vous pouvez lancer son extraction.")
            return redirect("studies:study_detail", study.public_id)
    return render(request, "studies/study_form.html", {"form": form})


def study_detail(request, public_id):
    study = _study_for(request, public_id)
    exports = StudyExport.objects.filter(study=study).select_related("by__user", "by__organisation")
    context = {
        "study": study,
        "page_obj": paginate(request, exports),
        "pathway_count": cohort.study_pathways(study).count(),
        "columns": cohort.COLUMNS,
    }
    return render(request, "studies/study_detail.html", context)


@require_POST
def study_extract(request, public_id):
    study = _study_for(request, public_id)
    archive = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it, which deletes it)
    with tempfile.TemporaryDirectory() as directory:
        try:
            extract = cohort.run_extract(study, directory, by=Actor.from_request(request), channel=ExportChannel.PAGE)
        except DomainError as error:
            archive.close()
            messages.error(request, error.message)
            return redirect("studies:study_detail", study.public_id)
        cohort.zip_extract(extract, archive)
    return FileResponse(archive, as_attachment=True, filename=f"{cohort.base_name(study)}.zip")
