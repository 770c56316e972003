"""Matching: a person's project against the companies near them; an opening against people."""

import pytest

from spie.companies.enums import OpeningKind
from spie.companies.matching import companies_for_person, people_for_opening
from spie.companies.models import CompanyOpening
from tests.companies.factories import CompanyFactory, add_job, commune, set_project, shortage
from tests.people.factories import PersonFactory, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(nord):
    return {key: commune(key) for key in ("lille", "roubaix", "valenciennes", "dunkerque")}


def _company(nord, place, name, *jobs_and_flags, **extra):
    company = CompanyFactory(territory=nord, commune=place, name=name, **extra)
    for job in jobs_and_flags:
        add_job(company, job)
    return company


def test_companies_within_the_radius_hosting_the_target_job_or_its_domain(camille, nord, jobs, places):
    camille.commune = places["lille"]
    camille.save()
    set_project(camille, ["J1501"], radius_km=20)
    same_job = _company(nord, places["roubaix"], "EHPAD de Roubaix", jobs["J1501"])
    same_domain = _company(nord, places["lille"], "Clinique du Nord", jobs["J1502"])
    _company(nord, places["lille"], "Brasserie lilloise", jobs["G1602"])  # other domain
    _company(nord, places["valenciennes"], "EHPAD de Valenciennes", jobs["J1501"])  # 45 km away
    _company(nord, places["roubaix"], "EHPAD fermé", jobs["J1501"], is_active=False)
    _company(nord, places["roubaix"], "EHPAD complet", jobs["J1501"], availability="unavailable")

    result = companies_for_person(camille)

    assert [match.company for match in result.matches] == [same_job, same_domain]
    assert result.matches[0].exact and not result.matches[1].exact
    assert 8 < result.matches[0].distance_km < 12
    assert result.radius_km == 20


def test_a_wider_radius_reaches_further(camille, nord, jobs, places):
    camille.commune = places["lille"]
    camille.save()
    set_project(camille, ["J1501"], radius_km=60)
    far = _company(nord, places["valenciennes"], "EHPAD de Valenciennes", jobs["J1501"])
    assert [match.company for match in companies_for_person(camille).matches] == [far]


def test_shortage_occupations_come_first(camille, nord, jobs, places):
    camille.commune = places["lille"]
    camille.save()
    set_project(camille, ["J1501", "G1602"], radius_km=30)
    near = _company(nord, places["lille"], "EHPAD de Lille", jobs["J1501"])
    kitchen = _company(nord, places["roubaix"], "Cuisine centrale", jobs["G1602"])
    assert [m.company for m in companies_for_person(camille).matches] == [near, kitchen]

    shortage(nord, jobs["G1602"], tension=5)
    result = companies_for_person(camille)
    assert [m.company for m in result.matches] == [kitchen, near]
    assert result.matches[0].tension == 5


def test_without_project_or_commune_the_page_says_what_is_missing(camille, nord, jobs, places):
    assert "Aucun métier visé" in companies_for_person(camille).problem
    set_project(camille, ["J1501"])
    assert "Commune de résidence inconnue" in companies_for_person(camille).problem
    camille.commune = places["lille"]
    camille.save()
    result = companies_for_person(camille)
    assert result.problem == "" and result.radius_km == 30  # default radius


def test_matching_is_bounded_in_queries(camille, nord, jobs, places, django_assert_max_num_queries):
    camille.commune = places["lille"]
    camille.save()
    set_project(camille, ["J1501"], radius_km=30)
    for index in range(30):
        _company(nord, places["roubaix"], f"EHPAD {index}", jobs["J1501"], jobs["J1502"])
    with django_assert_max_num_queries(8):
        result = companies_for_person(camille)
    assert len(result.matches) == 30


def test_an_opening_lists_the_referents_consenting_people_whose_project_fits(
    camille, conseiller, other_structure, nord, jobs, places
):
    camille.commune = places["lille"]
    camille.save()
    set_project(camille, ["J1501"], radius_km=20)
    company = _company(nord, places["roubaix"], "EHPAD de Roubaix", jobs["J1501"])
    opening = CompanyOpening.objects.create(
        company=company, territory=nord, kind=OpeningKind.HIRE, rome_job=jobs["J1502"], title="Coordinateur de soins"
    )
    no_consent = PersonFactory(territory=nord, commune=places["lille"], consent_given=False, birth_name="Sans")
    seat(no_consent, conseiller, is_referent=True)
    set_project(no_consent, ["J1502"])
    too_far = PersonFactory(territory=nord, commune=places["dunkerque"], birth_name="Loin")
    seat(too_far, conseiller, is_referent=True)
    set_project(too_far, ["J1502"], radius_km=30)
    other_domain = PersonFactory(territory=nord, commune=places["lille"], birth_name="Cuisine")
    seat(other_domain, conseiller, is_referent=True)
    set_project(other_domain, ["G1602"])
    exact = PersonFactory(territory=nord, commune=places["roubaix"], birth_name="Exact")
    seat(exact, conseiller, is_referent=True)
    set_project(exact, ["J1502"])

    candidates = people_for_opening(opening, conseiller.memberships.get())
    assert [(c.person, c.exact) for c in candidates] == [(exact, True), (camille, False)]
    # Camille's team member is not her referent: she does not appear to them.
    assert people_for_opening(opening, other_structure.memberships.get()) == []


def test_opening_matching_reads_all_projects_at_once(conseiller, nord, jobs, places, django_assert_max_num_queries):
    company = _company(nord, places["roubaix"], "EHPAD de Roubaix", jobs["J1501"])
    opening = CompanyOpening.objects.create(
        company=company, territory=nord, kind=OpeningKind.HIRE, rome_job=jobs["J1501"], title="Aide-soignant"
    )
    for index in range(8):
        person = PersonFactory(
            territory=nord, commune=places["lille"], birth_name=f"Nom{index}", france_travail_id=f"{7000000 + index}A"
        )
        seat(person, conseiller, is_referent=True)
        set_project(person, ["J1501"])
    membership = conseiller.memberships.get()
    with django_assert_max_num_queries(6):
        assert len(people_for_opening(opening, membership)) == 8
