"""The demo seeder builds realistic histories in which every alert type occurs, set-based; the
`open_pathways` command opens the missing pathways."""

import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.diagnostics.demo import seed_people
from spie.pathways import alerts
from spie.pathways.demo import seed_decisions, seed_pathways
from spie.pathways.enums import AlertType
from spie.pathways.models import Appointment, EmploymentFollowUp, EngagementContract, Pathway, StatusReview
from spie.people.demo import seed_territory
from spie.people.models import Person


@pytest.mark.usefixtures("pathway_referential", "rome_jobs", "orientation_officer")
def test_every_alert_type_occurs_in_the_demo(nord, conseiller, other_structure, django_assert_max_num_queries):
    rng = random.Random(11)
    seed_territory(nord, 400, rng)
    seed_people(list(Person.objects.filter(territory=nord)), rng)
    seed_decisions([nord.pk], rng)
    totals = seed_pathways([nord.pk], rng)
    assert totals["pathways"] == Person.objects.filter(territory=nord).count() == Pathway.objects.count()
    counts = alerts.counts(Pathway.objects.filter(territory=nord).exclude(stage="clos"), timezone.localdate())
    # Overdue case-review actions come from the case reviews' demo (tested there).
    missing = [t.label for t in AlertType if not counts[t.value] and t != AlertType.CASE_ACTION_OVERDUE]
    assert missing == []
    assert Appointment.objects.filter(status="absent").exists() and Appointment.objects.filter(status="honore").exists()
    assert EngagementContract.objects.filter(status="signe").exists() and StatusReview.objects.exists()
    assert EmploymentFollowUp.objects.exists()
    assert set(Pathway.objects.values_list("stage", flat=True)) >= {
        "entree",
        "oriente",
        "contrat_signe",
        "accompagnement",
        "emploi",
    }
    assert AuditEvent.objects.filter(action="pathways.pathway.oriented").exists()
    contract = EngagementContract.objects.filter(status="signe", exemption_reason="").first()
    assert contract.weekly_hours >= 15


def test_open_pathways_command(camille, capsys):
    call_command("open_pathways")
    assert "Simulation : 1 parcours ouvert(s)" in capsys.readouterr().out
    assert not Pathway.objects.exists()
    call_command("open_pathways", "--wet-run")
    assert Pathway.objects.get().stage == "entree"
    call_command("open_pathways", "--wet-run")
    assert Pathway.objects.count() == 1
