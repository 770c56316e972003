"""Demo companies in real communes with real NAF and ROME codes, a shortage list per territory,
immersions at every status, trainings with positionings, events and openings.

`build_companies` is set-based and shared with the benchmark (20,000 companies in the Nord).
"""

import datetime
import uuid
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.core.bulk import insert
from spie.core.models import AuditEvent
from spie.core.text import normalize_for_search
from spie.core.validators import siret_with_key
from spie.people.models import FollowUpMember, Person, active_team_q
from spie.referentials.models import NafActivity, NafDivisionJob, RomeJob
from spie.territories.models import Territory

from .enums import (
    AssessmentOutcome,
    Availability,
    CancelReason,
    ContractType,
    EventKind,
    ImmersionObjective,
    ImmersionStatus,
    OpeningKind,
    PositioningStatus,
    SizeBand,
    TrainingFunding,
)
from .models import (
    Company,
    CompanyContact,
    CompanyEvent,
    CompanyJob,
    CompanyOpening,
    EventParticipant,
    Immersion,
    ImmersionAssessment,
    ShortageOccupation,
    Training,
    TrainingPositioning,
)

# Sectors that hire people returning to work, with the jobs they usually host (real codes).
SECTORS = {
    "87.10A": ("EHPAD", ["J1501", "J1301", "K2204"]),
    "88.10A": ("Aide à domicile", ["K1302", "K1303"]),
    "56.10A": ("Restaurant", ["G1602", "G1803"]),
    "56.10C": ("Restauration rapide", ["G1603"]),
    "47.11D": ("Supermarché", ["D1507", "D1106"]),
    "47.11F": ("Hypermarché", ["D1507", "N1103"]),
    "52.10B": ("Entrepôt", ["N1103", "N1105"]),
    "49.41A": ("Transports", ["N4101", "N1105"]),
    "81.21Z": ("Propreté", ["K2204"]),
    "41.20A": ("Construction", ["F1703"]),
    "25.62B": ("Mécanique industrielle", ["H2913"]),
    "45.20A": ("Garage", ["I1604"]),
    "01.13Z": ("Maraîchage", ["A1414"]),
    "86.10Z": ("Centre hospitalier", ["J1501", "J1301"]),
}
SHORTAGE_JOBS = {"J1501": 5, "K1302": 5, "G1602": 4, "G1803": 4, "N4101": 4, "F1703": 3, "H2913": 4, "K2204": 3}
STREETS = [
    "rue de la Gare",
    "avenue de la République",
    "zone d'activités du Moulin",
    "rue de l'Industrie",
    "rue Pasteur",
]
TUTORS = [("Sophie", "Lambert"), ("Karim", "Benali"), ("Nathalie", "Dubois"), ("Julien", "Moreau"), ("Aïcha", "Diallo")]
SIZE_WEIGHTS = [SizeBand.MICRO] * 5 + [SizeBand.SMALL] * 3 + [SizeBand.MEDIUM] * 2 + [SizeBand.LARGE]


class Referential:
    """The ROME and NAF rows the demo uses, loaded once."""

    def __init__(self):
        self.nafs = {naf.code: naf for naf in NafActivity.objects.filter(code__in=SECTORS)}
        codes = {code for _, jobs in SECTORS.values() for code in jobs} | set(SHORTAGE_JOBS)
        self.jobs = {job.code: job for job in RomeJob.objects.filter(code__in=codes)}
        division_jobs = {}
        for division, job_id in NafDivisionJob.objects.filter(division_code__in={c[:2] for c in self.nafs}).values_list(
            "division_code", "job_id"
        ):
            division_jobs.setdefault(division, []).append(job_id)
        self.division_jobs = division_jobs

    @property
    def ready(self):
        return bool(self.nafs and self.jobs)


def territory_communes(territory, limit=150):
    return list(
        territory.communes().filter(latitude__isnull=False).exclude(postal_codes="").order_by("-population")[:limit]
    )


