"""The territory's offer: data·inclusion structures and services, referrals, co-designed offers."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from spie.accounts.enums import Role
from spie.core.models import BaseModel
from spie.core.staging import StagedImport

from .enums import (
    OPEN_REFERRAL_STATUSES,
    DuplicateReason,
    DuplicateStatus,
    ProposalStatus,
    ReferralStatus,
    TagKind,
)

PLATFORM_SOURCE = "spie"


class OfferStructure(BaseModel):
    """A data·inclusion structure (the producer of services), linked to our structure by SIRET."""

    source = models.CharField("source", max_length=100)
    source_id = models.CharField("identifiant data·inclusion", max_length=255)
    name = models.CharField("nom", max_length=150)
    search_name = models.CharField(max_length=150, editable=False)
    siret = models.CharField("SIRET", max_length=14, blank=True, db_index=True)
    description = models.TextField("description", blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    code_insee = models.CharField("code INSEE", max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=255, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=50, blank=True)
    email = models.CharField("courriel", max_length=254, blank=True)
    website = models.CharField("site web", max_length=2083, blank=True)
    source_link = models.CharField("lien source", max_length=2083, blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=500, blank=True)
    accessibility_link = models.CharField("accessibilité du lieu", max_length=2083, blank=True)
    networks = models.JSONField("réseaux porteurs", default=list, blank=True)
    updated_on = models.DateField("mise à jour chez le producteur")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="structure de la plateforme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="offer_structures",
    )
    territory = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    content_hash = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = "structure (data·inclusion)"
        verbose_name_plural = "structures (data·inclusion)"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="offer_structure_source_id")]
        indexes = [models.Index(fields=["territory", "search_name"], name="offer_structure_name_idx")]

    def __str__(self):
        return self.name


class OfferQuerySet(models.QuerySet):
    def published(self):
        """Services shown in the directory (a confirmed duplicate is hidden behind its original)."""
        return self.filter(duplicate_of__isnull=True)

    def managed_by(self, membership):
        """Services of the current structure, that its members maintain on the platform."""
        if membership is None:
            return self.none()
        return self.filter(structure__organisation_id=membership.organisation_id)

    def for_territory(self, territory):
        return self.filter(territory=territory)


class Offer(BaseModel):
    """A data·inclusion service: one solution of the territory's directory."""

    source = models.CharField("source", max_length=100)
    source_id = models.CharField("identifiant data·inclusion", max_length=255)
    structure = models.ForeignKey(
        OfferStructure, verbose_name="structure", on_delete=models.PROTECT, related_name="offers"
    )
    name = models.CharField("nom", max_length=150)
    search_name = models.CharField(max_length=150, editable=False)
    description = models.TextField("description")
    kind = models.CharField("type de service", max_length=40, blank=True)
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    publics = models.JSONField("publics", default=list, blank=True)
    publics_details = models.TextField("précisions sur les publics", blank=True)
    fees = models.CharField("frais", max_length=20, blank=True)
    fees_details = models.TextField("précisions sur les frais", blank=True)
    access_conditions = models.TextField("conditions d'accès", blank=True)
    reception_modes = models.JSONField("modes d'accueil", default=list, blank=True)
    mobilisation_modes = models.JSONField("modes de mobilisation", default=list, blank=True)
    mobilisable_by = models.JSONField("mobilisable par", default=list, blank=True)
    mobilisation_details = models.TextField("précisions sur la mobilisation", blank=True)
    mobilisation_link = models.CharField("lien de mobilisation", max_length=2083, blank=True)
    source_link = models.CharField("lien source", max_length=2083, blank=True)
    phone = models.CharField("téléphone", max_length=50, blank=True)
    email = models.CharField("courriel", max_length=254, blank=True)
    contact_name = models.CharField("contact", max_length=255, blank=True)
    address = models.CharField("adresse", max_length=255, blank=True)
    address_complement = models.CharField("complément d'adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    code_insee = models.CharField("code INSEE", max_length=5, blank=True)
    commune_name = models.CharField("commune", max_length=255, blank=True)
    latitude = models.FloatField("latitude (producteur)", null=True, blank=True)
    longitude = models.FloatField("longitude (producteur)", null=True, blank=True)
    opening_hours = models.CharField("horaires d'accueil", max_length=500, blank=True)
    eligibility_zone = models.JSONField("zone d'éligibilité", null=True, blank=True)
    weekly_hours = models.FloatField("volume horaire hebdomadaire", null=True, blank=True)
    weeks = models.PositiveIntegerField("nombre de semaines", null=True, blank=True)
    updated_on = models.DateField("mis à jour le")
    # Derived when written: where the service is for search, and what the directory filters on.
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Vide pour un service national à distance.",
    )
    geo_lat = models.FloatField("latitude (commune)", null=True, blank=True)
    geo_lon = models.FloatField("longitude (commune)", null=True, blank=True)
    on_site = models.BooleanField("en présentiel", default=True)
    remote = models.BooleanField("à distance", default=False)
    has_zone = models.BooleanField("zone d'éligibilité restreinte", default=False)
    search_text = models.TextField(editable=False, blank=True)
    content_hash = models.CharField(max_length=64, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="doublon de"
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = "service (offre d'insertion)"
        verbose_name_plural = "services (offre d'insertion)"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["source", "source_id"], name="offer_source_id")]
        indexes = [
            models.Index(fields=["geo_lat", "geo_lon"], name="offer_geo_idx"),
            models.Index(fields=["remote"], condition=Q(remote=True), name="offer_remote_idx"),
            models.Index(fields=["search_name", "code_insee"], name="offer_name_idx"),
            models.Index(fields=["territory", "search_name"], name="offer_territory_name_idx"),
            models.Index(fields=["territory", "updated_on"], name="offer_territory_updated_idx"),
        ]

    def __str__(self):
        return self.name

    def is_stale(self, months):
        limit = timezone.localdate() - datetime.timedelta(days=int(months * 30.44))
        return self.updated_on < limit


