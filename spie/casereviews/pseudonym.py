"""The pseudonymised presentation of a case: initials, age band, area of the territory and the
texts written for the review — never a name, a birth date, an address or an identifier. Free text
recorded on a case is refused when it contains one of the person's identifying values."""

import re
from dataclasses import dataclass

from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.text import normalize_for_search

AGE_BANDS = ((25, "moins de 25 ans"), (35, "25 à 34 ans"), (45, "35 à 44 ans"), (55, "45 à 54 ans"))


def initials(person):
    first = (person.first_names or "?").strip()[:1].upper()
    last = (person.display_last_name or "?").strip()[:1].upper()
    return f"{first}. {last}."


def age(birth_date, today):
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def age_band(birth_date, today=None):
    years = age(birth_date, today or timezone.localdate())
    return next((label for limit, label in AGE_BANDS if years < limit), "55 ans et plus")


def area(person):
    """A wide area of the territory: the EPCI of the person's commune, else its département, else
    the territory."""
    commune = person.commune
    if commune is not None:
        if getattr(commune, "epci_id", None):
            return commune.epci.name
        return commune.departement.name
    return person.territory.name


def identifying_values(person):
    """Every identifying value of the person's file, as they may be typed (for the guard and the
    tests)."""
    values = [
        person.birth_name,
        person.usage_name,
        *person.first_names.split(),
        person.birth_place,
        person.address,
        person.postal_code,
        person.email,
        person.phone,
        person.phone_display,
        person.si_id,
        person.france_travail_id,
        person.caf_number,
        person.nir,
    ]
    if person.birth_date:
        values += [person.birth_date.strftime("%d/%m/%Y"), person.birth_date.isoformat()]
    return [value for value in values if value and len(value.strip()) >= 3]


def _pattern(value):
    return re.compile(rf"(?<![a-z0-9]){re.escape(normalize_for_search(value))}(?![a-z0-9])")


def check_free_of_identity(person, text, *, field, label):
    """Refuse a text meant for the review that contains a name, birth date, address or identifier
    of the person (accents and case ignored)."""
    if not text:
        return text
    normalized = normalize_for_search(text)
    raw = text.replace(" ", "")
    for value in identifying_values(person):
        if _pattern(value).search(normalized) or (any(c.isdigit() for c in value) and value.replace(" ", "") in raw):
            raise DomainError(
                f"{label} : retirez le nom, la date de naissance, l'adresse ou les identifiants de la personne ; "
                "ce texte est lu par des membres qui ne doivent pas pouvoir l'identifier.",
                field=field,
            )
    return text


@dataclass(frozen=True)
class Presentation:
    """What a reader sees of the person in a case."""

    form: str
    label: str
    age_band: str
    area: str
    named: bool
    person_id: object = None


def presentation(case, form, today=None):
    from .enums import Form

    person = case.person
    named = form == Form.NAMED
    return Presentation(
        form=form,
        label=person.full_name if named else initials(person),
        age_band=age_band(person.birth_date, today),
        area=area(person),
        named=named,
        person_id=person.public_id if named else None,
    )
