"""Contact requests to companies: monthly cap, secure answer link, response rate within 15 days."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from spie.companies import services
from spie.companies.enums import ContactStatus
from spie.companies.links import find_link
from spie.companies.models import ContactRequest
from spie.companies.selectors import response_rate
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from tests.companies.conftest import actor

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _send(ehpad, tutor, user, **extra):
    return services.send_contact_request(
        company=ehpad,
        contact=tutor,
        purpose="immersion",
        message="Pourriez-vous accueillir une personne ?",
        by=actor(user),
        **extra,
    )


def test_a_request_is_mailed_with_a_single_use_link_and_accepted(
    ehpad, tutor, conseiller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, raw = _send(ehpad, tutor, conseiller)
    assert mail.outbox[-1].to == ["sophie.lambert@ehpad.fr"] and raw in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.accept_contact_request(
            link=find_link(raw), responder_name="Sophie Lambert", answer="Oui, appelez-moi."
        )
    assert answered.status == ContactStatus.ACCEPTED and answered.answered_in_window is True
    assert mail.outbox[-1].to == [conseiller.email]
    with pytest.raises(DomainError, match="déjà été utilisé"):
        services.refuse_contact_request(link=find_link(raw), responder_name="Quelqu'un")
    assert AuditEvent.objects.filter(action="companies.contact_request.accepted", target_id=request.public_id).exists()


def test_the_monthly_cap_of_the_company_is_respected_across_structures(ehpad, tutor, conseiller, other_structure):
    ehpad.monthly_contact_cap = 2
    ehpad.save()
    _send(ehpad, tutor, conseiller)
    _send(ehpad, tutor, other_structure)
    with pytest.raises(DomainError, match="plafond mensuel"):
        _send(ehpad, tutor, conseiller)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        _send(ehpad, tutor, conseiller)
    assert ContactRequest.objects.count() == 3


def test_the_default_cap_applies_when_the_company_has_none(ehpad, tutor, conseiller):
    from spie.companies.policies import COMPANY_CONTACT_MONTHLY_CAP_DEFAULT

    for _ in range(COMPANY_CONTACT_MONTHLY_CAP_DEFAULT):
        _send(ehpad, tutor, conseiller)
    with pytest.raises(DomainError, match="plafond"):
        _send(ehpad, tutor, conseiller)


def test_a_person_can_be_named_only_with_consent_and_by_their_team(ehpad, tutor, conseiller, colleague, camille):
    with pytest.raises(DomainError, match="Vous ne suivez pas"):
        _send(ehpad, tutor, colleague, person=camille)
    camille.consent_given = False
    camille.save()
    with pytest.raises(DomainError, match="consenti"):
        _send(ehpad, tutor, conseiller, person=camille)
    camille.consent_given = True
    camille.save()
    request, _ = _send(ehpad, tutor, conseiller, person=camille)
    assert AuditEvent.objects.get(action="companies.contact_request.sent").subject_id == camille.public_id


def test_response_rate_within_15_days_and_expiry_of_unanswered_requests(ehpad, tutor, conseiller):
    _, quick = _send(ehpad, tutor, conseiller)
    _, late = _send(ehpad, tutor, conseiller)
    _send(ehpad, tutor, conseiller)  # never answered
    services.accept_contact_request(link=find_link(quick), responder_name="S. Lambert")
    assert response_rate(ehpad).percent == 100  # only answered requests are counted before the window closes

    with time_machine.travel(NOW + datetime.timedelta(days=14, hours=23), tick=False):
        services.refuse_contact_request(link=find_link(late), responder_name="S. Lambert", answer="Pas ce mois-ci")
    with time_machine.travel(NOW + datetime.timedelta(days=16), tick=False):
        call_command("expire_contact_requests", "--wet-run")
        rate = response_rate(ehpad)
        assert (rate.answered_in_window, rate.considered, rate.percent) == (2, 3, 67)
    assert ContactRequest.objects.filter(status=ContactStatus.EXPIRED).count() == 1
    assert AuditEvent.objects.filter(action="companies.contact_request.expired").count() == 1


def test_the_expiry_command_is_a_dry_run_by_default(ehpad, tutor, conseiller, capsys):
    _send(ehpad, tutor, conseiller)
    with time_machine.travel(NOW + datetime.timedelta(days=16), tick=False):
        call_command("expire_contact_requests")
    assert "Simulation" in capsys.readouterr().out
    assert ContactRequest.objects.get().status == ContactStatus.PENDING