def build_companies(territory, count, rng, *, referential, communes, fake=None, siret_offset=0, created_by=None):
    """Insert `count` companies of `territory` with their jobs and a tutor each; returns them."""
    if not communes or not referential.ready:
        return []
    weights = [max(c.population or 1, 1) for c in communes]
    sectors = [code for code in SECTORS if code in referential.nafs]
    companies, jobs, contacts = [], [], []
    now = timezone.now()
    base = 7_000_000_000_000 + int(territory.pk) * 10_000_000 + siret_offset
    for index in range(count):
        naf_code = rng.choice(sectors)
        kind, job_codes = SECTORS[naf_code]
        commune = rng.choices(communes, weights)[0]
        name = f"{kind} {fake.last_name() if fake else rng.choice(TUTORS)[1]} {commune.name}"
        company = Company(
            public_id=uuid.uuid4(),
            territory=territory,
            siret=siret_with_key(f"{base + index:013d}"),
            name=name,
            search_name=normalize_for_search(name),
            naf=referential.nafs[naf_code],
            address=f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            postal_code=commune.postal_code_list[0],
            commune=commune,
            geo_lat=commune.latitude,
            geo_lon=commune.longitude,
            size_band=rng.choice(SIZE_WEIGHTS),
            immersion_capacity=rng.randint(1, 4),
            availability=rng.choice([Availability.AVAILABLE] * 8 + [Availability.LIMITED, Availability.UNAVAILABLE]),
            email=f"contact{index}@{normalize_for_search(kind).replace(' ', '-')}.exemple.fr",
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        companies.append(company)
        chosen = {referential.jobs[code] for code in job_codes if code in referential.jobs}
        extra = referential.division_jobs.get(naf_code[:2], [])
        if extra and rng.random() < 0.5:
            chosen_ids = {job.pk for job in chosen}
            extra_id = rng.choice(extra)
            if extra_id not in chosen_ids:
                chosen.add(RomeJob(pk=extra_id, domain_id=None))
        jobs.append((company, chosen))
        first, last = rng.choice(TUTORS)
        contacts.append(
            CompanyContact(
                public_id=uuid.uuid4(),
                company=company,
                territory=territory,
                first_name=first,
                last_name=last,
                job_title=rng.choice(["Responsable d'équipe", "Directrice", "Chef de rayon", "Responsable RH"]),
                email=f"{normalize_for_search(first)}.{normalize_for_search(last)}{index}@exemple.fr".replace(" ", "-"),
                is_tutor=True,
                is_main=True,
                created_at=now,
                updated_at=now,
            )
        )
    insert(Company, companies)
    for contact in contacts:
        contact.company_id = contact.company.pk  # the key is known only once the companies are inserted
    domains = dict(RomeJob.objects.filter(pk__in={j.pk for _, js in jobs for j in js}).values_list("pk", "domain_id"))
    insert(
        CompanyJob,
        (
            CompanyJob(
                company=company,
                territory=territory,
                rome_job_id=job.pk,
                domain_id=domains[job.pk],
                hosts_immersion=True,
                hires=rng.random() < 0.6,
                geo_lat=company.geo_lat,
                geo_lon=company.geo_lon,
                is_open=company.is_open,
            )
            for company, chosen in jobs
            for job in chosen
        ),
    )
    insert(CompanyContact, contacts)
    return companies


def seed_shortages(territory, referential, today):
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    return ShortageOccupation.objects.bulk_create(
        ShortageOccupation(
            territory=territory,
            rome_job=referential.jobs[code],
            starts_on=start,
            ends_on=end,
            tension=tension,
            source=f"Enquête Besoins en main-d'œuvre {today.year} (France Travail)",
        )
        for code, tension in SHORTAGE_JOBS.items()
        if code in referential.jobs
    )


def _followed_people(territory, limit):
    """People of the territory with a referent and consent, with their referent's membership."""
    referents = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), is_referent=True)
    people = list(
        Person.objects.filter(territory=territory, consent_given=True, anonymised_at__isnull=True)
        .filter(Exists(referents))
        .exclude(email="")
        .order_by("pk")[:limit]
    )
    seats = dict(
        FollowUpMember.objects.filter(active_team_q(), person__in=people, is_referent=True)
        .select_related("membership__organisation")
        .values_list("person_id", "membership")
    )
    memberships = Membership.objects.select_related("organisation").in_bulk(set(seats.values()))
    return [(person, memberships[seats[person.pk]]) for person in people if person.pk in seats]


