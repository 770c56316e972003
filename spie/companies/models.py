import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from spie.accounts.models import hash_secret
from spie.core.models import BaseModel
from spie.core.validators import validate_siret
from spie.people.models import FollowUpMember, Person, active_team_q

from .enums import (
    AssessmentOutcome,
    Availability,
    CancelReason,
    ContactPurpose,
    ContactStatus,
    ContractType,
    EventKind,
    ImmersionObjective,
    ImmersionStatus,
    ImportKind,
    LinkPurpose,
    OpeningKind,
    OpeningStatus,
    PositioningStatus,
    SizeBand,
    TrainingFunding,
)


def _territory_id(membership):
    if membership is None:
        return None
    return membership.organisation.territory_id


class TerritoryScopedQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Shared with every professional of the territory (companies, trainings, events…)."""
        territory_id = _territory_id(membership)
        if territory_id is None:
            return self.none()
        return self.filter(territory_id=territory_id)


# Companies ---------------------------------------------------------------------------------


class CompanyQuerySet(TerritoryScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Company(BaseModel):
    """An establishment (SIRET) mobilised in a territory for immersions and hires."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    siret = models.CharField("SIRET", max_length=14, validators=[validate_siret])
    name = models.CharField("raison sociale ou enseigne", max_length=255)
    search_name = models.CharField(max_length=255, editable=False)
    naf = models.ForeignKey(
        "referentials.NafActivity",
        verbose_name="activité (NAF)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    geo_lat = models.FloatField("latitude (commune)", null=True, blank=True, editable=False)
    geo_lon = models.FloatField("longitude (commune)", null=True, blank=True, editable=False)
    size_band = models.CharField("effectif", max_length=10, choices=SizeBand.choices, blank=True)
    immersion_capacity = models.PositiveSmallIntegerField(
        "immersions accueillies par mois", default=1, validators=[MaxValueValidator(50)]
    )
    availability = models.CharField(
        "disponibilité", max_length=15, choices=Availability.choices, default=Availability.AVAILABLE
    )
    availability_note = models.CharField("précisions sur la disponibilité", max_length=255, blank=True)
    monthly_contact_cap = models.PositiveSmallIntegerField(
        "sollicitations acceptées par mois",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="Vide : plafond par défaut du territoire.",
    )
    email = models.EmailField("e-mail de l'entreprise", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    website = models.URLField("site internet", blank=True)
    is_active = models.BooleanField("active", default=True)
    created_by = models.ForeignKey(
        "accounts.Membership", verbose_name="ajoutée par", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = "entreprise"
        verbose_name_plural = "entreprises"
        ordering = ["search_name"]
        indexes = [
            models.Index(fields=["territory", "geo_lat", "geo_lon"], name="company_geo_idx"),
            models.Index(fields=["territory", "search_name"], name="company_name_idx"),
            models.Index(fields=["territory", "commune"], name="company_commune_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["territory", "siret"], name="company_unique_siret")]

    def __str__(self):
        return self.name

    @property
    def siret_display(self):
        s = self.siret
        return f"{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}" if len(s) == 14 else s

    def place_from_commune(self):
        self.geo_lat = self.commune.latitude if self.commune_id else None
        self.geo_lon = self.commune.longitude if self.commune_id else None

    @property
    def is_open(self):
        """Active and not declared unavailable: the company can be proposed by the matching."""
        return self.is_active and self.availability != Availability.UNAVAILABLE

    def sync_jobs(self):
        """Copy place and openness onto the company's jobs (read by the matching)."""
        self.jobs.update(geo_lat=self.geo_lat, geo_lon=self.geo_lon, is_open=self.is_open)


class CompanyContact(BaseModel):
    """A contact person of the company; a tutor is the one who hosts an immersion."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    job_title = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail")
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_tutor = models.BooleanField("peut être tuteur·rice d'immersion", default=True)
    is_main = models.BooleanField("contact principal", default=False)

    class Meta:
        verbose_name = "contact de l'entreprise"
        verbose_name_plural = "contacts de l'entreprise"
        ordering = ["-is_main", "last_name", "first_name"]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name.upper()}"


class CompanyJob(models.Model):
    """A ROME job the company can host in immersion or hires for (its domain kept for matching)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="jobs")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    rome_job = models.ForeignKey(
        "referentials.RomeJob", verbose_name="métier (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    domain = models.ForeignKey(
        "referentials.RomeDomain", verbose_name="domaine professionnel", on_delete=models.PROTECT, related_name="+"
    )
    hosts_immersion = models.BooleanField("accueille en immersion", default=True)
    hires = models.BooleanField("recrute", default=False)
    # Copied from the company (see `Company.sync_jobs`) so that matching reads one indexed table.
    geo_lat = models.FloatField(null=True, blank=True, editable=False)
    geo_lon = models.FloatField(null=True, blank=True, editable=False)
    is_open = models.BooleanField("entreprise active et disponible", default=True, editable=False)

    class Meta:
        verbose_name = "métier de l'entreprise"
        verbose_name_plural = "métiers de l'entreprise"
        ordering = ["rome_job__code"]
        indexes = [
            models.Index(fields=["territory", "rome_job", "company"], name="company_job_rome_idx"),
            models.Index(
                fields=["territory", "domain", "geo_lat", "geo_lon"],
                include=["company", "rome_job"],
                condition=Q(is_open=True),
                name="company_job_match_idx",
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["company", "rome_job"], name="company_job_unique")]

    def __str__(self):
        return f"{self.company_id} → {self.rome_job_id}"


class CompanyOpening(BaseModel):
    """An opening of the company (an immersion place or a job), matched with people's projects."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="openings")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("nature", max_length=10, choices=OpeningKind.choices, default=OpeningKind.HIRE)
    rome_job = models.ForeignKey(
        "referentials.RomeJob", verbose_name="métier (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("intitulé", max_length=255)
    positions = models.PositiveSmallIntegerField("nombre de postes", default=1, validators=[MinValueValidator(1)])
    contract_type = models.CharField("type de contrat", max_length=25, choices=ContractType.choices, blank=True)
    starts_on = models.DateField("à pourvoir à partir du", null=True, blank=True)
    description = models.TextField("description", blank=True)
    status = models.CharField("statut", max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN)
    created_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin de l'entreprise"
        verbose_name_plural = "besoins des entreprises"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["territory", "status", "rome_job"], name="opening_rome_idx")]

    def __str__(self):
        return self.title


# Shortage occupations ----------------------------------------------------------------------


class ShortageOccupationQuerySet(TerritoryScopedQuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class ShortageOccupation(BaseModel):
    """A métier en tension of a territory: ROME job, period, tension level 1–5, source."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    rome_job = models.ForeignKey(
        "referentials.RomeJob", verbose_name="métier (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField("début de la période")
    ends_on = models.DateField("fin de la période", null=True, blank=True)
    tension = models.PositiveSmallIntegerField(
        "niveau de tension", validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    source = models.CharField("source", max_length=255, help_text="Ex. : enquête BMO 2026, France Travail.")
    created_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = ShortageOccupationQuerySet.as_manager()

    class Meta:
        verbose_name = "métier en tension"
        verbose_name_plural = "métiers en tension"
        ordering = ["-tension", "rome_job__code"]
        indexes = [models.Index(fields=["territory", "rome_job", "starts_on"], name="shortage_lookup_idx")]
        constraints = [
            models.UniqueConstraint(fields=["territory", "rome_job", "starts_on"], name="shortage_unique_period"),
            models.CheckConstraint(condition=Q(tension__gte=1, tension__lte=5), name="shortage_tension_range"),
        ]

    def __str__(self):
        return f"{self.rome_job_id} ({self.tension}/5)"


# Secure links ------------------------------------------------------------------------------


class SecureLink(BaseModel):
    """A signed, expiring, single-use link e-mailed to someone without an account. Only the
    hash of its token is stored; it points at one contact request or one immersion."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField("objet", max_length=20, choices=LinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    email = models.EmailField("envoyé à")
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    revoked_at = models.DateTimeField("remplacé le", null=True, blank=True)
    contact_request = models.ForeignKey(
        "ContactRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    immersion = models.ForeignKey("Immersion", null=True, blank=True, on_delete=models.CASCADE, related_name="links")

    class Meta:
        verbose_name = "lien sécurisé"
        verbose_name_plural = "liens sécurisés"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.expires_at:%d/%m/%Y})"

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash(raw):
        return hash_secret(raw or "")

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


# Contact requests --------------------------------------------------------------------------


class ContactRequestQuerySet(TerritoryScopedQuerySet):
    def sent_by_organisation(self, organisation):
        return self.filter(sender__organisation=organisation)


class ContactRequest(BaseModel):
    """A professional asks a company to host an immersion or to meet a candidate for a job."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(
        Company, verbose_name="entreprise", on_delete=models.CASCADE, related_name="contact_requests"
    )
    contact = models.ForeignKey(
        CompanyContact, verbose_name="destinataire", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    purpose = models.CharField("objet", max_length=10, choices=ContactPurpose.choices)
    rome_job = models.ForeignKey(
        "referentials.RomeJob",
        verbose_name="métier (ROME)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne concernée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Jamais nommée à l'entreprise avant son accord.",
    )
    message = models.TextField("message", max_length=2000)
    sender = models.ForeignKey(
        "accounts.Membership", verbose_name="demandeur", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("statut", max_length=10, choices=ContactStatus.choices, default=ContactStatus.PENDING)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    responded_at = models.DateTimeField("réponse le", null=True, blank=True)
    answered_in_window = models.BooleanField("réponse dans le délai", null=True, blank=True)
    responder_name = models.CharField("répondant·e", max_length=150, blank=True)
    answer = models.TextField("réponse de l'entreprise", blank=True)

    objects = ContactRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["company", "sent_at"], name="contact_company_idx"),
            models.Index(fields=["territory", "status", "sent_at"], name="contact_status_idx"),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.get_status_display()})"


# Immersions (PMSMP) ------------------------------------------------------------------------


class ImmersionQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Agreements of the people whose file the membership may open (follow-up team, or
        the territory's orientation officers), and those the membership prescribed."""
        territory_id = _territory_id(membership)
        if territory_id is None:
            return self.none()
        return self.filter(territory_id=territory_id).filter(
            Q(person__in=Person.objects.visible_to(membership)) | Q(prescriber=membership)
        )


class Immersion(BaseModel):
    """A PMSMP agreement (période de mise en situation en milieu professionnel)."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(Company, verbose_name="entreprise", on_delete=models.PROTECT, related_name="immersions")
    tutor = models.ForeignKey(
        CompanyContact, verbose_name="tuteur·rice", on_delete=models.PROTECT, related_name="immersions"
    )
    prescriber_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name="structure prescriptrice", on_delete=models.PROTECT, related_name="+"
    )
    prescriber = models.ForeignKey(
        "accounts.Membership", verbose_name="professionnel prescripteur", on_delete=models.PROTECT, related_name="+"
    )
    objective = models.CharField("objectif", max_length=10, choices=ImmersionObjective.choices)
    rome_job = models.ForeignKey(
        "referentials.RomeJob", verbose_name="métier observé (ROME)", on_delete=models.PROTECT, related_name="+"
    )
    activities = models.TextField("activités confiées", max_length=2000)
    starts_on = models.DateField("date de début")
    ends_on = models.DateField("date de fin")
    weekly_hours = models.DecimalField("durée hebdomadaire (heures)", max_digits=4, decimal_places=1)
    schedule = models.TextField("horaires", max_length=1000, help_text="Jours et horaires de présence.")
    place_address = models.CharField("adresse du lieu d'immersion", max_length=255)
    place_commune = models.ForeignKey(
        "territories.Commune", verbose_name="commune du lieu d'immersion", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("statut", max_length=20, choices=ImmersionStatus.choices, default=ImmersionStatus.DRAFT)
    submitted_at = models.DateTimeField("soumise le", null=True, blank=True)
    person_signed_at = models.DateTimeField("signée par la personne le", null=True, blank=True)
    company_signed_at = models.DateTimeField("signée par l'entreprise le", null=True, blank=True)
    company_signatory = models.CharField("signataire pour l'entreprise", max_length=150, blank=True)
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = models.ForeignKey(
        "accounts.Membership",
        verbose_name="validée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    ended_at = models.DateTimeField("terminée le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancel_reason = models.CharField("motif d'annulation", max_length=15, choices=CancelReason.choices, blank=True)
    cancel_details = models.CharField("précisions sur l'annulation", max_length=500, blank=True)

    objects = ImmersionQuerySet.as_manager()

    class Meta:
        verbose_name = "immersion (PMSMP)"
        verbose_name_plural = "immersions (PMSMP)"
        ordering = ["-starts_on", "-created_at"]
        indexes = [
            models.Index(fields=["territory", "status", "starts_on"], name="immersion_status_idx"),
            models.Index(fields=["person", "starts_on"], name="immersion_person_idx"),
            models.Index(fields=["company", "starts_on"], name="immersion_company_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="immersion_dates_order"),
            models.CheckConstraint(condition=Q(weekly_hours__lte=35, weekly_hours__gt=0), name="immersion_max_35h"),
        ]

    def __str__(self):
        return f"Immersion du {self.starts_on:%d/%m/%Y} au {self.ends_on:%d/%m/%Y}"

    @property
    def is_editable(self):
        return self.status == ImmersionStatus.DRAFT


class ImmersionAssessment(BaseModel):
    """The end-of-immersion assessment; a hire feeds the employment follow-up of the pathway."""

    immersion = models.OneToOneField(Immersion, on_delete=models.CASCADE, related_name="assessment")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("déroulement", max_length=10, choices=AssessmentOutcome.choices)
    hired = models.BooleanField("débouche sur une embauche", default=False)
    contract_type = models.CharField("type de contrat", max_length=25, choices=ContractType.choices, blank=True)
    contract_start = models.DateField("début du contrat", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "durée hebdomadaire du contrat (heures)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    skills_observed = models.TextField("compétences observées", max_length=3000, blank=True)
    person_agrees = models.BooleanField("la personne approuve le bilan", default=False)
    person_comment = models.TextField("commentaire de la personne", max_length=2000, blank=True)
    tutor_comment = models.TextField("appréciation du tuteur ou de la tutrice", max_length=2000, blank=True)
    recorded_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "bilan d'immersion"
        verbose_name_plural = "bilans d'immersion"
        indexes = [models.Index(fields=["person", "hired"], name="assessment_hire_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hired=False) | (~Q(contract_type="") & Q(contract_start__isnull=False)),
                name="assessment_hire_has_contract",
            )
        ]

    def __str__(self):
        return f"Bilan — {self.get_outcome_display()}"


# Trainings ---------------------------------------------------------------------------------


class Training(BaseModel):
    """A training session of the territory, with the ROME jobs it leads to."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    organisation_name = models.CharField("organisme de formation", max_length=255)
    title = models.CharField("intitulé", max_length=255)
    rome_jobs = models.ManyToManyField("referentials.RomeJob", verbose_name="métiers visés", related_name="+")
    starts_on = models.DateField("début de la session")
    ends_on = models.DateField("fin de la session")
    places = models.PositiveSmallIntegerField("places", validators=[MinValueValidator(1)])
    commune = models.ForeignKey(
        "territories.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    funding = models.CharField("financement", max_length=20, choices=TrainingFunding.choices)
    description = models.TextField("description", blank=True)
    created_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["starts_on", "title"]
        indexes = [models.Index(fields=["territory", "starts_on"], name="training_dates_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_dates_order")
        ]

    def __str__(self):
        return self.title


class TrainingPositioningQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Positionings of the people whose file the membership may open."""
        return self.filter(person__in=Person.objects.visible_to(membership))


class TrainingPositioning(BaseModel):
    """A person positioned on a training session: positionné → inscrit → entré → terminé / abandon."""

    training = models.ForeignKey(
        Training, verbose_name="formation", on_delete=models.CASCADE, related_name="positionings"
    )
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        "étape", max_length=15, choices=PositioningStatus.choices, default=PositioningStatus.POSITIONED
    )
    positioned_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    status_changed_at = models.DateTimeField("étape depuis le", default=timezone.now)
    note = models.CharField("commentaire", max_length=500, blank=True)

    objects = TrainingPositioningQuerySet.as_manager()

    class Meta:
        verbose_name = "positionnement sur une formation"
        verbose_name_plural = "positionnements sur des formations"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="positioning_unique")]
        indexes = [models.Index(fields=["territory", "status"], name="positioning_status_idx")]

    def __str__(self):
        return f"{self.training_id} — {self.get_status_display()}"


# Company events ----------------------------------------------------------------------------


class CompanyEvent(BaseModel):
    """A job dating, a company visit or a forum, with its companies, guests and outcomes."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type d'événement", max_length=15, choices=EventKind.choices)
    title = models.CharField("intitulé", max_length=255)
    starts_at = models.DateTimeField("date et heure")
    commune = models.ForeignKey(
        "territories.Commune", verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("lieu", max_length=255)
    companies = models.ManyToManyField(Company, verbose_name="entreprises", blank=True, related_name="events")
    description = models.TextField("description", blank=True)
    outcomes = models.TextField("bilan de l'événement", blank=True)
    hires_count = models.PositiveSmallIntegerField("embauches annoncées", default=0)
    organiser = models.ForeignKey(
        "accounts.Membership", verbose_name="organisé par", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TerritoryScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "événement entreprises"
        verbose_name_plural = "événements entreprises"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["territory", "starts_at"], name="event_date_idx")]

    def __str__(self):
        return self.title


class EventParticipant(BaseModel):
    """A person invited to an event; presence and outcome are recorded afterwards."""

    event = models.ForeignKey(CompanyEvent, on_delete=models.CASCADE, related_name="participants")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, verbose_name="personne", on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey("accounts.Membership", null=True, on_delete=models.SET_NULL, related_name="+")
    present = models.BooleanField("présent·e", null=True, blank=True)
    outcome = models.CharField("suite donnée", max_length=255, blank=True)

    class Meta:
        verbose_name = "participant·e"
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="event_participant_unique")]

    def __str__(self):
        return f"{self.event_id} — {self.person_id}"


# Imports -----------------------------------------------------------------------------------


class CompanyImport(BaseModel):
    """An uploaded list of companies or of shortage occupations, kept until it is confirmed."""

    kind = models.CharField("nature", max_length=15, choices=ImportKind.choices)
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("fichier", max_length=255)
    content = models.BinaryField()
    skip_invalid = models.BooleanField("importer les lignes valides seulement", default=False)
    summary = models.CharField("résumé", max_length=255, blank=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import d'entreprises ou de métiers en tension"
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


def referents_seat_q(membership):
    """People of whom `membership` is the active referent."""
    return Exists(
        FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), membership=membership, is_referent=True)
    )
