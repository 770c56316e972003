"""Orientation: the decision (pathway type + referent) and the reorientation requests.
(Pathways, contracts and appointments will sit beside them.)"""

from django.db import models
from django.db.models import Q

from spie.core.models import BaseModel
from spie.people.models import Person

from .enums import DecisionStatus, PathwayType, ReorientationStatus


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
