"""Uploaded import files kept between their preview and their confirmation ("staged").

They may hold NIRs and contact details, so they are encrypted at rest with the field encryption
key (the NIR's), emptied once the import is confirmed, deleted when it is cancelled, and purged
after `STAGED_IMPORT_RETENTION_DAYS` when left behind.
"""

import functools
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from .imports import ImportFileError
from .models import BaseModel


class StagedImport(BaseModel):
    """Marks a model of staged import files (fields `content` and `applied_at`)."""

    class Meta:
        abstract = True

    def stage(self, content: bytes):
        self.content = seal(content)

    def staged_content(self) -> bytes:
        return unseal(self.content)


@functools.cache
def _fernet_for(key):
    return Fernet(key.encode())


def seal(content: bytes) -> bytes:
    return _fernet_for(settings.FIELD_ENCRYPTION_KEY).encrypt(bytes(content))


def unseal(stored) -> bytes:
    try:
        return _fernet_for(settings.FIELD_ENCRYPTION_KEY).decrypt(bytes(stored or b""))
    except InvalidToken:
        raise ImportFileError("Ce fichier n'est plus disponible : envoyez-le de nouveau.") from None


def staged_models():
    return [model for model in apps.get_models() if issubclass(model, StagedImport)]


def stale(model, now=None):
    """Staged files older than the retention period that were never confirmed."""
    limit = (now or timezone.now()) - timedelta(days=settings.STAGED_IMPORT_RETENTION_DAYS)
    return model.objects.filter(created_at__lt=limit, applied_at__isnull=True)


def purge_stale(model, now=None) -> int:
    """Delete the stale staged files of `model` (with their upload row)."""
    return stale(model, now).delete()[1].get(model._meta.label, 0)
