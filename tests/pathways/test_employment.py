"""Follow-up in employment: the durable classification (official rule), the checkpoints at M+1,
M+3 and M+6, the end of the follow-up and the closing of the pathway."""

import datetime

import pytest
import time_machine

from spie.core.errors import DomainError
from spie.pathways import services
from spie.pathways.enums import ClosingReason, EmploymentContractType, FollowUpStatus, Stage
from tests.diagnostics.helpers import actor

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rome_jobs")]
SIRET = "73282932000074"


@pytest.mark.parametrize(
    ("contract_type", "durable"),
    [
        ("cdi", True),
        ("cdd_6_mois_plus", True),
        ("cdd_moins_6_mois", False),
        ("interim_6_mois_plus", True),
        ("interim_moins_6_mois", False),
        ("creation_entreprise", True),
        ("iae", False),
        ("apprentissage", False),
        ("autre", False),
    ],
)
def test_durable_employment_follows_the_official_rule(contract_type, durable):
    assert services.is_durable(contract_type) is durable
    assert set(EmploymentContractType.values) >= {contract_type}


def test_contract_kinds_of_the_companies_module_are_mapped():
    assert services.employment_contract_type("cdd", 6) == "cdd_6_mois_plus"
    assert services.employment_contract_type("cdd", 3) == "cdd_moins_6_mois"
    assert services.employment_contract_type("interim") == "interim_moins_6_mois"
    assert services.employment_contract_type("pec") == "autre"


def _record(person, user, **changes):
    data = {
        "employer_name": "Boulangerie Martin",
        "employer_siret": SIRET,
        "rome_job": "K1302",
        "contract_type": "cdi",
        "working_time": "temps_partiel",
        "weekly_hours": 24,
        "start_date": datetime.date(2026, 6, 1),
        **changes,
    }
    return services.record_return_to_work(person=person, by=actor(user), **data)


@time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC), tick=False)
def test_a_return_to_work_opens_three_checkpoints_and_moves_the_pathway(camille, conseiller):
    follow_up = _record(camille, conseiller)
    assert follow_up.is_durable
    assert [(c.months, c.due_on) for c in follow_up.checkpoints.all()] == [
        (1, datetime.date(2026, 7, 1)),
        (3, datetime.date(2026, 9, 1)),
        (6, datetime.date(2026, 12, 1)),
    ]
    pathway = services.open_pathway_of(camille)
    assert pathway.stage == Stage.EMPLOYMENT and pathway.next_checkpoint_on == datetime.date(2026, 7, 1)
    assert pathway.checkpoint_due_on == datetime.date(2026, 7, 16)


def test_bad_input_is_refused_naming_the_field(camille, conseiller):
    for changes, field in (
        ({"employer_siret": "12345678901234"}, "employer_siret"),
        ({"employer_name": " "}, "employer_name"),
        ({"rome_job": "Z9999"}, "rome_job"),
        ({"contract_type": "cdi_temps_partiel"}, "contract_type"),
        ({"working_time": "mi_temps"}, "working_time"),
    ):
        with pytest.raises(DomainError) as error:
            _record(camille, conseiller, **changes)
        assert error.value.field == field


def test_the_same_source_gives_the_same_follow_up(camille, conseiller):
    import uuid

    source_id = uuid.uuid4()
    first = _record(camille, conseiller, source="immersion", source_id=source_id)
    assert _record(camille, conseiller, source="immersion", source_id=source_id) == first


def test_the_last_checkpoint_ends_the_follow_up_and_closes_the_pathway(camille, conseiller):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC), tick=False):
        follow_up = _record(camille, conseiller, contract_type="cdd_moins_6_mois")
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=6), contact="joint", still_in_job=True, by=actor(conseiller)
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ENDED and follow_up.still_in_job_at_end is True
    assert set(follow_up.checkpoints.values_list("recorded_on", flat=True)) == {datetime.date(2026, 12, 2)}
    pathway = follow_up.pathway
    pathway.refresh_from_db()
    assert pathway.stage == Stage.CLOSED and pathway.closing_reason == ClosingReason.NON_DURABLE_JOB


def test_a_job_lost_brings_the_pathway_back_to_accompaniment(camille, conseiller):
    with time_machine.travel(datetime.datetime(2026, 6, 3, 10, tzinfo=datetime.UTC), tick=False):
        follow_up = _record(camille, conseiller)
    with time_machine.travel(datetime.datetime(2026, 7, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=1), contact="joint", still_in_job=False, by=actor(conseiller)
        )
    pathway = services.open_pathway_of(camille)
    assert pathway.stage == Stage.ACCOMPANIMENT and pathway.next_checkpoint_on is None
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ENDED


def test_a_checkpoint_needs_to_know_if_the_person_is_still_in_the_job(camille, conseiller):
    follow_up = _record(camille, conseiller)
    with pytest.raises(DomainError) as error:
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=1), contact="joint", still_in_job=None, by=actor(conseiller)
        )
    assert error.value.field == "still_in_job"
    services.record_checkpoint(
        checkpoint=follow_up.checkpoints.get(months=1), contact="non_joint", still_in_job=None, by=actor(conseiller)
    )
    with pytest.raises(DomainError, match="déjà enregistré"):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=1), contact="joint", still_in_job=True, by=actor(conseiller)
        )


