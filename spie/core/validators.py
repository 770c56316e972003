from django.core.exceptions import ValidationError


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
