"""The shared pathway: one service per stage transition, status reviews, follow-up in employment
and the territory's delays. Every write is atomic, audited in the person's timeline, and keeps the
pathway's due dates (the alerts) up to date.

Entry points for other apps: `open_pathway(person=…, by=…)` when a file is created, and
`record_return_to_work(…)` when a hire is recorded (companies: immersion assessments)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.core.validators import validate_siret
from spie.people.services import record_file_write
from spie.referentials.models import RomeJob
from spie.territories.models import TerritorySettings
from spie.territories.policies import NATIONAL_DEFAULTS, policy_for

from .dates import DUE_FIELDS, add_months, apply_due_dates, review_period_days
from .enums import (
    ACCOMPANIED_STAGES,
    CHECKPOINT_MONTHS,
    DURABLE_CONTRACT_TYPES,
    EMPLOYMENT_EXITS,
    FOLLOW_UP_TRANSITIONS,
    OPEN_STAGES,
    STAGE_TRANSITIONS,
    AppointmentStatus,
    CheckpointContact,
    ClosingReason,
    EmploymentContractType,
    FollowUpStatus,
    ReviewOutcome,
    Stage,
    WorkingTime,
)
from .models import (
    Appointment,
    EmploymentCheckpoint,
    EmploymentFollowUp,
    Pathway,
    PathwayTransition,
    StatusReview,
)

FACT_FIELDS = [
    "stage",
    "stage_since",
    "pathway_type",
    "referent",
    "referent_organisation",
    "oriented_on",
    "contract_signed_on",
    "last_seen_appointment_on",
    "last_review_on",
    "oldest_planned_appointment_on",
    "next_checkpoint_on",
    "next_case_action_on",
    "closed_on",
    "closing_reason",
]


# --- Pathway and its stages ----------------------------------------------------------------


def open_pathway_of(person):
    """The person's open pathway, or None."""
    return Pathway.objects.filter(person=person).exclude(stage=Stage.CLOSED).first()


def save_pathway(pathway, fields=(), policy=None):
    """Recompute the due dates from the facts and save the given fields and the due dates."""
    policy = policy or policy_for(pathway.territory_id)
    apply_due_dates(pathway, policy)
    pathway.save(update_fields=[*fields, *DUE_FIELDS, "updated_at"])


def _local_today():
    return timezone.localdate()


@transaction.atomic
def open_pathway(*, person, by, on=None):
    """Open the person's pathway at the stage « entrée » (kept if one is already open). The entry
    date is the person's entry date (T0)."""
    existing = open_pathway_of(person)
    if existing is not None:
        return existing
    if on is None:
        on = person.entry_date or _local_today()
        last_closed = Pathway.objects.filter(person=person).aggregate(day=Max("closed_on"))["day"]
        if last_closed and on <= last_closed:  # a new pathway after a closed one starts today
            on = _local_today()
    pathway = Pathway(person=person, territory_id=person.territory_id, stage=Stage.ENTRY, stage_since=on, entered_on=on)
    apply_due_dates(pathway, policy_for(person.territory_id))
    pathway.save()
    PathwayTransition.objects.create(
        pathway=pathway,
        territory_id=pathway.territory_id,
        to_stage=Stage.ENTRY,
        on=on,
        reason="Entrée dans le dispositif",
        by=by.membership,
        by_organisation=by.organisation,
    )
    record_file_write(
        person,
        by=by,
        action="pathways.pathway.opened",
        what="Ouverture du parcours",
        target=pathway,
        data={"on": on.isoformat()},
    )
    return pathway


