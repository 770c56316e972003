"""Company directory, contact requests, shortage occupations, imports and the territory figures."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.imports import ImportFileError
from spie.core.lists import csv_response, paginate, sort_queryset
from spie.core.text import normalize_for_search
from spie.people.models import Person

from . import imports, perms, policies, selectors, services
from .enums import ContactStatus, ImportKind, OpeningStatus
from .forms import (
    CompanyContactForm,
    CompanyFilterForm,
    CompanyForm,
    CompanyJobForm,
    ContactRequestForm,
    ImportForm,
    OpeningForm,
    ShortageForm,
)
from .matching import people_for_opening
from .models import (
    Company,
    CompanyContact,
    CompanyImport,
    CompanyJob,
    CompanyOpening,
    ContactRequest,
    Immersion,
    ShortageOccupation,
    referents_seat_q,
)

COMPANY_SORTS = {"nom": "search_name", "commune": "commune__name", "ajout": "created_at"}
PREVIEW_ROWS = 200


def require_territory(request):
    if not perms.can_use_companies(request.membership):
        raise PermissionDenied


def company_for(request, public_id, queryset=None):
    queryset = queryset if queryset is not None else Company.objects.all()
    return get_object_or_404(
        queryset.visible_to(request.membership).select_related("commune", "naf", "created_by__organisation"),
        public_id=public_id,
    )


def _form_error(form, error):
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# Directory ---------------------------------------------------------------------------------


def _filtered(request, companies, form):
    if not form.is_valid():
        return companies
    data = form.cleaned_data
    query = data["q"].strip()
    if query.replace(" ", "").isdigit():
        companies = companies.filter(siret__startswith=query.replace(" ", ""))
    elif query:
        companies = companies.filter(search_name__contains=normalize_for_search(query))
    if data["commune"]:
        companies = companies.filter(commune=data["commune"])
    if data["rome_job"]:
        companies = companies.filter(
            Exists(CompanyJob.objects.filter(company=OuterRef("pk"), rome_job=data["rome_job"]))
        )
    if data["shortage"]:
        codes = list(selectors.shortage_levels(request.membership.organisation.territory_id))
        companies = companies.filter(
            Exists(CompanyJob.objects.filter(company=OuterRef("pk"), rome_job__code__in=codes))
        )
    return companies


def company_list(request):
    require_territory(request)
    form = CompanyFilterForm(request.GET or None)
    companies = Company.objects.visible_to(request.membership).active().select_related("commune", "naf")
    companies, sort = sort_queryset(request, _filtered(request, companies, form), COMPANY_SORTS, "nom")
    if request.GET.get("format") == "csv":
        return _company_csv(request, companies)
    page = paginate(
        request, companies.prefetch_related(Prefetch("jobs", CompanyJob.objects.select_related("rome_job")))
    )
    context = {
        "form": form,
        "page_obj": page,
        "sort": sort,
        "section": "annuaire",
        "can_import": perms.can_import_companies(request.membership),
    }
    return render(request, "companies/company_list.html", context)


def _company_csv(request, companies):
    header = ["SIRET", "Nom", "Code NAF", "Adresse", "Code postal", "Commune", "Effectif", "Métiers ROME", "E-mail"]
    rows = (
        [
            company.siret,
            company.name,
            company.naf.code if company.naf_id else "",
            company.address,
            company.postal_code,
            company.commune.name,
            company.get_size_band_display() if company.size_band else "",
            " ".join(job.rome_job.code for job in company.jobs.all()),
            company.email,
        ]
        for company in companies.prefetch_related(Prefetch("jobs", CompanyJob.objects.select_related("rome_job")))
    )
    return csv_response(request, "entreprises.csv", header, rows)


def company_create(request):
    require_territory(request)
    form = CompanyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company, _ = services.save_company(data=form.cleaned_data, by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"{company.name} a été ajoutée à l'annuaire. Ajoutez ses contacts et ses métiers."
            )
            return redirect("companies:detail", company.public_id)
    return render(request, "companies/company_form.html", {"form": form, "section": "annuaire"})


def company_detail(request, public_id):
    require_territory(request)
    company = company_for(request, public_id)
    membership = request.membership
    immersions = (
        Immersion.objects.visible_to(membership)
        .filter(company=company)
        .select_related("person", "rome_job", "tutor")
        .order_by("-starts_on")[:50]
    )
    context = {
        "company": company,
        "section": "annuaire",
        "can_edit": perms.can_edit_company(membership, company),
        "contacts": company.contacts.all(),
        "jobs": company.jobs.select_related("rome_job").order_by("rome_job__code"),
        "openings": company.openings.filter(status=OpeningStatus.OPEN).select_related("rome_job"),
        "immersions": immersions,
        "history": selectors.company_history(company),
        "rate": selectors.response_rate(company),
        "cap": policies.contact_cap(company),
        "requests_this_month": services.requests_this_month(company),
        "requests": ContactRequest.objects.filter(company=company, sender__organisation=membership.organisation)
        .select_related("sender__user", "rome_job")
        .order_by("-sent_at")[:20],
        "events": company.events.order_by("-starts_at")[:10],
        "window_days": policies.CONTACT_RESPONSE_WINDOW_DAYS,
    }
    return render(request, "companies/company_detail.html", context)


def company_edit(request, public_id):
    require_territory(request)
    company = company_for(request, public_id)
    if not perms.can_edit_company(request.membership, company):
        raise PermissionDenied
    form = CompanyForm(request.POST or None, initial=CompanyForm.initial_from(company))
    if request.method == "POST" and form.is_valid():
        try:
            _, changed = services.save_company(data=form.cleaned_data, company=company, by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Fiche enregistrée." if changed else "Aucune modification.")
            return redirect("companies:detail", company.public_id)
    return render(request, "companies/company_form.html", {"form": form, "company": company, "section": "annuaire"})


@require_POST
def company_active(request, public_id):
    require_territory(request)
    company = company_for(request, public_id)
    if not perms.can_edit_company(request.membership, company):
        raise PermissionDenied
    active = request.POST.get("active") == "oui"
    services.set_company_active(company=company, active=active, by=Actor.from_request(request))
    messages.success(request, "Entreprise réactivée." if active else "Entreprise retirée de l'annuaire actif.")
    return redirect("companies:detail", company.public_id)


def _company_subform(request, public_id, form_class, template, call, success):
    require_territory(request)
    company = company_for(request, public_id)
    if not perms.can_edit_company(request.membership, company):
        raise PermissionDenied
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call(company, form.cleaned_data, Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, success)
            return redirect("companies:detail", company.public_id)
    return render(request, template, {"form": form, "company": company, "section": "annuaire"})


def contact_add(request, public_id):
    return _company_subform(
        request,
        public_id,
        CompanyContactForm,
        "companies/contact_form.html",
        lambda company, data, by: services.add_company_contact(company=company, data=data, by=by),
        "Contact ajouté.",
    )


@require_POST
def contact_remove(request, public_id, contact_id):
    require_territory(request)
    company = company_for(request, public_id)
    if not perms.can_edit_company(request.membership, company):
        raise PermissionDenied
    contact = get_object_or_404(CompanyContact, company=company, public_id=contact_id)
    try:
        services.remove_company_contact(contact=contact, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Contact retiré.")
    return redirect("companies:detail", company.public_id)


def job_add(request, public_id):
    return _company_subform(
        request,
        public_id,
        CompanyJobForm,
        "companies/job_form.html",
        lambda company, data, by: services.add_company_job(company=company, by=by, **data),
        "Métier enregistré.",
    )


@require_POST
def job_remove(request, public_id, job_code):
    require_territory(request)
    company = company_for(request, public_id)
    if not perms.can_edit_company(request.membership, company):
        raise PermissionDenied
    job = get_object_or_404(CompanyJob.objects.select_related("rome_job"), company=company, rome_job__code=job_code)
    services.remove_company_job(job=job, by=Actor.from_request(request))
    messages.success(request, f"Métier {job_code} retiré.")
    return redirect("companies:detail", company.public_id)


def opening_add(request, public_id):
    return _company_subform(
        request,
        public_id,
        OpeningForm,
        "companies/opening_form.html",
        lambda company, data, by: services.create_opening(company=company, data=data, by=by),
        "Besoin enregistré : les référents voient les personnes dont le projet correspond.",
    )


def opening_detail(request, public_id):
    require_territory(request)
    opening = get_object_or_404(
        CompanyOpening.objects.visible_to(request.membership).select_related("company__commune", "rome_job__domain"),
        public_id=public_id,
    )
    candidates = people_for_opening(opening, request.membership)
    context = {
        "opening": opening,
        "company": opening.company,
        "candidates": candidates,
        "section": "annuaire",
        "can_edit": perms.can_edit_company(request.membership, opening.company),
    }
    return render(request, "companies/opening_detail.html", context)


@require_POST
def opening_close(request, public_id):
    require_territory(request)
    opening = get_object_or_404(
        CompanyOpening.objects.visible_to(request.membership).select_related("company"), public_id=public_id
    )
    if not perms.can_edit_company(request.membership, opening.company):
        raise PermissionDenied
    try:
        services.close_opening(opening=opening, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Besoin clôturé.")
    return redirect("companies:detail", opening.company.public_id)


# Contact requests --------------------------------------------------------------------------


def contact_request_create(request, public_id):
    require_territory(request)
    company = company_for(request, public_id, Company.objects.active())
    membership = request.membership
    contacts = [(str(c.public_id), f"{c.full_name} — {c.job_title or c.email}") for c in company.contacts.all()]
    people = (
        Person.objects.in_territory_of(membership)
        .filter(referents_seat_q(membership), consent_given=True)
        .order_by("search_birth_name", "pk")[:500]
    )
    form = ContactRequestForm(
        request.POST or None,
        contacts=contacts,
        people=[(str(p.public_id), p.short_name) for p in people],
        initial={"rome_job": request.GET.get("metier") or None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = company.contacts.filter(public_id=data["contact"]).first()
        person = next((p for p in people if str(p.public_id) == data["person"]), None)
        try:
            services.send_contact_request(
                company=company,
                contact=contact,
                purpose=data["purpose"],
                message=data["message"],
                rome_job=data["rome_job"],
                person=person,
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Demande envoyée à {contact.full_name}. Vous serez prévenu·e de sa réponse.")
            return redirect("companies:detail", company.public_id)
    context = {
        "form": form,
        "company": company,
        "section": "annuaire",
        "cap": policies.contact_cap(company),
        "requests_this_month": services.requests_this_month(company),
    }
    return render(request, "companies/contact_request_form.html", context)


def contact_requests(request):
    require_territory(request)
    requests = (
        ContactRequest.objects.visible_to(request.membership)
        .sent_by_organisation(request.membership.organisation)
        .select_related("company", "contact", "sender__user", "rome_job")
        .order_by("-sent_at")
    )
    status = request.GET.get("statut")
    if status in ContactStatus.values:
        requests = requests.filter(status=status)
    context = {
        "page_obj": paginate(request, requests),
        "statuses": ContactStatus.choices,
        "status": status,
        "section": "contacts",
    }
    return render(request, "companies/contact_requests.html", context)


# Shortage occupations ----------------------------------------------------------------------


def shortage_list(request):
    require_territory(request)
    shortages = (
        ShortageOccupation.objects.visible_to(request.membership)
        .select_related("rome_job__domain")
        .order_by("-tension", "rome_job__code", "-starts_on")
    )
    if request.GET.get("periode") != "toutes":
        shortages = shortages.current()
    if request.GET.get("format") == "csv":
        rows = (
            [
                s.rome_job.code,
                s.rome_job.label,
                s.tension,
                s.starts_on.strftime("%d/%m/%Y"),
                s.ends_on.strftime("%d/%m/%Y") if s.ends_on else "",
                s.source,
            ]
            for s in shortages
        )
        return csv_response(
            request,
            "metiers-en-tension.csv",
            ["code_rome", "libelle", "niveau_tension", "debut", "fin", "source"],
            rows,
        )
    context = {
        "page_obj": paginate(request, shortages, per_page=50),
        "all_periods": request.GET.get("periode") == "toutes",
        "can_manage": perms.can_manage_shortages(request.membership),
        "section": "tension",
    }
    return render(request, "companies/shortage_list.html", context)


def _shortage_form(request, shortage=None):
    if not perms.can_manage_shortages(request.membership):
        raise PermissionDenied
    initial = {}
    if shortage is not None:
        initial = {name: getattr(shortage, name) for name in ("rome_job", "tension", "starts_on", "ends_on", "source")}
    else:
        initial = {"starts_on": timezone.localdate().replace(month=1, day=1)}
    form = ShortageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_shortage(
                territory=request.membership.organisation.territory,
                data=form.cleaned_data,
                shortage=shortage,
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Liste des métiers en tension mise à jour.")
            return redirect("companies:shortages")
    return render(request, "companies/shortage_form.html", {"form": form, "shortage": shortage, "section": "tension"})


def shortage_create(request):
    require_territory(request)
    return _shortage_form(request)


def shortage_edit(request, public_id):
    require_territory(request)
    shortage = get_object_or_404(
        ShortageOccupation.objects.visible_to(request.membership).select_related("rome_job"), public_id=public_id
    )
    return _shortage_form(request, shortage)


@require_POST
def shortage_delete(request, public_id):
    require_territory(request)
    shortage = get_object_or_404(
        ShortageOccupation.objects.visible_to(request.membership).select_related("rome_job"), public_id=public_id
    )
    if not perms.can_manage_shortages(request.membership):
        raise PermissionDenied
    services.delete_shortage(shortage=shortage, by=Actor.from_request(request))
    messages.success(request, "Métier retiré de la liste.")
    return redirect("companies:shortages")


# Imports -----------------------------------------------------------------------------------

IMPORTERS = {
    ImportKind.COMPANIES: (imports.plan_companies, imports.apply_companies, perms.can_import_companies),
    ImportKind.SHORTAGES: (imports.plan_shortages, imports.apply_shortages, perms.can_manage_shortages),
}
IMPORT_COLUMNS = {
    ImportKind.COMPANIES: imports.COMPANY_COLUMNS,
    ImportKind.SHORTAGES: imports.SHORTAGE_COLUMNS,
}


def _kind(value):
    if value not in ImportKind.values:
        raise PermissionDenied
    return ImportKind(value)


def import_upload(request, kind):
    require_territory(request)
    kind = _kind(kind)
    if not IMPORTERS[kind][2](request.membership):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        company_import = CompanyImport.objects.create(
            kind=kind,
            territory_id=request.membership.organisation.territory_id,
            membership=request.membership,
            filename=upload.name[:255],
            content=upload.read(),
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        return redirect("companies:import_preview", company_import.public_id)
    context = {
        "form": form,
        "kind": kind,
        "columns": IMPORT_COLUMNS[kind],
        "section": "annuaire" if kind == ImportKind.COMPANIES else "tension",
    }
    return render(request, "companies/import_upload.html", context)


def import_preview(request, import_id):
    require_territory(request)
    company_import = get_object_or_404(
        CompanyImport.objects.select_related("territory"), public_id=import_id, membership=request.membership
    )
    kind = ImportKind(company_import.kind)
    plan, apply, allowed = IMPORTERS[kind]
    if not allowed(request.membership):
        raise PermissionDenied
    back = "companies:list" if kind == ImportKind.COMPANIES else "companies:shortages"
    if company_import.applied_at:
        messages.info(request, f"Ce fichier a déjà été importé : {company_import.summary}.")
        return redirect(back)
    try:
        report = plan(bytes(company_import.content), territory=company_import.territory)
    except ImportFileError as error:
        context = {"form": ImportForm(), "kind": kind, "columns": IMPORT_COLUMNS[kind], "file_error": str(error)}
        return render(request, "companies/import_upload.html", context)
    can_apply = report.can_apply(company_import.skip_invalid) and len(report.rejected) < len(report.results)
    if request.method == "POST" and can_apply:
        counts = apply(
            report,
            territory=company_import.territory,
            by=Actor.from_request(request),
            skip_invalid=company_import.skip_invalid,
        )
        summary = (
            f"{counts['created']} créée(s), {counts['updated']} mise(s) à jour, {counts['unchanged']} inchangée(s), "
            f"{len(report.rejected)} ligne(s) rejetée(s)"
        )
        company_import.summary, company_import.applied_at, company_import.content = summary, timezone.now(), b""
        company_import.save(update_fields=["summary", "applied_at", "content", "updated_at"])
        messages.success(request, f"Import terminé : {summary}.")
        return redirect(back)
    context = {
        "company_import": company_import,
        "kind": kind,
        "report": report,
        "rows": (report.rejected + [r for r in report.results if not r.rejected])[:PREVIEW_ROWS],
        "can_apply": can_apply,
        "preview_rows": PREVIEW_ROWS,
        "section": "annuaire" if kind == ImportKind.COMPANIES else "tension",
    }
    return render(request, "companies/import_preview.html", context)


# Territory figures -------------------------------------------------------------------------


def territory_figures(request):
    require_territory(request)
    if not perms.can_see_territory_figures(request.membership):
        raise PermissionDenied
    territory_id = request.membership.organisation.territory_id
    levels, immersions, hires, positionings = selectors.territory_shortage_figures(territory_id)
    shortages = (
        ShortageOccupation.objects.filter(territory_id=territory_id)
        .current()
        .select_related("rome_job")
        .order_by("-tension", "rome_job__code")
    )
    rows, seen = [], set()
    for shortage in shortages:
        code = shortage.rome_job.code
        if code in seen:
            continue
        seen.add(code)
        rows.append(
            {
                "code": code,
                "label": shortage.rome_job.label,
                "tension": levels[code],
                "immersions": immersions.get(code, 0),
                "hires": hires.get(code, 0),
                "positionings": positionings.get(code, 0),
            }
        )
    totals = {key: sum(row[key] for row in rows) for key in ("immersions", "hires", "positionings")}
    companies = Company.objects.filter(territory_id=territory_id, is_active=True)
    context = {
        "rows": rows,
        "totals": totals,
        "companies_count": companies.count(),
        "companies_in_shortage": companies.filter(
            Exists(CompanyJob.objects.filter(company=OuterRef("pk"), rome_job__code__in=list(levels)))
        ).count(),
        "max_tension": 5,
        "section": "territoire",
        "territory": request.membership.organisation.territory,
        "pending_requests": ContactRequest.objects.filter(
            territory_id=territory_id, status=ContactStatus.PENDING
        ).count(),
        "answered": ContactRequest.objects.filter(territory_id=territory_id).filter(Q(answered_in_window=True)).count(),
        "considered": ContactRequest.objects.filter(territory_id=territory_id)
        .exclude(status=ContactStatus.PENDING)
        .count(),
    }
    return render(request, "companies/territory.html", context)
