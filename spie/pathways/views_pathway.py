"""The person's pathway pages: « Parcours » (stages, alerts, reviews, follow-up in employment),
« Contrat » (plan, signature, versions) and « Rendez-vous ». Thin views: scoped fetch (404),
predicate (403), one service call, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from spie.accounts.actors import Actor
from spie.core.errors import DomainError
from spie.people.views import _file_context, person_for
from spie.referentials.models import Action, Objective
from spie.territories.policies import policy_for

from . import perms, services, services_appointments, services_contracts
from .alerts import alerts_of
from .enums import (
    PLAN_ITEM_TRANSITIONS,
    AppointmentStatus,
    ContractStatus,
    FollowUpStatus,
    PlanItemStatus,
    ReviewOutcome,
    Stage,
)
from .forms import (
    ActionForm,
    ActionStatusForm,
    AppointmentForm,
    AppointmentStatusForm,
    CheckpointForm,
    ClosePathwayForm,
    ExemptionForm,
    ObjectiveForm,
    ReturnToWorkForm,
    SignForm,
    StatusReviewForm,
)
from .models import Appointment, EmploymentCheckpoint, EngagementContract, Pathway, PlanAction, PlanObjective
from .pdf import contract_pdf
from .presenters import plan_rows


def _person(request, person_id, what, predicate=None):
    person = person_for(request, person_id, what=what)
    if not perms.can_view_pathway(request.membership, person):
        raise PermissionDenied
    if predicate is not None and not predicate(request.membership, person):
        raise PermissionDenied
    return person


def _open_pathway(person):
    pathway = services.open_pathway_of(person)
    if pathway is None:
        raise DomainError("Pas de parcours ouvert pour cette personne.")
    return pathway


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- Parcours ------------------------------------------------------------------------------


def pathway(request, person_id):
    person = _person(request, person_id, "Consultation du parcours")
    membership = request.membership
    current = services.open_pathway_of(person) or Pathway.objects.filter(person=person).order_by("-created_at").first()
    today = timezone.localdate()
    follow_ups = []
    policy = policy_for(person.territory)
    if current is not None:
        follow_ups = list(current.employment_follow_ups.select_related("rome_job").prefetch_related("checkpoints"))
        for item in follow_ups:  # after an exit to employment, the checkpoints stay open for a while
            item.recordable = services.checkpoint_window_error(item, current, today, policy) is None
            item.open_until = None if current.is_open else services.checkpoints_open_until(item, policy)
    context = {
        **_file_context(request, person, "parcours"),
        "pathway": current,
        "transitions": current.transitions.select_related("by__user", "by_organisation") if current else [],
        "reviews": current.reviews.select_related("by__user") if current else [],
        "alerts": alerts_of(current, today) if current else [],
        "follow_ups": follow_ups,
        "active_follow_up": next((f for f in follow_ups if f.status == FollowUpStatus.ACTIVE), None),
        "former": Pathway.objects.filter(person=person, stage=Stage.CLOSED).exclude(pk=getattr(current, "pk", None)),
        "policy": policy,
        "can_review": perms.can_record_review(membership, person),
        "can_close": perms.can_close_pathway(membership, person),
        "can_employment": perms.can_record_employment(membership, person),
        "can_open": perms.can_plan_appointment(membership, person),
        "today": today,
        **_stepper(current),
    }
    return render(request, "pathways/pathway.html", context)


def _stepper(current):
    stages = list(Stage)
    if current is None:
        return {}
    index = stages.index(Stage(current.stage))
    return {
        "stage_index": index + 1,
        "stage_count": len(stages),
        "next_stage": stages[index + 1].label if index + 1 < len(stages) else "",
    }


@require_POST
def open_pathway(request, person_id):
    person = _person(request, person_id, "Ouverture du parcours", perms.can_plan_appointment)
    services.open_pathway(person=person, by=Actor.from_request(request))
    messages.success(request, "Parcours ouvert à l'étape « entrée ».")
    return redirect("pathways:pathway", person.public_id)


def close(request, person_id):
    person = _person(request, person_id, "Clôture du parcours", perms.can_close_pathway)
    current = get_object_or_404(Pathway.objects.open(), person=person)
    form = ClosePathwayForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.close_pathway(
                pathway=current,
                closing_reason=form.cleaned_data["closing_reason"],
                comment=form.cleaned_data["comment"],
                on=form.cleaned_data["on"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Parcours clos.")
            return redirect("pathways:pathway", person.public_id)
    context = {**_file_context(request, person, "parcours"), "form": form, "pathway": current}
    return render(request, "pathways/close.html", context)


def review(request, person_id):
    person = _person(request, person_id, "Point de situation", perms.can_record_review)
    current = get_object_or_404(Pathway.objects.open(), person=person)
    form = StatusReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.record_status_review(pathway=current, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Point de situation enregistré.")
            if review.outcome == ReviewOutcome.CASE_REVIEW:
                # The referent goes on to put the case forward (case reviews' referral form).
                target = reverse("casereviews:refer", args=[person.public_id])
                return redirect(f"{target}?point={review.public_id}")
            return redirect("pathways:pathway", person.public_id)
    context = {**_file_context(request, person, "parcours"), "form": form, "pathway": current}
    return render(request, "pathways/review.html", context)


def return_to_work(request, person_id):
    person = _person(request, person_id, "Reprise d'emploi", perms.can_record_employment)
    current = get_object_or_404(Pathway.objects.open(), person=person)
    form = ReturnToWorkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = services.record_return_to_work(
                person=person, by=Actor.from_request(request), **form.cleaned_data
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            durable = "durable" if follow_up.is_durable else "non durable"
            messages.success(
                request, f"Reprise d'emploi enregistrée (emploi {durable}) : points de suivi à M+1, M+3 et M+6."
            )
            return redirect("pathways:pathway", person.public_id)
    context = {**_file_context(request, person, "parcours"), "form": form, "pathway": current}
    return render(request, "pathways/return_to_work.html", context)


def checkpoint(request, person_id, checkpoint_id):
    person = _person(request, person_id, "Suivi dans l'emploi", perms.can_record_employment)
    item = get_object_or_404(
        EmploymentCheckpoint.objects.select_related("follow_up__rome_job"),
        follow_up__person=person,
        public_id=checkpoint_id,
    )
    form = CheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_checkpoint(
                checkpoint=item,
                contact=form.cleaned_data["contact"],
                still_in_job=form.still_in_job_value,
                comment=form.cleaned_data["comment"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Point de suivi à M+{item.months} enregistré.")
            return redirect("pathways:pathway", person.public_id)
    context = {**_file_context(request, person, "parcours"), "form": form, "checkpoint": item}
    return render(request, "pathways/checkpoint.html", context)


# --- Contrat -------------------------------------------------------------------------------


def _contract_forms(contract, data=None):
    objectives = Objective.objects.filter(version=contract.referential_version).select_related("theme")
    actions = Action.objects.filter(version=contract.referential_version).select_related("theme")
    return {
        "objective_form": ObjectiveForm(data, objectives=objectives.order_by("theme__position", "position")),
        "action_form": ActionForm(data, actions=actions.order_by("theme__position", "position")),
        "exemption_form": ExemptionForm(
            data,
            initial={"exemption_reason": contract.exemption_reason, "exemption_detail": contract.exemption_detail},
        ),
        "sign_form": SignForm(
            data,
            initial={"person_signed_on": timezone.localdate(), "referent_signed_on": timezone.localdate()},
        ),
    }


def contract(request, person_id):
    person = _person(request, person_id, "Consultation du contrat d'engagement")
    membership = request.membership
    current_pathway = services.open_pathway_of(person)
    contracts = list(
        EngagementContract.objects.filter(person=person).select_related("signed_by__user", "referential_version")
    )
    shown = next((c for c in contracts if c.status == ContractStatus.DRAFT), None) or next(
        (c for c in contracts if c.status == ContractStatus.SIGNED), None
    )
    context = {
        **_file_context(request, person, "contrat"),
        "pathway": current_pathway,
        "contract": shown,
        "contracts": contracts,
        "can_edit": perms.can_edit_contract(membership, person),
        "can_follow": perms.can_follow_plan(membership, person),
        "can_start": perms.can_edit_contract(membership, person)
        and services_contracts.contract_refusal(current_pathway) is None
        and not any(c.status == ContractStatus.DRAFT for c in contracts),
    }
    if shown is not None and shown.is_draft:
        context["contract_refusal"] = services_contracts.contract_refusal(shown.pathway)
    context["today"] = timezone.localdate()
    if shown is not None:
        context.update(_contract_context(shown))
        context["plan_editable"] = shown.is_draft and context["can_edit"]
        context["plan_followable"] = shown.status == ContractStatus.SIGNED and context["can_follow"]
        if context["plan_editable"]:
            context.update(_contract_forms(shown))
    return render(request, "pathways/contract.html", context)


def _contract_context(contract):
    rows = plan_rows(contract)
    hours = services_contracts.plan_hours(contract)
    return {
        "plan": rows,
        "hours": hours,
        "minimum_hours": services_contracts.MINIMUM_WEEKLY_HOURS,
        "hours_ok": hours >= services_contracts.MINIMUM_WEEKLY_HOURS or bool(contract.exemption_reason),
        # Next statuses in the table's order, after an empty choice selected by default: no
        # status (« abandonnée »…) is ever one click away.
        "status_choices": {
            status: [(s.value, s.label) for s in PlanItemStatus if s in targets]
            for status, targets in PLAN_ITEM_TRANSITIONS.items()
        },
    }


@require_POST
def start_contract(request, person_id):
    person = _person(request, person_id, "Préparation du contrat d'engagement", perms.can_edit_contract)
    try:
        created = services_contracts.start_contract(pathway=_open_pathway(person), by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            "Révision préparée : la version signée reste en vigueur jusqu'à la signature."
            if created.version > 1
            else "Contrat en préparation : ajoutez les objectifs et les actions avec la personne.",
        )
    return redirect("pathways:contract", person.public_id)


def _draft_for(request, person_id, contract_id, what):
    person = _person(request, person_id, what, perms.can_edit_contract)
    item = get_object_or_404(EngagementContract, person=person, public_id=contract_id)
    return person, item


def _contract_page_with_errors(request, person, item, **forms):
    context = {
        **_file_context(request, person, "contrat"),
        "pathway": item.pathway,
        "contract": item,
        "contracts": list(EngagementContract.objects.filter(person=person).select_related("signed_by__user")),
        "can_edit": True,
        "can_follow": True,
        "plan_editable": True,
        "plan_followable": False,
        "contract_refusal": services_contracts.contract_refusal(item.pathway),
        "today": timezone.localdate(),
        **_contract_context(item),
        **_contract_forms(item),
        **forms,
    }
    return render(request, "pathways/contract.html", context, status=400)


@require_POST
def add_objective(request, person_id, contract_id):
    person, item = _draft_for(request, person_id, contract_id, "Contrat : ajout d'un objectif")
    form = _contract_forms(item, request.POST)["objective_form"]
    if form.is_valid():
        try:
            services_contracts.add_objective(
                contract=item, objective_code=form.cleaned_data["objective_code"], by=Actor.from_request(request)
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Objectif ajouté au plan.")
            return redirect("pathways:contract", person.public_id)
    return _contract_page_with_errors(request, person, item, objective_form=form)


@require_POST
def remove_objective(request, person_id, contract_id, objective_id):
    person, item = _draft_for(request, person_id, contract_id, "Contrat : retrait d'un objectif")
    objective = get_object_or_404(PlanObjective, contract=item, public_id=objective_id)
    try:
        services_contracts.remove_objective(objective=objective, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Objectif retiré du plan.")
    return redirect("pathways:contract", person.public_id)


@require_POST
def add_action(request, person_id, contract_id, objective_id):
    person, item = _draft_for(request, person_id, contract_id, "Contrat : ajout d'une action")
    objective = get_object_or_404(PlanObjective, contract=item, public_id=objective_id)
    form = _contract_forms(item, request.POST)["action_form"]
    if form.is_valid():
        try:
            services_contracts.add_action(objective=objective, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Action ajoutée au plan.")
            return redirect("pathways:contract", person.public_id)
    form.objective_id = objective.public_id
    return _contract_page_with_errors(request, person, item, action_form=form, failed_objective=objective.public_id)


@require_POST
def remove_action(request, person_id, contract_id, action_id):
    person, item = _draft_for(request, person_id, contract_id, "Contrat : retrait d'une action")
    action = get_object_or_404(PlanAction, contract=item, public_id=action_id)
    try:
        services_contracts.remove_action(action=action, by=Actor.from_request(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Action retirée du plan.")
    return redirect("pathways:contract", person.public_id)


@require_POST
def exemption(request, person_id, contract_id):
    person, item = _draft_for(request, person_id, contract_id, "Contrat : dérogation")
    form = _contract_forms(item, request.POST)["exemption_form"]
    if form.is_valid():
        try:
            services_contracts.set_exemption(
                contract=item,
                reason=form.cleaned_data["exemption_reason"],
                detail=form.cleaned_data["exemption_detail"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, "Dérogation enregistrée." if item.exemption_reason else "Dérogation retirée.")
            return redirect("pathways:contract", person.public_id)
    return _contract_page_with_errors(request, person, item, exemption_form=form)


@require_POST
def sign(request, person_id, contract_id):
    person, item = _draft_for(request, person_id, contract_id, "Signature du contrat d'engagement")
    form = _contract_forms(item, request.POST)["sign_form"]
    if form.is_valid():
        try:
            services_contracts.sign_contract(contract=item, by=Actor.from_request(request), **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Contrat d'engagement (version {item.version}) signé : il est en vigueur.")
            return redirect("pathways:contract", person.public_id)
    return _contract_page_with_errors(request, person, item, sign_form=form)


@require_POST
def action_status(request, person_id, action_id):
    person = _person(request, person_id, "Contrat : suivi d'une action", perms.can_follow_plan)
    action = get_object_or_404(PlanAction, contract__person=person, public_id=action_id)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Statut : choisissez un statut dans la liste.")
        return redirect("pathways:contract", person.public_id)
    try:
        services_contracts.change_action_status(
            action=action, status=form.cleaned_data["status"], by=Actor.from_request(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Statut de l'action mis à jour.")
    return redirect("pathways:contract", person.public_id)


def _printable(request, person_id, contract_id):
    person = _person(request, person_id, "Impression du contrat d'engagement")
    item = get_object_or_404(
        EngagementContract.objects.select_related("signed_by__user", "signed_by__organisation", "pathway"),
        person=person,
        public_id=contract_id,
    )
    return person, item


def print_contract(request, person_id, contract_id):
    person, item = _printable(request, person_id, contract_id)
    context = {"person": person, "contract": item, **_contract_context(item), "today": timezone.localdate()}
    return render(request, "pathways/contract_print.html", context)


def contract_pdf_view(request, person_id, contract_id):
    person, item = _printable(request, person_id, contract_id)
    response = HttpResponse(contract_pdf(person, item, plan_rows(item)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contrat-engagement-v{item.version}.pdf"'
    return response


# --- Rendez-vous ---------------------------------------------------------------------------


def professional_choices(person):
    return [
        (str(m.public_id), f"{m.user.get_full_name()} — {m.organisation.name}")
        for m in services_appointments.team_memberships(person).order_by("user__last_name")
    ]


def appointment_form(request, person, data=None):
    membership = request.membership
    choices = professional_choices(person)
    default = str(membership.public_id) if any(value == str(membership.public_id) for value, _ in choices) else ""
    if not default and person.referent is not None:
        default = str(person.referent.membership.public_id)
    return AppointmentForm(data, professionals=choices, initial={"professional": default})


def plan_from_form(request, person, form):
    """Validate and plan; returns the appointment or None (errors on the form)."""
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    professional = services_appointments.team_memberships(person).filter(public_id=data.pop("professional")).first()
    try:
        return services_appointments.plan_appointment(
            pathway=_open_pathway(person), professional=professional, by=Actor.from_request(request), **data
        )
    except DomainError as error:
        _form_error(form, error)
        return None


def appointments(request, person_id):
    person = _person(request, person_id, "Consultation des rendez-vous")
    membership = request.membership
    can_plan = perms.can_plan_appointment(membership, person)
    form = appointment_form(request, person, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied
        appointment = plan_from_form(request, person, form)
        if appointment is not None:
            messages.success(
                request,
                "Rendez-vous planifié"
                + (" : invitation envoyée à la personne." if appointment.invitation_sent_at else "."),
            )
            return redirect("pathways:appointments", person.public_id)
    items = (
        Appointment.objects.filter(person=person)
        .select_related("professional__user", "professional__organisation")
        .order_by("-starts_at")
    )
    now = timezone.now()
    context = {
        **_file_context(request, person, "rendez-vous"),
        "upcoming": [a for a in items if a.starts_at >= now and a.status == AppointmentStatus.PLANNED][::-1],
        "past": [a for a in items if not (a.starts_at >= now and a.status == AppointmentStatus.PLANNED)],
        "form": form if can_plan and services.open_pathway_of(person) else None,
        "can_plan": can_plan,
        "status_form": AppointmentStatusForm(),
        "now": now,
    }
    return render(request, "pathways/appointments.html", context, status=400 if form.errors else 200)


def appointment_status(request, person_id, appointment_id):
    person = _person(request, person_id, "Statut d'un rendez-vous", perms.can_plan_appointment)
    item = get_object_or_404(
        Appointment.objects.select_related("professional__user"), person=person, public_id=appointment_id
    )
    form = AppointmentStatusForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services_appointments.record_appointment_status(
                appointment=item,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                by=Actor.from_request(request),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"Rendez-vous : {AppointmentStatus(form.cleaned_data['status']).label.lower()}.")
            return redirect("pathways:appointments", person.public_id)
    context = {**_file_context(request, person, "rendez-vous"), "form": form, "appointment": item}
    return render(request, "pathways/appointment_status.html", context)