def _move(pathway, to_stage, *, by, on, reason="", closing_reason="", action, what, fields=(), data=None):
    """The one place where a stage changes: checks the table, logs the transition, audits."""
    if to_stage not in STAGE_TRANSITIONS[pathway.stage]:
        raise DomainError(
            f"Le parcours ne peut pas passer de l'étape « {Stage(pathway.stage).label} » à « {Stage(to_stage).label} »."
        )
    if on > _local_today():
        raise DomainError("Date : elle ne peut pas être dans le futur.", field="on")
    from_stage = pathway.stage
    pathway.stage, pathway.stage_since = to_stage, on
    save_pathway(pathway, ["stage", "stage_since", *fields])
    transition = PathwayTransition.objects.create(
        pathway=pathway,
        territory_id=pathway.territory_id,
        from_stage=from_stage,
        to_stage=to_stage,
        on=on,
        reason=reason[:500],
        closing_reason=closing_reason,
        by=by.membership,
        by_organisation=by.organisation,
    )
    record_file_write(
        pathway.person,
        by=by,
        action=action,
        what=what,
        target=pathway,
        data={"from": from_stage, "to": to_stage, "on": on.isoformat(), **(data or {})},
    )
    return transition


def _locked(pathway):
    return Pathway.objects.select_for_update().select_related("person__territory").get(pk=pathway.pk)


@transaction.atomic
def orient_pathway(*, decision, by):
    """An orientation decision opens (if needed) and moves the pathway to « orienté »; a new
    decision (reorientation) brings it back there and restarts the contract's month."""
    person = decision.person
    pathway = _locked(open_pathway(person=person, by=by))
    reorientation = pathway.oriented_on is not None
    pathway.pathway_type = decision.pathway_type
    pathway.referent, pathway.referent_organisation = decision.referent, decision.referent_organisation
    pathway.oriented_on = decision.notified_on
    pathway.contract_signed_on = None
    on = max(decision.notified_on, pathway.stage_since)
    _move(
        pathway,
        Stage.ORIENTED,
        by=by,
        on=on,
        reason=("Réorientation : parcours " if reorientation else "Orientation : parcours ")
        + decision.get_pathway_type_display().lower(),
        action="pathways.pathway.reoriented" if reorientation else "pathways.pathway.oriented",
        what="Parcours : orientation",
        fields=["pathway_type", "referent", "referent_organisation", "oriented_on", "contract_signed_on"],
        data={"decision": str(decision.public_id), "pathway_type": decision.pathway_type},
    )
    return pathway


def sync_referent(*, pathway, membership):
    """Keep the pathway's denormalised referent in step with the follow-up team."""
    Pathway.objects.filter(pk=pathway.pk).update(
        referent=membership, referent_organisation=membership.organisation if membership else None
    )


@transaction.atomic
def mark_contract_signed(*, pathway, signed_on, by):
    """Called by the contract's signature: « orienté » → « contrat signé » (a revision signed later
    keeps the stage)."""
    pathway = _locked(pathway)
    pathway.contract_signed_on = signed_on
    if pathway.stage == Stage.ORIENTED:
        _move(
            pathway,
            Stage.CONTRACT_SIGNED,
            by=by,
            on=max(signed_on, pathway.stage_since),
            reason="Contrat d'engagement signé",
            action="pathways.pathway.contract_signed",
            what="Parcours : contrat signé",
            fields=["contract_signed_on"],
        )
    else:
        save_pathway(pathway, ["contract_signed_on"])
    return pathway


@transaction.atomic
def start_accompaniment(*, pathway, by, on=None, reason="Premier rendez-vous honoré après la signature"):
    """« contrat signé » → « en accompagnement »."""
    pathway = _locked(pathway)
    _move(
        pathway,
        Stage.ACCOMPANIMENT,
        by=by,
        on=on or _local_today(),
        reason=reason,
        action="pathways.pathway.accompaniment_started",
        what="Parcours : début de l'accompagnement",
    )
    return pathway


