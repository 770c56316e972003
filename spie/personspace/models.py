"""The person's space: login secrets (hashed, expiring, single use), rate limiting rows, the mobile
application's tokens, and what the person says in their space (appointment answers, contract
approvals)."""

import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from spie.core.models import BaseModel
from spie.people.identifiers import lookup_hash

from .enums import AnswerKind, AttemptKind, Channel, SecretKind


class LoginSecret(BaseModel):
    """A login link or code sent to a person. Only its hash is stored; it expires, serves once and
    a code is refused after a few wrong tries."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("nature", max_length=12, choices=SecretKind.choices)
    channel = models.CharField("envoyé par", max_length=6, choices=Channel.choices)
    secret_hash = models.CharField(max_length=64, editable=False)
    # Keyed hash of the e-mail or number the code was asked for: a code is checked with it.
    identifier_hash = models.CharField(max_length=64, blank=True, editable=False)
    for_api = models.BooleanField("pour l'application mobile", default=False)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField("remplacé le", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField("essais refusés", default=0)
    sent_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "secret de connexion"
        verbose_name_plural = "secrets de connexion"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["secret_hash"], name="space_secret_hash_idx"),
            models.Index(
                fields=["identifier_hash", "expires_at"],
                condition=Q(kind="code", used_at__isnull=True, revoked_at__isnull=True),
                name="space_pending_code_idx",
            ),
            models.Index(fields=["person", "created_at"], name="space_secret_person_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_channel_display()})"

    @staticmethod
    def new_link_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def new_code():
        return f"{secrets.randbelow(1_000_000):06d}"

    @staticmethod
    def hash(raw):
        """Keyed hash: a six-digit code cannot be found back from a copy of the table."""
        return lookup_hash(raw or "-")

    @property
    def state(self):
        """'usable', 'used', 'revoked' or 'expired'."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "usable"


class LoginAttempt(models.Model):
    """One login request or one refused code or link, for rate limiting across processes. Holds
    keyed hashes only, never the e-mail, number or address itself."""

    kind = models.CharField(max_length=8, choices=AttemptKind.choices)
    identifier_hash = models.CharField(max_length=64, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "tentative de connexion"
        indexes = [
            models.Index(fields=["kind", "identifier_hash", "at"], name="space_attempt_identifier_idx"),
            models.Index(fields=["kind", "ip_hash", "at"], name="space_attempt_ip_idx"),
            models.Index(fields=["at"], name="space_attempt_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"


class ApiSessionQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiSession(BaseModel):
    """A short-lived bearer token of the mobile application, given for a verified code."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("expire le")
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)

    objects = ApiSessionQuerySet.as_manager()

    class Meta:
        verbose_name = "session de l'application"
        verbose_name_plural = "sessions de l'application"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Session jusqu'au {self.expires_at:%d/%m/%Y %H:%M}"


class AppointmentAnswer(BaseModel):
    """The person confirms an appointment or asks to move it (the professional is told). The last
    answer of an appointment is its current state."""

    appointment = models.ForeignKey("pathways.Appointment", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("réponse", max_length=20, choices=AnswerKind.choices)
    message = models.TextField("message", max_length=500, blank=True)
    preferred_slots = models.CharField("créneaux souhaités", max_length=300, blank=True)

    class Meta:
        verbose_name = "réponse à un rendez-vous"
        verbose_name_plural = "réponses aux rendez-vous"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["appointment", "created_at"], name="space_answer_appointment_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} le {self.created_at:%d/%m/%Y}"


class ContractApproval(BaseModel):
    """The person read their engagement contract in their space and approved it, on that date."""

    contract = models.OneToOneField("pathways.EngagementContract", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField("approuvé le", default=timezone.now)

    class Meta:
        verbose_name = "approbation du contrat"
        verbose_name_plural = "approbations de contrats"
        ordering = ["-approved_at"]

    def __str__(self):
        return f"Approuvé le {self.approved_at:%d/%m/%Y}"


class ContactChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(confirmed_at__isnull=True, superseded_at__isnull=True)


class ContactChange(BaseModel):
    """A professional changed the person's e-mail or mobile number. Until the change is confirmed
    (by a secret sent to the previous contact, or by the referent), a login with the new contact
    sends nothing to it: whoever wrote it must not be able to enter the person's space."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("coordonnée", max_length=6, choices=Channel.choices)
    # Where a confirmation code or link goes (the contact written in the file before the change).
    previous_value = models.CharField("ancienne coordonnée", max_length=254, blank=True)
    # Keyed hash of the new contact, as the login computes it for the identifier typed.
    new_value_hash = models.CharField(max_length=64, editable=False)
    changed_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField("remplacé le", null=True, blank=True)

    objects = ContactChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "changement de coordonnées"
        verbose_name_plural = "changements de coordonnées"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["person", "channel"],
                condition=Q(confirmed_at__isnull=True, superseded_at__isnull=True),
                name="space_pending_contact_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()} modifié le {self.created_at:%d/%m/%Y}"
