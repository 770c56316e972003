"""Multi-professional case reviews: review bodies of a territory and their members, sessions with
their agenda and attendance, the cases put on the agenda with their decisions and follow-up
actions."""

from django.db import models
from django.db.models import Q

from spie.core.models import BaseModel

from .enums import (
    ActionStatus,
    AttendanceStatus,
    BodyKind,
    CaseSource,
    CaseStatus,
    DecisionKind,
    Opinion,
    SessionStatus,
)


class ReviewBodyQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """The territory's bodies for its coordinator; the bodies one belongs to for the others."""
        from .perms import is_coordinator

        if membership is None or membership.organisation.territory_id is None:
            return self.none()
        bodies = self.filter(territory_id=membership.organisation.territory_id)
        if is_coordinator(membership):
            return bodies
        return bodies.filter(members__membership=membership, members__left_on__isnull=True).distinct()


class ReviewBody(BaseModel):
    """A review body of a territory: an SPIE support group or the RSA équipe pluridisciplinaire."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type d'instance", max_length=30, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=200)
    description = models.TextField("rôle et périmètre", max_length=2000, blank=True)
    quorum = models.PositiveSmallIntegerField(
        "quorum (membres présents)", null=True, blank=True, help_text="Pour l'équipe pluridisciplinaire."
    )
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ReviewBodyQuerySet.as_manager()

    class Meta:
        verbose_name = "instance"
        verbose_name_plural = "instances"
        ordering = ["name"]
        indexes = [models.Index(fields=["territory", "kind"], name="review_body_territory_idx")]

    def __str__(self):
        return self.name

    @property
    def is_legal(self):
        return self.kind == BodyKind.RSA_TEAM


class BodyMember(BaseModel):
    """A member of a body: a professional of a structure (with an account), or an external member
    (such as a representative of RSA recipients) who never gets access to files."""

    body = models.ForeignKey(ReviewBody, on_delete=models.CASCADE, related_name="members")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name="professionnel·le",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_seats",
    )
    full_name = models.CharField("nom", max_length=200, blank=True, help_text="Pour un membre extérieur.")
    quality = models.CharField("qualité", max_length=200, blank=True)
    is_external = models.BooleanField("membre extérieur (sans accès aux dossiers)", default=False)
    sees_names = models.BooleanField("voit les situations de façon nominative", default=True)
    joined_on = models.DateField("membre depuis le")
    left_on = models.DateField("a quitté l'instance le", null=True, blank=True)

    class Meta:
        verbose_name = "membre d'une instance"
        verbose_name_plural = "membres d'une instance"
        ordering = ["is_external", "full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "membership"],
                condition=Q(membership__isnull=False, left_on__isnull=True),
                name="body_member_once",
            ),
            models.CheckConstraint(
                condition=Q(is_external=False) | Q(sees_names=False), name="body_member_external_no_names"
            ),
        ]
        indexes = [models.Index(fields=["membership", "left_on"], name="body_member_membership_idx")]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        if self.membership_id:
            return f"{self.membership.user.get_full_name()} ({self.membership.organisation.name})"
        return self.full_name


class ReviewSession(BaseModel):
    """A session of a body: date, place or video link, agenda, attendance, minutes."""

    body = models.ForeignKey(ReviewBody, verbose_name="instance", on_delete=models.CASCADE, related_name="sessions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=255, blank=True)
    video_link = models.URLField("lien de visioconférence", blank=True)
    agenda = models.TextField("ordre du jour (points généraux)", max_length=3000, blank=True)
    status = models.CharField("statut", max_length=30, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    agenda_published_at = models.DateTimeField("ordre du jour publié le", null=True, blank=True)
    held_on = models.DateField("tenue le", null=True, blank=True)
    quorum_reached = models.BooleanField("quorum atteint", null=True, blank=True)
    minutes = models.TextField("compte rendu (points généraux)", max_length=5000, blank=True)
    minutes_signed_at = models.DateTimeField("compte rendu signé le", null=True, blank=True)
    minutes_signed_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    named_access_until = models.DateField("accès nominatif des membres jusqu'au", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["territory", "starts_at"], name="review_session_territory_idx"),
            models.Index(fields=["body", "starts_at"], name="review_session_body_idx"),
        ]

    def __str__(self):
        from django.utils import timezone

        return f"{self.body.name} — séance du {timezone.localtime(self.starts_at):%d/%m/%Y}"

    @property
    def is_published(self):
        return self.status in (SessionStatus.PUBLISHED, SessionStatus.HELD, SessionStatus.CLOSED)


class Attendance(models.Model):
    """A member invited to a session, and whether they attended."""

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(BodyMember, on_delete=models.CASCADE, related_name="attendances")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        "présence", max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.INVITED
    )

    class Meta:
        verbose_name = "présence"
        ordering = ["member__is_external", "member__full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="attendance_once")]

    def __str__(self):
        return f"{self.member} : {self.get_status_display()}"


class ReviewCaseQuerySet(models.QuerySet):
    def open(self):
        from .enums import OPEN_CASE_STATUSES

        return self.filter(status__in=OPEN_CASE_STATUSES)


class ReviewCase(BaseModel):
    """A person's situation put on the agenda: the question asked, the person's agreement, the
    pseudonymised presentation reviewed by the referent, then notes, opinion and decisions."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person", verbose_name="personne", on_delete=models.CASCADE, related_name="review_cases"
    )
    pathway = models.ForeignKey(
        "pathways.Pathway", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_cases"
    )
    body_kind = models.CharField("instance souhaitée", max_length=30, choices=BodyKind.choices)
    session = models.ForeignKey(
        ReviewSession, verbose_name="séance", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    status = models.CharField("statut", max_length=20, choices=CaseStatus.choices, default=CaseStatus.REFERRED)
    source = models.CharField("origine", max_length=30, choices=CaseSource.choices, default=CaseSource.FILE)
    status_review = models.ForeignKey(
        "pathways.StatusReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_by = models.ForeignKey(
        "accounts.Membership", verbose_name="présentée par", on_delete=models.PROTECT, related_name="+"
    )
    referred_on = models.DateField("proposée le")
    question = models.TextField("question posée à l'instance", max_length=2000)
    consent_on = models.DateField("accord de la personne recueilli le")
    summary = models.TextField("résumé de la situation (sans donnée identifiante)", max_length=3000, blank=True)
    summary_approved_at = models.DateTimeField("présentation relue par le ou la référent·e le", null=True, blank=True)
    summary_approved_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    discussed_on = models.DateField("examinée le", null=True, blank=True)
    notes = models.TextField("notes de séance", max_length=5000, blank=True)
    opinion = models.TextField("avis de l'instance", max_length=3000, blank=True)
    # Figure kept for the indicators: days from the referral to the session that discussed it.
    days_to_session = models.PositiveIntegerField("jours entre la proposition et l'examen", null=True, blank=True)

    objects = ReviewCaseQuerySet.as_manager()

    class Meta:
        verbose_name = "situation examinée en instance"
        verbose_name_plural = "situations examinées en instance"
        ordering = ["-referred_on", "-created_at"]
        indexes = [
            models.Index(fields=["territory", "referred_on"], name="review_case_referred_idx"),
            models.Index(fields=["territory", "discussed_on"], name="review_case_discussed_idx"),
            models.Index(fields=["territory", "status", "referred_on"], name="review_case_queue_idx"),
            models.Index(fields=["person", "status"], name="review_case_person_idx"),
            models.Index(fields=["session", "status"], name="review_case_session_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status__in=["proposee", "inscrite"]), name="review_case_one_open"
            ),
        ]

    def __str__(self):
        return f"Situation proposée le {self.referred_on:%d/%m/%Y} ({self.get_status_display().lower()})"

    @property
    def summary_approved(self):
        return self.summary_approved_at is not None


class CaseDecision(BaseModel):
    """A decision or opinion on a case; for the legal body its type (reorientation, reduction,
    suspension, other) and a favourable or unfavourable opinion."""

    case = models.ForeignKey(ReviewCase, on_delete=models.CASCADE, related_name="decisions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("type de décision", max_length=30, choices=DecisionKind.choices)
    opinion = models.CharField("avis", max_length=20, choices=Opinion.choices, blank=True)
    detail = models.TextField("motivation", max_length=3000)
    wished_pathway_type = models.CharField("parcours proposé", max_length=20, blank=True)
    reorientation_request = models.ForeignKey(
        "pathways.ReorientationRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField("décidée le")
    recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "décision d'instance"
        verbose_name_plural = "décisions d'instance"
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["territory", "kind", "decided_on"], name="case_decision_kind_idx")]

    def __str__(self):
        return self.get_kind_display()


class CaseActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ActionStatus.OPEN)


