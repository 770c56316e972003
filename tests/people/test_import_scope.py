"""The people import writes only in files the importer's structure follows (issue 15)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.core.models import AuditEvent
from spie.people.imports import apply_import, plan_import
from spie.people.models import AccessLog, FollowUpMember, JoinRequest, Person
from tests.people.factories import PersonFactory, seat

HEADER = "nom;prenom;date_naissance;numero_france_travail;email;adresse;referent_email"


def _csv(*lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _upload(client, content):
    """Send the file from the site; returns the preview response."""
    upload = SimpleUploadedFile("personnes.csv", content)
    return client.post(reverse("people:import"), {"file": upload}, follow=True)


def _confirm(client, preview):
    return client.post(preview.redirect_chain[-1][0], follow=True)


def _import(user, content, nord):
    membership = user.memberships.get()
    report = plan_import(content, territory=nord, membership=membership)
    counts = apply_import(report, territory=nord, by=Actor(user=user, membership=membership))
    return report, counts


@pytest.fixture
def followed_elsewhere(nord, other_structure):
    """Camille, followed only by the Département du Nord (no referent yet)."""
    person = PersonFactory(
        territory=nord, france_travail_id="7654321A", email="camille@exemple.fr", address="1 rue Haute"
    )
    seat(person, other_structure)
    return person


def test_a_file_followed_only_by_other_structures_is_not_overwritten(client_as, gestionnaire, followed_elsewhere):
    """Attack 1: matching by France Travail id used to overwrite the e-mail (then a login link to
    it opened the person's space and their data download)."""
    client = client_as(gestionnaire)
    preview = _upload(client, _csv("Martin;Camille;14/05/1985;7654321A;pirate@exemple.fr;9 rue Basse;"))
    page = preview.content.decode()
    assert "déjà suivi·e par Département du Nord" in page
    assert "Demande pour rejoindre l'équipe" in page
    _confirm(client, preview)
    followed_elsewhere.refresh_from_db()
    assert (followed_elsewhere.email, followed_elsewhere.address) == ("camille@exemple.fr", "1 rue Haute")
    assert not AuditEvent.objects.filter(action="people.person.imported").exists()
    assert not AccessLog.objects.filter(person=followed_elsewhere, kind="write").exists()
    join_request = JoinRequest.objects.get(person=followed_elsewhere)
    assert join_request.status == "pending"
    assert join_request.membership == gestionnaire.memberships.get()
    assert AuditEvent.objects.filter(action="people.join_request.created", target_id=join_request.public_id).exists()
    assert not FollowUpMember.objects.filter(person=followed_elsewhere, membership__user=gestionnaire).exists()


def test_matching_by_name_and_birth_date_is_not_a_write_either(nord, gestionnaire, followed_elsewhere):
    report, counts = _import(gestionnaire, _csv("MARTIN;camille;1985-05-14;;pirate@exemple.fr;;"), nord)
    assert report.results[0].action == "join"
    assert report.results[0].messages[0].startswith("déjà suivi·e par Département du Nord")
    assert report.summary().endswith("1 déjà suivie(s) par d'autres structures")
    assert counts["updated"] == 0 and counts["join_requests"] == 1
    followed_elsewhere.refresh_from_db()
    assert followed_elsewhere.email == "camille@exemple.fr"


def test_the_join_request_is_asked_once_and_the_decider_is_told(
    nord, gestionnaire, conseiller, other_structure, django_capture_on_commit_callbacks, mailoutbox
):
    person = PersonFactory(territory=nord, france_travail_id="7654321A")
    seat(person, other_structure, is_referent=True)
    with django_capture_on_commit_callbacks(execute=True):
        _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;;;"), nord)
    assert [mail.to for mail in mailoutbox] == [["conseiller@nord.fr"]]
    assert "1 demande pour rejoindre" in mailoutbox[0].body
    report, counts = _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;;;"), nord)
    assert report.results[0].action == "pending"
    assert "est en attente" in report.results[0].messages[0]
    assert counts["join_requests"] == 0
    assert JoinRequest.objects.filter(person=person).count() == 1


def test_a_file_without_team_is_not_written_either(nord, gestionnaire):
    orphan = PersonFactory(territory=nord, france_travail_id="7654321A", email="camille@exemple.fr")
    report, _ = _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;pirate@exemple.fr;;"), nord)
    assert report.results[0].messages[0].startswith("dossier existant sans équipe de suivi")
    orphan.refresh_from_db()
    assert orphan.email == "camille@exemple.fr"
    assert JoinRequest.objects.filter(person=orphan, status="pending").exists()


def test_a_file_the_structure_follows_is_updated(nord, gestionnaire, conseiller):
    person = PersonFactory(territory=nord, france_travail_id="7654321A", email="")
    seat(person, conseiller, is_referent=True)
    report, counts = _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;camille@exemple.fr;;"), nord)
    assert report.results[0].action == "update" and counts["updated"] == 1
    person.refresh_from_db()
    assert person.email == "camille@exemple.fr"
    assert not JoinRequest.objects.exists()


def test_a_second_file_does_not_seat_the_importer_as_referent_of_a_file_without_referent(
    client_as, gestionnaire, followed_elsewhere
):
    """Attack 2: a second file with `referent_email` made the importer referent (full file,
    data download) of a file that had no referent."""
    client = client_as(gestionnaire)
    row = f"Martin;Camille;14/05/1985;7654321A;;;{gestionnaire.email}"
    _confirm(client, _upload(client, _csv(row)))
    assert followed_elsewhere.referent is None
    assert not FollowUpMember.objects.filter(person=followed_elsewhere, membership__user=gestionnaire).exists()


def test_a_file_created_by_a_first_import_gets_no_referent_from_a_second_one(nord, gestionnaire):
    _import(gestionnaire, _csv("Durand;Léa;03/04/1991;1234567A;;;"), nord)
    lea = Person.objects.get(birth_name="Durand")
    assert [seat.membership.user for seat in lea.active_team] == [gestionnaire]
    report, counts = _import(gestionnaire, _csv(f"Durand;Léa;03/04/1991;1234567A;;;{gestionnaire.email}"), nord)
    assert "référent·e non désigné·e" in report.results[0].messages[0]
    assert counts["referents"] == 0
    del lea.active_team
    assert lea.referent is None


def test_the_orientation_officer_seats_a_referent_in_a_file_the_structure_follows(
    nord, orientation_officer, other_structure, followed_elsewhere
):
    report, counts = _import(
        orientation_officer, _csv(f"Martin;Camille;14/05/1985;7654321A;;;{other_structure.email}"), nord
    )
    assert report.results[0].action in ("update", "unchanged") and counts["referents"] == 1
    assert followed_elsewhere.referent.membership.user == other_structure


def test_new_files_are_followed_by_the_importer_structure_and_reimport_changes_nothing(nord, gestionnaire, conseiller):
    content = _csv("Durand;Léa;03/04/1991;1234567A;;;", f"Petit;Hugo;01/12/1988;;;;{conseiller.email}")
    _, counts = _import(gestionnaire, content, nord)
    assert counts["created"] == 2
    teams = {
        (seat.person.birth_name, seat.membership.user.email, seat.is_referent)
        for seat in FollowUpMember.objects.select_related("person", "membership__user")
    }
    assert teams == {("Durand", gestionnaire.email, False), ("Petit", conseiller.email, True)}
    _, counts = _import(gestionnaire, content, nord)
    assert counts == {"created": 0, "updated": 0, "unchanged": 2, "referents": 0, "join_requests": 0}


def test_an_ended_seat_of_the_structure_does_not_count(nord, gestionnaire, conseiller, followed_elsewhere):
    seat(followed_elsewhere, conseiller, ended_on=datetime.date(2000, 1, 1), end_reason="left")
    report, _ = _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;pirate@exemple.fr;;"), nord)
    assert report.results[0].action == "join"


def test_two_rows_matching_the_same_file_ask_once(nord, gestionnaire, followed_elsewhere):
    content = _csv("Martin-Roux;Camille;14/05/1985;7654321A;;;", "Martin;Camille Louise;1985-05-14;;;;")
    report, counts = _import(gestionnaire, content, nord)
    assert [result.action for result in report.results] == ["join", "join"]
    assert counts["join_requests"] == 1
    assert JoinRequest.objects.filter(person=followed_elsewhere).count() == 1


def test_the_referent_approves_the_imported_join_request_through_the_usual_flow(
    nord, gestionnaire, other_structure, followed_elsewhere
):
    from spie.people import services

    FollowUpMember.objects.filter(person=followed_elsewhere).update(is_referent=True)
    _import(gestionnaire, _csv("Martin;Camille;14/05/1985;7654321A;;;"), nord)
    join_request = JoinRequest.objects.get(person=followed_elsewhere)
    referent = other_structure.memberships.get()
    services.approve_join_request(join_request=join_request, by=Actor(user=other_structure, membership=referent))
    assert FollowUpMember.objects.filter(person=followed_elsewhere, membership__user=gestionnaire).exists()


def test_an_e_mail_changed_by_import_tells_the_old_address_and_waits_for_confirmation(
    nord, other_structure, followed_elsewhere, django_capture_on_commit_callbacks
):
    """As on the file's form: an imported contact does not open the person's space by itself."""
    from django.core import mail

    from spie.personspace.models import ContactChange

    with django_capture_on_commit_callbacks(execute=True):
        _import(other_structure, _csv("Martin;Camille;14/05/1985;7654321A;nouvelle@exemple.fr;1 rue Haute;"), nord)
    followed_elsewhere.refresh_from_db()
    assert followed_elsewhere.email == "nouvelle@exemple.fr"
    change = ContactChange.objects.get(person=followed_elsewhere)
    assert change.previous_value == "camille@exemple.fr" and change.confirmed_at is None
    assert [message.to for message in mail.outbox] == [["camille@exemple.fr"]]
    assert "nouvelle@exemple.fr" not in mail.outbox[0].body
