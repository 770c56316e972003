"""Questionnaires sent to people at key steps (their invitations, links, answers and comments) and
the groupe miroir (members, sessions, attendance, feedback)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from spie.accounts.models import hash_secret
from spie.core.models import BaseModel

from .enums import AnswerSource, Channel, CommentStatus, MemberKind, Step


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Sent, not answered, not expired: the person can still answer."""
        return self.filter(answered_at__isnull=True, expires_at__gt=now or timezone.now())

    def answered(self):
        return self.filter(answered_at__isnull=False)


class QuestionnaireInvitation(BaseModel):
    """A questionnaire sent to a person after a step of their pathway, by e-mail or SMS. It is
    answered at most once; `score` is the mean of its 1–5 answers (read by the indicators)."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", verbose_name="personne", on_delete=models.CASCADE, related_name="questionnaire_invitations"
    )
    pathway = models.ForeignKey(
        "pathways.Pathway", verbose_name="parcours", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    step = models.CharField("étape", max_length=20, choices=Step.choices)
    version = models.PositiveSmallIntegerField("version du questionnaire")
    channel = models.CharField("canal", max_length=10, choices=Channel.choices)
    step_reached_on = models.DateField("étape atteinte le")
    sent_at = models.DateTimeField("envoyé le")
    expires_at = models.DateTimeField("expire le")
    reminded_at = models.DateTimeField("relancé le", null=True, blank=True)
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    answer_source = models.CharField("répondu depuis", max_length=10, choices=AnswerSource.choices, blank=True)
    score = models.DecimalField("note moyenne (1 à 5)", max_digits=3, decimal_places=2, null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "questionnaire envoyé"
        verbose_name_plural = "questionnaires envoyés"
        ordering = ["-sent_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "step"], name="questionnaire_one_per_step")]
        indexes = [
            # The results' counts read only this index on PostgreSQL (index-only scan).
            models.Index(
                fields=["territory", "step", "sent_at"],
                include=["answered_at", "score"],
                name="questionnaire_results_idx",
            ),
            models.Index(
                fields=["sent_at"],
                condition=Q(answered_at__isnull=True, reminded_at__isnull=True),
                name="questionnaire_to_remind_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} ({self.sent_at:%d/%m/%Y})"

    @property
    def is_expired(self):
        return self.answered_at is None and self.expires_at <= timezone.now()


class QuestionnaireLink(models.Model):
    """A secure link to an invitation: only the SHA-256 hash of its token is stored. The first
    message and the reminder each carry their own link; both serve until the questionnaire is
    answered or expires."""

    invitation = models.ForeignKey(QuestionnaireInvitation, on_delete=models.CASCADE, related_name="links")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lien de questionnaire"
        verbose_name_plural = "liens de questionnaire"

    def __str__(self):
        return f"Lien du {self.created_at:%d/%m/%Y}"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw):
        return hash_secret(raw or "")


class QuestionnaireAnswer(models.Model):
    """One answer (1 to 5) to one question: the aggregates are computed from these rows."""

    invitation = models.ForeignKey(QuestionnaireInvitation, on_delete=models.CASCADE, related_name="answers")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("étape", max_length=20, choices=Step.choices)
    version = models.PositiveSmallIntegerField("version du questionnaire")
    question = models.CharField("question", max_length=40)
    value = models.PositiveSmallIntegerField("réponse")

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="questionnaire_answer_unique"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="questionnaire_answer_range"),
        ]
        indexes = [
            models.Index(fields=["territory", "step", "version", "question", "value"], name="questionnaire_answer_idx")
        ]

    def __str__(self):
        return f"{self.question} : {self.value}"


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=CommentStatus.PUBLISHED)


class QuestionnaireComment(BaseModel):
    """The optional free-text comment of an answer. It shows on the results only once a
    coordinator has published it, possibly after removing details that could identify someone."""

    invitation = models.OneToOneField(QuestionnaireInvitation, on_delete=models.CASCADE, related_name="comment")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    step = models.CharField("étape", max_length=20, choices=Step.choices)
    text = models.TextField("commentaire reçu")
    published_text = models.TextField("texte publié", blank=True)
    status = models.CharField("statut", max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING)
    reviewed_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="relu par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("relu le", null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = "commentaire"
        verbose_name_plural = "commentaires"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["territory", "status", "created_at"], name="questionnaire_comment_idx")]

    def __str__(self):
        return f"Commentaire ({self.get_status_display().lower()})"


# Groupe miroir -----------------------------------------------------------------------------


class MirrorMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_on__isnull=True)


class MirrorMember(BaseModel):
    """A volunteer of the territory's groupe miroir: a person accompanied who agreed to take part
    (consent date recorded, withdrawable at any time), or an outside volunteer."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("profil", max_length=10, choices=MemberKind.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name="personne accompagnée",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    display_name = models.CharField(
        "nom affiché", max_length=100, blank=True, help_text="Bénévole extérieur·e : prénom ou pseudonyme."
    )
    consent_on = models.DateField("consentement recueilli le")
    withdrawn_on = models.DateField("retrait le", null=True, blank=True)
    added_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MirrorMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre du groupe miroir"
        verbose_name_plural = "membres du groupe miroir"
        ordering = ["display_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False, withdrawn_on__isnull=True),
                name="mirror_one_active_seat_per_person",
            )
        ]
        indexes = [models.Index(fields=["territory", "withdrawn_on"], name="mirror_member_idx")]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """A person accompanied is named from their file (so the name follows its corrections
        and its anonymisation); an outside volunteer by the name they chose."""
        return self.person.short_name if self.person_id else self.display_name

    @property
    def is_active(self):
        return self.withdrawn_on is None


class MirrorSession(BaseModel):
    """A meeting of the groupe miroir: date, topic, place, who came and what was said."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("date")
    topic = models.CharField("thème de la séance", max_length=200)
    place = models.CharField("lieu", max_length=200)
    summary = models.TextField("synthèse des échanges", blank=True)
    themes = models.JSONField("thèmes abordés", default=list, blank=True)
    feedback_recorded_at = models.DateTimeField("synthèse enregistrée le", null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendees = models.ManyToManyField(MirrorMember, through="MirrorAttendance", related_name="sessions")

    class Meta:
        verbose_name = "séance du groupe miroir"
        verbose_name_plural = "séances du groupe miroir"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["territory", "held_on"], name="mirror_session_idx")]

    def __str__(self):
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class MirrorAttendance(models.Model):
    session = models.ForeignKey(MirrorSession, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(MirrorMember, on_delete=models.CASCADE, related_name="attendance")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "présence"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="mirror_attendance_unique")]

    def __str__(self):
        return f"{self.member} — {self.session}"
