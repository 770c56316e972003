"""Matching a person's professional project with the companies near them, and a company's
opening with the people whose project fits.

Distances reuse the directory's approach and helpers (spie/offers/geo.py): an indexed bounding
box around the commune centre first, then the distance. Ranking thousands of companies uses the
equirectangular distance in SQL (a few metres off at these ranges, and much cheaper); the
distance shown is the great-circle one. A company matches when
it hosts in immersion or hires for one of the target ROME jobs, or for a job of the same
professional domain (RomeJob.domain); companies with a job on the territory's shortage list
come first, then exact jobs, then the nearest.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Max, Min, Value, When
from django.db.models.functions import Power

from spie.offers.geo import KM_PER_DEGREE_LAT as KM_PER_DEGREE
from spie.offers.geo import bounding_box, haversine_km
from spie.people.models import Person
from spie.referentials.models import RomeJob

from . import policies
from .models import Company, CompanyJob, referents_seat_q
from .selectors import shortage_levels


def _project(person):
    from spie.diagnostics.selectors import professional_project

    return professional_project(person)


def radius_of(project):
    radius = (project.radius_km if project is not None else None) or policies.MATCHING_DEFAULT_RADIUS_KM
    return min(int(radius), policies.MATCHING_MAX_RADIUS_KM)


@dataclass
class MatchedJob:
    code: str
    label: str
    exact: bool
    hosts_immersion: bool
    hires: bool
    tension: int


@dataclass
class CompanyMatch:
    company: Company
    distance_km: float
    jobs: list = field(default_factory=list)

    @property
    def exact(self):
        return any(job.exact for job in self.jobs)

    @property
    def tension(self):
        return max((job.tension for job in self.jobs), default=0)


@dataclass
class PersonMatching:
    project: object
    radius_km: int
    matches: list
    problem: str = ""
    total: int = 0


def companies_for_person(person, *, limit=policies.MATCHING_LIMIT, project=None):
    """Companies near `person` for their project, shortage occupations first (at most `limit`)."""
    project = project if project is not None else _project(person)
    radius = radius_of(project)
    if project is None or not project.rome_codes:
        return PersonMatching(
            project, radius, [], "Aucun métier visé : renseignez le projet professionnel au diagnostic."
        )
    commune = person.commune
    if commune is None or commune.latitude is None:
        return PersonMatching(project, radius, [], "Commune de résidence inconnue : complétez le dossier.")
    targets = list(RomeJob.objects.filter(code__in=project.rome_codes).values_list("pk", "domain_id"))
    target_ids = {pk for pk, _ in targets}
    domain_ids = {domain for _, domain in targets}
    levels = shortage_levels(person.territory_id)
    shortage_ids = list(RomeJob.objects.filter(code__in=levels).values_list("pk", flat=True))
    min_lat, max_lat, min_lon, max_lon = bounding_box(commune.latitude, commune.longitude, radius)
    # A target job lies in its own domain: filtering on the domains covers both rules.
    jobs = CompanyJob.objects.filter(
        territory_id=person.territory_id,
        domain_id__in=domain_ids,
        is_open=True,
        geo_lat__gte=min_lat,
        geo_lat__lte=max_lat,
        geo_lon__gte=min_lon,
        geo_lon__lte=max_lon,
    )
    # Within the radius: equirectangular distance (a few metres off at these ranges, and cheap
    # enough to rank thousands of companies); the distance shown is the great-circle one.
    cos_lat = math.cos(math.radians(commune.latitude))
    planar = Power(F("geo_lat") - Value(commune.latitude), 2) + Power(
        (F("geo_lon") - Value(commune.longitude)) * Value(cos_lat), 2
    )
    jobs = jobs.alias(planar=planar).filter(planar__lte=(radius / KM_PER_DEGREE) ** 2)
    flag = {"default": Value(0), "output_field": IntegerField()}
    # One row per company, ranked in SQL: shortage occupations first, then the target jobs
    # themselves, then the nearest.
    ranked = list(
        jobs.values("company_id")
        .annotate(
            in_shortage=Max(Case(When(rome_job_id__in=shortage_ids, then=Value(1)), **flag)),
            exact=Max(Case(When(rome_job_id__in=target_ids, then=Value(1)), **flag)),
            nearness=Min("planar"),
        )
        .order_by("-in_shortage", "-exact", "nearness", "company_id")
        .values_list("company_id", flat=True)
    )
    top_ids = ranked[:limit]
    companies = Company.objects.select_related("commune", "naf").in_bulk(top_ids)
    matched_jobs = {}
    for company_id, job_id, code, label, hosts, hires in jobs.filter(company_id__in=top_ids).values_list(
        "company_id", "rome_job_id", "rome_job__code", "rome_job__label", "hosts_immersion", "hires"
    ):
        matched_jobs.setdefault(company_id, []).append(
            MatchedJob(code, label, job_id in target_ids, hosts, hires, levels.get(code, 0))
        )
    matches = []
    for pk in top_ids:
        company = companies[pk]
        company_jobs = sorted(matched_jobs.get(pk, []), key=lambda job: (not job.exact, -job.tension, job.code))
        distance = haversine_km(commune.latitude, commune.longitude, company.geo_lat, company.geo_lon)
        matches.append(CompanyMatch(company=company, distance_km=distance, jobs=company_jobs))
    return PersonMatching(project, radius, matches, total=len(ranked))


@dataclass
class PersonCandidate:
    person: Person
    distance_km: float
    exact: bool
    radius_km: int


def people_for_opening(opening, membership):
    """People whose project fits the opening, among those `membership` is the referent of and who
    consented to sharing; each within their own mobility radius of the company."""
    company = opening.company
    if company.geo_lat is None or membership is None or membership.organisation.territory_id != company.territory_id:
        return []
    min_lat, max_lat, min_lon, max_lon = bounding_box(company.geo_lat, company.geo_lon, policies.MATCHING_MAX_RADIUS_KM)
    people = (
        Person.objects.in_territory_of(membership)
        .filter(
            referents_seat_q(membership),
            consent_given=True,
            commune__latitude__gte=min_lat,
            commune__latitude__lte=max_lat,
            commune__longitude__gte=min_lon,
            commune__longitude__lte=max_lon,
        )
        .select_related("commune")
        .order_by("search_birth_name", "pk")
    )
    from spie.diagnostics.selectors import professional_projects

    people = list(people)
    by_person = professional_projects(people)
    projects = [(person, by_person.get(person.pk)) for person in people]
    codes = {code for _, project in projects if project for code in project.rome_codes}
    domains = dict(RomeJob.objects.filter(code__in=codes).values_list("code", "domain_id"))
    target = opening.rome_job
    candidates = []
    for person, project in projects:
        if project is None or not project.rome_codes:
            continue
        exact = target.code in project.rome_codes
        if not exact and target.domain_id not in {domains.get(code) for code in project.rome_codes}:
            continue
        distance = haversine_km(person.commune.latitude, person.commune.longitude, company.geo_lat, company.geo_lon)
        radius = radius_of(project)
        if distance <= radius:
            candidates.append(PersonCandidate(person, distance, exact, radius))
    candidates.sort(key=lambda c: (not c.exact, c.distance_km))
    return candidates
