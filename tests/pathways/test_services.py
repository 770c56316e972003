import datetime

import pytest
from django.core import mail

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.pathways import services_orientation as services
from spie.pathways.enums import DecisionStatus, ReorientationStatus
from spie.pathways.models import OrientationDecision
from spie.people.models import Person
from tests.diagnostics.helpers import actor, validated


def _decide(person, referent_user, officer, **extra):
    return services.decide_orientation(
        person=person,
        pathway_type=extra.pop("pathway_type", "socio_professionnel"),
        referent=referent_user.memberships.get(),
        notified_on=extra.pop("notified_on", datetime.date(2026, 10, 1)),
        by=actor(officer),
        **extra,
    )


@pytest.mark.usefixtures("pathway_referential")
def test_decision_names_the_referent_logs_and_emails(
    django_capture_on_commit_callbacks, camille, conseiller, other_structure, orientation_officer
):
    diagnostic = validated(camille, conseiller)
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide(camille, other_structure, orientation_officer, comment="Binôme avec le Département")
    assert decision.status == DecisionStatus.IN_FORCE
    assert decision.diagnostic == diagnostic and decision.proposed_pathway == diagnostic.proposed_pathway
    assert decision.referent_organisation.name == "Département du Nord"
    camille = Person.objects.get(pk=camille.pk)
    assert camille.referent.membership.user == other_structure
    assert any(seat.membership.user == conseiller and not seat.is_referent for seat in camille.active_team)
    assert camille.oriented_at.date() == datetime.date(2026, 10, 1)
    event = AuditEvent.objects.get(action="pathways.orientation.decided")
    assert event.subject_id == camille.public_id and event.data["pathway_type"] == "socio_professionnel"
    # The new referent is told, and so is the previous one (see tests/people/test_referent_changes.py).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([other_structure.email, conseiller.email])
    appointed = next(m for m in mail.outbox if m.to == [other_structure.email])
    assert "parcours socio-professionnel" in appointed.body
    assert all(camille.birth_name not in m.body for m in mail.outbox)


def test_decision_refusals_name_the_field(camille, conseiller, orientation_officer, other_territory, coordinator):
    cases = [
        ({"pathway_type": "autre"}, conseiller, "pathway_type"),
        ({}, other_territory, "referent"),
        ({}, coordinator, "referent"),
        ({"notified_on": datetime.date(2099, 1, 1)}, conseiller, "notified_on"),
        ({"notified_on": datetime.date(2026, 8, 1)}, conseiller, "notified_on"),  # before entry on 1 September
    ]
    for extra, referent_user, field in cases:
        with pytest.raises(DomainError) as error:
            _decide(camille, referent_user, orientation_officer, **extra)
        assert error.value.field == field
    assert not OrientationDecision.objects.exists()


def test_a_second_decision_needs_a_reorientation_request(oriented, camille, conseiller, orientation_officer):
    with pytest.raises(DomainError, match="demande de réorientation"):
        _decide(camille, conseiller, orientation_officer)


def test_reorientation_accepted_replaces_the_decision(
    django_capture_on_commit_callbacks, oriented, camille, conseiller, other_structure, orientation_officer
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_reorientation(
            person=camille, reason="Santé fragile", wished_pathway_type="social", by=actor(conseiller)
        )
    assert mail.outbox[-1].to == [orientation_officer.email]
    with pytest.raises(DomainError, match="déjà en attente"):
        services.request_reorientation(person=camille, reason="Encore", by=actor(conseiller))
    with django_capture_on_commit_callbacks(execute=True):
        new = services.accept_reorientation(
            request=request,
            pathway_type="social",
            referent=other_structure.memberships.get(),
            notified_on=datetime.date(2026, 11, 2),
            by=actor(orientation_officer),
        )
    request.refresh_from_db()
    oriented.refresh_from_db()
    assert request.status == ReorientationStatus.ACCEPTED and request.new_decision == new
    assert oriented.status == DecisionStatus.REPLACED and oriented.replaced_at
    assert new.status == DecisionStatus.IN_FORCE
    assert {message.to[0] for message in mail.outbox[-2:]} == {other_structure.email, conseiller.email}
    actions = list(
        AuditEvent.objects.filter(subject_id=camille.public_id, action__startswith="pathways.").values_list(
            "action", flat=True
        )
    )
    assert actions.count("pathways.orientation.decided") == 2
    assert "pathways.reorientation.requested" in actions and "pathways.reorientation.accepted" in actions


def test_reorientation_refused_with_a_reason(oriented, camille, conseiller, orientation_officer):
    request = services.request_reorientation(person=camille, reason="Déménagement", by=actor(conseiller))
    with pytest.raises(DomainError, match="Motif du refus"):
        services.refuse_reorientation(request=request, reason=" ", by=actor(orientation_officer))
    services.refuse_reorientation(request=request, reason="Parcours à poursuivre", by=actor(orientation_officer))
    request.refresh_from_db()
    assert request.status == ReorientationStatus.REFUSED and request.decision_reason == "Parcours à poursuivre"
    with pytest.raises(DomainError, match="déjà été traitée"):
        services.refuse_reorientation(request=request, reason="Encore", by=actor(orientation_officer))
    with pytest.raises(DomainError, match="déjà été traitée"):
        services.cancel_reorientation(request=request, by=actor(conseiller))
    oriented.refresh_from_db()
    assert oriented.status == DecisionStatus.IN_FORCE


def test_reorientation_needs_a_decision_and_a_reason(camille, conseiller, oriented):
    with pytest.raises(DomainError) as error:
        services.request_reorientation(person=camille, reason="", by=actor(conseiller))
    assert error.value.field == "reason"


def test_no_reorientation_without_a_decision(camille, conseiller):
    with pytest.raises(DomainError, match="Aucune décision"):
        services.request_reorientation(person=camille, reason="Motif", by=actor(conseiller))


def test_cancel_a_pending_request(oriented, camille, conseiller):
    request = services.request_reorientation(person=camille, reason="Motif", by=actor(conseiller))
    services.cancel_reorientation(request=request, by=actor(conseiller))
    request.refresh_from_db()
    assert request.status == ReorientationStatus.CANCELLED
    assert AuditEvent.objects.filter(action="pathways.reorientation.cancelled").exists()
