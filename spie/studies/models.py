"""Participatory evaluation of each territory, and the impact studies' pseudonymised extracts."""

from django.db import models
from django.db.models import Q

from spie.accounts.enums import Role
from spie.core.models import BaseModel

from .enums import EvaluationStatus, ExportChannel


class ParticipatoryEvaluationQuerySet(models.QuerySet):
    def in_scope_of(self, membership):
        """Evaluations of the membership's territory (every territory for national administrators)."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        territory_id = membership.organisation.territory_id
        if territory_id is None:
            return self.none()
        return self.filter(territory_id=territory_id)

    def visible_to(self, membership):
        """What the membership may read: drafts only for the territory's coordinators and national
        administrators, published evaluations for every professional of the territory."""
        evaluations = self.in_scope_of(membership)
        if membership is None or membership.role in (Role.ADMIN_NATIONAL, Role.COORDINATEUR):
            return evaluations
        return evaluations.published()

    def published(self):
        return self.filter(status=EvaluationStatus.PUBLISHED)


class ParticipatoryEvaluation(BaseModel):
    """A territory's participatory evaluation of one year: what the structures and the groupe
    miroir (people accompanied) said, what changed, and what comes next."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="participatory_evaluations",
    )
    year = models.PositiveSmallIntegerField("année")
    structures_said = models.TextField("ce qu'en disent les structures", max_length=6000, blank=True)
    mirror_group_said = models.TextField("ce qu'en dit le groupe miroir", max_length=6000, blank=True)
    what_changed = models.TextField("ce qui a changé", max_length=6000, blank=True)
    next_steps = models.TextField("prochaines étapes", max_length=6000, blank=True)
    status = models.CharField("statut", max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="publiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="rédigée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ParticipatoryEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "évaluation participative"
        verbose_name_plural = "évaluations participatives"
        ordering = ["-year", "territory__name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="evaluation_unique_territory_year"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="evaluation_year_status_idx")]

    def __str__(self):
        return f"Évaluation participative {self.year}"

    @property
    def is_published(self):
        return self.status == EvaluationStatus.PUBLISHED


class Study(BaseModel):
    """An impact study: its purpose, its scope (one territory, or national) and its period of
    entry into the pathway. Its public id salts the pseudonymous person ids of its extracts."""

    name = models.CharField("nom de l'étude", max_length=200)
    purpose = models.TextField("finalité", max_length=3000)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide pour une étude nationale (tous les territoires).",
    )
    period_from = models.DateField("entrées dans le parcours à partir du")
    period_to = models.DateField("jusqu'au")
    created_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Vide pour une étude créée par la commande d'exploitation.",
    )

    class Meta:
        verbose_name = "étude d'impact"
        verbose_name_plural = "études d'impact"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(period_from__lte=models.F("period_to")), name="study_period_ordered"),
        ]

    def __str__(self):
        return self.name

    @property
    def scope_label(self):
        return self.territory.name if self.territory_id else "National (tous les territoires)"


class StudyExport(BaseModel):
    """One extract run of a study: who, when, how many rows, and the files' SHA-256 checksums.
    The files themselves are never kept by the platform."""

    study = models.ForeignKey(Study, verbose_name="étude", on_delete=models.PROTECT, related_name="exports")
    territory = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField("canal", max_length=20, choices=ExportChannel.choices)
    row_count = models.PositiveIntegerField("nombre de lignes")
    csv_sha256 = models.CharField("empreinte SHA-256 du CSV", max_length=64)
    parquet_sha256 = models.CharField("empreinte SHA-256 du Parquet", max_length=64)

    class Meta:
        verbose_name = "extraction d'étude"
        verbose_name_plural = "extractions d'études"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["study", "created_at"], name="study_export_study_idx")]

    def __str__(self):
        return f"Extraction du {self.created_at:%d/%m/%Y %H:%M}"