def _immersions(territory, companies, people, rng, today):
    """Two immersions at each status, with assessments (some hires) for the completed ones."""
    if not companies or not people:
        return 0
    tutors = {c.company_id: c for c in CompanyContact.objects.filter(company__in=companies)}
    plan = [status for status in ImmersionStatus.values for _ in range(2)]
    now = timezone.now()
    immersions, assessments, events = [], [], []
    for index, status in enumerate(plan):
        person, prescriber = people[index % len(people)]
        company = companies[(index * 7) % len(companies)]
        job = company.jobs.select_related("rome_job").first()
        if job is None or company.pk not in tutors:
            continue
        if status in (ImmersionStatus.COMPLETED,):
            starts_on = today - datetime.timedelta(days=rng.randint(20, 90))
        elif status == ImmersionStatus.IN_PROGRESS:
            starts_on = today - datetime.timedelta(days=rng.randint(1, 4))
        else:
            starts_on = today + datetime.timedelta(days=rng.randint(7, 40))
        ends_on = starts_on + datetime.timedelta(days=rng.choice([4, 11, 13]))
        order = list(ImmersionStatus.values)
        reached = order.index(status)
        immersion = Immersion(
            territory=territory,
            person=person,
            company=company,
            tutor=tutors[company.pk],
            prescriber=prescriber,
            prescriber_organisation=prescriber.organisation,
            objective=rng.choice(ImmersionObjective.values),
            rome_job=job.rome_job,
            activities="Découverte des gestes du métier aux côtés du tuteur ; participation aux tâches de l'équipe.",
            starts_on=starts_on,
            ends_on=ends_on,
            weekly_hours=Decimal(rng.choice([20, 24, 28, 30, 35])),
            schedule="Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 16 h",
            place_address=company.address,
            place_commune=company.commune,
            status=status,
            submitted_at=now if reached >= 1 and status != ImmersionStatus.CANCELLED else None,
            person_signed_at=now if 2 <= reached <= 6 else None,
            company_signed_at=now if 3 <= reached <= 6 else None,
            company_signatory=tutors[company.pk].full_name if 3 <= reached <= 6 else "",
            validated_at=now if 4 <= reached <= 6 else None,
            validated_by=prescriber if 4 <= reached <= 6 else None,
            started_at=now if reached in (5, 6) else None,
            ended_at=now if status == ImmersionStatus.COMPLETED else None,
            cancelled_at=now if status == ImmersionStatus.CANCELLED else None,
            cancel_reason=rng.choice(CancelReason.values[:3]) if status == ImmersionStatus.CANCELLED else "",
        )
        immersions.append(immersion)
    Immersion.objects.bulk_create(immersions)
    for immersion in immersions:
        events.append(
            AuditEvent(
                action="companies.immersion.created",
                territory=territory,
                target_type="companies.immersion",
                target_id=immersion.public_id,
                subject_id=immersion.person.public_id,
                membership=immersion.prescriber,
                data={"company": str(immersion.company.public_id), "status": immersion.status},
            )
        )
        if immersion.status == ImmersionStatus.COMPLETED:
            hired = rng.random() < 0.6
            assessments.append(
                ImmersionAssessment(
                    immersion=immersion,
                    territory=territory,
                    person=immersion.person,
                    outcome=AssessmentOutcome.COMPLETED,
                    hired=hired,
                    contract_type=rng.choice([ContractType.CDD, ContractType.CDI, ContractType.IAE]) if hired else "",
                    contract_start=immersion.ends_on + datetime.timedelta(days=7) if hired else None,
                    skills_observed="Ponctualité, sens du service, respect des consignes d'hygiène et de sécurité.",
                    person_agrees=True,
                    person_comment="J'ai confirmé que ce métier me plaît.",
                    recorded_by=immersion.prescriber,
                )
            )
    ImmersionAssessment.objects.bulk_create(assessments)
    AuditEvent.objects.bulk_create(events)
    return len(immersions)


