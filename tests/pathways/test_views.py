import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from spie.pathways.models import OrientationDecision
from spie.people.models import Person
from spie.territories.models import TerritorySettings
from tests.diagnostics.helpers import validated
from tests.people.factories import PersonFactory, seat

NOW = datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)


@pytest.fixture
def waiting(nord, conseiller, other_structure):
    """Three people of Nord awaiting orientation, entered 40, 20 and 5 days ago."""
    people = []
    for days, name, user in ((40, "Ancien", conseiller), (20, "Moyen", other_structure), (5, "Recent", conseiller)):
        person = PersonFactory(territory=nord, birth_name=name, entry_date=NOW.date() - datetime.timedelta(days=days))
        seat(person, user, is_referent=True, sensitive=True)
        people.append(person)
    return people


@time_machine.travel(NOW)
def test_queue_sorted_by_waiting_time_with_the_target(client_as, orientation_officer, waiting, oriented):
    page = client_as(orientation_officer).get(reverse("pathways:queue")).content.decode()
    assert page.index("ANCIEN") < page.index("MOYEN") < page.index("RECENT")
    assert "MARTIN" not in page  # oriented
    assert "40 j — hors délai" in page and "20 j / 30" in page
    assert "3 personnes en attente" in page


@time_machine.travel(NOW)
def test_queue_target_follows_the_territory_setting(client_as, orientation_officer, waiting, nord):
    TerritorySettings.objects.create(territory=nord, orientation_target_days=15)
    page = client_as(orientation_officer).get(reverse("pathways:queue"), {"late": "on"}).content.decode()
    assert "ANCIEN" in page and "MOYEN" in page and "RECENT" not in page
    assert "15 jours" in page


@time_machine.travel(NOW)
@pytest.mark.usefixtures("pathway_referential")
def test_queue_filters(client_as, orientation_officer, waiting, conseiller, departement_nord):
    validated(waiting[1], waiting[1].team.get().membership.user)
    client = client_as(orientation_officer)

    def names(**params):
        page = client.get(reverse("pathways:queue"), params).content.decode()
        return [name for name in ("ANCIEN", "MOYEN", "RECENT") if name in page]

    assert names(diagnostic="oui") == ["MOYEN"]
    assert names(diagnostic="non") == ["ANCIEN", "RECENT"]
    assert names(proposed="socio_professionnel") == ["MOYEN"]
    assert names(structure=str(departement_nord.public_id)) == ["MOYEN"]
    assert names(late="on") == ["ANCIEN"]


@time_machine.travel(NOW)
def test_queue_csv(client_as, orientation_officer, waiting):
    response = client_as(orientation_officer).get(reverse("pathways:queue"), {"format": "csv"})
    content = b"".join(response.streaming_content).decode()
    lines = content.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("Nom;Prénoms;Date d'entrée;Jours d'attente;Objectif (jours)")
    assert lines[1].startswith("Ancien;") and ";40;30;oui;" in lines[1]
    assert len(lines) == 4


def test_queue_runs_a_bounded_number_of_queries(
    client_as, orientation_officer, nord, conseiller, django_assert_max_num_queries
):
    for index in range(30):
        person = PersonFactory(territory=nord, birth_name=f"Nom{index}")
        seat(person, conseiller, is_referent=True)
    client = client_as(orientation_officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("pathways:queue"))
    assert response.status_code == 200


def test_queue_is_limited_to_the_territory(client_as, orientation_officer, ml_ardennes, ardennes):
    PersonFactory(territory=ardennes, birth_name="Ardennais")
    page = client_as(orientation_officer).get(reverse("pathways:queue")).content.decode()
    assert "ARDENNAIS" not in page


@pytest.mark.usefixtures("pathway_referential")
def test_decide_from_the_form(
    django_capture_on_commit_callbacks,
    client_as,
    orientation_officer,
    camille,
    conseiller,
    other_structure,
    departement_nord,
):
    validated(camille, conseiller, situations={"logement.s01": ("fort", "")})
    client = client_as(orientation_officer)
    url = reverse("pathways:decide", args=[camille.public_id])
    page = client.get(url).content.decode()
    assert "Orientation proposée par le diagnostic : parcours socio-professionnel" in page
    assert "France Travail Lille (1)" in page  # caseload of the structure: one referent seat
    # Without JavaScript: choosing the structure reloads the page with its professionals.
    step = client.get(url, {"structure": str(departement_nord.public_id), "pathway_type": "social"}).content.decode()
    assert f"{other_structure.get_full_name()} (0)" in step
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "pathway_type": "social",
                "structure": str(departement_nord.public_id),
                "referent": str(other_structure.memberships.get().public_id),
                "notified_on": "2026-10-01",
            },
        )
    assert response.status_code == 302
    decision = OrientationDecision.objects.get()
    assert decision.pathway_type == "social" and decision.proposed_pathway == "socio_professionnel"
    assert not decision.follows_proposal
    assert Person.objects.get(pk=camille.pk).referent.membership.user == other_structure
    assert mail.outbox[-1].to == [other_structure.email]


def test_decide_refuses_a_professional_of_another_structure(
    client_as, orientation_officer, camille, conseiller, departement_nord
):
    response = client_as(orientation_officer).post(
        reverse("pathways:decide", args=[camille.public_id]),
        {
            "pathway_type": "social",
            "structure": str(departement_nord.public_id),
            "referent": str(conseiller.memberships.get().public_id),
            "notified_on": "2026-10-01",
        },
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not OrientationDecision.objects.exists()


def test_referent_picker_fragment(client_as, orientation_officer, ft_lille, conseiller, gestionnaire):
    response = client_as(orientation_officer).get(
        reverse("pathways:referents"), {"structure": str(ft_lille.public_id)}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert "<html" not in page
    assert conseiller.get_full_name() in page and gestionnaire.get_full_name() in page


def test_reorientation_round_trip_in_pages(
    client_as, oriented, camille, conseiller, orientation_officer, other_structure, departement_nord
):
    referent_client = client_as(conseiller)
    url = reverse("pathways:request_reorientation", args=[camille.public_id])
    assert "Expliquez pourquoi" in referent_client.post(url, {"reason": ""}).content.decode()
    referent_client.post(url, {"reason": "Problèmes de logement urgents", "wished_pathway_type": "social"})
    request = camille.reorientation_requests.get()
    officer = client_as(orientation_officer)
    page = officer.get(reverse("pathways:orientation", args=[camille.public_id])).content.decode()
    assert "Problèmes de logement urgents" in page and "Accepter et décider" in page
    assert "Demandes de réorientation (1)" in officer.get(reverse("pathways:queue")).content.decode()
    officer.post(
        reverse("pathways:refuse_reorientation", args=[camille.public_id, request.public_id]),
        {"reason": "Le parcours professionnel reste adapté"},
    )
    page = client_as(conseiller).get(reverse("pathways:orientation", args=[camille.public_id])).content.decode()
    assert "Refusée" in page and "Le parcours professionnel reste adapté" in page


def test_person_history_shows_orientation_events(client_as, oriented, camille, conseiller):
    page = client_as(conseiller).get(reverse("people:history", args=[camille.public_id])).content.decode()
    assert "Décision d&#x27;orientation" in page


def test_menu_and_tabs(client_as, orientation_officer, conseiller, camille):
    page = client_as(orientation_officer).get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert "File d&#x27;orientation" in page
    assert reverse("pathways:orientation", args=[camille.public_id]) in page
    assert reverse("diagnostics:person", args=[camille.public_id]) in page
    page = client_as(conseiller).get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert reverse("pathways:queue") not in page
