from django.db import models
from django.db.models import Q

from spie.core.models import BaseModel
from spie.people.models import Person

from .enums import (
    BarrierLevel,
    DiagnosticStatus,
    ProposedPathway,
    Readiness,
    Speciality,
    TrainingLevel,
    WorkingTime,
    WorkSituation,
)


class DiagnosticQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Diagnostics of the files this membership may open (follow-up team, orientation officer)."""
        return self.filter(person__in=Person.objects.visible_to(membership))

    def validated(self):
        return self.filter(status=DiagnosticStatus.VALIDATED)

    def current(self):
        """Drafts and validated versions (abandoned drafts are kept but set aside)."""
        return self.exclude(status=DiagnosticStatus.ABANDONED)


class Diagnostic(BaseModel):
    """One version of a person's common socio-professional diagnostic. A draft is edited by its
    authors; once validated it is frozen. Answers hold referential codes of `referential_version`."""

    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.CASCADE, related_name="diagnostics")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField("version")
    previous = models.ForeignKey(
        "self", verbose_name="version précédente", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referential_version = models.ForeignKey(
        "referentials.ReferentialVersion",
        verbose_name="version du référentiel",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField("statut", max_length=20, choices=DiagnosticStatus.choices, default=DiagnosticStatus.DRAFT)
    # Professional situation.
    work_situation = models.CharField(
        "situation de travail actuelle", max_length=20, choices=WorkSituation.choices, blank=True
    )
    last_job_ended_on = models.DateField("date de fin du dernier emploi", null=True, blank=True)
    training_level = models.CharField("niveau de formation", max_length=3, choices=TrainingLevel.choices, blank=True)
    languages = models.CharField("langues parlées", max_length=255, blank=True)
    driving_licences = models.JSONField("permis de conduire", default=list, blank=True)
    skills = models.TextField("compétences", blank=True)
    # Professional project.
    target_rome_codes = models.JSONField("métiers visés (codes ROME)", default=list, blank=True)
    contract_types = models.JSONField("types de contrat souhaités", default=list, blank=True)
    working_time = models.CharField("temps de travail souhaité", max_length=20, choices=WorkingTime.choices, blank=True)
    mobility_radius_km = models.PositiveSmallIntegerField("rayon de mobilité (km)", null=True, blank=True)
    readiness = models.CharField("projection dans l'emploi", max_length=20, choices=Readiness.choices, blank=True)
    # The person's own view.
    priority_theme_codes = models.JSONField("priorités de la personne (thèmes)", default=list, blank=True)
    person_words = models.TextField("la parole de la personne", blank=True)
    # Validation and proposal (frozen with the version).
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="validé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_pathway = models.CharField(
        "orientation proposée", max_length=20, choices=ProposedPathway.choices, blank=True
    )
    proposal_rule = models.CharField("règle appliquée", max_length=10, blank=True)
    proposal_reasons = models.JSONField("motifs de la proposition", default=list, blank=True)

    objects = DiagnosticQuerySet.as_manager()

    class Meta:
        verbose_name = "diagnostic socio-professionnel"
        verbose_name_plural = "diagnostics socio-professionnels"
        ordering = ["person", "-number"]
        indexes = [
            models.Index(fields=["person", "status", "-validated_at"], name="diagnostic_person_status_idx"),
            models.Index(fields=["territory", "status", "proposed_pathway"], name="diagnostic_territory_idx"),
            models.Index(
                fields=["validated_at"], condition=Q(validated_at__isnull=False), name="diagnostic_validated_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "number"], name="diagnostic_unique_number"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="brouillon"), name="diagnostic_one_draft_per_person"
            ),
        ]

    def __str__(self):
        return f"Diagnostic n° {self.number} ({self.get_status_display().lower()})"

    @property
    def is_draft(self):
        return self.status == DiagnosticStatus.DRAFT

    @property
    def is_validated(self):
        return self.status == DiagnosticStatus.VALIDATED


class DiagnosticAuthor(BaseModel):
    """A professional who writes the diagnostic, with their speciality (the social + professional pair)."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="authors")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name="professionnel", on_delete=models.PROTECT, related_name="+"
    )
    speciality = models.CharField("spécialité", max_length=20, choices=Speciality.choices)
    signed_at = models.DateTimeField("signé le", null=True, blank=True)

    class Meta:
        verbose_name = "auteur du diagnostic"
        verbose_name_plural = "auteurs du diagnostic"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "membership"], name="diagnostic_author_unique"),
        ]

    def __str__(self):
        return f"{self.membership} ({self.get_speciality_display()})"


class DiagnosticSituation(models.Model):
    """A situation of the referential (by code) observed in the diagnostic, with its level."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="situations")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    theme_code = models.CharField("thème", max_length=60)
    situation_code = models.CharField("situation", max_length=60)
    level = models.CharField("niveau", max_length=20, choices=BarrierLevel.choices)
    comment = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        verbose_name = "situation observée"
        verbose_name_plural = "situations observées"
        ordering = ["theme_code", "situation_code"]
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "situation_code"], name="diagnostic_situation_unique"),
        ]

    def __str__(self):
        return f"{self.situation_code} : {self.get_level_display()}"
