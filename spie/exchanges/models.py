from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spie.accounts.enums import Role
from spie.core.models import BaseModel

from .enums import EventKind, EventStatus, RegistrationStatus


class JointEventQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """National administrators read every territory's events; a professional, those of the
        territory of their structure (nothing crosses territories)."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        territory_id = membership.organisation.territory_id
        if territory_id is None:
            return self.none()
        return self.filter(territory_id=territory_id)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class JointEvent(BaseModel):
    """A joint training or exchange time published for the territory's professionals."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(
        "accounts.Organisation", verbose_name="structure organisatrice", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.Membership", verbose_name="publié par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField("type de temps commun", max_length=20, choices=EventKind.choices)
    topic = models.CharField("thème", max_length=255)
    description = models.TextField("programme", max_length=4000, blank=True)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    place = models.CharField("lieu", max_length=255, help_text="Adresse, salle ou lien de visioconférence.")
    capacity = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1), MaxValueValidator(1000)])
    registration_deadline = models.DateTimeField("inscriptions jusqu'au")
    status = models.CharField("statut", max_length=15, choices=EventStatus.choices, default=EventStatus.PUBLISHED)
    status_changed_at = models.DateTimeField("statut depuis le", default=timezone.now)
    cancel_reason = models.CharField("motif d'annulation", max_length=500, blank=True)
    # Kept by the services so that lists and indicators read them without counting rows.
    registered_count = models.PositiveIntegerField("inscrit·es", default=0)
    waitlist_count = models.PositiveIntegerField("en liste d'attente", default=0)
    attendees_count = models.PositiveIntegerField("présent·es", default=0)
    structures_count = models.PositiveIntegerField(
        "structures représentées", default=0, help_text="Structures distinctes parmi les présent·es."
    )

    objects = JointEventQuerySet.as_manager()

    class Meta:
        verbose_name = "temps commun"
        verbose_name_plural = "temps communs"
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["territory", "starts_at"], name="jointevent_calendar_idx"),
            models.Index(fields=["territory", "ends_at"], name="jointevent_ends_idx"),
            models.Index(fields=["territory", "status", "starts_at"], name="jointevent_status_idx"),
            models.Index(fields=["organiser", "starts_at"], name="jointevent_organiser_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="jointevent_dates_order"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="jointevent_capacity_positive"),
        ]

    def __str__(self):
        return self.topic

    @property
    def places_left(self):
        return max(self.capacity - self.registered_count, 0)

    @property
    def is_published(self):
        return self.status == EventStatus.PUBLISHED

    @property
    def has_started(self):
        return self.starts_at <= timezone.now()

    @property
    def has_ended(self):
        return self.ends_at <= timezone.now()

    @property
    def registration_open(self):
        return self.is_published and timezone.now() < self.registration_deadline


class EventRegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)


class EventRegistration(BaseModel):
    """A professional's registration to a joint event: place or waiting list, attendance, rating."""

    event = models.ForeignKey(
        JointEvent, verbose_name="temps commun", on_delete=models.CASCADE, related_name="registrations"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name="professionnel", on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="structure", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "statut", max_length=15, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED
    )
    registered_at = models.DateTimeField("inscription le", default=timezone.now)
    status_changed_at = models.DateTimeField("statut depuis le", default=timezone.now)
    attended = models.BooleanField("présent·e", null=True, blank=True)
    attendance_recorded_at = models.DateTimeField("présence notée le", null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        "note", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField("commentaire", max_length=1000, blank=True)
    rated_at = models.DateTimeField("évalué le", null=True, blank=True)

    objects = EventRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription à un temps commun"
        verbose_name_plural = "inscriptions aux temps communs"
        ordering = ["registered_at", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "registered_at"], name="registration_event_idx"),
            models.Index(fields=["membership", "status"], name="registration_member_idx"),
            models.Index(fields=["territory", "organisation"], name="registration_org_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "membership"], name="registration_unique_member"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="registration_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.event_id} — {self.get_status_display()}"
