"""Pages of the offer: search, service page, structure services, import, duplicates, referrals, proposals."""

import datetime
import io
import json
import re
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.offers.enums import DuplicateStatus, ProposalStatus, ReferralStatus
from spie.offers.models import DuplicateCandidate, Offer, OfferProposal, Referral
from tests.offers.factories import make_offer, make_structure

pytestmark = pytest.mark.usefixtures("vocabularies", "places")


def test_search_page_shows_distance_filters_and_exports_csv(client_as, conseiller, places):
    make_offer(name="Auto-école sociale", code_insee="59512", thematiques=["mobilite--preparer-un-permis"])
    make_offer(name="Épicerie solidaire", code_insee="59512", thematiques=["equipement-et-alimentation--alimentation"])
    client = client_as(conseiller)
    query = {"thematique": "mobilite", "commune": "59350", "rayon_km": "50", "tri": "distance"}
    page = client.get(reverse("offers:search"), query).content.decode()
    assert "Auto-école sociale" in page and "Épicerie solidaire" not in page
    assert re.search(r"10,\d km|10\.\d km", page)
    assert "1 service autour de Lille (50 km)" in page
    export = client.get(reverse("offers:search"), {**query, "format": "csv"})
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("Distance (km);source;structure_id;id;nom")
    assert len(rows) == 2 and "Auto-école sociale" in rows[1]


def test_search_page_query_count_is_bounded(client_as, conseiller, django_assert_max_num_queries):
    for number in range(30):
        make_offer(name=f"Service {number}", code_insee="59512")
    client = client_as(conseiller)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("offers:search"), {"commune": "59350"})
    assert response.status_code == 200


def test_unknown_commune_is_a_french_form_error(client_as, conseiller):
    page = client_as(conseiller).get(reverse("offers:search"), {"commune": "Atlantide"}).content.decode()
    assert "Commune introuvable : choisissez-la dans la liste." in page


def test_service_page_says_when_it_was_updated_and_flags_stale_ones(client_as, conseiller):
    offer = make_offer(name="Vieux service", updated_on=datetime.date(2025, 1, 10))
    with time_machine.travel(datetime.datetime(2026, 11, 30, 10, tzinfo=datetime.UTC)):
        page = client_as(conseiller).get(reverse("offers:detail", args=[offer.public_id])).content.decode()
    assert "Mis à jour le 10/01/2025" in page
    assert "n'a pas été mis à jour depuis plus de 12 mois" in page


def test_a_manager_creates_then_updates_a_service_of_the_structure(client_as, gestionnaire, ft_lille):
    client = client_as(gestionnaire)
    form = {
        "name": "Atelier CV",
        "description": "Un atelier collectif pour refaire son CV.",
        "thematiques": ["preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"],
        "reception_modes": ["en-presentiel"],
        "eligibility_zone": "59, 2A",
    }
    errors = client.post(reverse("offers:offer_create"), form).content.decode()
    assert "Indiquez la commune du lieu d&#x27;accueil d&#x27;un service en présentiel." in errors
    response = client.post(reverse("offers:offer_create"), {**form, "commune": "Lille (59000) — 59350"})
    offer = Offer.objects.get(name="Atelier CV")
    assert response.url == reverse("offers:detail", args=[offer.public_id])
    assert offer.structure.organisation == ft_lille and offer.territory.code == "59"
    assert offer.eligibility_zone == ["59", "2A"] and offer.source == "spie"
    client.post(
        reverse("offers:offer_edit", args=[offer.public_id]), {**form, "commune": "59350", "name": "Atelier CV+"}
    )
    offer.refresh_from_db()
    assert offer.name == "Atelier CV+"
    assert set(AuditEvent.objects.filter(target_id=offer.public_id).values_list("action", flat=True)) == {
        "offers.offer.created",
        "offers.offer.updated",
    }
    bad = client.post(reverse("offers:offer_edit", args=[offer.public_id]), {**form, "eligibility_zone": "Nord!"})
    assert "Code « Nord! » invalide" in bad.content.decode()


def test_confirming_a_service_up_to_date(client_as, gestionnaire, ft_lille):
    offer = make_offer(structure=make_structure(organisation=ft_lille), updated_on=datetime.date(2024, 1, 1))
    client_as(gestionnaire).post(reverse("offers:offer_confirm", args=[offer.public_id]))
    offer.refresh_from_db()
    assert offer.updated_on == datetime.date.today()


def _upload(client, records):
    content = io.BytesIO(json.dumps(records).encode())
    content.name = "dora.json"
    return client.post(reverse("offers:import"), {"file": content, "source": "dora"})


