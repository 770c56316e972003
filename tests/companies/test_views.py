"""Pages: forms with French errors naming the field, the secure link page, PDF, lists' query counts."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from spie.companies import services_immersions
from spie.companies.enums import ImmersionStatus
from spie.companies.links import find_link
from spie.companies.models import Company, Immersion, ShortageOccupation
from spie.core.models import AuditEvent
from tests.accounts.factories import next_valid_siret
from tests.companies.conftest import actor
from tests.companies.factories import CompanyFactory, add_job, immersion, set_project

pytestmark = pytest.mark.django_db


def test_adding_a_company_validates_the_siret_and_names_the_field(client_as, conseiller, lille, jobs):
    client = client_as(conseiller)
    response = client.post(
        reverse("companies:create"),
        {
            "siret": "123 456 789 01234",
            "name": "Boulangerie Paul",
            "commune": "59350",
            "availability": "available",
            "immersion_capacity": 1,
        },
    )
    assert response.status_code == 200
    assert (
        "Ce SIRET n&#x27;est pas valide" in response.content.decode()
        or "Ce SIRET n'est pas valide" in response.content.decode()
    )
    siret = next_valid_siret()
    response = client.post(
        reverse("companies:create"),
        {
            "siret": f"{siret[:3]} {siret[3:]}",
            "name": "Boulangerie Paul",
            "naf": "5610A",
            "commune": "Lille (59000) — 59350",
            "availability": "available",
            "immersion_capacity": 1,
        },
    )
    company = Company.objects.get(siret=siret)
    assert response.status_code == 302 and response.url == reverse("companies:detail", args=[company.public_id])
    assert company.naf.code == "56.10A" and company.geo_lat == lille.latitude and company.created_by.user == conseiller


def test_the_directory_lists_companies_with_a_bounded_number_of_queries(
    client_as, conseiller, nord, lille, jobs, django_assert_max_num_queries
):
    for index in range(30):
        add_job(CompanyFactory(territory=nord, commune=lille, name=f"Société {index}"), jobs["J1501"])
    client = client_as(conseiller)
    client.get(reverse("companies:list"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("companies:list"), {"q": "societe"})
    assert response.status_code == 200 and response.content.decode().count("J1501") == 25
    csv = client.get(reverse("companies:list"), {"format": "csv"})
    assert b"Soci\xc3\xa9t\xc3\xa9 0" in b"".join(csv.streaming_content)


def test_the_person_tab_shows_matching_companies_with_the_shortage_badge(
    client_as, conseiller, camille_lille, ehpad, nord, jobs
):
    from tests.companies.factories import shortage

    set_project(camille_lille, ["J1501"], radius_km=10)
    shortage(nord, jobs["J1501"], tension=5)
    page = (
        client_as(conseiller)
        .get(reverse("companies:person_companies", args=[camille_lille.public_id]))
        .content.decode()
    )
    assert "EHPAD Les Tilleuls" in page and "Métier en tension 5/5" in page


def test_proposing_an_immersion_from_the_form(client_as, conseiller, camille_lille, ehpad, tutor, jobs):
    client = client_as(conseiller)
    url = reverse("companies:immersion_create", args=[camille_lille.public_id])
    page = client.get(url, {"entreprise": ehpad.public_id, "metier": "J1501"}).content.decode()
    assert "Sophie LAMBERT" in page
    start = timezone.localdate() + datetime.timedelta(days=5)
    data = {
        "siret": ehpad.siret,
        "tutor": str(tutor.public_id),
        "objective": "discover",
        "rome_job": "J1501",
        "activities": "Accompagnement des résidents",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=4)).isoformat(),
        "weekly_hours": "36",
        "schedule": "9 h – 17 h",
        "place_address": "10 rue Nationale",
        "place_commune": "59350",
    }
    response = client.post(url, data)
    assert "La durée hebdomadaire ne peut pas dépasser 35 heures." in response.content.decode()
    response = client.post(
        url, {**data, "ends_on": (start - datetime.timedelta(days=1)).isoformat(), "weekly_hours": "30"}
    )
    assert "Dates incohérentes : la date de fin précède la date de début." in response.content.decode()
    response = client.post(url, {**data, "weekly_hours": "30"})
    created = Immersion.objects.get()
    assert response.status_code == 302 and created.status == ImmersionStatus.DRAFT


def _submitted(camille, ehpad, tutor, prescriber, capture):
    draft = immersion(camille, ehpad, tutor, prescriber)
    with capture(execute=True):
        _, raw = services_immersions.submit_immersion(immersion=draft, by=actor(prescriber.user))
    return draft, raw


def test_opening_a_signature_link_does_not_use_it_pressing_the_button_does_once(
    client, camille_lille, ehpad, tutor, prescriber, django_capture_on_commit_callbacks
):
    draft, raw = _submitted(camille_lille, ehpad, tutor, prescriber, django_capture_on_commit_callbacks)
    url = reverse("companies:link", args=[raw])
    for _ in range(2):  # a mail scanner, then the person
        page = client.get(url)
        assert page.status_code == 200 and "Signer la convention" in page.content.decode()
    assert find_link(raw).used_at is None
    missing = client.post(url, {})
    assert "Cochez la case pour signer la convention." in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"agree": "on"})
    assert done.status_code == 200 and "Vous avez signé votre convention" in done.content.decode()
    draft.refresh_from_db()
    assert draft.status == ImmersionStatus.SIGNED_PERSON
    again = client.post(url, {"agree": "on"})
    assert again.status_code == 410 and "déjà été utilisé" in again.content.decode()
    refused = AuditEvent.objects.get(action="companies.link.refused")
    assert refused.data == {"purpose": "sign_person", "state": "used"}
    company_link = mail.outbox[-1].body.split("/entreprises/lien/")[1].split("/")[0]
    page = client.get(reverse("companies:link", args=[company_link])).content.decode()
    assert "Prénom et nom du signataire" in page


def test_an_expired_link_answers_410_and_is_logged(
    client, camille_lille, ehpad, tutor, prescriber, django_capture_on_commit_callbacks
):
    import time_machine

    _, raw = _submitted(camille_lille, ehpad, tutor, prescriber, django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        response = client.get(reverse("companies:link", args=[raw]))
    assert response.status_code == 410 and "a expiré" in response.content.decode()
    assert AuditEvent.objects.get(action="companies.link.refused").data["state"] == "expired"


def test_the_company_answers_a_contact_request_through_its_link(
    client, ehpad, tutor, conseiller, django_capture_on_commit_callbacks
):
    from spie.companies.services import send_contact_request

    with django_capture_on_commit_callbacks(execute=True):
        _, raw = send_contact_request(
            company=ehpad, contact=tutor, purpose="hire", message="Un candidat motivé", by=actor(conseiller)
        )
    url = reverse("companies:link", args=[raw])
    assert "Un candidat motivé" in client.get(url).content.decode()
    response = client.post(url, {"decision": "refuser", "responder_name": ""})
    assert "Ce champ est obligatoire" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"decision": "refuser", "responder_name": "Sophie Lambert", "answer": "Pas de poste"}
        )
    assert "Votre réponse est transmise" in response.content.decode()
    assert mail.outbox[-1].to == [conseiller.email]


def test_validation_start_assessment_and_pdf_from_the_pages(
    client_as, conseiller, camille_lille, ehpad, tutor, prescriber
):
    signed = immersion(camille_lille, ehpad, tutor, prescriber, status=ImmersionStatus.SIGNED_COMPANY)
    client = client_as(conseiller)
    response = client.post(reverse("companies:immersion_step", args=[signed.public_id, "valider"]))
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.status == ImmersionStatus.VALIDATED
    early = client.post(reverse("companies:immersion_step", args=[signed.public_id, "demarrer"]), follow=True)
    assert "ne peut pas démarrer avant" in early.content.decode()
    pdf = client.get(reverse("companies:immersion_agreement", args=[signed.public_id]), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    Immersion.objects.filter(pk=signed.pk).update(status=ImmersionStatus.IN_PROGRESS)
    url = reverse("companies:immersion_assess", args=[signed.public_id])
    hired_on = signed.ends_on + datetime.timedelta(days=20)
    response = client.post(url, {"outcome": "completed", "hired": "on"})
    content = response.content.decode()
    assert (
        "Indiquez le type de contrat de l&#x27;embauche." in content
        or "Indiquez le type de contrat de l'embauche." in content
    )
    response = client.post(
        url,
        {
            "outcome": "completed",
            "hired": "on",
            "contract_type": "cdi",
            "contract_start": hired_on.isoformat(),
            "person_agrees": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("companies:immersion_detail", args=[signed.public_id])).content.decode()
    assert f"CDI à partir du {hired_on:%d/%m/%Y}" in page


def test_the_coordinator_imports_the_shortage_list_through_the_pages(client_as, coordinator, jobs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(coordinator)
    upload = SimpleUploadedFile(
        "tension.csv", b"code_rome;niveau_tension;debut;source\nJ1501;4;01/01/2026;BMO\nZ1;9;x;\n"
    )
    response = client.post(reverse("companies:import", args=["shortages"]), {"file": upload})
    preview = client.get(response.url).content.decode()
    assert (
        "colonne « code_rome » : « Z1 » n&#x27;est pas un code ROME connu" in preview
        or "« Z1 » n'est pas un code ROME connu" in preview
    )
    assert "rien ne sera importé" in preview
    upload = SimpleUploadedFile("tension.csv", b"code_rome;niveau_tension;debut;source\nJ1501;4;01/01/2026;BMO\n")
    response = client.post(reverse("companies:import", args=["shortages"]), {"file": upload})
    client.post(response.url)
    assert ShortageOccupation.objects.get().tension == 4


def test_the_territory_page_counts_immersions_and_trainings_in_shortage_occupations(
    client_as, coordinator, camille_lille, ehpad, tutor, prescriber, nord, jobs
):
    from tests.companies.factories import shortage

    shortage(nord, jobs["J1501"], tension=5)
    immersion(camille_lille, ehpad, tutor, prescriber, status=ImmersionStatus.VALIDATED)
    page = client_as(coordinator).get(reverse("companies:territory")).content.decode()
    assert "J1501 — Soins d&#x27;hygiène" in page or "J1501 — Soins d'hygiène" in page
    assert camille_lille.birth_name not in page  # figures only
