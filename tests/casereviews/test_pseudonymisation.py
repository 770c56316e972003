"""No name, birth date, address, identifier or free text of the file appears in what a member
with the pseudonymised form reads: agenda, case page, minutes PDF, API answer."""

import datetime
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.accounts import services as account_services
from spie.accounts.actors import Actor
from spie.casereviews import services
from spie.casereviews.enums import DecisionKind
from spie.casereviews.pseudonym import age_band, identifying_values, initials
from spie.pathways import services as pathway_services
from spie.pathways.enums import ReviewOutcome
from tests.casereviews.helpers import full_case
from tests.diagnostics.helpers import actor

FILE_COMMENT = "Confidences du dossier : conflit familial avec le frère Anatole"


@pytest.fixture
def seeded(camille, pathway, conseiller, lille):
    """Camille with every identifying field filled, and a free text in her file. Her names are
    ones no factory draws, so that no other name on the page (a professional's) can match them by chance."""
    camille.first_names = "Cyprienne Ysaure"
    camille.birth_name = "Quenardel"
    camille.usage_name = "Delaunoy"
    camille.birth_place = "Roubaix"
    camille.si_id = "SI-778899"
    camille.caf_number = "4455667"
    camille.commune = lille
    camille.save()
    pathway_services.record_status_review(
        pathway=pathway,
        reviewed_on=timezone.localdate(),
        outcome=ReviewOutcome.CASE_REVIEW,
        comment=FILE_COMMENT,
        by=actor(conseiller),
    )
    return camille


@pytest.fixture
def lille(nord):
    from spie.territories.models import Epci
    from tests.territories.factories import CommuneFactory

    epci = Epci.objects.create(siren="200093201", name="Métropole Européenne de Lille", kind="METRO")
    commune = CommuneFactory(
        insee_code="59350", name="Lille", postal_codes="59000", departement=nord.departements.get()
    )
    commune.epci = epci
    commune.save()
    return commune


def _values(person):
    values = set(identifying_values(person))
    values |= {person.full_name, person.short_name, person.birth_date.strftime("%d/%m/%Y"), FILE_COMMENT}
    values |= {person.birth_name.upper(), person.usage_name.upper(), str(person.public_id)}
    return values


def _leaks(text, person):
    lowered = text.lower()
    return sorted(value for value in _values(person) if value.lower() in lowered)


def _pdf_text(content):
    """The text drawn in a PDF made by fpdf2 (page streams are zlib-compressed)."""
    chunks = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            chunks.append(stream)
    return b"\n".join(chunks).decode("latin-1")


@pytest.fixture
def decided(seeded, body, conseiller, coordinator, ft_lille):
    session, case = full_case(body, seeded, conseiller, coordinator)
    services.add_decision(
        case=case, kind=DecisionKind.RECOMMENDATION, detail="Aide à la mobilité recommandée.", by=actor(coordinator)
    )
    services.add_action(
        case=case,
        title="Demander une aide au permis",
        owner_organisation=ft_lille,
        due_on=case.discussed_on + datetime.timedelta(days=10),
        by=actor(coordinator),
    )
    return session, case


def test_the_pseudonym_is_initials_an_age_band_and_an_area(seeded):
    assert initials(seeded) == "C. D."
    assert age_band(datetime.date(1985, 5, 14), datetime.date(2026, 11, 28)) == "35 à 44 ans"
    assert age_band(datetime.date(2005, 5, 14), datetime.date(2026, 11, 28)) == "moins de 25 ans"


@pytest.mark.parametrize("reader", ["external", "gestionnaire"])
def test_no_identifying_value_reaches_a_pseudonymised_reader(client, request, decided, seeded, reader):
    session, case = decided
    client.force_login(request.getfixturevalue(reader))
    pages = {
        "agenda": client.get(reverse("casereviews:session", args=[session.public_id])),
        "case": client.get(reverse("casereviews:case", args=[case.public_id])),
        "home": client.get(reverse("casereviews:home")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert _leaks(response.content.decode(), seeded) == [], name
    assert (
        "C. D." in pages["case"].content.decode() and "Métropole Européenne de Lille" in pages["case"].content.decode()
    )
    pdf = client.get(reverse("casereviews:session_pdf", args=[session.public_id]))
    text = _pdf_text(pdf.content)
    assert "C. D." in text and "Demander une aide au permis" in text
    assert _leaks(text, seeded) == []


def test_the_named_reader_gets_the_name_in_the_minutes(client, decided, seeded, colleague):
    session, _ = decided
    client.force_login(colleague)
    text = _pdf_text(client.get(reverse("casereviews:session_pdf", args=[session.public_id])).content)
    assert "DELAUNOY Cyprienne Ysaure" in text
    assert FILE_COMMENT not in text


def test_no_identifying_value_reaches_a_pseudonymised_api_answer(client, decided, seeded, external, association):
    _, case = decided
    membership = external.memberships.get()
    token = account_services.create_api_token(
        organisation=association, name="Logiciel", by=Actor(user=external, membership=membership)
    )[1]
    headers = {"Authorization": f"Bearer {token}"}
    for url in ("/api/v1/case-reviews/cases", f"/api/v1/case-reviews/cases/{case.public_id}"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), seeded) == []
    body = client.get(f"/api/v1/case-reviews/cases/{case.public_id}", headers=headers).json()
    assert body["forme"] == "pseudonymisee" and body["personne"] is None and body["initiales_ou_nom"] == "C. D."