def test_import_page_previews_then_applies(client_as, coordinator):
    client = client_as(coordinator)
    record = {
        "id": "dora--1",
        "structure_id": "dora--s1",
        "nom": "Permis solidaire",
        "description": "Préparer son permis.",
        "date_maj": "2026-10-01",
        "thematiques": ["mobilite--preparer-un-permis"],
        "code_insee": "59350",
    }
    structure = {"id": "dora--s1", "nom": "Auto-école sociale", "date_maj": "2026-10-01"}
    preview = client.get(
        _upload(client, {"structures": [structure], "services": [record, {**record, "id": "x", "nom": ""}]}).url
    )
    page = preview.content.decode()
    assert "Service « x » — champ « nom » : champ obligatoire manquant" in page
    assert "rien ne sera importé" in page
    response = _upload(client, {"structures": [structure], "services": [record]})
    assert "1 à créer" in client.get(response.url).content.decode()
    done = client.post(response.url)
    assert done.status_code == 302 and Offer.objects.filter(source_id="dora--1").exists()
    assert AuditEvent.objects.get(action="offers.import.applied").data["services_created"] == 1


def test_coordinator_confirms_a_duplicate_which_leaves_the_search(client_as, coordinator, nord):
    first = make_offer(name="Épicerie solidaire", address="3 rue Solférino")
    second = make_offer(name="Épicerie solidaire", address="3 rue Solférino", source="cd59")
    candidate = DuplicateCandidate.objects.create(territory=nord, reason="nom_adresse", offer_a=first, offer_b=second)
    client = client_as(coordinator)
    assert "3 rue Solférino" in client.get(reverse("offers:duplicates")).content.decode()
    client.post(reverse("offers:duplicate_decide", args=[candidate.public_id]), {"decision": "confirmer"})
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.CONFIRMED
    assert list(Offer.objects.published().values_list("pk", flat=True)) == [first.pk]