@transaction.atomic
def close_pathway(*, pathway, closing_reason, by, comment="", on=None):
    """Close the pathway with one of the closing reasons; planned appointments are cancelled. The
    employment follow-up ends with the pathway, except after an exit to employment: then its
    checkpoints stay recordable until the M+6 window closes (`checkpoints_open_until`)."""
    if closing_reason not in ClosingReason.values:
        raise DomainError("Motif de clôture : choisissez un motif dans la liste.", field="closing_reason")
    if closing_reason == ClosingReason.OTHER and not comment.strip():
        raise DomainError("Commentaire : précisez le motif de clôture « autre ».", field="comment")
    pathway = _locked(pathway)
    on = on or _local_today()
    if on < pathway.stage_since:
        raise DomainError(
            f"Date de clôture : elle ne peut pas précéder le début de l'étape ({pathway.stage_since:%d/%m/%Y}).",
            field="on",
        )
    pathway.closed_on, pathway.closing_reason = on, closing_reason
    planned = Appointment.objects.filter(pathway=pathway, status=AppointmentStatus.PLANNED)
    planned.update(status=AppointmentStatus.CANCELLED, status_note="Parcours clos", status_recorded_at=timezone.now())
    pathway.oldest_planned_appointment_on = None
    active = EmploymentFollowUp.objects.filter(pathway=pathway, status=FollowUpStatus.ACTIVE)
    if closing_reason in EMPLOYMENT_EXITS:
        # The follow-up in employment goes on after an exit to employment, until its window closes.
        policy = policy_for(pathway.territory_id)
        active = [item.pk for item in active if checkpoints_open_until(item, policy) < on]
        active = EmploymentFollowUp.objects.filter(pk__in=active)
    active.update(status=FollowUpStatus.ENDED, ended_on=on)
    pathway.next_checkpoint_on = None
    label = ClosingReason(closing_reason).label
    _move(
        pathway,
        Stage.CLOSED,
        by=by,
        on=on,
        reason=f"{label}{' — ' + comment.strip() if comment.strip() else ''}",
        closing_reason=closing_reason,
        action="pathways.pathway.closed",
        what="Parcours : clôture",
        fields=["closed_on", "closing_reason", "oldest_planned_appointment_on", "next_checkpoint_on"],
        data={"closing_reason": closing_reason},
    )
    return pathway


# --- Appointments' facts on the pathway ----------------------------------------------------


def _local_date(moment, territory):
    from zoneinfo import ZoneInfo

    return timezone.localtime(moment, ZoneInfo(territory.time_zone)).date() if moment else None


def refresh_appointment_facts(pathway):
    """Last seen appointment and oldest appointment still without a status (two aggregates)."""
    appointments = Appointment.objects.filter(pathway=pathway)
    last_seen = appointments.filter(status=AppointmentStatus.SEEN).aggregate(at=Max("starts_at"))["at"]
    oldest = appointments.filter(status=AppointmentStatus.PLANNED).aggregate(at=Min("starts_at"))["at"]
    territory = pathway.person.territory if pathway.person_id else pathway.territory
    pathway.last_seen_appointment_on = _local_date(last_seen, territory)
    pathway.oldest_planned_appointment_on = _local_date(oldest, territory)
    save_pathway(pathway, ["last_seen_appointment_on", "oldest_planned_appointment_on"])


# --- Actions decided in case reviews (entry point for the casereviews app) ------------------


def set_case_action_due(*, pathway, due_on):
    """Record the earliest due date of the open actions decided for the person in a case review
    (None when none is open); the overdue alert follows from it. Called inside the caller's
    transaction."""
    pathway = _locked(pathway)
    if pathway.next_case_action_on == due_on:
        return pathway
    pathway.next_case_action_on = due_on
    save_pathway(pathway, ["next_case_action_on"])
    return pathway


# --- Status reviews (points de situation) --------------------------------------------------


