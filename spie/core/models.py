import uuid

from django.conf import settings
from django.db import models


class BaseModel(models.Model):
    """Every domain object: an internal integer key, a public UUID, and its timestamps."""

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class AuditEventQuerySet(models.QuerySet):
    def for_target(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=obj.public_id)


class AuditEvent(models.Model):
    """One write (or sensitive read) done by someone, recorded in the same transaction."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name="rattachement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_token = models.ForeignKey(
        "accounts.ApiToken",
        verbose_name="jeton d'API",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField("action", max_length=100, db_index=True)
    target_type = models.CharField("type d'objet", max_length=100)
    target_id = models.UUIDField("identifiant de l'objet", null=True, blank=True)
    subject_id = models.UUIDField(
        "dossier concerné",
        null=True,
        blank=True,
        db_index=True,
        help_text="Identifiant public du dossier de la personne auquel l'événement appartient.",
    )
    data = models.JSONField("détails", default=dict, blank=True)
    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["actor", "created_at"]),
        ]

    def __str__(self):
        return f"{self.action} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def label(self):
        from .audit import action_label

        return action_label(self.action)
