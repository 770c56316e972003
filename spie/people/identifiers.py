"""NIR (numéro de sécurité sociale) and French phone numbers: validation, storage, display."""

import functools
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError


def clean_nir(raw: str) -> str:
    """Return the 15-character NIR or raise a French ValidationError (format, then key)."""
    value = re.sub(r"[\s.-]", "", raw or "").upper()
    if not re.fullmatch(r"[1-478][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}", value):
        raise ValidationError(
            "Le NIR doit comporter 15 caractères : 13 chiffres (2A ou 2B pour la Corse) et la clé.",
            code="nir_format",
        )
    body = value[:13].replace("2A", "19").replace("2B", "18")
    if 97 - int(body) % 97 != int(value[13:]):
        raise ValidationError("Ce NIR n'est pas valide : la clé de contrôle ne correspond pas.", code="nir_key")
    return value


@functools.cache
def _fernet_for(key):
    return Fernet(key.encode())


def _fernet():
    return _fernet_for(settings.FIELD_ENCRYPTION_KEY)


def encrypt_nir(nir: str) -> str:
    return _fernet().encrypt(nir.encode()).decode() if nir else ""


def decrypt_nir(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def lookup_hash(value: str) -> str:
    """Keyed hash for exact look-ups of a secret identifier, without storing it in clear."""
    if not value:
        return ""
    key = settings.LOOKUP_HASH_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def mask_nir(nir: str) -> str:
    """'1 85 05 ** *** *** 42': enough to recognise it, not enough to reuse it."""
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} ** *** *** {nir[13:]}" if nir else ""


# Overseas numbers dialled as 0XXX… in France and their international prefix.
_OVERSEAS = {
    "0590": "590", "0690": "590", "0594": "594", "0694": "594", "0596": "596", "0696": "596",
    "0262": "262", "0692": "262", "0693": "262", "0269": "262", "0639": "262",
}  # fmt: skip


def normalize_phone(raw: str) -> str:
    """Any French way of writing a number → E.164 (`+33612345678`); ValidationError otherwise."""
    digits = re.sub(r"[\s.\-()/]", "", raw or "")
    if not digits:
        return ""
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+"):
        if re.fullmatch(r"\+(33|590|594|596|262|269|508|681|687|689)[1-9][0-9]{8}", digits):
            return digits
    elif re.fullmatch(r"0[1-9][0-9]{8}", digits):
        prefix = _OVERSEAS.get(digits[:4], "33")
        return f"+{prefix}{digits[1:]}"
    raise ValidationError(
        "Numéro de téléphone invalide : 10 chiffres commençant par 0 (ex. 06 12 34 56 78) ou +33…",
        code="phone",
    )


def format_phone(e164: str) -> str:
    """`+33612345678` → `06 12 34 56 78` (national form, as French professionals read it)."""
    if not e164:
        return ""
    for code in ("33", "590", "594", "596", "262"):
        if e164.startswith("+" + code) and len(e164) == len(code) + 10:
            national = "0" + e164[len(code) + 1 :]
            return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return e164