class OfferLocation(models.Model):
    """The narrow search row of a service: where it is and how it receives, nothing else, so that a
    place search scans a few pages instead of the wide service rows."""

    offer = models.OneToOneField(Offer, primary_key=True, on_delete=models.CASCADE, related_name="location")
    geo_lat = models.FloatField(null=True)
    geo_lon = models.FloatField(null=True)
    on_site = models.BooleanField(default=True)
    remote = models.BooleanField(default=False)
    has_zone = models.BooleanField(default=False)
    listed = models.BooleanField(default=True, help_text="Faux pour un doublon confirmé.")

    class Meta:
        verbose_name = "localisation d'un service (index de recherche)"
        indexes = [
            models.Index(
                fields=["geo_lat", "geo_lon"], condition=Q(on_site=True, listed=True), name="offer_location_geo_idx"
            ),
            models.Index(fields=["remote"], condition=Q(remote=True, listed=True), name="offer_location_remote_idx"),
        ]

    def __str__(self):
        return f"{self.geo_lat}, {self.geo_lon}"


class OfferTag(models.Model):
    """One value of a list field (thématique and its category, public, eligibility code), for filters."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=1, choices=TagKind.choices)
    value = models.CharField(max_length=150)

    class Meta:
        verbose_name = "valeur indexée d'un service"
        indexes = [
            models.Index(fields=["kind", "value", "offer"], name="offer_tag_lookup_idx"),
            models.Index(fields=["offer", "kind"], name="offer_tag_offer_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.value}"


class OfferImport(StagedImport):
    """An uploaded directory file, kept between its preview and its confirmation."""

    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("fichier", max_length=255)
    source = models.CharField("source", max_length=100, blank=True)
    content = models.BinaryField()
    summary = models.CharField("résumé", max_length=255, blank=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de l'offre"
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class DuplicateCandidateQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Coordinators see their territory's; national administrators see all."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        return self.filter(territory_id=membership.organisation.territory_id)


class DuplicateCandidate(BaseModel):
    """Two records of different sources that are probably the same structure or service."""

    territory = models.ForeignKey(
        "territories.Territory", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("motif", max_length=20, choices=DuplicateReason.choices)
    structure_a = models.ForeignKey(OfferStructure, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    structure_b = models.ForeignKey(OfferStructure, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    offer_a = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    offer_b = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField("statut", max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    decided_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    objects = DuplicateCandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "doublon probable"
        verbose_name_plural = "doublons probables"
        ordering = ["status", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["structure_a", "structure_b"], name="duplicate_structure_pair"),
            models.UniqueConstraint(fields=["offer_a", "offer_b"], name="duplicate_offer_pair"),
        ]
        indexes = [models.Index(fields=["territory", "status"], name="duplicate_territory_idx")]

    def __str__(self):
        return self.get_reason_display()

    @property
    def first(self):
        return self.offer_a or self.structure_a

    @property
    def second(self):
        return self.offer_b or self.structure_b


class ReferralQuerySet(models.QuerySet):
    def received_by(self, organisation):
        return self.filter(receiving_organisation=organisation)

    def visible_to(self, membership):
        """Referrals this membership may open: those received by its structure, and those of the
        people whose follow-up team it belongs to."""
        from spie.people.models import FollowUpMember, active_team_q

        if membership is None or membership.organisation.territory_id is None:
            return self.none()
        teams = FollowUpMember.objects.filter(active_team_q(), membership=membership).values("person_id")
        return self.filter(territory_id=membership.organisation.territory_id).filter(
            Q(receiving_organisation_id=membership.organisation_id) | Q(person_id__in=teams)
        )

    def open(self):
        return self.filter(status__in=OPEN_REFERRAL_STATUSES)


class Referral(BaseModel):
    """An orientation of a person towards a service, followed until the loop is closed."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    offer = models.ForeignKey(Offer, verbose_name="service", on_delete=models.PROTECT, related_name="referrals")
    sender = models.ForeignKey(
        "accounts.Membership", verbose_name="orienté par", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("message au service", max_length=3000)
    needs = models.JSONField("besoins partagés", default=list, blank=True)
    status = models.CharField("statut", max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    receiving_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name="structure destinataire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_referrals",
    )
    contact_email = models.EmailField("courriel du service", blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_expires_at = models.DateTimeField("lien valable jusqu'au", null=True, blank=True)
    token_used_at = models.DateTimeField("lien utilisé le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyée le", default=timezone.now)
    responded_at = models.DateTimeField("réponse le", null=True, blank=True)
    response_delay_hours = models.PositiveIntegerField("délai de réponse (heures)", null=True, blank=True)
    responder = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responder_name = models.CharField("réponse de", max_length=255, blank=True)
    refusal_reason = models.TextField("motif du refus", blank=True)
    started_at = models.DateTimeField("démarrée le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    closing_note = models.TextField("commentaire de clôture", blank=True)
    last_reminder_at = models.DateTimeField("dernière relance", null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField("relances", default=0)
    # Hook for the pathways app: the contract action this referral carries out, once started.
    contract_action_id = models.UUIDField("action du contrat d'engagement", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = "orientation vers un service"
        verbose_name_plural = "orientations vers des services"
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["receiving_organisation", "status", "sent_at"], name="referral_inbox_idx"),
            models.Index(fields=["person", "sent_at"], name="referral_person_idx"),
            models.Index(fields=["status", "sent_at"], name="referral_status_idx"),
            # Indicators of a territory (evaluation): referrals by date of sending.
            models.Index(fields=["territory", "sent_at"], name="referral_territory_sent_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "offer"],
                condition=Q(status__in=OPEN_REFERRAL_STATUSES),
                name="one_open_referral_per_offer",
            )
        ]

    def __str__(self):
        return f"Orientation vers {self.offer_id} ({self.get_status_display()})"

    @property
    def is_on_platform(self):
        return self.receiving_organisation_id is not None

    @property
    def is_open(self):
        return self.status in OPEN_REFERRAL_STATUSES


class ProposalQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """Every professional of the territory sees its proposals (they are designed together)."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        return self.filter(territory_id=membership.organisation.territory_id)


class OfferProposal(BaseModel):
    """A new offer proposed for the territory, studied by the coordinator with the structures involved."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    proposer = models.ForeignKey(
        "accounts.Membership", verbose_name="proposée par", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("intitulé de l'offre", max_length=150)
    need = models.TextField("besoin auquel elle répond", max_length=3000)
    public = models.TextField("public visé", max_length=1000)
    capacity = models.PositiveIntegerField("capacité attendue (personnes par an)", null=True, blank=True)
    description = models.TextField("description", max_length=5000, blank=True)
    thematiques = models.JSONField("thématiques", default=list, blank=True)
    commune = models.ForeignKey(
        "territories.Commune", verbose_name="commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partners = models.ManyToManyField(
        "accounts.Organisation", verbose_name="structures partenaires", blank=True, related_name="+"
    )
    status = models.CharField("statut", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    decision_note = models.TextField("commentaire de la décision", blank=True)
    offer = models.ForeignKey(
        Offer, verbose_name="service publié", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition d'offre"
        verbose_name_plural = "propositions d'offre"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["territory", "status"], name="proposal_territory_idx")]

    def __str__(self):
        return self.title


class ProposalComment(BaseModel):
    proposal = models.ForeignKey(OfferProposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("commentaire", max_length=3000)

    class Meta:
        verbose_name = "commentaire sur une proposition"
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:50]