def test_refer_from_the_file_then_accept_from_the_inbox(
    client_as, conseiller, receiver, camille, platform_offer, client, django_capture_on_commit_callbacks
):
    sender = client_as(conseiller)
    url = reverse("offers:refer", args=[camille.public_id, platform_offer.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        response = sender.post(url, {"message": "Permis B pour un emploi d'aide à domicile.", "needs": ["mobilite"]})
    assert response.url == reverse("offers:person_referrals", args=[camille.public_id])
    referral = Referral.objects.get()
    assert "Garantie jeunes mobilité" in sender.get(response.url).content.decode()
    client.logout()
    other = client_as(receiver)
    inbox = other.get(reverse("offers:inbox")).content.decode()
    assert "MARTIN Camille Louise" in inbox
    page = other.get(reverse("offers:referral_detail", args=[referral.public_id])).content.decode()
    assert "Permis B" in page and "Mobilité" in page and camille.email not in page and camille.address not in page
    other.post(reverse("offers:referral_accept", args=[referral.public_id]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert other.get(reverse("people:detail", args=[camille.public_id])).status_code == 200


def test_refer_without_consent_shows_the_french_reason(client_as, conseiller, camille, platform_offer):
    camille.consent_given = False
    camille.save()
    url = reverse("offers:refer", args=[camille.public_id, platform_offer.public_id])
    page = client_as(conseiller).post(url, {"message": "Bonjour"}).content.decode()
    assert "n&#x27;a pas consenti au partage" in page
    assert not Referral.objects.exists()


def test_inbox_query_count_is_bounded(
    client_as, conseiller, receiver, camille, platform_offer, django_assert_max_num_queries
):
    from spie.accounts.actors import Actor
    from spie.offers import services
    from tests.people.factories import PersonFactory, seat

    for number in range(8):
        person = PersonFactory(territory=camille.territory, first_names=f"Personne {number}")
        seat(person, conseiller, is_referent=True)
        services.refer_person(
            person=person,
            offer=platform_offer,
            message="…",
            by=Actor(user=conseiller, membership=conseiller.memberships.get()),
        )
    client = client_as(receiver)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("offers:inbox")).status_code == 200


def test_suggestions_follow_the_diagnostic_barriers(client_as, conseiller, camille, places, monkeypatch):
    from spie.diagnostics import selectors

    camille.commune = places["lille"]
    camille.save()
    make_offer(name="Garage solidaire", code_insee="59512", thematiques=["mobilite--entretenir-reparer-son-vehicule"])
    make_offer(name="Point santé", thematiques=["sante--acces-aux-soins"])
    make_offer(name="Logement jeunes", thematiques=["logement-hebergement--louer-un-logement"])
    monkeypatch.setattr(selectors, "barrier_themes", lambda person: ["mobilite", "sante"])
    monkeypatch.setattr(selectors, "professional_project", lambda person: SimpleNamespace(rome_codes=[], radius_km=30))
    page = client_as(conseiller).get(reverse("offers:person_suggestions", args=[camille.public_id])).content.decode()
    assert "Garage solidaire" in page and "Logement jeunes" not in page
    assert "Point santé" in page  # the referent may see sensitive themes


def test_health_suggestions_need_the_sensitive_flag(client_as, other_structure, camille, places, monkeypatch):
    from spie.diagnostics import selectors

    camille.commune = places["lille"]
    camille.save()
    make_offer(name="Point santé", thematiques=["sante--acces-aux-soins"])
    monkeypatch.setattr(selectors, "barrier_themes", lambda person: ["sante"])
    monkeypatch.setattr(selectors, "professional_project", lambda person: None)
    url = reverse("offers:person_suggestions", args=[camille.public_id])
    assert "Point santé" not in client_as(other_structure).get(url).content.decode()
    assert "Point santé" not in client_as(other_structure).get(url, {"theme": "sante"}).content.decode()


def test_a_proposal_goes_from_proposed_to_published(
    client_as, client, other_structure, coordinator, ft_lille, conseiller
):
    proposer = client_as(other_structure)
    response = proposer.post(
        reverse("offers:proposal_create"),
        {
            "title": "Garage solidaire itinérant",
            "need": "Pas de garage solidaire dans l'Avesnois.",
            "public": "Bénéficiaires du RSA",
            "capacity": "120",
            "thematiques": ["mobilite--entretenir-reparer-son-vehicule"],
            "commune": "59512",
            "partners": [ft_lille.pk],
        },
    )
    proposal = OfferProposal.objects.get()
    assert response.url == reverse("offers:proposal_detail", args=[proposal.public_id])
    client.logout()
    partner = client_as(conseiller)
    partner.post(reverse("offers:proposal_comment", args=[proposal.public_id]), {"text": "Nous pouvons orienter."})
    assert proposal.comments.count() == 1
    client.logout()
    steering = client_as(coordinator)
    move = reverse("offers:proposal_move", args=[proposal.public_id])
    steering.post(move, {"status": ProposalStatus.PUBLISHED})  # not allowed from « proposée »
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    for status in (ProposalStatus.REVIEWING, ProposalStatus.RETAINED, ProposalStatus.PUBLISHED):
        steering.post(move, {"status": status, "note": "Validé en comité."})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED and proposal.offer is not None
    assert proposal.offer.name == "Garage solidaire itinérant" and proposal.offer.code_insee == "59512"
    assert Offer.objects.published().filter(pk=proposal.offer.pk).exists()


def test_rejecting_a_proposal_needs_a_reason(client_as, other_structure, coordinator):
    from spie.accounts.actors import Actor
    from spie.offers import services

    member = other_structure.memberships.get()
    proposal = services.propose_offer(
        data={"title": "Repair café", "need": "…", "public": "Tous"}, by=Actor(user=other_structure, membership=member)
    )
    client = client_as(coordinator)
    client.post(reverse("offers:proposal_move", args=[proposal.public_id]), {"status": ProposalStatus.REJECTED})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert mail.outbox == []


def test_exports_of_the_territory(client_as, conseiller):
    make_offer(name="Nord", code_insee="59512")
    make_offer(name="Ardennes", code_insee="08105")
    client = client_as(conseiller)
    data = json.loads(client.get(reverse("offers:export_json")).content)
    assert [service["nom"] for service in data["services"]] == ["Nord"]
    csv_rows = b"".join(client.get(reverse("offers:export_csv")).streaming_content).decode("utf-8-sig").splitlines()
    assert len(csv_rows) == 2 and "Nord" in csv_rows[1]


def test_import_upload_over_the_size_limit_is_refused_in_french(client_as, coordinator, settings):
    settings.OFFERS_IMPORT_MAX_BYTES = 1024
    content = io.BytesIO(b'{"structures": [], "services": []}' + b" " * 2048)
    content.name = "dora.json"
    response = client_as(coordinator).post(reverse("offers:import"), {"file": content, "source": "dora"})
    assert response.status_code == 200
    assert "Le fichier dépasse 1,0\xa0Kio" in response.content.decode()