class CaseAction(BaseModel):
    """A follow-up action decided on a case: an owner (structure, and professional if named) and a
    due date; copied into the person's contract plan when it concerns it."""

    case = models.ForeignKey(ReviewCase, on_delete=models.CASCADE, related_name="actions")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("action", max_length=300)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="structure chargée de l'action",
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner_membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name="professionnel·le chargé·e de l'action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField("échéance")
    done_on = models.DateField("réalisée le", null=True, blank=True)
    status = models.CharField("statut", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    objective_code = models.CharField("objectif du plan (code du référentiel)", max_length=60, blank=True)
    action_code = models.CharField("action du plan (code du référentiel)", max_length=60, blank=True)
    plan_action = models.ForeignKey(
        "pathways.PlanAction",
        verbose_name="action du contrat d'engagement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Figure kept for the indicators: done by its due date.
    done_in_time = models.BooleanField("réalisée dans les délais", null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CaseActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action décidée en instance"
        verbose_name_plural = "actions décidées en instance"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["territory", "due_on"], name="case_action_due_idx"),
            models.Index(fields=["territory", "done_on"], name="case_action_done_idx"),
            models.Index(fields=["case", "status", "due_on"], name="case_action_case_idx"),
            models.Index(fields=["owner_organisation", "status", "due_on"], name="case_action_owner_idx"),
        ]

    def __str__(self):
        return self.title

    @property
    def concerns_plan(self):
        return bool(self.action_code)


class CandidateInvitation(BaseModel):
    """The coordinator invited a referent to bring a case the platform spotted."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    referent = models.ForeignKey("accounts.Membership", on_delete=models.CASCADE, related_name="+")
    reasons = models.CharField("motifs", max_length=300)
    invited_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_on = models.DateField("invité le")

    class Meta:
        verbose_name = "invitation à présenter une situation"
        ordering = ["-invited_on"]
        indexes = [models.Index(fields=["territory", "person", "invited_on"], name="candidate_invitation_idx")]

    def __str__(self):
        return f"Invitation du {self.invited_on:%d/%m/%Y}"
