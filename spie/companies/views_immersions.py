"""The person's tabs (immersions, companies nearby), immersion agreements and the secure links."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.core.text import as_uuid
from spie.people.enums import AccessKind
from spie.people.services import log_access
from spie.people.views import _file_context, person_for

from . import links, perms, selectors
from . import services_immersions as services
from .enums import LinkPurpose
from .forms import (
    AssessmentForm,
    CancelImmersionForm,
    CompanySignatureForm,
    ContactAnswerForm,
    ImmersionForm,
    PersonSignatureForm,
    PositionForm,
)
from .matching import companies_for_person
from .models import Company, EventParticipant, Immersion, Training, TrainingPositioning
from .pdf import agreement_pdf
from .services import accept_contact_request, refuse_contact_request
from .services_trainings import position_person
from .views import _form_error, require_territory

IMMERSION_RELATED = (
    "person__territory",
    "person__commune",
    "company__commune",
    "company__naf",
    "tutor",
    "rome_job",
    "place_commune",
    "prescriber__user",
    "prescriber_organisation",
    "validated_by__user",
)


# Person tabs -------------------------------------------------------------------------------


def person_immersions(request, public_id):
    person = person_for(request, public_id, what="Consultation des immersions et formations")
    if not perms.can_see_person_companies(request.membership, person):
        raise PermissionDenied
    context = {
        **_file_context(request, person, "immersions"),
        "immersions": Immersion.objects.filter(person=person)
        .select_related("company", "rome_job", "prescriber_organisation")
        .order_by("-starts_on"),
        "positionings": TrainingPositioning.objects.filter(person=person)
        .select_related("training__commune")
        .order_by("-created_at"),
        "participations": EventParticipant.objects.filter(person=person)
        .select_related("event")
        .order_by("-event__starts_at"),
        "hires": selectors.hires_for(person),
        "can_work": perms.can_work_with_person(request.membership, person),
    }
    return render(request, "companies/person_immersions.html", context)


def person_companies(request, public_id):
    person = person_for(request, public_id, what="Entreprises proches du projet")
    if not perms.can_work_with_person(request.membership, person):
        raise PermissionDenied
    result = companies_for_person(person)
    context = {**_file_context(request, person, "entreprises"), "result": result}
    return render(request, "companies/person_companies.html", context)


def person_position(request, public_id):
    person = person_for(request, public_id, what="Positionnement sur une formation")
    if not perms.can_work_with_person(request.membership, person):
        raise PermissionDenied
    trainings = list(
        Training.objects.filter(territory_id=person.territory_id, ends_on__gte=timezone.localdate())
        .order_by("starts_on", "title")
        .prefetch_related("rome_jobs")[:300]
    )
    choices = [
        (str(t.public_id), f"{t.title} — {t.organisation_name} — du {t.starts_on:%d/%m/%Y} au {t.ends_on:%d/%m/%Y}")
        for t in trainings
    ]
    form = PositionForm(request.POST or None, trainings=choices, initial={"training": request.GET.get("formation")})
    if request.method == "POST" and form.is_valid():
        training = next(t for t in trainings if str(t.public_id) == form.cleaned_data["training"])
        try:
            position_person(
                training=training, person=person, note=form.cleaned_data["note"], by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"{person.short_name} est positionné·e sur « {training.title} ».")
            return redirect("companies:person_immersions", person.public_id)
    context = {**_file_context(request, person, "immersions"), "form": form}
    return render(request, "companies/person_position.html", context)


# Immersions --------------------------------------------------------------------------------


def immersion_for(request, public_id):
    return get_object_or_404(
        Immersion.objects.visible_to(request.membership).select_related(*IMMERSION_RELATED), public_id=public_id
    )


def _tutor_choices(company):
    if company is None:
        return []
    return [
        (str(c.public_id), f"{c.full_name} — {c.job_title or c.email}") for c in company.contacts.filter(is_tutor=True)
    ]


def _company_by_siret(person, siret):
    return (
        Company.objects.filter(territory_id=person.territory_id, siret=siret, is_active=True)
        .select_related("commune")
        .first()
    )


def immersion_create(request, public_id):
    person = person_for(request, public_id, what="Proposition d'immersion")
    if not perms.can_work_with_person(request.membership, person):
        raise PermissionDenied
    initial_company = None
    if company_id := as_uuid(request.GET.get("entreprise")):
        initial_company = (
            Company.objects.filter(territory_id=person.territory_id, public_id=company_id)
            .select_related("commune")
            .first()
        )
    company = initial_company
    if request.method == "POST":
        company = _company_by_siret(person, "".join(request.POST.get("siret", "").split()))
    initial = {"objective": "discover"}
    if initial_company is not None:
        initial.update(
            siret=initial_company.siret,
            place_address=initial_company.address,
            place_commune=initial_company.commune,
            rome_job=request.GET.get("metier") or None,
        )
    form = ImmersionForm(request.POST or None, tutors=_tutor_choices(company), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if company is None:
            form.add_error(
                "siret", "Aucune entreprise active de l'annuaire du territoire n'a ce SIRET : ajoutez-la d'abord."
            )
        else:
            tutor = _tutor(company, data["tutor"])
            try:
                immersion = services.create_immersion(
                    person=person, company=company, tutor=tutor, data=data, by=Actor.from_request(request)
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(
                    request, "Immersion enregistrée en brouillon : relisez-la puis soumettez-la aux signatures."
                )
                return redirect("companies:immersion_detail", immersion.public_id)
    context = {**_file_context(request, person, "immersions"), "form": form, "company": company}
    return render(request, "companies/immersion_form.html", context)


def _tutor(company, public_id):
    public_id = as_uuid(public_id)
    return company.contacts.filter(public_id=public_id).first() if public_id else None


def immersion_detail(request, public_id):
    require_territory(request)
    immersion = immersion_for(request, public_id)
    log_access(
        person=immersion.person,
        by=Actor.from_request(request),
        kind=AccessKind.READ,
        what="Consultation d'une immersion",
    )
    membership = request.membership
    context = {
        "immersion": immersion,
        "person": immersion.person,
        "can_edit": perms.can_edit_immersion(membership, immersion),
        "can_validate": perms.can_validate_immersion(membership, immersion),
        "assessment": getattr(immersion, "assessment", None) if immersion.status == "completed" else None,
        "cancel_form": CancelImmersionForm(),
        "pending_link": immersion.links.filter(used_at__isnull=True, revoked_at__isnull=True)
        .order_by("-created_at")
        .first(),
    }
    return render(request, "companies/immersion_detail.html", context)


def immersion_edit(request, public_id):
    require_territory(request)
    immersion = immersion_for(request, public_id)
    if not perms.can_edit_immersion(request.membership, immersion):
        raise PermissionDenied
    if not immersion.is_editable:
        messages.error(request, "Seul un brouillon peut être modifié.")
        return redirect("companies:immersion_detail", immersion.public_id)
    initial = {name: getattr(immersion, name) for name in services.IMMERSION_FIELDS}
    initial.update(siret=immersion.company.siret, tutor=str(immersion.tutor.public_id))
    form = ImmersionForm(request.POST or None, tutors=_tutor_choices(immersion.company), initial=initial)
    form.fields["siret"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tutor = _tutor(immersion.company, data["tutor"])
        try:
            services.update_immersion(immersion=immersion, data=data, tutor=tutor, by=Actor.from_request(request))
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Brouillon enregistré.")
            return redirect("companies:immersion_detail", immersion.public_id)
    context = {"form": form, "immersion": immersion, "person": immersion.person, "company": immersion.company}
    return render(request, "companies/immersion_form.html", context)


STEPS = {
    "soumettre": (
        services.submit_immersion,
        perms.can_edit_immersion,
        "Convention soumise : la personne a reçu son lien de signature.",
    ),
    "relancer": (
        services.resend_signature_link,
        perms.can_edit_immersion,
        "Un nouveau lien de signature a été envoyé.",
    ),
    "valider": (
        services.validate_immersion,
        perms.can_validate_immersion,
        "Convention validée : l'immersion est confirmée.",
    ),
    "demarrer": (services.start_immersion, perms.can_edit_immersion, "Début de l'immersion enregistré."),
}


@require_POST
def immersion_step(request, public_id, step):
    require_territory(request)
    immersion = immersion_for(request, public_id)
    if step not in STEPS:
        raise PermissionDenied
    call, predicate, success = STEPS[step]
    if not predicate(request.membership, immersion):
        raise PermissionDenied
    try:
        call(immersion=immersion, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("companies:immersion_detail", immersion.public_id)


@require_POST
def immersion_cancel(request, public_id):
    require_territory(request)
    immersion = immersion_for(request, public_id)
    if not perms.can_edit_immersion(request.membership, immersion):
        raise PermissionDenied
    form = CancelImmersionForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_immersion(immersion=immersion, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Immersion annulée.")
    else:
        messages.error(request, "Indiquez le motif de l'annulation.")
    return redirect("companies:immersion_detail", immersion.public_id)


def immersion_assess(request, public_id):
    require_territory(request)
    immersion = immersion_for(request, public_id)
    if not perms.can_edit_immersion(request.membership, immersion):
        raise PermissionDenied
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assess_immersion(
                immersion=immersion, data=form.cleaned_data, by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                "Bilan enregistré : l'embauche est transmise au suivi dans l'emploi."
                if assessment.hired
                else "Bilan enregistré : l'immersion est terminée.",
            )
            return redirect("companies:immersion_detail", immersion.public_id)
    context = {"form": form, "immersion": immersion, "person": immersion.person}
    return render(request, "companies/immersion_assess.html", context)


def immersion_agreement(request, public_id):
    """The agreement, print-optimised (HTML) or as a PDF."""
    require_territory(request)
    immersion = immersion_for(request, public_id)
    log_access(
        person=immersion.person,
        by=Actor.from_request(request),
        kind=AccessKind.EXPORT if request.GET.get("format") == "pdf" else AccessKind.READ,
        what="Convention d'immersion",
    )
    if request.GET.get("format") == "pdf":
        response = HttpResponse(agreement_pdf(immersion), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="convention-immersion-{immersion.public_id}.pdf"'
        return response
    return render(request, "companies/immersion_agreement.html", {"immersion": immersion, "printable": True})


# Secure links (no account) -----------------------------------------------------------------


def _invalid(request, link, state):
    if link is not None:
        links.refuse(link, state)
    message = links.STATE_MESSAGES.get(state, "Ce lien n'est pas valable.")
    return render(request, "companies/link_invalid.html", {"message": message}, status=404 if link is None else 410)


def _refused(request, secure_link, error):
    """The link was spent or replaced meanwhile (a second press), or the step is no longer open."""
    secure_link.refresh_from_db()
    if secure_link.state != "usable":
        return _invalid(request, secure_link, secure_link.state)
    return render(request, "companies/link_invalid.html", {"message": error.message}, status=409)


@login_not_required
def link(request, token):
    """A company's answer or a signature: the page shows what is asked; only the button press
    (POST) uses the link, so that e-mail scanners opening it do not spend it."""
    secure_link = links.find_link(token)
    if secure_link is None:
        return _invalid(request, None, "unknown")
    if secure_link.state != "usable":
        return _invalid(request, secure_link, secure_link.state)
    if secure_link.purpose == LinkPurpose.CONTACT_ANSWER:
        return _contact_answer(request, secure_link)
    return _signature(request, secure_link)


def _contact_answer(request, secure_link):
    form = ContactAnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        call = accept_contact_request if data["decision"] == "accepter" else refuse_contact_request
        try:
            call(link=secure_link, responder_name=data["responder_name"], answer=data["answer"])
        except DomainError as error:
            return _refused(request, secure_link, error)
        return render(
            request, "companies/link_done.html", {"accepted": data["decision"] == "accepter", "kind": "contact"}
        )
    context = {"request_obj": secure_link.contact_request, "form": form, "link": secure_link}
    return render(request, "companies/link_contact.html", context)


def _signature(request, secure_link):
    immersion = secure_link.immersion
    as_company = secure_link.purpose == LinkPurpose.SIGN_COMPANY
    form_class = CompanySignatureForm if as_company else PersonSignatureForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "GET" and as_company:
        log_access(
            person=immersion.person,
            by=None,
            kind=AccessKind.LIMITED,
            what="Convention lue par le tuteur (lien sécurisé)",
        )
    if request.method == "POST" and form.is_valid():
        try:
            if as_company:
                services.sign_as_company(link=secure_link, signatory_name=form.cleaned_data["signatory_name"])
            else:
                services.sign_as_person(link=secure_link)
        except DomainError as error:
            if not error.field:
                return _refused(request, secure_link, error)
            _form_error(form, error)
        else:
            return render(request, "companies/link_done.html", {"kind": "signature", "as_company": as_company})
    context = {"immersion": immersion, "form": form, "link": secure_link, "as_company": as_company}
    return render(request, "companies/link_signature.html", context)
