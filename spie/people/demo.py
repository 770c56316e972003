"""Demo people for every territory: realistic identities, follow-up teams, a little history.

Set-based so that it also serves the national-scale benchmark (a million people).
"""

import datetime
import uuid

from django.db.models import Q
from django.utils import timezone
from faker.providers.person.fr_FR import Provider as NameProvider

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.territories.models import Territory

from .enums import RsaStatus, Sex, UnemploymentBenefit
from .identifiers import encrypt_nir, lookup_hash
from .models import ConsentRecord, FollowUpMember, Person

BATCH = 5000
FEMALE, MALE = list(NameProvider.first_names_female), list(NameProvider.first_names_male)
LAST_NAMES = list(NameProvider.last_names)
STREETS = [
    "rue de la République",
    "avenue Jean-Jaurès",
    "rue Victor-Hugo",
    "place de la Mairie",
    "rue Pasteur",
    "boulevard Gambetta",
    "rue des Écoles",
    "allée des Tilleuls",
    "rue du Moulin",
    "chemin des Vignes",
]


def _nir(rng, sex, birth_date, commune):
    department = commune.insee_code[:2] if commune else "99"
    body = (
        f"{1 if sex == Sex.MALE else 2}{birth_date:%y}{birth_date:%m}"
        f"{department.replace('2A', '19').replace('2B', '18')}{commune.insee_code[2:] if commune else '000'}"
        f"{rng.randint(1, 999):03d}"
    )[:13]
    return body + f"{97 - int(body) % 97:02d}"


def _unique_nir(rng, sex, birth_date, commune, used):
    """A NIR not in `used` (the random order number may repeat in a large territory)."""
    while (nir := _nir(rng, sex, birth_date, commune)) in used:
        pass
    used.add(nir)
    return nir


def build_people(territory, count, rng, *, communes, with_nir=True, ft_offset=0, used_nirs=None):
    """`count` unsaved Person objects of `territory`, living in `communes`; their NIRs are unique
    within the territory among themselves and `used_nirs` (which is updated)."""
    today = timezone.localdate()
    used_nirs = set() if used_nirs is None else used_nirs
    people = []
    for index in range(count):
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
        first = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
        last = rng.choice(LAST_NAMES)
        birth_date = today - datetime.timedelta(days=rng.randint(18 * 365, 62 * 365))
        commune = rng.choice(communes) if communes else None
        usage = rng.choice(LAST_NAMES) if sex == Sex.FEMALE and rng.random() < 0.2 else ""
        nir = _unique_nir(rng, sex, birth_date, commune, used_nirs) if with_nir and rng.random() < 0.7 else ""
        person = Person(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            territory=territory,
            birth_name=last,
            usage_name=usage,
            first_names=first + (f" {rng.choice(FEMALE if sex == Sex.FEMALE else MALE)}" if rng.random() < 0.5 else ""),
            birth_date=birth_date,
            sex=sex,
            email=f"{normalize_for_search(first).replace(' ', '-')}.{normalize_for_search(last).replace(' ', '-')}"
            f"{rng.randint(1, 999)}@exemple.fr",
            phone=f"+336{rng.randint(10000000, 99999999)}",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            postal_code=commune.postal_code_list[0] if commune and commune.postal_codes else "",
            commune=commune,
            france_travail_id=f"{ft_offset + index:07d}{'ABCDEFGHJK'[index % 10]}" if rng.random() < 0.8 else "",
            entry_date=today - datetime.timedelta(days=rng.randint(0, 3 * 365)),
            rsa_status=rng.choice([RsaStatus.OPEN] * 6 + [RsaStatus.REQUESTED, RsaStatus.SUSPENDED, RsaStatus.NONE]),
            unemployment_benefit=rng.choice(
                [UnemploymentBenefit.NONE] * 3 + [UnemploymentBenefit.ARE, UnemploymentBenefit.ASS]
            ),
            rqth=rng.random() < 0.08,
            consent_given=rng.random() < 0.85,
            nir_encrypted=encrypt_nir(nir),
            nir_hash=lookup_hash(nir),
        )
        person.refresh_search_keys()
        if person.consent_given:
            person.consent_changed_at = timezone.make_aware(
                datetime.datetime.combine(person.entry_date, datetime.time(10))
            )
        people.append(person)
    return people


def seed_territory(territory, count, rng, *, with_nir=True, ft_offset=0):
    """Create `count` people in `territory`, each with a referent and sometimes a second member."""
    counsellors = list(
        Membership.objects.active()
        .filter(organisation__territory=territory, role__in=[Role.CONSEILLER, Role.GESTIONNAIRE])
        .select_related("organisation")
    )
    if not counsellors:
        return 0
    communes = list(territory.communes().exclude(postal_codes="").order_by("-population")[:200])
    created, used_nirs = 0, set()
    for start in range(0, count, BATCH):
        people = Person.objects.bulk_create(
            build_people(
                territory,
                min(BATCH, count - start),
                rng,
                communes=communes,
                with_nir=with_nir,
                ft_offset=ft_offset + start,
                used_nirs=used_nirs,
            ),
            batch_size=BATCH,
        )
        seats, consents, events = [], [], []
        for person in people:
            referent = rng.choice(counsellors)
            seats.append(
                FollowUpMember(
                    person=person,
                    territory=territory,
                    membership=referent,
                    is_referent=True,
                    can_see_sensitive=rng.random() < 0.5,
                    started_on=person.entry_date,
                )
            )
            if rng.random() < 0.35:
                other = rng.choice(counsellors)
                if other.pk != referent.pk:
                    seats.append(
                        FollowUpMember(
                            person=person, territory=territory, membership=other, started_on=person.entry_date
                        )
                    )
            if person.consent_given:
                consents.append(
                    ConsentRecord(person=person, territory=territory, given=True, recorded_at=person.consent_changed_at)
                )
            events.append(
                AuditEvent(
                    action="people.person.created",
                    territory=territory,
                    target_type="people.person",
                    target_id=person.public_id,
                    subject_id=person.public_id,
                    membership=referent,
                    data={},
                )
            )
        FollowUpMember.objects.bulk_create(seats, batch_size=BATCH)
        ConsentRecord.objects.bulk_create(consents, batch_size=BATCH)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        created += len(people)
    return created


def _named_caseload(rng):
    """Give the demo counsellor a caseload of their own, to show on first login."""
    membership = Membership.objects.filter(user__email="conseiller@demo.spie.fr", role=Role.CONSEILLER).first()
    if membership is None:
        return
    people = list(Person.objects.filter(territory_id=membership.organisation.territory_id).order_by("?")[:30])
    # Their referent steps aside, and a seat they already held as a plain member becomes the referent seat.
    FollowUpMember.objects.filter(Q(is_referent=True) | Q(membership=membership), person__in=people).delete()
    FollowUpMember.objects.bulk_create(
        FollowUpMember(
            person=p,
            territory_id=p.territory_id,
            membership=membership,
            is_referent=True,
            can_see_sensitive=True,
            started_on=p.entry_date,
        )
        for p in people
    )


def seed(context):
    count = context.options.get("people", 200)
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    total = sum(seed_territory(territory, count, context.rng) for territory in territories)
    _named_caseload(context.rng)
    return f"{total} personnes accompagnées"
