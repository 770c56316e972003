"""The pathway pages: Parcours, Contrat, Rendez-vous, the point de situation (counts, urgency,
filters, CSV, planning from a row with or without htmx, bounded queries) and the settings page."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from spie.pathways import services
from spie.pathways.models import Appointment
from spie.territories.models import TerritorySettings
from tests.diagnostics.helpers import actor
from tests.people.factories import PersonFactory, seat

from .helpers import plan

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def test_tabs_menu_and_parcours_page(client_as, conseiller, pathway, camille):
    response = client_as(conseiller).get(reverse("pathways:pathway", args=[camille.public_id]))
    body = response.content.decode()
    for label in ("Parcours", "Contrat", "Rendez-vous", "Point de situation"):
        assert f">{label}<" in body
    assert "Contrat non signé" in body and "Orienté" in body
    assert "Entrée → Orienté" in body


def test_the_timeline_shows_the_pathway(client_as, conseiller, pathway, camille):
    body = client_as(conseiller).get(reverse("people:history", args=[camille.public_id])).content.decode()
    assert "Parcours : orienté" in body and "Parcours : entrée" in body


@pytest.mark.usefixtures("pathway_referential")
def test_building_the_plan_shows_french_errors_naming_the_field(client_as, conseiller, pathway, camille):
    client = client_as(conseiller)
    assert client.post(reverse("pathways:start_contract", args=[camille.public_id])).status_code == 302
    contract = pathway.contracts.get()
    response = client.post(
        reverse("pathways:add_objective", args=[camille.public_id, contract.public_id]),
        {"objective_code": "trouver_un_emploi.o01"},
    )
    assert response.status_code == 302
    objective = contract.objectives.get()
    response = client.post(
        reverse("pathways:add_action", args=[camille.public_id, contract.public_id, objective.public_id]),
        {"action_code": "emploi.a01", "weekly_hours": "8"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("pathways:sign", args=[camille.public_id, contract.public_id]),
        {"person_signed_on": TOMORROW.isoformat(), "referent_signed_on": datetime.date.today().isoformat()},
    )
    assert response.status_code == 400
    assert "Signature de la personne : la date ne peut pas être dans le futur." in response.content.decode()
    today = datetime.date.today().isoformat()
    response = client.post(
        reverse("pathways:sign", args=[camille.public_id, contract.public_id]),
        {"person_signed_on": today, "referent_signed_on": today},
    )
    assert response.status_code == 400
    assert "Heures d&#x27;activité : le plan totalise 8,0 h par semaine" in response.content.decode()
    response = client.post(
        reverse("pathways:exemption", args=[camille.public_id, contract.public_id]),
        {"exemption_reason": "sante", "exemption_detail": ""},
    )
    assert "Précisions sur la dérogation : décrivez" in response.content.decode()
    client.post(
        reverse("pathways:exemption", args=[camille.public_id, contract.public_id]),
        {"exemption_reason": "sante", "exemption_detail": "Soins quotidiens"},
    )
    response = client.post(
        reverse("pathways:sign", args=[camille.public_id, contract.public_id]),
        {"person_signed_on": today, "referent_signed_on": today},
    )
    assert response.status_code == 302
    page = client.get(reverse("pathways:contract", args=[camille.public_id])).content.decode()
    assert "Version 1 — signé (en vigueur)" in page and "Préparer une révision" in page
    printable = client.get(reverse("pathways:print_contract", args=[camille.public_id, contract.public_id]))
    assert "Contrat d'engagement réciproque" in printable.content.decode()
    assert "Enregistrer au format PDF" in printable.content.decode()
    pdf = client.get(reverse("pathways:contract_pdf", args=[camille.public_id, contract.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_planning_an_appointment_from_the_tab(
    client_as, conseiller, pathway, camille, django_capture_on_commit_callbacks
):
    client = client_as(conseiller)
    url = reverse("pathways:appointments", args=[camille.public_id])
    data = {
        "professional": str(conseiller.memberships.get().public_id),
        "starts_at": f"{TOMORROW.isoformat()}T09:30",
        "duration_minutes": "45",
        "kind": "suivi",
        "channel": "presentiel",
        "place": "",
    }
    response = client.post(url, {**data, "starts_at": "demain"})
    assert response.status_code == 400 and "Date et heure : format attendu" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    assert mail.outbox[-1].attachments[0][0] == "rendez-vous.ics"
    assert "Entretien de suivi" in client.get(url).content.decode()


def _people(nord, conseiller, count):
    for index in range(count):
        person = PersonFactory(territory=nord, entry_date=datetime.date(2026, 8, 1) + datetime.timedelta(days=index))
        seat(person, conseiller, is_referent=True)
        services.open_pathway(person=person, by=actor(conseiller))


def test_point_de_situation_counts_sorts_filters_and_exports(client_as, conseiller, pathway, nord):
    _people(nord, conseiller, 3)
    client = client_as(conseiller)
    response = client.get(reverse("pathways:situation"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Orientation non décidée" in body and "3 personnes" in body
    rows = list(response.context["page_obj"])
    assert rows[0].urgency >= rows[-1].urgency
    filtered = client.get(reverse("pathways:situation"), {"alerte": "contrat_en_retard"})
    assert [item.person_id for item in filtered.context["page_obj"]] == [pathway.person_id]
    by_type = client.get(reverse("pathways:situation"), {"type_parcours": "social"})
    assert list(by_type.context["page_obj"]) == []
    export = client.get(reverse("pathways:situation"), {"format": "csv"})
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert content.splitlines()[0].startswith("Nom;Prénoms;Type de parcours")
    assert "Contrat non signé" in content and len(content.splitlines()) == 5


def test_point_de_situation_query_count_does_not_grow(
    client_as, conseiller, coordinator, pathway, nord, django_assert_max_num_queries
):
    _people(nord, conseiller, 2)
    client = client_as(coordinator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("pathways:situation"))
    _people(nord, conseiller, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("pathways:situation"))
    assert response.context["page_obj"].paginator.count == 15


def test_plan_the_next_appointment_inline_with_htmx(client_as, conseiller, pathway):
    client = client_as(conseiller)
    url = reverse("pathways:plan_next", args=[pathway.public_id])
    form = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and "Planifier le rendez-vous" in form.content.decode()
    data = {
        "professional": str(conseiller.memberships.get().public_id),
        "starts_at": f"{TOMORROW.isoformat()}T10:00",
        "duration_minutes": "30",
        "kind": "point_situation",
        "channel": "telephone",
        "place": "",
    }
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Rendez-vous planifié le" in response.content.decode()
    assert Appointment.objects.filter(pathway=pathway, kind="point_situation").exists()


def test_plan_the_next_appointment_without_javascript(client_as, gestionnaire, conseiller, pathway):
    client = client_as(gestionnaire)
    url = reverse("pathways:plan_next", args=[pathway.public_id])
    assert "<html" in client.get(url).content.decode()
    data = {
        "professional": str(conseiller.memberships.get().public_id),
        "starts_at": f"{TOMORROW.isoformat()}T10:00",
        "duration_minutes": "30",
        "kind": "suivi",
        "channel": "presentiel",
        "place": "",
        "suivant": "/parcours/point-de-situation/?alerte=contrat_en_retard",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?alerte=contrat_en_retard")
    assert Appointment.objects.get(pathway=pathway).professional == conseiller.memberships.get()


def test_coordinator_sets_the_territory_delays(client_as, coordinator, pathway, nord):
    client = client_as(coordinator)
    page = client.get(reverse("pathways:settings")).content.decode()
    assert "Défaut national : 60 jours" in page
    response = client.post(reverse("pathways:settings"), {"no_seen_appointment_alert_days": "0"})
    assert response.status_code == 200 and "Alerte sans rendez-vous honoré depuis (jours) : au moins 1." in (
        response.content.decode()
    )
    response = client.post(reverse("pathways:settings"), {"no_seen_appointment_alert_days": "20"})
    assert response.status_code == 302
    assert TerritorySettings.objects.get(territory=nord).no_seen_appointment_alert_days == 20
    pathway.refresh_from_db()
    assert pathway.seen_due_on == datetime.date(2026, 10, 21)


@pytest.mark.usefixtures("rome_jobs")
def test_return_to_work_and_checkpoint_pages(client_as, conseiller, pathway, camille):
    client = client_as(conseiller)
    url = reverse("pathways:return_to_work", args=[camille.public_id])
    data = {
        "employer_name": "Boulangerie Martin",
        "employer_siret": "732 829 320 00075",
        "rome_job": "K1302",
        "contract_type": "cdd_6_mois_plus",
        "working_time": "temps_plein",
        "weekly_hours": "35",
        "start_date": (datetime.date.today() - datetime.timedelta(days=40)).isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "SIRET de l&#x27;employeur : Ce SIRET n&#x27;est pas valide" in (
        response.content.decode()
    )
    response = client.post(url, {**data, "employer_siret": "732 829 320 00074"})
    assert response.status_code == 302
    follow_up = camille.employment_follow_ups.get()
    assert follow_up.is_durable
    checkpoint = follow_up.checkpoints.get(months=1)
    checkpoint_url = reverse("pathways:checkpoint", args=[camille.public_id, checkpoint.public_id])
    response = client.post(checkpoint_url, {"contact": "joint"})
    assert "Toujours dans cet emploi : indiquez oui ou non." in response.content.decode()
    assert client.post(checkpoint_url, {"contact": "joint", "still_in_job": "oui"}).status_code == 302
    assert (
        "Enregistrer le point à M+3"
        in client.get(reverse("pathways:pathway", args=[camille.public_id])).content.decode()
    )


def test_closing_from_the_page(client_as, conseiller, pathway, camille):
    client = client_as(conseiller)
    url = reverse("pathways:close", args=[camille.public_id])
    response = client.post(url, {"closing_reason": "autre", "on": datetime.date.today().isoformat()})
    assert "Commentaire : précisez le motif de clôture" in response.content.decode()
    assert client.post(url, {"closing_reason": "formation", "on": datetime.date.today().isoformat()}).status_code == 302
    pathway.refresh_from_db()
    assert pathway.stage == "clos"


@pytest.mark.usefixtures("pathway_referential")
def test_the_draft_plan_is_shown_with_its_hours(client_as, conseiller, pathway, camille):
    plan(pathway, conseiller)
    body = client_as(conseiller).get(reverse("pathways:contract", args=[camille.public_id])).content.decode()
    assert "Répondre à des offres d&#x27;emploi" in body and "16 h d'activité par semaine" in body


def test_the_person_data_export_includes_the_pathway(client_as, conseiller, pathway, camille):
    from spie.core.plugins import person_export

    sections = {key: data for _, key, data in person_export(camille)}
    assert sections["parcours"][0]["etape"] == "Orienté"
    assert set(sections) >= {"contrats_engagement", "rendez_vous", "points_de_situation", "suivi_dans_l_emploi"}
