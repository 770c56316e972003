import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


def luhn_is_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siret(value: str):
    """A SIRET is 14 digits whose Luhn checksum holds (La Poste's establishments excepted)."""
    if not value.isdigit() or len(value) != 14:
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="siret_format")
    # La Poste's establishments (SIREN 356000000) follow another rule: digit sum multiple of 5.
    if value.startswith("356000000"):
        if sum(int(c) for c in value) % 5 == 0:
            return
    elif luhn_is_valid(value):
        return
    raise ValidationError("Ce SIRET n'est pas valide (clé de contrôle incorrecte).", code="siret_key")


def siret_with_key(first_13_digits: str) -> str:
    """Complete 13 digits with the Luhn key digit that makes a valid SIRET."""
    for key in "0123456789":
        if luhn_is_valid(first_13_digits + key):
            return first_13_digits + key
    raise ValueError("unreachable: one key digit always satisfies Luhn")


# Dates of people's lives and files: nothing before 1900 is a real value, only a typing slip (year
# 1, 0019…) that later breaks date arithmetic and displays. One rule for web forms and the API.
EARLIEST_YEAR = 1900


def validate_plausible_date(value):
    """Refuse a date before 1900 (birth date, entry date, period filters)."""
    if value is not None and value.year < EARLIEST_YEAR:
        raise ValidationError(
            f"Vérifiez l'année : une date antérieure à {EARLIEST_YEAR} n'est pas acceptée.", code="date_too_early"
        )


def _plausible_date_for_schema(value):
    try:
        validate_plausible_date(value)
    except ValidationError as error:
        raise PydanticCustomError("date_too_early", error.messages[0]) from None
    return value


# The same rule for API schemas (django-ninja / pydantic): `date_naissance: PlausibleDate`.
PlausibleDate = Annotated[datetime.date, AfterValidator(_plausible_date_for_schema)]
