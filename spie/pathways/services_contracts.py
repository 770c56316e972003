"""The contrat d'engagement: drafting the plan (objectives and actions of the referential, or
offers of the directory), the 15-hour rule and its exemptions, signature and revisions.
A signed version is never changed: a revision is a new draft copied from it."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from spie.core.errors import DomainError
from spie.people.services import record_file_write
from spie.referentials.models import Action, Objective, ReferentialVersion
from spie.territories.policies import policy_for

from . import services
from .dates import contract_due_on
from .enums import (
    ACCOMPANIED_STAGES,
    ACTIVE_PLAN_STATUSES,
    CONTRACT_TRANSITIONS,
    PLAN_ITEM_TRANSITIONS,
    ContractStatus,
    ExemptionReason,
    PlanItemStatus,
    Stage,
)
from .models import EngagementContract, PlanAction, PlanObjective

MINIMUM_WEEKLY_HOURS = Decimal("15")
# A person back at work may still sign their contract while the pathway goes on (« en emploi »).
CONTRACT_STAGES = [*ACCOMPANIED_STAGES, Stage.EMPLOYMENT]


def contract_refusal(pathway):
    """Why a contract cannot be prepared or signed on `pathway` now (a French message), or None.
    The contract needs an open pathway with a notified orientation; a return to work does not
    prevent it (a contract signed before the job started is valid, and a person in employment
    may sign one while the pathway goes on)."""
    if pathway is None:
        return "Pas de parcours ouvert : le contrat d'engagement se signe sur un parcours en cours."
    if not pathway.is_open:
        closed = f" le {pathway.closed_on:%d/%m/%Y}" if pathway.closed_on else ""
        return f"Le parcours a été clos{closed} : le contrat d'engagement ne peut plus être préparé ni signé."
    if pathway.oriented_on is None or pathway.stage not in CONTRACT_STAGES:
        return "Le contrat d'engagement se prépare une fois l'orientation décidée : aucune orientation n'est notifiée."
    return None


def plan_hours(contract):
    """Weekly hours of the plan: actions planned or in progress."""
    total = contract.actions.filter(status__in=ACTIVE_PLAN_STATUSES).aggregate(total=Sum("weekly_hours"))["total"]
    return total or Decimal("0")


def _draft(contract):
    contract = EngagementContract.objects.select_for_update().select_related("pathway", "person").get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise DomainError("Ce contrat est signé : pour le modifier, préparez une révision.")
    return contract


def _write(contract, by, action, what, target=None, data=None):
    record_file_write(
        contract.person,
        by=by,
        action=action,
        what=what,
        target=target or contract,
        data={"contract": str(contract.public_id), "version": contract.version, **(data or {})},
    )


@transaction.atomic
def start_contract(*, pathway, by):
    """A draft contract (version 1), or a revision copied from the signed version."""
    refused = contract_refusal(pathway)
    if refused:
        raise DomainError(refused)
    existing = EngagementContract.objects.filter(pathway=pathway, status=ContractStatus.DRAFT).first()
    if existing is not None:
        return existing
    in_force = EngagementContract.objects.filter(pathway=pathway, status=ContractStatus.SIGNED).first()
    version = (EngagementContract.objects.filter(pathway=pathway).aggregate(v=Max("version"))["v"] or 0) + 1
    referential = in_force.referential_version if in_force is not None else ReferentialVersion.objects.current()
    if referential is None:
        raise DomainError("Aucune version du référentiel n'est en vigueur : le plan ne peut pas être construit.")
    contract = EngagementContract.objects.create(
        pathway=pathway,
        person=pathway.person,
        territory_id=pathway.territory_id,
        version=version,
        previous=in_force,
        referential_version=referential,
        due_on=pathway.contract_due_on
        or (contract_due_on(pathway.oriented_on, policy_for(pathway.territory_id)) if pathway.oriented_on else None),
        exemption_reason=in_force.exemption_reason if in_force else "",
        exemption_detail=in_force.exemption_detail if in_force else "",
        created_by=by.membership,
    )
    if in_force is not None:
        _copy_plan(in_force, contract)
    _write(
        contract,
        by,
        "pathways.contract.revision_started" if in_force else "pathways.contract.started",
        "Contrat d'engagement : révision" if in_force else "Contrat d'engagement : préparation",
    )
    return contract


def _copy_plan(source, target):
    """Copy objectives and their actions still useful (done, abandoned or cancelled actions stay
    in the previous version's history)."""
    for objective in source.objectives.prefetch_related("actions"):
        copy = PlanObjective.objects.create(
            contract=target,
            territory_id=target.territory_id,
            objective_code=objective.objective_code,
            referential_version=objective.referential_version,
            position=objective.position,
            status=objective.status,
        )
        PlanAction.objects.bulk_create(
            PlanAction(
                objective=copy,
                contract=target,
                territory_id=target.territory_id,
                action_code=action.action_code,
                referential_version=action.referential_version,
                offer_id=action.offer_id,
                status=action.status,
                starts_on=action.starts_on,
                ends_on=action.ends_on,
                weekly_hours=action.weekly_hours,
                position=action.position,
            )
            for action in objective.actions.all()
            if action.status in (*ACTIVE_PLAN_STATUSES, PlanItemStatus.ON_HOLD)
        )


@transaction.atomic
def add_objective(*, contract, objective_code, by):
    contract = _draft(contract)
    code = (objective_code or "").strip()
    if not Objective.objects.filter(version=contract.referential_version, code=code).exists():
        raise DomainError("Objectif : choisissez un objectif du référentiel.", field="objective_code")
    if contract.objectives.filter(objective_code=code).exists():
        raise DomainError("Objectif : il figure déjà dans le plan.", field="objective_code")
    position = (contract.objectives.aggregate(p=Max("position"))["p"] or 0) + 1
    objective = PlanObjective.objects.create(
        contract=contract,
        territory_id=contract.territory_id,
        objective_code=code,
        referential_version=contract.referential_version,
        position=position,
    )
    _write(contract, by, "pathways.contract.objective_added", "Contrat : objectif ajouté", data={"code": code})
    return objective


@transaction.atomic
def remove_objective(*, objective, by):
    contract = _draft(objective.contract)
    code = objective.objective_code
    objective.delete()
    _write(contract, by, "pathways.contract.objective_removed", "Contrat : objectif retiré", data={"code": code})


def _hours(value):
    try:
        hours = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise DomainError("Heures par semaine : nombre attendu (par exemple 4,5).", field="weekly_hours") from None
    if hours < 0 or hours > 60:
        raise DomainError("Heures par semaine : entre 0 et 60.", field="weekly_hours")
    return hours


def _dates(starts_on, ends_on):
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError("Fin : elle ne peut pas précéder le début.", field="ends_on")


@transaction.atomic
def add_action(*, objective, by, action_code="", offer=None, weekly_hours=0, starts_on=None, ends_on=None):
    """Add an action of the referential (its code in the contract's version) or an offer."""
    contract = _draft(objective.contract)
    code = (action_code or "").strip()
    if not code and offer is None:
        raise DomainError(
            "Action : choisissez une action du référentiel ou un service de l'offre.", field="action_code"
        )
    if code and not Action.objects.filter(version=contract.referential_version, code=code).exists():
        raise DomainError("Action : choisissez une action du référentiel.", field="action_code")
    if offer is not None and getattr(offer, "territory_id", contract.territory_id) not in (None, contract.territory_id):
        raise DomainError("Service : il n'appartient pas au territoire de la personne.", field="offer")
    hours = _hours(weekly_hours)
    _dates(starts_on, ends_on)
    position = (objective.actions.aggregate(p=Max("position"))["p"] or 0) + 1
    action = PlanAction.objects.create(
        objective=objective,
        contract=contract,
        territory_id=contract.territory_id,
        action_code=code,
        referential_version=contract.referential_version if code else None,
        offer=offer,
        weekly_hours=hours,
        starts_on=starts_on,
        ends_on=ends_on,
        position=position,
    )
    _write(
        contract,
        by,
        "pathways.contract.action_added",
        "Contrat : action ajoutée",
        target=action,
        data={"code": code, "hours": str(hours)},
    )
    return action


@transaction.atomic
def update_action(*, action, by, weekly_hours, starts_on=None, ends_on=None):
    contract = _draft(action.contract)
    action.weekly_hours = _hours(weekly_hours)
    _dates(starts_on, ends_on)
    action.starts_on, action.ends_on = starts_on, ends_on
    action.save(update_fields=["weekly_hours", "starts_on", "ends_on", "updated_at"])
    _write(contract, by, "pathways.contract.action_updated", "Contrat : action modifiée", target=action)
    return action


@transaction.atomic
def remove_action(*, action, by):
    contract = _draft(action.contract)
    code = action.action_code
    action.delete()
    _write(contract, by, "pathways.contract.action_removed", "Contrat : action retirée", data={"code": code})


@transaction.atomic
def set_exemption(*, contract, reason, detail, by):
    """Record (or remove, with an empty reason) the exemption from the 15 hours and its reason."""
    contract = _draft(contract)
    if reason and reason not in ExemptionReason.values:
        raise DomainError("Motif de dérogation : choisissez un motif dans la liste.", field="exemption_reason")
    detail = (detail or "").strip()
    if reason and not detail:
        raise DomainError(
            "Précisions sur la dérogation : décrivez la difficulté particulière avérée.", field="exemption_detail"
        )
    contract.exemption_reason, contract.exemption_detail = reason or "", detail if reason else ""
    contract.save(update_fields=["exemption_reason", "exemption_detail", "updated_at"])
    _write(
        contract,
        by,
        "pathways.contract.exemption_set" if reason else "pathways.contract.exemption_removed",
        "Contrat : dérogation aux 15 heures" if reason else "Contrat : dérogation retirée",
        data={"reason": reason or ""},
    )
    return contract


def check_signable(contract):
    """The rules a plan must meet to be signed; raises DomainError naming the field."""
    objectives = list(contract.objectives.prefetch_related("actions"))
    if not objectives:
        raise DomainError("Plan d'action : ajoutez au moins un objectif.", field="objectives")
    empty = [objective for objective in objectives if not objective.actions.all()]
    if empty:
        raise DomainError("Plan d'action : chaque objectif doit avoir au moins une action.", field="objectives")
    hours = plan_hours(contract)
    if hours < MINIMUM_WEEKLY_HOURS and not contract.exemption_reason:
        raise DomainError(
            f"Heures d'activité : le plan totalise {f'{hours:.1f}'.replace('.', ',')} h par semaine ; "
            "il en faut au moins 15, "
            "sauf dérogation enregistrée avec son motif.",
            field="weekly_hours",
        )
    return hours


@transaction.atomic
def sign_contract(*, contract, person_signed_on, referent_signed_on, by):
    """Both signatures recorded: the contract is in force (and replaces the previous version);
    the pathway moves to « contrat signé »."""
    contract = _draft(contract)
    pathway = contract.pathway
    refused = contract_refusal(pathway)
    if refused:
        raise DomainError(refused)
    today = timezone.localdate()
    for field, day, label in (
        ("person_signed_on", person_signed_on, "Signature de la personne"),
        ("referent_signed_on", referent_signed_on, "Signature du ou de la référent·e"),
    ):
        if day is None:
            raise DomainError(f"{label} : indiquez la date de signature.", field=field)
        if day > today:
            raise DomainError(f"{label} : la date ne peut pas être dans le futur.", field=field)
        if pathway.oriented_on and day < pathway.oriented_on:
            raise DomainError(
                f"{label} : la date ne peut pas précéder l'orientation ({pathway.oriented_on:%d/%m/%Y}).", field=field
            )
    hours = check_signable(contract)
    previous = EngagementContract.objects.select_for_update().filter(pathway=pathway, status=ContractStatus.SIGNED)
    for old in previous:
        if ContractStatus.REPLACED not in CONTRACT_TRANSITIONS[old.status]:
            raise DomainError("La version en vigueur ne peut pas être remplacée.")
        old.status, old.replaced_at = ContractStatus.REPLACED, timezone.now()
        old.save(update_fields=["status", "replaced_at", "updated_at"])
    if ContractStatus.SIGNED not in CONTRACT_TRANSITIONS[contract.status]:
        raise DomainError("Ce contrat ne peut pas être signé.")
    contract.status = ContractStatus.SIGNED
    contract.weekly_hours = hours
    contract.person_signed_on, contract.referent_signed_on = person_signed_on, referent_signed_on
    contract.signed_by, contract.signed_at = by.membership, timezone.now()
    contract.save()
    _write(
        contract,
        by,
        "pathways.contract.signed",
        "Contrat d'engagement signé",
        data={"hours": str(hours), "exemption": contract.exemption_reason},
    )
    services.mark_contract_signed(pathway=pathway, signed_on=max(person_signed_on, referent_signed_on), by=by)
    return contract


@transaction.atomic
def change_action_status(*, action, status, by):
    """Follow an action of the signed plan (planned → in progress → done…): the plan's content
    stays as signed; only the status moves, along the transition table."""
    action = PlanAction.objects.select_for_update().select_related("contract__person").get(pk=action.pk)
    if action.contract.status == ContractStatus.REPLACED:
        raise DomainError("Cette version du contrat a été remplacée : suivez les actions de la version en vigueur.")
    if status not in PLAN_ITEM_TRANSITIONS[action.status]:
        raise DomainError(
            f"Statut : une action « {PlanItemStatus(action.status).label.lower()} » ne peut pas passer à "
            f"« {PlanItemStatus(status).label.lower() if status in PlanItemStatus.values else status} ».",
            field="status",
        )
    previous = action.status
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    _write(
        action.contract,
        by,
        "pathways.contract.action_status_changed",
        "Contrat : statut d'une action",
        target=action,
        data={"from": previous, "to": status},
    )
    return action


def current_contract(pathway):
    """The draft if any, else the signed version."""
    contracts = {c.status: c for c in EngagementContract.objects.filter(pathway=pathway).exclude(status="remplace")}
    return contracts.get(ContractStatus.DRAFT) or contracts.get(ContractStatus.SIGNED)
