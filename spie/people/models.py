from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.functional import cached_property

from spie.accounts.enums import Role
from spie.core.models import BaseModel
from spie.core.staging import StagedImport
from spie.core.text import normalize_for_search

from .enums import AccessKind, JoinRequestStatus, RsaStatus, Sex, TeamEndReason, UnemploymentBenefit
from .identifiers import decrypt_nir, format_phone, mask_nir


def active_team_q(prefix=""):
    """Members whose follow-up has not ended (a former member loses access at the end date)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": today})


class PersonQuerySet(models.QuerySet):
    def in_territory_of(self, membership):
        if membership is None or membership.organisation.territory_id is None:
            return self.none()
        return self.filter(territory_id=membership.organisation.territory_id, anonymised_at__isnull=True)

    def visible_to(self, membership):
        """Full files this membership may open: the follow-up team's, and for the territory's
        orientation officers every file of the territory."""
        people = self.in_territory_of(membership)
        if membership is not None and membership.role == Role.CHARGE_ORIENTATION:
            return people
        return people.filter(
            Exists(FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), membership=membership))
        )

    def followed_by_organisation(self, organisation):
        return self.filter(
            Exists(
                FollowUpMember.objects.filter(
                    active_team_q(), person=OuterRef("pk"), membership__organisation=organisation
                )
            )
        )

    def matching_identity(self, *, last_name, first_name, birth_date):
        """Same birth or usage name and first first name (accents, case, hyphens ignored), same birth date."""
        name = normalize_for_search(last_name)
        first = normalize_for_search(first_name).split(" ")[0] if first_name else ""
        return self.filter(
            Q(search_birth_name=name) | Q(search_usage_name=name),
            search_first_name=first,
            birth_date=birth_date,
        )


class Person(BaseModel):
    """A person accompanied towards work: one shared file per territory."""

    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    birth_name = models.CharField("nom de naissance", max_length=150)
    usage_name = models.CharField("nom d'usage", max_length=150, blank=True)
    first_names = models.CharField("prénoms", max_length=255)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    birth_place = models.CharField("lieu de naissance", max_length=255, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=16, blank=True, help_text="Au format international.")
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    si_id = models.CharField("identifiant SI du Département", max_length=50, blank=True)
    france_travail_id = models.CharField("identifiant France Travail", max_length=20, blank=True)
    caf_number = models.CharField("numéro CAF / MSA", max_length=20, blank=True)
    nir_encrypted = models.TextField(blank=True, editable=False)
    nir_hash = models.CharField(max_length=64, blank=True, editable=False)
    entry_date = models.DateField("date d'entrée (T0)", help_text="Ouverture des droits ou inscription.")
    rsa_status = models.CharField("RSA", max_length=20, choices=RsaStatus.choices, blank=True)
    unemployment_benefit = models.CharField(
        "allocation chômage", max_length=5, choices=UnemploymentBenefit.choices, blank=True
    )
    rqth = models.BooleanField("RQTH (donnée sensible)", default=False)
    consent_given = models.BooleanField("consentement au partage entre structures", default=False)
    consent_changed_at = models.DateTimeField("consentement modifié le", null=True, blank=True)
    search_birth_name = models.CharField(max_length=150, editable=False)
    search_usage_name = models.CharField(max_length=150, blank=True, editable=False)
    search_first_name = models.CharField(max_length=100, editable=False)
    oriented_at = models.DateTimeField(
        "orienté·e le", null=True, blank=True, help_text="Date de notification de la dernière décision d'orientation."
    )
    last_activity_at = models.DateTimeField("dernière activité", default=timezone.now)
    purge_warned_at = models.DateTimeField("référent averti de l'anonymisation le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne accompagnée"
        verbose_name_plural = "personnes accompagnées"
        ordering = ["birth_name", "first_names"]
        indexes = [
            models.Index(fields=["territory", "search_birth_name", "birth_date"], name="person_identity_idx"),
            models.Index(fields=["territory", "search_usage_name", "birth_date"], name="person_usage_idx"),
            models.Index(fields=["territory", "nir_hash"], name="person_nir_idx"),
            models.Index(fields=["territory", "france_travail_id"], name="person_ft_idx"),
            models.Index(fields=["territory", "si_id"], name="person_si_idx"),
            models.Index(fields=["territory", "last_activity_at"], name="person_activity_idx"),
            # The person's own space finds them by e-mail (case-insensitive) or mobile number.
            models.Index(Upper("email"), name="person_email_idx"),
            models.Index(fields=["phone"], name="person_phone_idx"),
            # The orientation queue: people of a territory not yet oriented, by entry date.
            models.Index(
                fields=["territory", "entry_date", "id"],
                condition=Q(oriented_at__isnull=True, anonymised_at__isnull=True),
                name="person_orientation_queue_idx",
            ),
            # The few anonymised people, left out of the indicators' counts of people followed.
            models.Index(fields=["id"], condition=Q(anonymised_at__isnull=False), name="person_anonymised_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "nir_hash"], condition=~Q(nir_hash=""), name="person_unique_nir"
            ),
            models.UniqueConstraint(
                fields=["territory", "france_travail_id"],
                condition=~Q(france_travail_id=""),
                name="person_unique_france_travail_id",
            ),
            models.UniqueConstraint(fields=["territory", "si_id"], condition=~Q(si_id=""), name="person_unique_si_id"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def display_last_name(self):
        return self.usage_name or self.birth_name

    @property
    def full_name(self):
        name = f"{self.display_last_name.upper()} {self.first_names}"
        if self.usage_name and self.usage_name != self.birth_name:
            name += f" (née ou né {self.birth_name.upper()})"
        return name

    @property
    def short_name(self):
        return f"{self.first_names.split(' ')[0]} {self.display_last_name.upper()}"

    @property
    def nir(self):
        return decrypt_nir(self.nir_encrypted)

    @property
    def masked_nir(self):
        return mask_nir(self.nir)

    @property
    def phone_display(self):
        return format_phone(self.phone)

    @cached_property
    def active_team(self):
        """The active follow-up team, referent first (one query, reused by the predicates; a list
        of people gets theirs at once from `load_active_teams`)."""
        return list(_active_seats().filter(person=self))

    @property
    def referent(self):
        return next((seat for seat in self.active_team if seat.is_referent), None)

    def refresh_search_keys(self):
        self.search_birth_name = normalize_for_search(self.birth_name)
        self.search_usage_name = normalize_for_search(self.usage_name)
        self.search_first_name = normalize_for_search(self.first_names).split(" ")[0]


class ConsentRecord(models.Model):
    """Each time the person gives or withdraws consent to sharing, with when and who recorded it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consent_records")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    given = models.BooleanField("consentement donné")
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)
    recorded_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "consentement"
        ordering = ["-recorded_at"]

    def __str__(self):
        return f"{'donné' if self.given else 'retiré'} le {self.recorded_at:%d/%m/%Y}"