@transaction.atomic
def record_status_review(*, pathway, reviewed_on, outcome, by, comment=""):
    """Record a point de situation and its conclusion; the next one is due one period later."""
    pathway = _locked(pathway)
    if pathway.stage not in ACCOMPANIED_STAGES and pathway.stage != Stage.EMPLOYMENT:
        raise DomainError("Un point de situation se fait sur un parcours orienté et ouvert.")
    if outcome not in ReviewOutcome.values:
        raise DomainError("Conclusion : choisissez une conclusion dans la liste.", field="outcome")
    if reviewed_on > _local_today():
        raise DomainError("Date du point : elle ne peut pas être dans le futur.", field="reviewed_on")
    if pathway.oriented_on and reviewed_on < pathway.oriented_on:
        raise DomainError(
            f"Date du point : elle ne peut pas précéder l'orientation ({pathway.oriented_on:%d/%m/%Y}).",
            field="reviewed_on",
        )
    if (
        outcome in (ReviewOutcome.REORIENTATION, ReviewOutcome.CLOSING, ReviewOutcome.CASE_REVIEW)
        and not (comment or "").strip()
    ):
        raise DomainError("Commentaire : expliquez cette conclusion.", field="comment")
    policy = policy_for(pathway.territory_id)
    pathway.last_review_on = max(reviewed_on, pathway.last_review_on or reviewed_on)
    save_pathway(pathway, ["last_review_on"], policy)
    review = StatusReview.objects.create(
        pathway=pathway,
        person=pathway.person,
        territory_id=pathway.territory_id,
        reviewed_on=reviewed_on,
        outcome=outcome,
        comment=(comment or "").strip(),
        next_due_on=pathway.last_review_on + datetime.timedelta(days=review_period_days(policy, pathway.pathway_type)),
        by=by.membership,
    )
    record_file_write(
        pathway.person,
        by=by,
        action="pathways.review.recorded",
        what="Point de situation",
        target=review,
        data={"outcome": outcome, "reviewed_on": reviewed_on.isoformat()},
    )
    return review


# --- Follow-up in employment ---------------------------------------------------------------


def is_durable(contract_type):
    """The official rule: CDI, CDD or temp mission of 6 months or more, business creation."""
    return contract_type in DURABLE_CONTRACT_TYPES


def employment_contract_type(kind, duration_months=None):
    """Map a contract kind of another module (companies: cdi, cdd, interim, apprentissage, iae,
    pec, professionnalisation, autre) and its duration to the follow-up's contract type."""
    long = duration_months is not None and duration_months >= 6
    return {
        "cdi": EmploymentContractType.CDI,
        "cdd": EmploymentContractType.CDD_LONG if long else EmploymentContractType.CDD_SHORT,
        "interim": EmploymentContractType.TEMP_LONG if long else EmploymentContractType.TEMP_SHORT,
        "apprentissage": EmploymentContractType.APPRENTICESHIP,
        "iae": EmploymentContractType.IAE,
        "creation_entreprise": EmploymentContractType.BUSINESS_CREATION,
    }.get(kind, EmploymentContractType(kind) if kind in EmploymentContractType.values else EmploymentContractType.OTHER)


def _check_return_to_work(employer_name, employer_siret, rome_job, contract_type, working_time, weekly_hours, start):
    if not (employer_name or "").strip():
        raise DomainError("Employeur : indiquez le nom de l'employeur.", field="employer_name")
    siret = (employer_siret or "").replace(" ", "")
    try:
        validate_siret(siret)
    except ValidationError as error:
        raise DomainError(f"SIRET de l'employeur : {error.messages[0]}", field="employer_siret") from None
    if isinstance(rome_job, str):
        rome_job = RomeJob.objects.filter(code=rome_job.strip().upper()).first()
    if rome_job is None:
        raise DomainError("Métier (ROME) : choisissez un métier du répertoire ROME.", field="rome_job")
    if contract_type not in EmploymentContractType.values:
        raise DomainError("Type de contrat : choisissez un type de contrat dans la liste.", field="contract_type")
    if working_time not in WorkingTime.values:
        raise DomainError("Temps de travail : choisissez temps plein ou temps partiel.", field="working_time")
    if weekly_hours is not None and not (Decimal("0") < Decimal(weekly_hours) <= Decimal("48")):
        raise DomainError("Heures par semaine : entre 1 et 48 heures.", field="weekly_hours")
    if start is None:
        raise DomainError("Date de début : indiquez la date de début du contrat.", field="start_date")
    if start > _local_today() + datetime.timedelta(days=90):
        raise DomainError("Date de début : au plus tard dans trois mois.", field="start_date")
    return siret, rome_job


