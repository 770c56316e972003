import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone

from spie.core.models import BaseModel
from spie.core.staging import StagedImport
from spie.core.validators import validate_siret

from .enums import TERRITORIAL_ROLES, ApiTokenScope, EmailStatus, ImportKind, OrganisationType, Role


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration technique", default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "professionnel"
        verbose_name_plural = "professionnels"
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, membership):
        """National administrators see every structure; others, those of their territory."""
        if membership is None:
            return self.none()
        if membership.role == Role.ADMIN_NATIONAL:
            return self
        territory_id = membership.organisation.territory_id
        if territory_id is None:
            return self.filter(pk=membership.organisation_id)
        return self.filter(Q(territory_id=territory_id) | Q(pk=membership.organisation_id))


class Organisation(BaseModel):
    name = models.CharField("nom", max_length=255)
    type = models.CharField("type", max_length=30, choices=OrganisationType.choices)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
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
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text="Vide pour les structures nationales.",
    )
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    is_active = models.BooleanField("active", default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]
        indexes = [models.Index(fields=["territory", "type", "name"])]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, user__is_active=True, organisation__is_active=True)

    def territorial(self):
        """Memberships holding a role whose reach is the whole territory."""
        return self.filter(role__in=TERRITORIAL_ROLES)


class Membership(BaseModel):
    """A professional's place in one structure, with one role."""

    user = models.ForeignKey(User, verbose_name="professionnel", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="structure", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices, default=Role.CONSEILLER)
    is_active = models.BooleanField("actif", default=True)
    deactivated_at = models.DateTimeField("désactivé le", null=True, blank=True)
    role_granted_at = models.DateTimeField("rôle donné le", null=True, blank=True)
    role_granted_by = models.ForeignKey(
        User, verbose_name="rôle donné par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role_grant_reason = models.CharField("motif du rôle", max_length=500, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        ordering = ["organisation__name", "role"]
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]
        indexes = [
            models.Index(fields=["organisation", "is_active"]),
            models.Index(fields=["role", "organisation"], name="membership_role_org_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}"

    @property
    def territory(self):
        return self.organisation.territory

    @property
    def territory_id(self):
        return self.organisation.territory_id


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(BaseModel):
    """An e-mailed, expiring link that lets a professional join a structure."""

    email = models.EmailField("adresse e-mail")
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="structure", on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices, default=Role.CONSEILLER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, verbose_name="invité par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    expires_at = models.DateTimeField("expire le")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    revoked_at = models.DateTimeField("annulée le", null=True, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    grant_reason = models.CharField("motif du rôle territorial", max_length=500, blank=True)
    email_status = models.CharField(
        "envoi de l'e-mail", max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    email_attempts = models.PositiveSmallIntegerField("tentatives d'envoi", default=0)
    email_sent_at = models.DateTimeField("e-mail envoyé le", null=True, blank=True)
    email_error = models.CharField("dernière erreur d'envoi", max_length=255, blank=True)
    source_import = models.ForeignKey(
        "AccountImport",
        verbose_name="import d'origine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["email_status", "created_at"], name="invitation_queue_idx"),
            models.Index(fields=["email"], name="invitation_email_idx"),
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.organisation})"

    @property
    def is_usable(self):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, organisation__is_active=True)


class ApiToken(BaseModel):
    """A partner system's key to the API, belonging to a structure. Only its hash is stored."""

    organisation = models.ForeignKey(
        Organisation, verbose_name="structure", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("début du jeton", max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name="créé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    scope = models.CharField("portée", max_length=20, choices=ApiTokenScope.choices, default=ApiTokenScope.STRUCTURE)
    scope_reason = models.CharField("motif de la portée", max_length=500, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key():
        return "spie_" + secrets.token_urlsafe(32)


class AccountImport(StagedImport):
    """An uploaded file of structures or professionals, kept between its preview and its
    confirmation; afterwards its summary, and for professionals the invitations it queued."""

    kind = models.CharField("nature", max_length=20, choices=ImportKind.choices)
    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, verbose_name="importé par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField("fichier", max_length=255)
    content = models.BinaryField()
    skip_invalid = models.BooleanField("importer les lignes valides seulement", default=False)
    summary = models.CharField("résumé", max_length=255, blank=True)
    applied_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de structures ou de professionnels"
        verbose_name_plural = "imports de structures et de professionnels"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["territory", "kind", "applied_at"], name="account_import_idx")]

    def __str__(self):
        return self.filename


class RoleGrant(BaseModel):
    """One grant or withdrawal of a territorial role, with its author and written reason: the
    history behind `Membership.role_granted_*` (audit events point here, never carry the reason)."""

    membership = models.ForeignKey(
        Membership, verbose_name="rattachement", on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    withdrawn = models.BooleanField("retrait", default=False)
    by = models.ForeignKey(User, verbose_name="par", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField("motif", max_length=500)

    class Meta:
        verbose_name = "attribution de rôle territorial"
        verbose_name_plural = "attributions de rôles territoriaux"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{'Retrait' if self.withdrawn else 'Attribution'} — {self.get_role_display()}"
