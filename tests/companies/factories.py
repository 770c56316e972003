"""Companies, shortage lists, immersions and trainings for tests, on a small real-looking referential."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from spie.companies.enums import ImmersionStatus
from spie.companies.models import (
    Company,
    CompanyContact,
    CompanyJob,
    Immersion,
    ShortageOccupation,
    Training,
)
from spie.core.text import normalize_for_search
from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic
from spie.referentials.models import NafActivity, ReferentialVersion, RomeDomain, RomeJob
from tests.accounts.factories import next_valid_siret
from tests.territories.factories import CommuneFactory, DepartementFactory

# (INSEE, name, postal code, latitude, longitude): real commune centres of the Nord.
COMMUNES = {
    "lille": ("59350", "Lille", "59000", 50.63194, 3.0575),
    "roubaix": ("59512", "Roubaix", "59100", 50.69421, 3.17456),
    "valenciennes": ("59606", "Valenciennes", "59300", 50.35700, 3.52330),
    "dunkerque": ("59183", "Dunkerque", "59140", 51.03440, 2.37680),
}


def commune(key):
    insee, name, postal, lat, lon = COMMUNES[key]
    return CommuneFactory(
        insee_code=insee,
        name=name,
        postal_codes=postal,
        latitude=lat,
        longitude=lon,
        departement=DepartementFactory(code="59"),
    )


def rome_referential():
    """A few real ROME jobs in two professional domains, and two NAF activities."""
    care = RomeDomain.objects.get_or_create(code="J", defaults={"label": "Santé"})[0]
    care_sub = RomeDomain.objects.get_or_create(code="J15", defaults={"label": "Soins paramédicaux", "parent": care})[0]
    hotel = RomeDomain.objects.get_or_create(code="G", defaults={"label": "Hôtellerie-restauration, tourisme"})[0]
    kitchen = RomeDomain.objects.get_or_create(code="G16", defaults={"label": "Production culinaire", "parent": hotel})[
        0
    ]
    jobs = {}
    for code, label, domain in (
        ("J1501", "Soins d'hygiène, de confort du patient", care_sub),
        ("J1502", "Coordination de services médicaux ou paramédicaux", care_sub),
        ("G1602", "Personnel de cuisine", kitchen),
        ("G1603", "Personnel polyvalent en restauration", kitchen),
    ):
        job, _ = RomeJob.objects.get_or_create(
            code=code, defaults={"label": label, "search_label": normalize_for_search(label), "domain": domain}
        )
        jobs[code] = job
    for code, label in (
        ("87.10A", "Hébergement médicalisé pour personnes âgées"),
        ("56.10A", "Restauration traditionnelle"),
    ):
        NafActivity.objects.get_or_create(
            code=code,
            defaults={
                "label": label,
                "search_label": normalize_for_search(label),
                "division_code": code[:2],
                "division_label": label,
                "section_code": "Q" if code.startswith("87") else "I",
                "section_label": label,
            },
        )
    return jobs


def set_project(person, codes, radius_km=None, user=None):
    """A validated diagnostic with this professional project (as the diagnostics app records it)."""
    version = ReferentialVersion.objects.get_or_create(
        code="test",
        defaults={"label": "Référentiel de test", "published_on": datetime.date(2026, 1, 1), "is_current": True},
    )[0]
    number = Diagnostic.objects.filter(person=person).count() + 1
    return Diagnostic.objects.create(
        person=person,
        territory=person.territory,
        number=number,
        referential_version=version,
        status=DiagnosticStatus.VALIDATED,
        target_rome_codes=list(codes),
        mobility_radius_km=radius_km,
        validated_at=timezone.now(),
    )


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    siret = factory.LazyFunction(next_valid_siret)
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    search_name = factory.LazyAttribute(lambda o: normalize_for_search(o.name))
    address = "10 rue Nationale"
    postal_code = "59000"
    immersion_capacity = 2

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        company = model_class(*args, **kwargs)
        company.place_from_commune()
        company.save()
        return company


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyContact

    company = factory.SubFactory(CompanyFactory)
    territory = factory.LazyAttribute(lambda o: o.company.territory)
    first_name = "Sophie"
    last_name = "Lambert"
    job_title = "Responsable d'équipe"
    email = factory.Sequence(lambda n: f"tuteur{n}@entreprise.fr")
    is_tutor = True


def add_job(company, job, *, hosts_immersion=True, hires=False):
    return CompanyJob.objects.create(
        company=company,
        territory=company.territory,
        rome_job=job,
        domain_id=job.domain_id,
        hosts_immersion=hosts_immersion,
        hires=hires,
        geo_lat=company.geo_lat,
        geo_lon=company.geo_lon,
        is_open=company.is_open,
    )


def shortage(territory, job, tension=4, starts_on=datetime.date(2026, 1, 1), ends_on=None):
    return ShortageOccupation.objects.create(
        territory=territory, rome_job=job, tension=tension, starts_on=starts_on, ends_on=ends_on, source="BMO 2026"
    )


def immersion(person, company, tutor, prescriber_membership, *, status=ImmersionStatus.DRAFT, starts_on=None, **extra):
    starts_on = starts_on or timezone.localdate() + datetime.timedelta(days=10)
    return Immersion.objects.create(
        territory=person.territory,
        person=person,
        company=company,
        tutor=tutor,
        prescriber=prescriber_membership,
        prescriber_organisation=prescriber_membership.organisation,
        objective="discover",
        rome_job=extra.pop("rome_job", None) or RomeJob.objects.get(code="J1501"),
        activities="Aide aux soins d'hygiène, accompagnement des résidents.",
        starts_on=starts_on,
        ends_on=extra.pop("ends_on", starts_on + datetime.timedelta(days=11)),
        weekly_hours=extra.pop("weekly_hours", Decimal("28")),
        schedule="Du lundi au jeudi, 8 h – 15 h",
        place_address=company.address,
        place_commune=company.commune,
        status=status,
        **extra,
    )


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    organisation_name = "AFPA Lille"
    title = "Titre professionnel agent de restauration"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=120))
    places = 12
    funding = "region"

    @factory.post_generation
    def rome_jobs(self, create, extracted, **kwargs):
        if create and extracted:
            self.rome_jobs.set(extracted)