def _trainings(territory, communes, referential, people, rng, today):
    catalogue = [
        ("AFPA", "Titre professionnel agent de restauration", ["G1602", "G1603"], TrainingFunding.REGION),
        ("GRETA", "Diplôme d'État d'aide-soignant", ["J1501"], TrainingFunding.REGION),
        ("IRFSS Croix-Rouge", "Titre assistant de vie aux familles", ["K1302"], TrainingFunding.FRANCE_TRAVAIL),
        ("AFTRAL", "Permis C et FIMO marchandises", ["N4101"], TrainingFunding.FRANCE_TRAVAIL),
        ("Centre de formation du BTP", "Titre professionnel maçon", ["F1703"], TrainingFunding.OPCO),
        ("AFPA", "Préparateur de commandes en entrepôt (CACES R489)", ["N1103"], TrainingFunding.CPF),
    ]
    trainings = []
    for index, (organisation, title, codes, funding) in enumerate(catalogue):
        jobs = [referential.jobs[code] for code in codes if code in referential.jobs]
        if not jobs:
            continue
        starts_on = today + datetime.timedelta(days=rng.randint(-60, 60))
        training = Training.objects.create(
            territory=territory,
            organisation_name=organisation,
            title=title,
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=rng.randint(60, 200)),
            places=rng.randint(8, 15),
            commune=communes[index % len(communes)],
            funding=funding,
            description="Session ouverte aux demandeurs d'emploi, financement possible sans reste à charge.",
        )
        training.rome_jobs.set(jobs)
        trainings.append(training)
    positionings = []
    for index, (person, prescriber) in enumerate(people[:15]):
        if not trainings:
            break
        training = trainings[index % len(trainings)]
        status = PositioningStatus.values[index % len(PositioningStatus.values)]
        if training.starts_on > today and status in (PositioningStatus.ENTERED, PositioningStatus.COMPLETED):
            status = PositioningStatus.ENROLLED
        positionings.append(
            TrainingPositioning(
                training=training,
                territory=territory,
                person=person,
                status=status,
                positioned_by=prescriber,
                note="Abandon : reprise d'emploi" if status == PositioningStatus.DROPPED_OUT else "",
            )
        )
    TrainingPositioning.objects.bulk_create(positionings, ignore_conflicts=True)
    return len(trainings)


def _events_and_openings(territory, companies, communes, people, referential, rng):
    now = timezone.now()
    organiser = people[0][1] if people else None
    events = []
    for days, kind, title in (
        (-20, EventKind.JOB_DATING, "Job dating des métiers du soin"),
        (12, EventKind.FORUM, "Forum emploi et métiers en tension"),
        (25, EventKind.VISIT, "Visite d'entreprise : plateforme logistique"),
    ):
        event = CompanyEvent.objects.create(
            territory=territory,
            kind=kind,
            title=title,
            starts_at=now + datetime.timedelta(days=days, hours=rng.randint(0, 6)),
            commune=communes[0],
            place="Maison de l'emploi",
            description="Rencontres entre entreprises qui recrutent et personnes accompagnées.",
            outcomes="18 entretiens, 4 immersions proposées, 2 embauches." if days < 0 else "",
            hires_count=2 if days < 0 else 0,
            organiser=organiser,
        )
        event.companies.set(rng.sample(companies, min(5, len(companies))))
        EventParticipant.objects.bulk_create(
            EventParticipant(
                event=event,
                territory=territory,
                person=person,
                invited_by=membership,
                present=(rng.random() < 0.7) if days < 0 else None,
                outcome="Entretien prévu" if days < 0 and rng.random() < 0.3 else "",
            )
            for person, membership in people[:6]
        )
        events.append(event)
    for company in companies[:10]:
        job = company.jobs.select_related("rome_job").first()
        if job is not None:
            CompanyOpening.objects.create(
                company=company,
                territory=territory,
                kind=rng.choice(OpeningKind.values),
                rome_job=job.rome_job,
                title=job.rome_job.label,
                positions=rng.randint(1, 3),
                contract_type=rng.choice([ContractType.CDD, ContractType.CDI]),
            )
    return len(events)


def seed_territory(territory, count, context, referential, today):
    communes = territory_communes(territory)
    if not communes:
        return 0, 0, 0
    creator = (
        Membership.objects.active()
        .filter(organisation__territory=territory, role=Role.CONSEILLER)
        .order_by("pk")
        .first()
    )
    companies = build_companies(
        territory, count, context.rng, referential=referential, communes=communes, fake=context.fake, created_by=creator
    )
    seed_shortages(territory, referential, today)
    people = _followed_people(territory, 40)
    immersions = _immersions(territory, companies, people, context.rng, today)
    trainings = _trainings(territory, communes, referential, people, context.rng, today)
    _events_and_openings(territory, companies, communes, people, referential, context.rng)
    return len(companies), immersions, trainings


def seed(context):
    referential = Referential()
    if not referential.ready:
        return "référentiels ROME et NAF absents (manage.py load_referentials) : aucune entreprise créée"
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    per_territory = max(30, context.options.get("people", 200) // 4)
    today = timezone.localdate()
    totals = [0, 0, 0]
    for territory in territories:
        for index, value in enumerate(seed_territory(territory, per_territory, context, referential, today)):
            totals[index] += value
    return f"{totals[0]} entreprises, {totals[1]} immersions, {totals[2]} sessions de formation, métiers en tension"
