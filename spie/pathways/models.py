"""Orientation (decision, reorientation requests) and the shared pathway: stages and their log,
engagement contract with its plan, appointments, status reviews and follow-up in employment."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from spie.core.models import BaseModel
from spie.people.models import Person

from .enums import (
    AppointmentChannel,
    AppointmentKind,
    AppointmentStatus,
    CheckpointContact,
    ClosingReason,
    ContractStatus,
    DecisionStatus,
    EmploymentContractType,
    ExemptionReason,
    FollowUpStatus,
    PathwayType,
    PlanItemStatus,
    ReorientationStatus,
    ReviewOutcome,
    Stage,
    WorkingTime,
)


class OrientationDecisionQuerySet(models.QuerySet):
    def visible_to(self, membership):
        return self.filter(person__in=Person.objects.visible_to(membership))

    def in_force(self):
        return self.filter(status=DecisionStatus.IN_FORCE)


class OrientationDecision(BaseModel):
    """The orientation officer's decision: a pathway type and a referent, notified at a date."""

    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="orientation_decisions"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    pathway_type = models.CharField("type de parcours", max_length=20, choices=PathwayType.choices)
    referent_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="structure référente", on_delete=models.PROTECT, related_name="+"
    )
    referent = models.ForeignKey(
        "accounts.Membership", verbose_name="référent·e", on_delete=models.PROTECT, related_name="+"
    )
    notified_on = models.DateField("notifiée le")
    comment = models.TextField("commentaire", blank=True)
    status = models.CharField("statut", max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.IN_FORCE)
    diagnostic = models.ForeignKey(
        "diagnostics.Diagnostic",
        verbose_name="diagnostic de référence",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_pathway = models.CharField(
        "orientation proposée par le diagnostic", max_length=20, choices=PathwayType.choices, blank=True
    )
    decided_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaced_at = models.DateTimeField("remplacée le", null=True, blank=True)

    objects = OrientationDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "décision d'orientation"
        verbose_name_plural = "décisions d'orientation"
        ordering = ["-notified_on", "-created_at"]
        indexes = [
            models.Index(fields=["person", "status"], name="orientation_person_idx"),
            models.Index(fields=["territory", "notified_on"], name="orientation_territory_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="en_vigueur"), name="orientation_one_in_force"
            ),
        ]

    def __str__(self):
        return f"Orientation {self.get_pathway_type_display().lower()} du {self.notified_on:%d/%m/%Y}"

    @property
    def follows_proposal(self):
        return bool(self.proposed_pathway) and self.proposed_pathway == self.pathway_type


class ReorientationRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReorientationStatus.PENDING)


class ReorientationRequest(BaseModel):
    """A referent asks for another orientation; the orientation officer accepts or refuses."""

    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="reorientation_requests"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        OrientationDecision, verbose_name="décision en cause", on_delete=models.PROTECT, related_name="requests"
    )
    requested_by = models.ForeignKey(
        "accounts.Membership", verbose_name="demandée par", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("motif de la demande", max_length=2000)
    wished_pathway_type = models.CharField("parcours souhaité", max_length=20, choices=PathwayType.choices, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=ReorientationStatus.choices, default=ReorientationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="traitée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField("traitée le", null=True, blank=True)
    decision_reason = models.TextField("motif de la réponse", blank=True)
    new_decision = models.OneToOneField(
        OrientationDecision,
        verbose_name="nouvelle décision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="from_request",
    )

    objects = ReorientationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de réorientation"
        verbose_name_plural = "demandes de réorientation"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["territory", "status", "created_at"], name="reorientation_queue_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="en_attente"), name="reorientation_one_pending"
            ),
        ]

    def __str__(self):
        return f"Demande de réorientation du {self.created_at:%d/%m/%Y} ({self.get_status_display().lower()})"


# --- The shared pathway -------------------------------------------------------------------


class PathwayQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(stage=Stage.CLOSED)

    def visible_to(self, membership):
        """Pathways of the people whose full file this membership may open."""
        return self.filter(person__in=Person.objects.visible_to(membership))

    def caseload_of(self, membership):
        """Pathways of the people this professional follows (active seat in the team)."""
        from spie.people.models import FollowUpMember, active_team_q

        seats = FollowUpMember.objects.filter(active_team_q(), membership=membership).values("person_id")
        return self.filter(territory_id=membership.organisation.territory_id, person_id__in=seats)

    def followed_by_organisation(self, organisation):
        from spie.people.models import FollowUpMember, active_team_q

        seats = FollowUpMember.objects.filter(
            active_team_q(), person=OuterRef("person_id"), membership__organisation=organisation
        )
        return self.filter(territory_id=organisation.territory_id).filter(Exists(seats))


class Pathway(BaseModel):
    """The person's pathway: its stage and the dates the alerts are computed from.

    The `*_due_on` columns are denormalised by the services (`services.refresh_due_dates`) from the
    facts beside them and the territory's delays; an alert is simply `due_on <= today` (indexed)."""

    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.CASCADE, related_name="pathways")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField("étape", max_length=20, choices=Stage.choices, default=Stage.ENTRY)
    stage_since = models.DateField("dans cette étape depuis")
    pathway_type = models.CharField("type de parcours", max_length=20, choices=PathwayType.choices, blank=True)
    referent = models.ForeignKey(
        "accounts.Membership",
        verbose_name="référent·e",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    referent_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="structure référente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Facts.
    entered_on = models.DateField("entrée le")
    oriented_on = models.DateField("orientation notifiée le", null=True, blank=True)
    contract_signed_on = models.DateField("contrat signé le", null=True, blank=True)
    last_seen_appointment_on = models.DateField("dernier rendez-vous honoré le", null=True, blank=True)
    last_review_on = models.DateField("dernier point de situation le", null=True, blank=True)
    oldest_planned_appointment_on = models.DateField("plus ancien rendez-vous sans statut le", null=True, blank=True)
    next_checkpoint_on = models.DateField("prochain point de suivi dans l'emploi le", null=True, blank=True)
    # Kept by the case reviews (`services.set_case_action_due`): earliest due date of the open
    # actions decided for the person in a case review.
    next_case_action_on = models.DateField("prochaine échéance d'une action décidée en instance", null=True, blank=True)
    closed_on = models.DateField("clos le", null=True, blank=True)
    closing_reason = models.CharField("motif de clôture", max_length=30, choices=ClosingReason.choices, blank=True)
    # Due dates (alerts): null when the rule does not apply.
    orientation_due_on = models.DateField("orientation attendue le", null=True, blank=True)
    contract_due_on = models.DateField("contrat à signer avant le", null=True, blank=True)
    next_review_due_on = models.DateField("prochain point de situation le", null=True, blank=True)
    seen_due_on = models.DateField("rendez-vous honoré attendu avant le", null=True, blank=True)
    stage_due_on = models.DateField("fin d'étape attendue le", null=True, blank=True)
    status_due_on = models.DateField("statut de rendez-vous attendu avant le", null=True, blank=True)
    checkpoint_due_on = models.DateField("point de suivi dans l'emploi attendu avant le", null=True, blank=True)
    case_action_due_on = models.DateField("action décidée en instance attendue avant le", null=True, blank=True)
    # The earliest deadline of each severity (high, medium, low): the point de situation sorts by
    # severity then by deadline with an index range scan per severity instead of sorting every row.
    high_due_on = models.DateField("échéance la plus proche, alertes de sévérité élevée", null=True, blank=True)
    medium_due_on = models.DateField("échéance la plus proche, alertes de sévérité moyenne", null=True, blank=True)
    low_due_on = models.DateField("échéance la plus proche, alertes de sévérité faible", null=True, blank=True)

    objects = PathwayQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours"
        verbose_name_plural = "parcours"
        ordering = ["-entered_on", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=~Q(stage="clos"), name="pathway_one_open_per_person"),
        ]
        indexes = [
            models.Index(fields=["territory", "stage"], name="pathway_territory_stage_idx"),
            # Cohorts by entry, orientation and exit date (indicators, study extracts, questionnaires).
            models.Index(fields=["territory", "entered_on"], name="pathway_entered_idx"),
            models.Index(fields=["territory", "oriented_on"], name="pathway_oriented_idx"),
            models.Index(fields=["stage", "closed_on"], name="pathway_closed_idx"),
            # Covering index of the point de situation's counts (index-only scan on PostgreSQL).
            models.Index(
                fields=["territory", "high_due_on", "medium_due_on", "low_due_on"],
                include=[
                    "orientation_due_on",
                    "contract_due_on",
                    "next_review_due_on",
                    "seen_due_on",
                    "stage_due_on",
                    "status_due_on",
                    "checkpoint_due_on",
                    "case_action_due_on",
                    "stage",
                ],
                name="pathway_alert_counts_idx",
            ),
            models.Index(fields=["referent", "stage"], name="pathway_referent_idx"),
            models.Index(fields=["referent_organisation", "stage"], name="pathway_structure_idx"),
            models.Index(fields=["person", "stage"], name="pathway_person_idx"),
            *[
                models.Index(
                    fields=["territory", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"pathway_{short}_idx",
                )
                for field, short in (
                    ("orientation_due_on", "orient_due"),
                    ("contract_due_on", "contract_due"),
                    ("next_review_due_on", "review_due"),
                    ("seen_due_on", "seen_due"),
                    ("stage_due_on", "stage_due"),
                    ("status_due_on", "status_due"),
                    ("checkpoint_due_on", "checkpoint_due"),
                    ("case_action_due_on", "case_action_due"),
                    ("high_due_on", "high_due"),
                    ("medium_due_on", "medium_due"),
                    ("low_due_on", "low_due"),
                )
            ],
        ]

    def __str__(self):
        return f"Parcours — {self.get_stage_display().lower()} depuis le {self.stage_since:%d/%m/%Y}"

    @property
    def is_open(self):
        return self.stage != Stage.CLOSED


class PathwayTransition(models.Model):
    """One change of stage, with who, when and why (the pathway's log)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="transitions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    from_stage = models.CharField("étape précédente", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("nouvelle étape", max_length=20, choices=Stage.choices)
    on = models.DateField("date")
    reason = models.CharField("motif", max_length=500, blank=True)
    closing_reason = models.CharField("motif de clôture", max_length=30, choices=ClosingReason.choices, blank=True)
    by = models.ForeignKey(
        "accounts.Membership", verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "changement d'étape"
        verbose_name_plural = "changements d'étape"
        ordering = ["on", "created_at", "id"]
        indexes = [models.Index(fields=["pathway", "on"], name="transition_pathway_idx")]

    def __str__(self):
        return f"{self.get_from_stage_display() or '—'} → {self.get_to_stage_display()} ({self.on:%d/%m/%Y})"


class EngagementContract(BaseModel):
    """The contrat d'engagement: a plan of objectives and actions signed by the person and the
    referent. A signed version is immutable; a revision is a new draft that replaces it once signed."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="contracts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="engagement_contracts")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField("version", default=1)
    status = models.CharField("statut", max_length=20, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    previous = models.ForeignKey(
        "self", verbose_name="version précédente", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referential_version = models.ForeignKey(
        "referentials.ReferentialVersion", verbose_name="version du référentiel", on_delete=models.PROTECT
    )
    due_on = models.DateField("à signer avant le", null=True, blank=True)
    exemption_reason = models.CharField(
        "motif de dérogation aux 15 heures", max_length=20, choices=ExemptionReason.choices, blank=True
    )
    exemption_detail = models.TextField("précisions sur la dérogation", max_length=2000, blank=True)
    weekly_hours = models.DecimalField("heures d'activité par semaine", max_digits=5, decimal_places=1, default=0)
    person_signed_on = models.DateField("signé par la personne le", null=True, blank=True)
    referent_signed_on = models.DateField("signé par le ou la référent·e le", null=True, blank=True)
    signed_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="référent·e signataire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField("signature enregistrée le", null=True, blank=True)
    replaced_at = models.DateTimeField("remplacé le", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "contrat d'engagement"
        verbose_name_plural = "contrats d'engagement"
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "version"], name="contract_unique_version"),
            models.UniqueConstraint(fields=["pathway"], condition=Q(status="brouillon"), name="contract_one_draft"),
            models.UniqueConstraint(fields=["pathway"], condition=Q(status="signe"), name="contract_one_in_force"),
        ]
        indexes = [
            models.Index(fields=["person", "status"], name="contract_person_idx"),
            models.Index(fields=["signed_at"], condition=Q(signed_at__isnull=False), name="contract_signed_idx"),
        ]

    def __str__(self):
        return f"Contrat d'engagement v{self.version} ({self.get_status_display().lower()})"

    @property
    def is_draft(self):
        return self.status == ContractStatus.DRAFT


