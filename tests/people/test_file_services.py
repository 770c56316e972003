import datetime

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from spie.accounts.actors import Actor
from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.people import services
from spie.people.models import AccessLog, ConsentRecord, JoinRequest, Person
from tests.people.factories import valid_nir


def _actor(user):
    return Actor(user=user, membership=Membership.objects.get(user=user))


def _data(**overrides):
    data = {
        "birth_name": "Dupont",
        "usage_name": "",
        "first_names": "Élodie",
        "birth_date": datetime.date(1990, 2, 3),
        "entry_date": datetime.date(2026, 10, 1),
        "consent_given": True,
        "france_travail_id": "",
        "si_id": "",
        "caf_number": "",
    }
    return data | overrides


def test_creator_joins_the_team_as_referent_and_everything_is_logged(nord, conseiller):
    person = services.create_person(territory=nord, data=_data(), nir=valid_nir(), by=_actor(conseiller))
    assert person.referent.membership.user == conseiller
    assert person.nir == valid_nir()
    assert AuditEvent.objects.get(subject_id=person.public_id).action == "people.person.created"
    assert AccessLog.objects.get(person=person).kind == "write"
    assert ConsentRecord.objects.get(person=person).given
    assert valid_nir() not in str(AuditEvent.objects.values_list("data", flat=True)[0])


@pytest.mark.parametrize(
    "variant",
    [
        {"birth_name": "DUPONT", "first_names": "elodie"},
        {"birth_name": "Dupônt", "first_names": "Élodie Marie"},
        {"birth_name": "Martin", "usage_name": "Dupont"},
    ],
)
def test_duplicates_are_found_whatever_the_accents_case_or_usage_name(nord, conseiller, other_structure, variant):
    services.create_person(territory=nord, data=_data(), by=_actor(conseiller))
    with pytest.raises(DomainError, match="existe déjà"):
        services.create_person(territory=nord, data=_data(**variant), by=_actor(other_structure))
    assert Person.objects.count() == 1


def test_same_identity_in_another_territory_is_another_file(nord, ardennes, conseiller, other_territory):
    services.create_person(territory=nord, data=_data(), by=_actor(conseiller))
    services.create_person(territory=ardennes, data=_data(), by=_actor(other_territory))
    assert Person.objects.count() == 2


def test_cannot_create_outside_ones_territory(ardennes, conseiller):
    with pytest.raises(DomainError, match="territoire de votre structure"):
        services.create_person(territory=ardennes, data=_data(), by=_actor(conseiller))


def test_join_request_is_sent_to_the_referent_then_approved(camille, conseiller, colleague):
    with TestCase.captureOnCommitCallbacks(execute=True):
        join_request = services.request_to_join(person=camille, message="Je l'accompagne en PLIE", by=_actor(colleague))
    assert mail.outbox[-1].to == [conseiller.email]
    assert "Camille" not in mail.outbox[-1].body  # no personal data in e-mails
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.approve_join_request(join_request=join_request, by=_actor(conseiller))
    assert mail.outbox[-1].to == [colleague.email]
    camille.__dict__.pop("active_team", None)
    assert any(seat.membership.user == colleague for seat in camille.active_team)
    with pytest.raises(DomainError, match="déjà été traitée"):
        services.refuse_join_request(join_request=join_request, reason="non", by=_actor(conseiller))


def test_join_request_without_referent_goes_to_orientation_officers(nord, colleague, orientation_officer):
    from tests.people.factories import PersonFactory

    person = PersonFactory(territory=nord)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_to_join(person=person, message="Premier accueil", by=_actor(colleague))
    assert mail.outbox[-1].to == [orientation_officer.email]


def test_refused_request_tells_the_reason(camille, conseiller, colleague):
    join_request = services.request_to_join(person=camille, message="Suivi", by=_actor(colleague))
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.refuse_join_request(join_request=join_request, reason="Suivi déjà assuré", by=_actor(conseiller))
    assert "Suivi déjà assuré" in mail.outbox[-1].body
    assert JoinRequest.objects.get().status == "refused"


def test_one_pending_request_at_a_time(camille, colleague):
    services.request_to_join(person=camille, message="Suivi", by=_actor(colleague))
    with pytest.raises(DomainError, match="déjà en attente"):
        services.request_to_join(person=camille, message="Encore", by=_actor(colleague))


def test_referent_hands_over_and_the_former_referent_stays_member(camille, conseiller, other_structure):
    member_seat = next(seat for seat in camille.active_team if seat.membership.user == other_structure)
    services.hand_over_referent(person=camille, to_seat=member_seat, by=_actor(conseiller))
    camille.__dict__.pop("active_team", None)
    assert camille.referent.membership.user == other_structure
    assert len(camille.active_team) == 2


def test_referent_cannot_leave_without_handing_over(camille, conseiller):
    with pytest.raises(DomainError, match="Transmettez d'abord"):
        services.leave_team(seat=camille.referent, by=_actor(conseiller))


def test_a_member_who_leaves_loses_access_but_keeps_history(client_as, camille, other_structure):
    seat = next(seat for seat in camille.active_team if seat.membership.user == other_structure)
    services.leave_team(seat=seat, by=_actor(other_structure))
    seat.refresh_from_db()
    assert seat.ended_on == datetime.date.today() and seat.end_reason == "left"
    assert client_as(other_structure).get(reverse("people:detail", args=[camille.public_id])).status_code == 404


def test_sensitive_information_needs_the_flag_and_consent(client_as, camille, conseiller, other_structure):
    Person.objects.filter(pk=camille.pk).update(rqth=True)
    referent_page = client_as(conseiller).get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert "RQTH</dt><dd>Oui" in referent_page.replace("\n", "")
    member_page = client_as(other_structure).get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert "habilitation et consentement nécessaires" in member_page
    services.set_consent(person=camille, given=False, by=_actor(conseiller))
    referent_page = client_as(conseiller).get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert "habilitation et consentement nécessaires" in referent_page


def test_every_read_of_the_full_file_is_logged(client_as, camille, other_structure):
    client_as(other_structure).get(reverse("people:detail", args=[camille.public_id]))
    log = AccessLog.objects.get(person=camille, kind="read")
    assert log.user == other_structure and log.organisation.name == "Département du Nord"


def test_update_logs_field_names_only(camille, conseiller):
    _, changed = services.update_person(person=camille, changes={"email": "nouvel@exemple.fr"}, by=_actor(conseiller))
    assert changed == ["email"]
    event = AuditEvent.objects.get(action="people.person.updated")
    assert event.data == {"fields": ["email"]}


def test_nir_cannot_be_another_files(camille, nord, conseiller):
    from tests.people.factories import PersonFactory

    other = PersonFactory(territory=nord, birth_name="Autre", france_travail_id="7654321A")
    with pytest.raises(DomainError, match="déjà celui d'un autre dossier"):
        services.update_person(person=other, changes={}, nir=valid_nir(), by=_actor(conseiller))
