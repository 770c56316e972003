"""Shortage occupations (list, badge, import) and the import of a territory's companies."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from spie.companies import imports, services
from spie.companies.models import Company, CompanyContact, CompanyJob, ShortageOccupation
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from tests.companies.conftest import actor
from tests.companies.factories import commune, shortage

pytestmark = pytest.mark.django_db


def test_the_coordinator_keeps_the_list_and_a_duplicate_period_is_refused(nord, jobs, coordinator):
    data = {
        "rome_job": jobs["J1501"],
        "tension": 4,
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": None,
        "source": "BMO 2026",
    }
    created = services.save_shortage(territory=nord, data=data, by=actor(coordinator))
    assert AuditEvent.objects.get(action="companies.shortage.created").target_id == created.public_id
    with pytest.raises(DomainError, match="déjà dans la liste") as refused:
        services.save_shortage(territory=nord, data=data, by=actor(coordinator))
    assert refused.value.field == "rome_job"
    with pytest.raises(DomainError, match="de 1 .* à 5"):
        services.save_shortage(
            territory=nord, data={**data, "tension": 6, "starts_on": datetime.date(2027, 1, 1)}, by=actor(coordinator)
        )
    with pytest.raises(DomainError, match="La fin de la période") as refused:
        services.save_shortage(
            territory=nord,
            data={**data, "starts_on": datetime.date(2027, 1, 1), "ends_on": datetime.date(2026, 6, 1)},
            by=actor(coordinator),
        )
    assert refused.value.field == "ends_on"


def _render(template, **context):
    request = RequestFactory().get("/")
    request.membership = context.pop("membership", None)
    return Template("{% load companies_tags %}" + template).render(Context({"request": request, **context}))


def test_the_badge_shows_for_the_territorys_current_list_only(nord, ardennes, jobs, conseiller):
    shortage(nord, jobs["J1501"], tension=4)
    shortage(nord, jobs["G1602"], tension=2, ends_on=datetime.date(2025, 12, 31), starts_on=datetime.date(2025, 1, 1))
    membership = conseiller.memberships.get()
    assert "Métier en tension 4/5" in _render("{% tension_badge 'J1501' %}", membership=membership)
    assert _render("{% tension_badge 'G1602' %}", membership=membership).strip() == ""  # period ended
    assert _render("{% tension_badge 'J1501' territory=t %}", t=ardennes).strip() == ""
    assert "4/5" in _render("{% tension_badge job territory=t %}", job=jobs["J1501"], t=nord)


def test_the_badge_reads_the_list_once_per_request(nord, jobs, conseiller, django_assert_num_queries):
    shortage(nord, jobs["J1501"])
    membership = conseiller.memberships.select_related("organisation").get()
    with django_assert_num_queries(1):
        _render(
            "{% for c in codes %}{% tension_badge c %}{% endfor %}",
            codes=["J1501", "G1602", "J1502"] * 20,
            membership=membership,
        )


def test_shortage_import_reports_each_row_and_applies_all_or_nothing(nord, jobs, coordinator):
    content = (
        b"code_rome;niveau_tension;debut;fin;source\n"
        b"J1501;5;01/01/2026;31/12/2026;BMO 2026\n"
        b"X9999;3;01/01/2026;;BMO 2026\n"
        b"G1602;7;2026-01-01;;\n"
    )
    report = imports.plan_shortages(content, territory=nord)
    assert [r.line for r in report.rejected] == [3, 4]
    assert report.results[1].errors == ["colonne « code_rome » : « X9999 » n'est pas un code ROME connu"]
    assert "colonne « niveau_tension » : « 7 » invalide (de 1 à 5)" in report.results[2].errors
    assert "colonne « source » : obligatoire" in report.results[2].errors
    with pytest.raises(ValueError):
        imports.apply_shortages(report, territory=nord, by=actor(coordinator))
    assert imports.apply_shortages(report, territory=nord, by=actor(coordinator), skip_invalid=True)["created"] == 1
    again = imports.plan_shortages(
        b"code_rome;niveau_tension;debut;source\nJ1501;3;01/01/2026;BMO 2026\n", territory=nord
    )
    assert again.results[0].action == "update"
    imports.apply_shortages(again, territory=nord, by=actor(coordinator))
    assert ShortageOccupation.objects.get().tension == 3


COMPANIES_CSV = (
    "siret;nom;code_naf;adresse;code_postal;commune;effectif;capacite_immersion;metiers_rome;recrute;"
    "contact_prenom;contact_nom;contact_email\n"
    "{siret};EHPAD Les Tilleuls;87.10A;3 rue des Arts;59000;59350;50-249;2;J1501|J1502;oui;"
    "Sophie;Lambert;s.lambert@ehpad.fr\n"
    "12345678901234;Mauvais SIRET;99.99Z;;5900;Paris;énorme;x;Z0000;peut-être;;;\n"
    "{siret};Doublon;;;;Lille;;;;;;;\n"
)


def test_company_import_names_the_line_and_column_of_every_error(nord, jobs, gestionnaire):
    from tests.accounts.factories import next_valid_siret

    commune("lille")
    siret = next_valid_siret()
    report = imports.plan_companies(COMPANIES_CSV.format(siret=siret).encode(), territory=nord)
    first, bad, duplicate = report.results
    assert first.action == "create" and not first.errors
    errors = " | ".join(bad.errors)
    for expected in (
        "colonne « siret » : Ce SIRET n'est pas valide",
        "colonne « code_naf » : « 99.99Z » n'est pas un code NAF connu",
        "colonne « code_postal » : « 5900 » invalide",
        "colonne « commune » : ",
        "« Paris » introuvable",
        "colonne « effectif » : « énorme » non reconnu",
        "colonne « capacite_immersion » : « x » invalide",
        "colonne « metiers_rome » : code(s) ROME inconnu(s) : Z0000",
        "colonne « recrute » : « peut-être » non reconnu",
    ):
        assert expected in errors
    assert duplicate.errors == ["colonne « siret » : doublon de la ligne 2"]
    assert not report.can_apply()

    counts = imports.apply_companies(report, territory=nord, by=actor(gestionnaire), skip_invalid=True)
    assert counts == {"created": 1, "updated": 0, "unchanged": 0}
    company = Company.objects.get(siret=siret)
    assert (company.naf.code, company.size_band, company.immersion_capacity, company.geo_lat) == (
        "87.10A",
        "50_249",
        2,
        50.63194,
    )
    assert set(CompanyJob.objects.filter(company=company, hires=True).values_list("rome_job__code", flat=True)) == {
        "J1501",
        "J1502",
    }
    assert CompanyContact.objects.get(company=company).email == "s.lambert@ehpad.fr"
    assert AuditEvent.objects.filter(action="companies.company.imported").count() == 1

    update = imports.plan_companies(
        f"siret;nom;commune;capacite_immersion\n{siret};EHPAD Les Tilleuls (Lille);Lille;4\n".encode(), territory=nord
    )
    assert update.results[0].action == "update"
    assert imports.apply_companies(update, territory=nord, by=actor(gestionnaire))["updated"] == 1
    company.refresh_from_db()
    assert (
        company.name == "EHPAD Les Tilleuls (Lille)"
        and company.immersion_capacity == 4
        and company.naf.code == "87.10A"
    )


def test_a_company_outside_the_territory_is_rejected(nord, ardennes, jobs):
    from tests.accounts.factories import next_valid_siret

    report = imports.plan_companies(f"siret;nom;commune\n{next_valid_siret()};Scierie;08105\n".encode(), territory=nord)
    assert report.results[0].errors == ["colonne « commune » : « Charleville-Mézières » n'est pas dans le territoire"]


def test_save_company_refuses_a_siret_already_in_the_territory(ehpad, conseiller, lille):
    data = {"siret": ehpad.siret, "name": "Autre nom", "commune": lille}
    with pytest.raises(DomainError, match="déjà ce SIRET") as refused:
        services.save_company(data=data, by=actor(conseiller))
    assert refused.value.field == "siret"