class PlanObjective(BaseModel):
    """An objective of the plan: a code of the referential version the contract points at."""

    contract = models.ForeignKey(EngagementContract, on_delete=models.CASCADE, related_name="objectives")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    objective_code = models.CharField("objectif (code du référentiel)", max_length=60)
    referential_version = models.ForeignKey("referentials.ReferentialVersion", on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    status = models.CharField("statut", max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED)

    class Meta:
        verbose_name = "objectif du plan"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "objective_code"], name="plan_objective_unique"),
        ]

    def __str__(self):
        return self.objective_code


class PlanAction(BaseModel):
    """An action under an objective: from the referential (code + version) or an offer of the
    directory; with its status, dates and weekly hours."""

    objective = models.ForeignKey(PlanObjective, on_delete=models.CASCADE, related_name="actions")
    contract = models.ForeignKey(EngagementContract, on_delete=models.CASCADE, related_name="actions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    action_code = models.CharField("action (code du référentiel)", max_length=60, blank=True)
    referential_version = models.ForeignKey(
        "referentials.ReferentialVersion", null=True, blank=True, on_delete=models.PROTECT
    )
    offer = models.ForeignKey(
        "offers.Offer", verbose_name="service de l'offre", null=True, blank=True, on_delete=models.PROTECT
    )
    status = models.CharField("statut", max_length=20, choices=PlanItemStatus.choices, default=PlanItemStatus.PLANNED)
    starts_on = models.DateField("début", null=True, blank=True)
    ends_on = models.DateField("fin", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "action du plan"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action_code="") | Q(offer__isnull=False), name="plan_action_code_or_offer"
            ),
            models.CheckConstraint(condition=Q(weekly_hours__gte=0), name="plan_action_hours_positive"),
        ]

    def __str__(self):
        return self.action_code or f"offre {self.offer_id}"


class AppointmentQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(status=AppointmentStatus.PLANNED, starts_at__gte=timezone.now())


class Appointment(BaseModel):
    """A rendez-vous between the person and a professional."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="appointments")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    professional = models.ForeignKey(
        "accounts.Membership", verbose_name="professionnel·le", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("date et heure")
    duration_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    kind = models.CharField("nature", max_length=20, choices=AppointmentKind.choices, default=AppointmentKind.FOLLOW_UP)
    channel = models.CharField(
        "modalité", max_length=20, choices=AppointmentChannel.choices, default=AppointmentChannel.IN_PERSON
    )
    place = models.CharField("lieu ou lien", max_length=255, blank=True)
    status = models.CharField(
        "statut", max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.PLANNED
    )
    status_note = models.CharField("commentaire sur le statut", max_length=500, blank=True)
    status_recorded_at = models.DateTimeField("statut enregistré le", null=True, blank=True)
    status_recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invitation_sent_at = models.DateTimeField("invitation envoyée le", null=True, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = "rendez-vous"
        verbose_name_plural = "rendez-vous"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["pathway", "status", "starts_at"], name="appointment_pathway_idx"),
            models.Index(fields=["territory", "status", "starts_at"], name="appointment_territory_idx"),
            models.Index(fields=["professional", "starts_at"], name="appointment_professional_idx"),
            models.Index(fields=["person", "starts_at"], name="appointment_person_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timezone.timedelta(minutes=self.duration_minutes)


class AppointmentReminder(models.Model):
    """A reminder sent for an appointment: one row per (appointment, days before) — never twice."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    days_before = models.PositiveSmallIntegerField("jours avant")
    by_email = models.BooleanField("par e-mail", default=False)
    by_sms = models.BooleanField("par SMS", default=False)
    sent_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "rappel de rendez-vous"
        constraints = [
            models.UniqueConstraint(fields=["appointment", "days_before"], name="reminder_once_per_delay"),
        ]

    def __str__(self):
        return f"Rappel J-{self.days_before}"