def _next_checkpoint_on(pathway):
    return (
        EmploymentCheckpoint.objects.filter(
            pathway=pathway, recorded_on__isnull=True, follow_up__status=FollowUpStatus.ACTIVE
        )
        .aggregate(day=Min("due_on"))
        .get("day")
    )


def checkpoints_open_until(follow_up, policy=None):
    """Last day on which a checkpoint of `follow_up` can still be recorded once the pathway is
    closed by an exit to employment: the M+6 checkpoint's due date plus the territory's tolerance."""
    policy = policy or policy_for(follow_up.territory_id)
    last_due = add_months(follow_up.start_date, CHECKPOINT_MONTHS[-1])
    return last_due + datetime.timedelta(days=policy.employment_checkpoint_tolerance_days)


def checkpoint_window_error(follow_up, pathway, today=None, policy=None):
    """Why no checkpoint of `follow_up` can be recorded now (a French message), or None."""
    if follow_up.status != FollowUpStatus.ACTIVE:
        return "Ce suivi dans l'emploi est terminé : ses points ne peuvent plus être enregistrés."
    if pathway.is_open:
        return None
    until = checkpoints_open_until(follow_up, policy)
    if (today or _local_today()) > until:
        return (
            f"Le suivi dans l'emploi après la sortie du parcours s'est terminé le {until:%d/%m/%Y} "
            f"(point à M+{CHECKPOINT_MONTHS[-1]} et sa tolérance) : ce point ne peut plus être enregistré."
        )
    return None


@transaction.atomic
def record_return_to_work(
    *,
    person,
    employer_name,
    employer_siret,
    rome_job,
    contract_type,
    working_time,
    start_date,
    by,
    weekly_hours=None,
    source="",
    source_id=None,
):
    """Record a return to work: classify it (durable or not), open the checkpoints at M+1, M+3 and
    M+6 and move the pathway to « en emploi (suivi) ». The one entry point, also for the hires
    recorded by the companies module (`source="immersion"`, `source_id` = the assessment's
    UUID: calling twice with the same source returns the same follow-up). `rome_job` is a RomeJob
    or its code."""
    if source_id is not None:
        existing = EmploymentFollowUp.objects.filter(source=source, source_id=source_id).first()
        if existing is not None:
            return existing
    siret, rome_job = _check_return_to_work(
        employer_name, employer_siret, rome_job, contract_type, working_time, weekly_hours, start_date
    )
    pathway = open_pathway_of(person) or open_pathway(person=person, by=by)
    pathway = _locked(pathway)
    if EmploymentFollowUp.objects.filter(pathway=pathway, status=FollowUpStatus.ACTIVE).exists():
        raise DomainError("Un suivi dans l'emploi est déjà en cours : terminez-le avant d'en ouvrir un autre.")
    follow_up = EmploymentFollowUp.objects.create(
        pathway=pathway,
        person=person,
        territory_id=person.territory_id,
        employer_name=employer_name.strip(),
        employer_siret=siret,
        rome_job=rome_job,
        contract_type=contract_type,
        working_time=working_time,
        weekly_hours=weekly_hours,
        start_date=start_date,
        is_durable=is_durable(contract_type),
        source=source,
        source_id=source_id,
        recorded_by=by.membership,
    )
    EmploymentCheckpoint.objects.bulk_create(
        EmploymentCheckpoint(
            follow_up=follow_up,
            pathway=pathway,
            territory_id=person.territory_id,
            months=months,
            due_on=add_months(start_date, months),
        )
        for months in CHECKPOINT_MONTHS
    )
    pathway.next_checkpoint_on = add_months(start_date, CHECKPOINT_MONTHS[0])
    on = min(max(start_date, pathway.stage_since), _local_today())
    _move(
        pathway,
        Stage.EMPLOYMENT,
        by=by,
        on=on,
        reason=f"Reprise d'emploi : {follow_up.get_contract_type_display()}",
        action="pathways.employment.started",
        what="Reprise d'emploi",
        fields=["next_checkpoint_on"],
        data={
            "follow_up": str(follow_up.public_id),
            "contract_type": contract_type,
            "durable": follow_up.is_durable,
            "source": source,
        },
    )
    return follow_up