def _at(year, month, day):
    return time_machine.travel(datetime.datetime(year, month, day, 10, tzinfo=datetime.UTC), tick=False)


def _exit_to_employment(camille, conseiller):
    """A CDI from 01/06/2026 (M+1 due 01/07, M+3 01/09, M+6 01/12, window closing 16/12 with the
    national 15 days' tolerance); the M+1 checkpoint is done and the pathway closed for the job."""
    with _at(2026, 6, 3):
        follow_up = _record(camille, conseiller)
    with _at(2026, 7, 2):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=1), contact="joint", still_in_job=True, by=actor(conseiller)
        )
    with _at(2026, 7, 15):
        pathway = services.close_pathway(
            pathway=follow_up.pathway, closing_reason=ClosingReason.DURABLE_JOB, by=actor(conseiller)
        )
    follow_up.refresh_from_db()
    return follow_up, pathway


def test_an_exit_to_employment_keeps_the_follow_up_going(camille, conseiller):
    follow_up, pathway = _exit_to_employment(camille, conseiller)
    assert pathway.stage == Stage.CLOSED and follow_up.status == FollowUpStatus.ACTIVE and follow_up.ended_on is None
    assert services.checkpoints_open_until(follow_up) == datetime.date(2026, 12, 16)


def test_the_m3_and_m6_checkpoints_stay_recordable_after_the_exit(camille, conseiller):
    follow_up, pathway = _exit_to_employment(camille, conseiller)
    with _at(2026, 9, 2):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=3), contact="joint", still_in_job=True, by=actor(conseiller)
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ACTIVE
    with _at(2026, 12, 16):  # the last day of the M+6 window
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=6), contact="joint", still_in_job=True, by=actor(conseiller)
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ENDED and follow_up.still_in_job_at_end is True
    assert follow_up.ended_on == datetime.date(2026, 12, 16)
    pathway.refresh_from_db()  # the closed pathway is left as it was
    assert pathway.stage == Stage.CLOSED and pathway.closed_on == datetime.date(2026, 7, 15)
    assert pathway.closing_reason == ClosingReason.DURABLE_JOB


def test_once_the_m6_window_closed_a_checkpoint_is_refused_with_a_clear_message(camille, conseiller):
    follow_up, _ = _exit_to_employment(camille, conseiller)
    with _at(2026, 12, 17), pytest.raises(DomainError) as error:
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=6), contact="joint", still_in_job=True, by=actor(conseiller)
        )
    assert "s'est terminé le 16/12/2026" in error.value.message
    assert follow_up.checkpoints.get(months=6).recorded_on is None


def test_a_job_lost_after_the_exit_ends_the_follow_up_and_leaves_the_pathway_closed(camille, conseiller):
    follow_up, _ = _exit_to_employment(camille, conseiller)
    with _at(2026, 9, 3):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=3), contact="joint", still_in_job=False, by=actor(conseiller)
        )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ENDED and follow_up.still_in_job_at_end is False
    assert services.open_pathway_of(camille) is None
    with _at(2026, 11, 3), pytest.raises(DomainError, match="Ce suivi dans l'emploi est terminé"):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=6), contact="joint", still_in_job=True, by=actor(conseiller)
        )


def test_closing_for_another_reason_ends_the_follow_up(camille, conseiller):
    with _at(2026, 6, 3):
        follow_up = _record(camille, conseiller)
    with _at(2026, 7, 20):
        services.close_pathway(pathway=follow_up.pathway, closing_reason=ClosingReason.MOVED_AWAY, by=actor(conseiller))
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ENDED and follow_up.ended_on == datetime.date(2026, 7, 20)
    with _at(2026, 9, 2), pytest.raises(DomainError, match="Ce suivi dans l'emploi est terminé"):
        services.record_checkpoint(
            checkpoint=follow_up.checkpoints.get(months=3), contact="joint", still_in_job=True, by=actor(conseiller)
        )


def test_the_pathway_page_offers_the_checkpoints_after_the_exit_until_the_window_closes(camille, conseiller, client_as):
    from django.urls import reverse

    follow_up, _ = _exit_to_employment(camille, conseiller)
    m6 = follow_up.checkpoints.get(months=6)
    link = reverse("pathways:checkpoint", args=[camille.public_id, m6.public_id])
    with _at(2026, 12, 16):
        client = client_as(conseiller)
        page = client.get(reverse("pathways:pathway", args=[camille.public_id])).content.decode()
        assert link in page and "au plus tard le 16/12/2026" in page
    with _at(2026, 12, 17):
        client = client_as(conseiller)
        page = client.get(reverse("pathways:pathway", args=[camille.public_id])).content.decode()
        assert link not in page
        response = client.post(link, {"contact": "joint", "still_in_job": "oui"})
        assert response.status_code == 200
        assert "s&#x27;est terminé le 16/12/2026" in response.content.decode()
