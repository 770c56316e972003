from django.db import models
from django.db.models import Q, Sum

from spie.core.models import BaseModel
from spie.core.text import normalize_for_search

from .enums import BudgetPurpose, TerritoryStatus, TimeZone


class Region(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, unique=True)
    name = models.CharField("nom", max_length=255)
    kind = models.CharField("nature", max_length=10)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def search(self, query):
        """Communes whose name (accents, case and hyphens ignored) or postal code starts with `query`."""
        query = (query or "").strip()
        if not query:
            return self.none()
        if query.isdigit():
            codes = PostalCode.objects.filter(code__startswith=query).values("commune_id")
            return self.filter(Q(pk__in=codes) | Q(insee_code=query))
        return self.filter(search_name__startswith=normalize_for_search(query))


class Commune(models.Model):
    """A commune of the Code officiel géographique (INSEE), with its centre for distances."""

    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=255)
    search_name = models.CharField(max_length=255, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name="EPCI",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communes",
    )
    postal_codes = models.CharField("codes postaux", max_length=255, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name"]
        indexes = [models.Index(fields=["departement", "name"])]

    def __str__(self):
        return f"{self.name} ({self.insee_code})"

    @property
    def postal_code_list(self):
        return [code for code in self.postal_codes.split("|") if code]

    @property
    def label(self):
        first = self.postal_code_list[0] if self.postal_codes else self.departement_id
        return f"{self.name} ({first}) — {self.insee_code}"


class PostalCode(models.Model):
    code = models.CharField("code postal", max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_code_rows")

    class Meta:
        verbose_name = "code postal"
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="postal_code_unique")]

    def __str__(self):
        return self.code


class Cohort(BaseModel):
    """A wave of territories joining the service (2020 experimentation, 2021 call…)."""

    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=150)
    year = models.PositiveSmallIntegerField("année")
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "cohorte"
        ordering = ["year", "code"]

    def __str__(self):
        return self.name


class TerritoryQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """National administrators see every territory; others only their structure's."""
        from spie.accounts.enums import Role

        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        return self.filter(pk=membership.organisation.territory_id)