def _active_seats():
    return (
        FollowUpMember.objects.active()
        .select_related("membership__user", "membership__organisation")
        .order_by("-is_referent", "started_on", "pk")
    )


def load_active_teams(people):
    """Fill each person's `active_team` in one query (for a list whose rows the predicates read)."""
    teams = {person.pk: [] for person in people}
    for seat in _active_seats().filter(person_id__in=list(teams)):
        teams[seat.person_id].append(seat)
    for person in people:
        person.__dict__["active_team"] = teams[person.pk]


class FollowUpMemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active_team_q())


class FollowUpMember(BaseModel):
    """A professional (through one membership) in a person's follow-up team."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="team")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name="professionnel",
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    is_referent = models.BooleanField("référent·e", default=False)
    can_see_sensitive = models.BooleanField("accès aux informations sensibles", default=False)
    started_on = models.DateField("début du suivi", default=timezone.localdate)
    ended_on = models.DateField("fin du suivi", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=30, choices=TeamEndReason.choices, blank=True)

    objects = FollowUpMemberQuerySet.as_manager()

    class Meta:
        verbose_name = "membre de l'équipe de suivi"
        verbose_name_plural = "équipe de suivi"
        ordering = ["-is_referent", "started_on"]
        indexes = [
            models.Index(fields=["membership", "ended_on"], name="team_membership_idx"),
            models.Index(fields=["person", "ended_on"], name="team_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_referent=True, ended_on__isnull=True),
                name="one_active_referent",
            ),
            models.UniqueConstraint(
                fields=["person", "membership"],
                condition=Q(ended_on__isnull=True),
                name="one_active_seat_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.membership} → {self.person_id}"

    @property
    def is_active(self):
        return self.ended_on is None or self.ended_on > timezone.localdate()


class JoinRequest(BaseModel):
    """A professional asks to join a person's follow-up team; the referent or orientation officer decides."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="join_requests")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey(
        "accounts.Membership", verbose_name="demandeur", on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("motif de la demande", max_length=1000)
    # Asked to become the referent (a professional never makes themself referent: they ask).
    as_referent = models.BooleanField("pour devenir référent·e", default=False)
    status = models.CharField(
        "statut", max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decision_reason = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "demande pour rejoindre l'équipe"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "membership"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.membership} ({self.get_status_display()})"


class AccessLog(models.Model):
    """Who read or changed a person's file, when, from which structure."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="access_logs")
    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via_api = models.BooleanField("par l'API", default=False)
    kind = models.CharField("nature", max_length=10, choices=AccessKind.choices)
    what = models.CharField("objet", max_length=100)
    at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "accès au dossier"
        verbose_name_plural = "accès aux dossiers"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="access_person_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y %H:%M}"


class PersonImport(StagedImport):
    """An uploaded people file, kept between its preview and its confirmation."""

    territory = models.ForeignKey("territories.Territory", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("fichier", max_length=255)
    content = models.BinaryField()
    skip_invalid = models.BooleanField("importer les lignes valides seulement", default=False)
    summary = models.CharField("résumé", max_length=255, blank=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de personnes"
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename


class IdentitySearchHit(models.Model):
    """One exact identity search (or one alert sent about them), for the rate limit of the search
    (spie.people.search_limits). Holds who searched, never what was searched."""

    class Kind(models.TextChoices):
        SEARCH = "recherche", "Recherche"
        ALERT_ACCOUNT = "alerte_compte", "Alerte sur un compte"
        ALERT_STRUCTURE = "alerte_structure", "Alerte sur une structure"

    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.SEARCH)
    # "user:<id>" for a professional, "token:<id>" for a partner's API token.
    account = models.CharField("compte", max_length=40)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey("territories.Territory", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField("date", default=timezone.now)

    class Meta:
        verbose_name = "recherche d'identité (limite)"
        verbose_name_plural = "recherches d'identité (limites)"
        indexes = [
            models.Index(fields=["kind", "account", "at"], name="search_hit_account_idx"),
            models.Index(fields=["kind", "organisation", "at"], name="search_hit_organisation_idx"),
            models.Index(fields=["at"], name="search_hit_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y %H:%M})"