@transaction.atomic
def record_checkpoint(*, checkpoint, contact, still_in_job, by, comment="", recorded_on=None):
    """Record a checkpoint (contact made or not, still in the job or not). The follow-up ends at
    the last checkpoint, or earlier when the job has ended: then the pathway is closed (job kept)
    or goes back to « en accompagnement » (job lost). After an exit to employment (pathway already
    closed) the checkpoints stay recordable until the M+6 window closes; the follow-up then ends
    without touching the closed pathway."""
    checkpoint = (
        EmploymentCheckpoint.objects.select_for_update()
        .select_related("follow_up", "follow_up__pathway")
        .get(pk=checkpoint.pk)
    )
    follow_up = checkpoint.follow_up
    refused = checkpoint_window_error(follow_up, follow_up.pathway)
    if refused:
        raise DomainError(refused)
    if checkpoint.recorded_on is not None:
        raise DomainError(f"Le point à M+{checkpoint.months} est déjà enregistré.")
    if contact not in CheckpointContact.values:
        raise DomainError("Contact : indiquez si la personne a été jointe.", field="contact")
    if contact == CheckpointContact.REACHED and still_in_job is None:
        raise DomainError(
            "Toujours en emploi : indiquez si la personne occupe toujours cet emploi.", field="still_in_job"
        )
    if contact == CheckpointContact.NOT_REACHED:
        still_in_job = None
    recorded_on = recorded_on or _local_today()
    if recorded_on > _local_today():
        raise DomainError("Date du point : elle ne peut pas être dans le futur.", field="recorded_on")
    if recorded_on < follow_up.start_date:
        raise DomainError("Date du point : elle ne peut pas précéder le début du contrat.", field="recorded_on")
    previous_open = EmploymentCheckpoint.objects.filter(
        follow_up=follow_up, months__lt=checkpoint.months, recorded_on__isnull=True
    )
    earlier = list(previous_open)
    checkpoint.contact, checkpoint.still_in_job, checkpoint.comment = contact, still_in_job, (comment or "").strip()
    checkpoint.recorded_on, checkpoint.recorded_by = recorded_on, by.membership
    checkpoint.save()
    for skipped in earlier:  # a later checkpoint done covers the earlier ones left open
        skipped.recorded_on, skipped.comment = recorded_on, f"Couvert par le point à M+{checkpoint.months}"
        skipped.contact = contact
        skipped.save(update_fields=["recorded_on", "comment", "contact", "updated_at"])
    person = follow_up.person
    record_file_write(
        person,
        by=by,
        action="pathways.checkpoint.recorded",
        what=f"Suivi dans l'emploi : point à M+{checkpoint.months}",
        target=checkpoint,
        data={"months": checkpoint.months, "contact": contact, "still_in_job": still_in_job},
    )
    last = checkpoint.months == CHECKPOINT_MONTHS[-1]
    pathway = _locked(follow_up.pathway)
    if not pathway.is_open:  # after an exit to employment: the closed pathway stays as it is
        if still_in_job is False or last:
            _end_follow_up_record(follow_up, still_in_job=still_in_job, on=recorded_on, by=by)
    elif still_in_job is False or last:
        _end_follow_up(follow_up, pathway, still_in_job=still_in_job, on=recorded_on, by=by)
    else:
        pathway.next_checkpoint_on = _next_checkpoint_on(pathway)
        save_pathway(pathway, ["next_checkpoint_on"])
    return checkpoint