class Territory(BaseModel):
    """An SPIE deployment: départements or an EPCI's communes, in a cohort."""

    code = models.SlugField(
        "code court",
        max_length=30,
        unique=True,
        help_text="Code du département s'il n'y en a qu'un (« 08 »), sinon un nom court (« cea »).",
    )
    name = models.CharField("nom", max_length=150)
    cohort = models.ForeignKey(Cohort, verbose_name="cohorte", on_delete=models.PROTECT, related_name="territories")
    status = models.CharField(
        "statut",
        max_length=20,
        choices=TerritoryStatus.choices,
        default=TerritoryStatus.PREPARATION,
    )
    departements = models.ManyToManyField(
        Departement, verbose_name="départements couverts", blank=True, related_name="territories"
    )
    epcis = models.ManyToManyField(Epci, verbose_name="EPCI couverts", blank=True, related_name="territories")
    time_zone = models.CharField("fuseau horaire", max_length=40, choices=TimeZone.choices, default=TimeZone.PARIS)
    started_on = models.DateField("date de lancement", null=True, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        ordering = ["cohort__year", "name"]

    def __str__(self):
        return self.name

    def communes(self):
        """The communes covered: those of its départements, and those of its EPCIs."""
        return Commune.objects.filter(Q(departement__in=self.departements.all()) | Q(epci__in=self.epcis.all()))

    def budget_total(self):
        return self.budget_lines.aggregate(total=Sum("amount"))["total"] or 0


class BudgetLine(BaseModel):
    """An amount for a year: a territory's project, or national technical support (no territory)."""

    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budget_lines",
    )
    year = models.PositiveSmallIntegerField("année")
    purpose = models.CharField("objet", max_length=30, choices=BudgetPurpose.choices)
    amount = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    label = models.CharField("libellé", max_length=255, blank=True)

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["year", "purpose", "territory__name"]
        indexes = [models.Index(fields=["year", "purpose"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose=BudgetPurpose.NATIONAL_SUPPORT, territory__isnull=True)
                | Q(purpose=BudgetPurpose.TERRITORY_PROJECT, territory__isnull=False),
                name="budget_line_territory_matches_purpose",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.year} : {self.amount} €"


class BudgetEnvelope(BaseModel):
    """The national amount planned for a year and a purpose (e.g. 2021: 15 M€ for the territories'
    projects, 15 M€ for national support); budget lines allocate it."""

    year = models.PositiveSmallIntegerField("année")
    purpose = models.CharField("objet", max_length=30, choices=BudgetPurpose.choices)
    amount = models.DecimalField("montant prévu (€)", max_digits=12, decimal_places=2)
    label = models.CharField("libellé", max_length=255, blank=True)

    class Meta:
        verbose_name = "enveloppe budgétaire nationale"
        verbose_name_plural = "enveloppes budgétaires nationales"
        ordering = ["year", "purpose"]
        constraints = [
            models.UniqueConstraint(fields=["year", "purpose"], name="budget_envelope_unique_year_purpose"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_envelope_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} {self.year} : {self.amount} €"


class TerritorySettings(models.Model):
    """A territory's own delays and periods; an empty value means the national default.

    Read them through `spie.territories.policies.policy_for(territory)`, never field by field.
    """

    territory = models.OneToOneField(Territory, on_delete=models.CASCADE, related_name="settings")
    inactivity_purge_months = models.PositiveSmallIntegerField(
        "anonymisation après inactivité (mois)", null=True, blank=True
    )
    purge_warning_days = models.PositiveSmallIntegerField(
        "avertissement du référent avant anonymisation (jours)", null=True, blank=True
    )
    orientation_target_days = models.PositiveSmallIntegerField(
        "délai cible d'orientation après l'entrée (jours)", null=True, blank=True
    )
    contract_due_months = models.PositiveSmallIntegerField(
        "délai de signature du contrat d'engagement après l'orientation (mois)", null=True, blank=True
    )
    review_period_professional_days = models.PositiveSmallIntegerField(
        "point de situation : période, parcours professionnel (jours)", null=True, blank=True
    )
    review_period_socio_professional_days = models.PositiveSmallIntegerField(
        "point de situation : période, parcours socio-professionnel (jours)", null=True, blank=True
    )
    review_period_social_days = models.PositiveSmallIntegerField(
        "point de situation : période, parcours social (jours)", null=True, blank=True
    )
    no_seen_appointment_alert_days = models.PositiveSmallIntegerField(
        "alerte sans rendez-vous honoré depuis (jours)", null=True, blank=True
    )
    referral_expiry_days = models.PositiveSmallIntegerField(
        "orientation vers un service : expiration sans réponse (jours)", null=True, blank=True
    )
    referral_reminder_days = models.PositiveSmallIntegerField(
        "orientation vers un service : relance tous les (jours)", null=True, blank=True
    )
    offer_stale_months = models.PositiveSmallIntegerField(
        "offre signalée si non mise à jour depuis (mois)", null=True, blank=True
    )
    stage_target_entry_days = models.PositiveSmallIntegerField(
        "parcours : durée cible de l'étape « entrée » (jours)", null=True, blank=True
    )
    stage_target_oriented_days = models.PositiveSmallIntegerField(
        "parcours : durée cible de l'étape « orienté » (jours)", null=True, blank=True
    )
    stage_target_contract_signed_days = models.PositiveSmallIntegerField(
        "parcours : durée cible de l'étape « contrat signé » (jours)", null=True, blank=True
    )
    stage_target_accompaniment_days = models.PositiveSmallIntegerField(
        "parcours : durée cible de l'étape « en accompagnement » (jours)", null=True, blank=True
    )
    stage_target_employment_days = models.PositiveSmallIntegerField(
        "parcours : durée cible de l'étape « en emploi (suivi) » (jours)", null=True, blank=True
    )
    appointment_status_grace_days = models.PositiveSmallIntegerField(
        "rendez-vous passé sans suite : alerte après (jours)", null=True, blank=True
    )
    appointment_first_reminder_days = models.PositiveSmallIntegerField(
        "rendez-vous : premier rappel (jours avant)", null=True, blank=True
    )
    appointment_second_reminder_days = models.PositiveSmallIntegerField(
        "rendez-vous : second rappel (jours avant)", null=True, blank=True
    )
    employment_checkpoint_tolerance_days = models.PositiveSmallIntegerField(
        "suivi dans l'emploi : tolérance après l'échéance d'un point (jours)", null=True, blank=True
    )
    case_review_agenda_days = models.PositiveSmallIntegerField(
        "instances : publication de l'ordre du jour avant la séance (jours)", null=True, blank=True
    )
    case_review_access_days = models.PositiveSmallIntegerField(
        "instances : accès des membres aux situations nominatives après le compte rendu (jours)",
        null=True,
        blank=True,
    )
    territorial_role_types = models.JSONField(
        "autres types de structures pouvant porter un rôle territorial",
        default=list,
        blank=True,
        help_text="En plus du Département et de France Travail, toujours autorisés.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "réglages du territoire"
        verbose_name_plural = "réglages des territoires"

    def __str__(self):
        return f"Réglages — {self.territory}"