class StatusReview(BaseModel):
    """A point de situation: the periodic review of an active pathway, with its outcome."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_reviews")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField("date du point")
    outcome = models.CharField("conclusion", max_length=30, choices=ReviewOutcome.choices)
    comment = models.TextField("commentaire", max_length=3000, blank=True)
    next_due_on = models.DateField("prochain point prévu le", null=True, blank=True)
    by = models.ForeignKey(
        "accounts.Membership", verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "point de situation"
        verbose_name_plural = "points de situation"
        ordering = ["-reviewed_on", "-created_at"]
        indexes = [models.Index(fields=["pathway", "reviewed_on"], name="review_pathway_idx")]

    def __str__(self):
        return f"Point de situation du {self.reviewed_on:%d/%m/%Y}"


class EmploymentFollowUp(BaseModel):
    """A return to work and its follow-up (checkpoints at M+1, M+3, M+6)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="employment_follow_ups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_follow_ups")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField("employeur", max_length=255)
    employer_siret = models.CharField("SIRET de l'employeur", max_length=14)
    rome_job = models.ForeignKey(
        "referentials.RomeJob", verbose_name="métier (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    contract_type = models.CharField("type de contrat", max_length=30, choices=EmploymentContractType.choices)
    working_time = models.CharField("temps de travail", max_length=20, choices=WorkingTime.choices)
    weekly_hours = models.DecimalField("heures par semaine", max_digits=4, decimal_places=1, null=True, blank=True)
    start_date = models.DateField("date de début")
    is_durable = models.BooleanField("emploi durable", default=False)
    status = models.CharField("statut", max_length=20, choices=FollowUpStatus.choices, default=FollowUpStatus.ACTIVE)
    ended_on = models.DateField("fin du suivi le", null=True, blank=True)
    still_in_job_at_end = models.BooleanField("toujours en emploi à la fin du suivi", null=True, blank=True)
    source = models.CharField("origine", max_length=30, blank=True, help_text="« immersion » pour une embauche")
    source_id = models.UUIDField("identifiant de l'origine", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "suivi dans l'emploi"
        verbose_name_plural = "suivis dans l'emploi"
        ordering = ["-start_date"]
        indexes = [models.Index(fields=["start_date"], name="follow_up_start_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway"], condition=Q(status="en_cours"), name="follow_up_one_active_per_pathway"
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=Q(source_id__isnull=False), name="follow_up_unique_source"
            ),
        ]

    def __str__(self):
        return f"{self.get_contract_type_display()} chez {self.employer_name} depuis le {self.start_date:%d/%m/%Y}"


class EmploymentCheckpoint(BaseModel):
    """A checkpoint of the follow-up, due at M+1, M+3 or M+6 after the start date."""

    follow_up = models.ForeignKey(EmploymentFollowUp, on_delete=models.CASCADE, related_name="checkpoints")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField("échéance (mois après le début)")
    due_on = models.DateField("prévu le")
    contact = models.CharField("contact", max_length=20, choices=CheckpointContact.choices, blank=True)
    still_in_job = models.BooleanField("toujours en emploi", null=True, blank=True)
    comment = models.TextField("commentaire", max_length=2000, blank=True)
    recorded_on = models.DateField("réalisé le", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "point de suivi dans l'emploi"
        verbose_name_plural = "points de suivi dans l'emploi"
        ordering = ["months"]
        constraints = [models.UniqueConstraint(fields=["follow_up", "months"], name="checkpoint_unique_month")]

    def __str__(self):
        return f"Point à M+{self.months}"

    @property
    def is_done(self):
        return self.recorded_on is not None