def _end_follow_up_record(follow_up, *, still_in_job, on, by):
    if FollowUpStatus.ENDED not in FOLLOW_UP_TRANSITIONS[follow_up.status]:
        raise DomainError("Ce suivi dans l'emploi est terminé.")
    follow_up.status, follow_up.ended_on, follow_up.still_in_job_at_end = FollowUpStatus.ENDED, on, still_in_job
    follow_up.save(update_fields=["status", "ended_on", "still_in_job_at_end", "updated_at"])
    record_file_write(
        follow_up.person,
        by=by,
        action="pathways.employment.ended",
        what="Fin du suivi dans l'emploi",
        target=follow_up,
        data={"still_in_job": still_in_job},
    )


def _end_follow_up(follow_up, pathway, *, still_in_job, on, by):
    _end_follow_up_record(follow_up, still_in_job=still_in_job, on=on, by=by)
    pathway.next_checkpoint_on = None
    on = max(on, pathway.stage_since)
    if still_in_job is False:
        _move(
            pathway,
            Stage.ACCOMPANIMENT,
            by=by,
            on=on,
            reason="Fin de l'emploi pendant le suivi : reprise de l'accompagnement",
            action="pathways.pathway.accompaniment_resumed",
            what="Parcours : reprise de l'accompagnement",
            fields=["next_checkpoint_on"],
        )
        return
    if still_in_job:
        reason = ClosingReason.DURABLE_JOB if follow_up.is_durable else ClosingReason.NON_DURABLE_JOB
    else:
        reason = ClosingReason.LOST_CONTACT
    save_pathway(pathway, ["next_checkpoint_on"])
    close_pathway(pathway=pathway, closing_reason=reason, by=by, on=on, comment="Fin du suivi dans l'emploi")


# --- Territory delays (coordinator's settings page) ----------------------------------------

SETTINGS_FIELDS = list(NATIONAL_DEFAULTS)


@transaction.atomic
def update_territory_settings(*, territory, changes, by):
    """Save the territory's own delays (None = national default) and recompute the due dates of
    its open pathways, so that the alerts follow at once."""
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(f"Réglage inconnu : {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        if value is not None and (value < 1 or value > 3650):
            raise DomainError("Valeur : entre 1 et 3650.", field=field)
    row, _ = TerritorySettings.objects.select_for_update().get_or_create(territory=territory)
    changed = {field: value for field, value in changes.items() if getattr(row, field) != value}
    for field, value in changed.items():
        setattr(row, field, value)
    row.save()
    record_event(
        action="pathways.settings.updated",
        target=territory,
        by=by,
        territory=territory,
        data={"changed": dict(changed)},
    )
    if changed:
        refresh_territory_due_dates(territory)
    return row


def refresh_territory_due_dates(territory, batch=5000):
    """Recompute the due dates of every open pathway of the territory (in batches)."""
    policy = policy_for(territory)
    pathways = (
        Pathway.objects.filter(territory=territory, stage__in=OPEN_STAGES)
        .only(
            "pk",
            "stage",
            *[f for f in FACT_FIELDS if f not in ("referent", "referent_organisation")],
            "entered_on",
            *DUE_FIELDS,
        )
        .order_by("pk")
    )
    pending, updated = [], 0
    for pathway in pathways.iterator(chunk_size=batch):
        if apply_due_dates(pathway, policy):
            pending.append(pathway)
        if len(pending) >= batch:
            Pathway.objects.bulk_update(pending, DUE_FIELDS)
            updated, pending = updated + len(pending), []
    if pending:
        Pathway.objects.bulk_update(pending, DUE_FIELDS)
        updated += len(pending)
    return updated
