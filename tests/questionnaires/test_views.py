"""The person's tab (sent, reminded, answered — never the answers) and the groupe miroir."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.people.models import AccessLog
from spie.questionnaires import services
from spie.questionnaires.models import MirrorAttendance, MirrorMember, MirrorSession
from tests.questionnaires.conftest import actor
from tests.questionnaires.factories import all_answers, invitation

pytestmark = pytest.mark.django_db


def test_the_referent_sees_that_it_was_answered_not_the_answers(client_as, conseiller, camille):
    item, _ = invitation(camille, reminded_at=timezone.now())
    services.answer_questionnaire(invitation=item, answers=all_answers(value=2), comment="Secret très personnel")
    invitation(camille, "apres_contrat")
    response = client_as(conseiller).get(reverse("questionnaires:person", args=[camille.public_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Oui, le" in page and "Pas encore" in page and page.count("Pas envoyé") == 2
    assert "Secret" not in page and "2,00" not in page and "Pas d&#x27;accord" not in page
    assert 'aria-current="page">Questionnaires' in page
    assert AccessLog.objects.filter(person=camille, what="Questionnaires envoyés (sans les réponses)").exists()


def test_the_referent_enrols_the_person_in_the_mirror_group_with_consent(client_as, conseiller, camille):
    client = client_as(conseiller)
    url = reverse("questionnaires:person_mirror_join", args=[camille.public_id])
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    client.post(url, {"consent_on": future})
    assert not MirrorMember.objects.exists()
    client.post(url, {"consent_on": timezone.localdate().isoformat()})
    member = MirrorMember.objects.get()
    assert member.person == camille and member.kind == "personne" and member.name == camille.short_name
    page = client.get(reverse("questionnaires:person", args=[camille.public_id])).content.decode()
    assert "fait partie du groupe miroir" in page
    client.post(url, {"consent_on": timezone.localdate().isoformat()})
    assert MirrorMember.objects.count() == 1
    assert AuditEvent.objects.filter(action="questionnaires.mirror.member_added", subject_id=camille.public_id).exists()


def test_the_coordinator_runs_the_mirror_group(client_as, coordinator, nord, camille):
    client = client_as(coordinator)
    services.add_person_to_mirror(person=camille, consent_on=timezone.localdate(), by=actor(coordinator))
    response = client.post(reverse("questionnaires:volunteer_add"), {"display_name": "", "consent_on": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire." in response.content.decode()
    client.post(reverse("questionnaires:volunteer_add"), {"display_name": "Nadia", "consent_on": timezone.localdate()})
    nadia = MirrorMember.objects.get(display_name="Nadia")
    response = client.post(
        reverse("questionnaires:session_create"),
        {"held_on": timezone.localdate().isoformat(), "topic": "Le premier rendez-vous", "place": "Mairie de Lille"},
    )
    session = MirrorSession.objects.get()
    assert response.status_code == 302 and session.territory == nord
    url = reverse("questionnaires:session_attendance", args=[session.public_id])
    client.post(url, {"members": [str(nadia.public_id)]})
    assert list(MirrorAttendance.objects.values_list("member__display_name", flat=True)) == ["Nadia"]
    bad = client.post(
        reverse("questionnaires:session_feedback", args=[session.public_id]), {"summary": "Bien", "themes": []}
    )
    assert "Ce champ est obligatoire." in bad.content.decode()
    client.post(
        reverse("questionnaires:session_feedback", args=[session.public_id]),
        {"summary": "Le délai d'attente est trop long.", "themes": ["delais"]},
    )
    session.refresh_from_db()
    assert session.themes == ["delais"] and session.feedback_recorded_at is not None
    page = client.get(reverse("questionnaires:session", args=[session.public_id])).content.decode()
    assert "Délais et attentes" in page and "Présents (1)" in page
    client.post(reverse("questionnaires:member_withdraw", args=[nadia.public_id]))
    nadia.refresh_from_db()
    assert nadia.withdrawn_on == timezone.localdate()
    page = client.get(reverse("questionnaires:mirror")).content.decode()
    assert "Retiré·e le" in page and camille.short_name in page
    assert {event.action for event in AuditEvent.objects.filter(action__startswith="questionnaires.mirror")} == {
        "questionnaires.mirror.member_added",
        "questionnaires.mirror.session_created",
        "questionnaires.mirror.attendance_recorded",
        "questionnaires.mirror.feedback_recorded",
        "questionnaires.mirror.member_withdrawn",
    }


def test_attendance_is_for_the_territorys_members_and_not_before_the_day(coordinator, other_territory, ardennes):
    session = services.create_session(
        territory=coordinator.memberships.get().organisation.territory,
        held_on=timezone.localdate() + datetime.timedelta(days=3),
        topic="Numérique",
        place="À distance",
        by=actor(coordinator),
    )
    stranger = MirrorMember.objects.create(
        territory=ardennes, kind="externe", display_name="Paul", consent_on=timezone.localdate()
    )
    with pytest.raises(DomainError, match="du territoire"):
        services.record_attendance(session=session, members=[stranger], by=actor(coordinator))
    with pytest.raises(DomainError, match="le jour de la séance"):
        services.record_attendance(session=session, members=[], by=actor(coordinator))


def test_a_person_can_only_be_once_an_active_member(coordinator, conseiller, camille, nord):
    services.add_person_to_mirror(person=camille, consent_on=timezone.localdate(), by=actor(conseiller))
    with pytest.raises(DomainError, match="déjà partie"):
        services.add_person_to_mirror(person=camille, consent_on=timezone.localdate(), by=actor(conseiller))
    member = MirrorMember.objects.get()
    services.withdraw_member(member=member, by=actor(coordinator))
    services.add_person_to_mirror(person=camille, consent_on=timezone.localdate(), by=actor(conseiller))
    assert MirrorMember.objects.active().count() == 1


def test_the_persons_data_export_lists_the_questionnaires_but_not_the_answers(conseiller, camille):
    from spie.core.plugins import person_export

    item, _ = invitation(camille)
    services.answer_questionnaire(invitation=item, answers=all_answers(value=2), comment="Très personnel")
    services.add_person_to_mirror(person=camille, consent_on=timezone.localdate(), by=actor(conseiller))
    sections = {key: data for _, key, data in person_export(camille)}
    (row,) = sections["questionnaires"]
    assert row["etape"] == "Après le diagnostic" and row["repondu_le"] == timezone.localdate().strftime("%d/%m/%Y")
    assert "Très personnel" not in str(sections) and "score" not in str(sections)
    assert sections["groupe_miroir"][0]["retrait_le"] == ""


def test_lists_run_a_bounded_number_of_queries(
    client_as, coordinator, conseiller, camille, nord, django_assert_max_num_queries
):
    from tests.people.factories import PersonFactory, seat

    def grow(count):
        for index in range(count):
            person = PersonFactory(territory=nord, birth_name=f"Liste{index}{MirrorMember.objects.count()}")
            seat(person, conseiller)
            item, _ = invitation(person)
            services.answer_questionnaire(invitation=item, answers=all_answers(), comment="Un avis.")
            member = services.add_person_to_mirror(person=person, consent_on=timezone.localdate(), by=actor(conseiller))
            services.record_attendance(
                session=session, members=[*session.attendees.all(), member], by=actor(coordinator)
            )

    session = services.create_session(
        territory=nord, held_on=timezone.localdate(), topic="Accueil", place="Lille", by=actor(coordinator)
    )
    client = client_as(coordinator)
    urls = [
        reverse("questionnaires:comments"),
        reverse("questionnaires:mirror"),
        reverse("questionnaires:session", args=[session.public_id]),
    ]
    grow(2)
    counts = []
    for url in urls:
        with django_assert_max_num_queries(20) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    grow(4)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            client.get(url)
    with django_assert_max_num_queries(25):
        client_as(conseiller).get(reverse("questionnaires:person", args=[camille.public_id]))
