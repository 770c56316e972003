"""The immersion agreement (PMSMP): every transition, the refusals, the signature links."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from spie.companies import services_immersions as services
from spie.companies.enums import ImmersionStatus, LinkPurpose
from spie.companies.links import find_link
from spie.companies.models import SecureLink
from spie.companies.selectors import hires_for
from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.people.models import AccessLog
from tests.companies.conftest import actor
from tests.companies.factories import ContactFactory, immersion

TODAY = datetime.date(2026, 12, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


def _data(jobs, lille, **changes):
    return {
        "objective": "confirm",
        "rome_job": jobs["J1501"],
        "activities": "Aide aux soins d'hygiène et de confort des résidents.",
        "starts_on": TODAY + datetime.timedelta(days=7),
        "ends_on": TODAY + datetime.timedelta(days=18),
        "weekly_hours": Decimal("30"),
        "schedule": "Du lundi au vendredi, 8 h – 14 h",
        "place_address": "10 rue Nationale",
        "place_commune": lille,
        **changes,
    }


def _draft(camille, ehpad, tutor, conseiller, jobs, lille, **changes):
    return services.create_immersion(
        person=camille, company=ehpad, tutor=tutor, data=_data(jobs, lille, **changes), by=actor(conseiller)
    )


def test_the_whole_workflow_signatures_validation_start_and_assessment_with_a_hire(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    assert draft.status == ImmersionStatus.DRAFT
    assert draft.prescriber_organisation.name == "France Travail Lille"

    with django_capture_on_commit_callbacks(execute=True):
        submitted, raw_person = services.submit_immersion(immersion=draft, by=actor(conseiller))
    assert submitted.status == ImmersionStatus.SUBMITTED
    assert mail.outbox[-1].to == [camille_lille.email]
    assert raw_person in mail.outbox[-1].body
    assert SecureLink.objects.get(purpose=LinkPurpose.SIGN_PERSON).token_hash != raw_person  # stored hashed

    with django_capture_on_commit_callbacks(execute=True):
        signed, raw_company = services.sign_as_person(link=find_link(raw_person))
    assert signed.status == ImmersionStatus.SIGNED_PERSON and signed.person_signed_at
    assert mail.outbox[-1].to == ["sophie.lambert@ehpad.fr"]
    assert raw_company in mail.outbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        signed = services.sign_as_company(link=find_link(raw_company), signatory_name="Sophie Lambert")
    assert signed.status == ImmersionStatus.SIGNED_COMPANY and signed.company_signatory == "Sophie Lambert"
    assert mail.outbox[-1].to == [conseiller.email]

    with django_capture_on_commit_callbacks(execute=True):
        validated = services.validate_immersion(immersion=signed, by=actor(conseiller))
    assert validated.status == ImmersionStatus.VALIDATED
    confirmation = mail.outbox[-1]
    assert set(confirmation.to) == {camille_lille.email, "sophie.lambert@ehpad.fr"}
    assert confirmation.attachments[0][0].endswith(".pdf") and confirmation.attachments[0][1].startswith(b"%PDF")

    with time_machine.travel(datetime.datetime(2026, 12, 8, 9, 0, tzinfo=datetime.UTC), tick=False):
        started = services.start_immersion(immersion=validated, by=actor(conseiller))
        assert started.status == ImmersionStatus.IN_PROGRESS
        assessment = services.assess_immersion(
            immersion=started,
            data={
                "outcome": "completed",
                "hired": True,
                "contract_type": "cdd",
                "contract_start": datetime.date(2027, 1, 4),
                "weekly_hours": Decimal("35"),
                "skills_observed": "Ponctualité, relation aux résidents.",
                "person_agrees": True,
                "person_comment": "Très bonne expérience.",
            },
            by=actor(conseiller),
        )
    started.refresh_from_db()
    assert started.status == ImmersionStatus.COMPLETED and assessment.hired

    [hire] = hires_for(camille_lille)
    assert (hire.contract_type, hire.contract_start, hire.company_name) == (
        "cdd",
        datetime.date(2027, 1, 4),
        "EHPAD Les Tilleuls",
    )
    assert hire.rome_code == "J1501" and hire.immersion_id == started.public_id

    actions = list(
        AuditEvent.objects.filter(target_id=started.public_id).order_by("id").values_list("action", flat=True)
    )
    assert actions == [
        "companies.immersion.created",
        "companies.immersion.submitted",
        "companies.immersion.signed_by_person",
        "companies.immersion.signed_by_company",
        "companies.immersion.validated",
        "companies.immersion.started",
        "companies.immersion.assessed",
        "companies.hire.recorded",
    ]
    assert AuditEvent.objects.filter(action="companies.link.used").count() == 2
    assert AuditEvent.objects.filter(subject_id=camille_lille.public_id, action="companies.hire.recorded").exists()
    assert AccessLog.objects.filter(person=camille_lille, what="Embauche à l'issue d'une immersion").exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": TODAY + datetime.timedelta(days=3)}, "ends_on", "la date de fin précède la date de début"),
        ({"starts_on": TODAY - datetime.timedelta(days=1)}, "starts_on", "ne peut pas commencer dans le passé"),
        ({"ends_on": TODAY + datetime.timedelta(days=60)}, "ends_on", "au plus 30 jours"),
        ({"weekly_hours": Decimal("35.5")}, "weekly_hours", "ne peut pas dépasser 35 heures"),
        ({"weekly_hours": Decimal("0")}, "weekly_hours", "durée hebdomadaire"),
    ],
)
def test_inconsistent_dates_and_more_than_35_hours_are_refused_naming_the_field(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, changes, field, message
):
    with pytest.raises(DomainError, match=message) as refused:
        _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille, **changes)
    assert refused.value.field == field


def test_a_signature_link_used_twice_is_refused(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with django_capture_on_commit_callbacks(execute=True):
        _, raw = services.submit_immersion(immersion=draft, by=actor(conseiller))
        services.sign_as_person(link=find_link(raw))
    with pytest.raises(DomainError, match="déjà été utilisé"):
        services.sign_as_person(link=find_link(raw))


def test_an_expired_signature_link_is_refused(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with django_capture_on_commit_callbacks(execute=True):
        _, raw = services.submit_immersion(immersion=draft, by=actor(conseiller))
    later = datetime.datetime(2026, 12, 11, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(later, tick=False), pytest.raises(DomainError, match="a expiré"):
        services.sign_as_person(link=find_link(raw))
    draft.refresh_from_db()
    assert draft.status == ImmersionStatus.SUBMITTED


def test_a_resent_link_replaces_the_previous_one(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with django_capture_on_commit_callbacks(execute=True):
        _, first = services.submit_immersion(immersion=draft, by=actor(conseiller))
        _, second = services.resend_signature_link(immersion=draft, by=actor(conseiller))
    with pytest.raises(DomainError, match="remplacé"):
        services.sign_as_person(link=find_link(first))
    signed, _ = services.sign_as_person(link=find_link(second))
    assert signed.status == ImmersionStatus.SIGNED_PERSON


def test_the_company_link_cannot_sign_for_the_person(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with django_capture_on_commit_callbacks(execute=True):
        _, raw_person = services.submit_immersion(immersion=draft, by=actor(conseiller))
        _, raw_company = services.sign_as_person(link=find_link(raw_person))
    with pytest.raises(DomainError):
        services.sign_as_person(link=find_link(raw_company))
    with pytest.raises(DomainError, match="nom de la personne qui signe"):
        services.sign_as_company(link=find_link(raw_company), signatory_name=" ")


def test_steps_out_of_order_are_refused(camille_lille, ehpad, tutor, conseiller, jobs, lille):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with pytest.raises(DomainError, match="ne peut pas passer à « validée"):
        services.validate_immersion(immersion=draft, by=actor(conseiller))
    with pytest.raises(DomainError, match="ne peut pas passer à « en cours"):
        services.start_immersion(immersion=draft, by=actor(conseiller))
    with pytest.raises(DomainError, match="ne peut pas passer à « terminée"):
        services.assess_immersion(immersion=draft, data={"outcome": "completed"}, by=actor(conseiller))


def test_an_immersion_cannot_start_before_its_first_day(camille_lille, ehpad, tutor, conseiller, prescriber):
    validated = immersion(camille_lille, ehpad, tutor, prescriber, status=ImmersionStatus.VALIDATED)
    with pytest.raises(DomainError, match="ne peut pas démarrer avant"):
        services.start_immersion(immersion=validated, by=actor(conseiller))


def test_cancelling_needs_a_reason_and_revokes_pending_links(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with django_capture_on_commit_callbacks(execute=True):
        _, raw = services.submit_immersion(immersion=draft, by=actor(conseiller))
    with pytest.raises(DomainError, match="Précisez"):
        services.cancel_immersion(immersion=draft, reason="other", details="", by=actor(conseiller))
    cancelled = services.cancel_immersion(immersion=draft, reason="person", by=actor(conseiller))
    assert cancelled.status == ImmersionStatus.CANCELLED and cancelled.cancel_reason == "person"
    assert find_link(raw).state == "revoked"
    with pytest.raises(DomainError, match="ne peut pas passer"):
        services.cancel_immersion(immersion=cancelled, reason="person", by=actor(conseiller))


def test_consent_team_and_tutor_are_checked(camille_lille, ehpad, tutor, conseiller, colleague, jobs, lille, nord):
    with pytest.raises(DomainError, match="équipe de suivi"):
        _draft(camille_lille, ehpad, tutor, colleague, jobs, lille)
    other_tutor = ContactFactory(company__territory=nord, company__commune=lille)
    with pytest.raises(DomainError, match="tuteur") as refused:
        _draft(camille_lille, ehpad, other_tutor, conseiller, jobs, lille)
    assert refused.value.field == "tutor"
    camille_lille.consent_given = False
    camille_lille.save()
    with pytest.raises(DomainError, match="consenti"):
        _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)


def test_the_monthly_capacity_of_the_company_and_overlaps_are_respected(
    camille_lille, ehpad, tutor, conseiller, prescriber, jobs, lille, nord
):
    from tests.people.factories import PersonFactory, seat

    ehpad.immersion_capacity = 1
    ehpad.save()
    other = PersonFactory(territory=nord, commune=lille, birth_name="Durand")
    seat(other, conseiller, is_referent=True)
    immersion(
        other, ehpad, tutor, prescriber, status=ImmersionStatus.VALIDATED, starts_on=TODAY + datetime.timedelta(days=5)
    )
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    with pytest.raises(DomainError, match="au plus 1 immersion"):
        services.submit_immersion(immersion=draft, by=actor(conseiller))
    ehpad.immersion_capacity = 3
    ehpad.save()
    immersion(
        camille_lille,
        ehpad,
        tutor,
        prescriber,
        status=ImmersionStatus.SIGNED_PERSON,
        starts_on=TODAY + datetime.timedelta(days=8),
    )
    with pytest.raises(DomainError, match="déjà une immersion sur ces dates"):
        services.submit_immersion(immersion=draft, by=actor(conseiller))


def test_a_hire_needs_a_contract_and_a_not_held_immersion_cannot_lead_to_one(
    camille_lille, ehpad, tutor, conseiller, prescriber
):
    running = immersion(camille_lille, ehpad, tutor, prescriber, status=ImmersionStatus.IN_PROGRESS)
    with pytest.raises(DomainError, match="type de contrat") as refused:
        services.assess_immersion(immersion=running, data={"outcome": "completed", "hired": True}, by=actor(conseiller))
    assert refused.value.field == "contract_type"
    with pytest.raises(DomainError, match="n'a pas eu lieu"):
        services.assess_immersion(
            immersion=running,
            data={"outcome": "not_held", "hired": True, "contract_type": "cdi", "contract_start": TODAY},
            by=actor(conseiller),
        )
    services.assess_immersion(immersion=running, data={"outcome": "partial", "hired": False}, by=actor(conseiller))
    assert hires_for(camille_lille) == []


def test_a_draft_can_be_edited_but_not_a_submitted_agreement(
    camille_lille, ehpad, tutor, conseiller, jobs, lille, django_capture_on_commit_callbacks
):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    updated = services.update_immersion(
        immersion=draft, data=_data(jobs, lille, weekly_hours=Decimal("20")), by=actor(conseiller)
    )
    assert updated.weekly_hours == Decimal("20")
    with pytest.raises(DomainError, match="35 heures"):
        services.update_immersion(
            immersion=draft, data=_data(jobs, lille, weekly_hours=Decimal("40")), by=actor(conseiller)
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_immersion(immersion=draft, by=actor(conseiller))
    with pytest.raises(DomainError, match="Seul un brouillon"):
        services.update_immersion(immersion=draft, data=_data(jobs, lille), by=actor(conseiller))


def test_a_person_without_email_cannot_receive_a_signature_link(camille_lille, ehpad, tutor, conseiller, jobs, lille):
    draft = _draft(camille_lille, ehpad, tutor, conseiller, jobs, lille)
    camille_lille.email = ""
    camille_lille.save()
    with pytest.raises(DomainError, match="adresse e-mail"):
        services.submit_immersion(immersion=draft, by=actor(conseiller))
