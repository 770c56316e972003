"""The person's own space (login by link or code, their pathway, appointments, contract, referrals,
immersions, access log, consent, data) and the « Espace personnel » tab of the person's file.

Every page of the space goes through `person_login_required` and reads through the signed-in
person only (`selectors`): another person's object is not found. No professional right applies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.clientip import client_ip
from spie.core.errors import DomainError
from spie.core.lists import paginate
from spie.core.models import AuditEvent
from spie.core.plugins import person_space_items
from spie.pathways.enums import AppointmentStatus
from spie.people.views import _file_context, person_for

from . import contacts, login, perms, policies, selectors, services
from .auth import get_space_person, log_person_in, log_person_out, person_login_required
from .enums import AnswerKind, Channel, SecretKind
from .forms import CodeForm, ConsentForm, InvitationForm, LoginForm, MoveRequestForm
from .models import AppointmentAnswer, ContactChange, ContractApproval, LoginSecret

PENDING_CODE_KEY = "personspace_code_for"


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# Login ---------------------------------------------------------------------------------------


@login_not_required
def login_page(request):
    if get_space_person(request) is not None:
        return redirect("personspace:home")
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            channel = login.request_login(identifier=form.cleaned_data["identifiant"], ip=client_ip(request))
        except login.Throttled as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            _form_error(form, error)
        else:
            if channel == Channel.SMS:
                request.session[PENDING_CODE_KEY] = form.cleaned_data["identifiant"]
                return redirect("personspace:code")
            return render(request, "personspace/login_sent.html", {"minutes": policies.LINK_VALIDITY_MINUTES})
    return render(
        request, "personspace/login.html", {"form": form}, status=400 if form.errors and status == 200 else status
    )


@login_not_required
def code_page(request):
    identifier = request.session.get(PENDING_CODE_KEY)
    if not identifier:
        return redirect("personspace:login")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            person = login.verify_code(identifier=identifier, code=form.cleaned_data["code"], ip=client_ip(request))
        except login.Throttled as error:
            form.add_error(None, error.message)
            status = 429
        except DomainError as error:
            _form_error(form, error)
        else:
            request.session.pop(PENDING_CODE_KEY, None)
            log_person_in(request, person)
            return redirect("personspace:home")
    context = {"form": form, "minutes": policies.CODE_VALIDITY_MINUTES}
    return render(request, "personspace/code.html", context, status=400 if form.errors and status == 200 else status)


def _invalid_link(request, message, status):
    return render(request, "personspace/link_invalid.html", {"message": message}, status=status)


@login_not_required
def link_page(request, token):
    """The page shows a button; only pressing it (POST) uses the link, so that e-mail scanners
    opening the link do not spend it."""
    secret = login.find_link(token)
    if secret is None:
        try:
            login.check_unknown_link(client_ip(request))
        except login.Throttled as error:
            return _invalid_link(request, error.message, 429)
        return _invalid_link(request, "Ce lien n'est pas valable : demandez un nouveau lien de connexion.", 404)
    state = login.link_state(secret)
    if state != "usable":
        login.refuse_link(secret, state)
        return _invalid_link(request, login.STATE_MESSAGES[state], 410)
    if request.method == "POST":
        try:
            person = login.consume_link(secret)
        except DomainError as error:
            secret.refresh_from_db()
            login.refuse_link(secret, login.link_state(secret))
            return _invalid_link(request, error.message, 410)
        log_person_in(request, person)
        return redirect("personspace:home")
    context = {
        "invitation": secret.kind == SecretKind.INVITATION,
        "first_name": secret.person.first_names.split(" ")[0],
    }
    return render(request, "personspace/link.html", context)


@require_POST
@person_login_required
def logout(request):
    login.record_logout(request.space_person)
    log_person_out(request)
    messages.success(request, "Vous êtes déconnecté·e de votre espace.")
    return redirect("personspace:login")


# The space -----------------------------------------------------------------------------------


def _space(request, template, context=None, status=200):
    return render(request, template, {"person": request.space_person, **(context or {})}, status=status)


@person_login_required
def home(request):
    person = request.space_person
    context = {
        "pathway": selectors.current_pathway(person),
        "referent": selectors.referent_contact(person),
        "next_appointments": list(selectors.upcoming_appointments(person).filter(status=AppointmentStatus.PLANNED)[:3]),
        "items": [
            {"label": label, "url": url, "pending": pending} for _, label, url, pending in person_space_items(person)
        ],
        "contract": selectors.current_contract(person),
    }
    return _space(request, "personspace/home.html", context)


@person_login_required
def appointments(request):
    person = request.space_person
    upcoming = list(selectors.upcoming_appointments(person)[:50])
    past = paginate(request, selectors.past_appointments(person))
    answers = services.last_answers(upcoming)
    rows = [{"appointment": a, "answer": answers.get(a.pk)} for a in upcoming]
    return _space(request, "personspace/appointments.html", {"rows": rows, "page_obj": past, "kinds": AnswerKind})


@require_POST
@person_login_required
def confirm_appointment(request, public_id):
    appointment = selectors.appointment_of(request.space_person, public_id)
    try:
        services.confirm_appointment(appointment=appointment, person=request.space_person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Merci : votre présence est confirmée. Votre conseiller ou conseillère est prévenu·e."
        )
    return redirect("personspace:appointments")


@person_login_required
def move_appointment(request, public_id):
    appointment = selectors.appointment_of(request.space_person, public_id)
    form = MoveRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_move(appointment=appointment, person=request.space_person, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, "Votre demande est envoyée : votre conseiller ou conseillère vous proposera un autre moment."
            )
            return redirect("personspace:appointments")
    status = 400 if form.errors else 200
    return _space(request, "personspace/move.html", {"appointment": appointment, "form": form}, status=status)


@person_login_required
def contract(request):
    shown = selectors.current_contract(request.space_person)
    context = {"contract": shown, **(selectors.contract_details(shown) if shown else {})}
    return _space(request, "personspace/contract.html", context)


@require_POST
@person_login_required
def approve_contract(request, public_id):
    shown = selectors.contract_of(request.space_person, public_id)
    try:
        services.approve_contract(contract=shown, person=request.space_person)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Votre approbation du contrat est enregistrée. Votre référent·e est prévenu·e.")
    return redirect("personspace:contract")


@person_login_required
def referrals(request):
    page = paginate(request, selectors.referrals(request.space_person))
    return _space(request, "personspace/referrals.html", {"page_obj": page})


@person_login_required
def immersions(request):
    page = paginate(request, selectors.immersions(request.space_person))
    return _space(request, "personspace/immersions.html", {"page_obj": page})


@person_login_required
def access_log(request):
    page = paginate(request, selectors.access_logs(request.space_person))
    return _space(request, "personspace/access_log.html", {"page_obj": page})


@person_login_required
def consent(request):
    person = request.space_person
    form = ConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["given"]
        services.change_consent(person=person, given=given)
        messages.success(
            request,
            "Votre accord au partage est enregistré." if given else "Le retrait de votre accord est enregistré.",
        )
        return redirect("personspace:consent")
    status = 400 if form.errors else 200
    return _space(request, "personspace/consent.html", {"form": form}, status=status)


@person_login_required
def data(request):
    return _space(request, "personspace/data.html")


@person_login_required
def download_data(request):
    person = request.space_person
    response = JsonResponse(services.download_data(person), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-spie.json"'
    return response


# The « Espace personnel » tab of the person's file (professionals) -----------------------------


def file_tab(request, person_id):
    person = person_for(request, person_id, what="Consultation de l'espace personnel")
    if not perms.can_see_space_activity(request.membership, person):
        raise PermissionDenied
    events = AuditEvent.objects.filter(subject_id=person.public_id, action__startswith="personspace.").exclude(
        action__startswith="personspace.invitation"
    )
    last_login = LoginSecret.objects.filter(person=person, used_at__isnull=False).order_by("-used_at").first()
    context = {
        **_file_context(request, person, "espace"),
        "page_obj": paginate(request, events.order_by("-created_at", "-id")),
        "last_login": last_login.used_at if last_login else None,
        "invitations": AuditEvent.objects.filter(subject_id=person.public_id, action="personspace.invitation.sent")
        .select_related("actor")
        .order_by("-created_at")[:5],
        "answers": AppointmentAnswer.objects.filter(person=person)
        .select_related("appointment")
        .order_by("-created_at", "-id")[:20],
        "approvals": ContractApproval.objects.filter(person=person).select_related("contract")[:5],
        "form": InvitationForm(),
        "can_invite": perms.can_invite_person(request.membership, person),
        "pending_contacts": ContactChange.objects.pending().filter(person=person).select_related("changed_by__user"),
        "can_confirm_contact": perms.can_confirm_contact_change(request.membership, person),
    }
    return render(request, "personspace/file_tab.html", context)


@require_POST
def invite(request, person_id):
    person = person_for(request, person_id, what="Invitation à l'espace personnel")
    if not perms.can_invite_person(request.membership, person):
        raise PermissionDenied
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite_person(person=person, channel=form.cleaned_data["channel"], by=Actor.from_request(request))
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Invitation envoyée à la personne.")
    else:
        messages.error(request, "Choisissez l'envoi par e-mail ou par SMS.")
    return redirect("personspace:file_tab", person.public_id)


@require_POST
def confirm_contact(request, person_id, change_id):
    person = person_for(request, person_id, what="Confirmation d'un changement de coordonnées")
    change = get_object_or_404(ContactChange.objects.filter(person=person), public_id=change_id)
    if not perms.can_confirm_contact_change(request.membership, person):
        raise PermissionDenied
    try:
        contacts.confirm_contact_change(change=change, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Changement confirmé : la personne peut se connecter avec ses nouvelles coordonnées.")
    return redirect("personspace:file_tab", person.public_id)
