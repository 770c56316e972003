import random

import pytest

from spie.diagnostics.demo import seed_people
from spie.diagnostics.enums import DiagnosticStatus
from spie.diagnostics.models import Diagnostic, DiagnosticSituation
from spie.pathways.demo import seed_decisions
from spie.pathways.models import OrientationDecision
from spie.people.demo import seed_territory
from spie.people.models import Person


@pytest.mark.usefixtures("pathway_referential", "rome_jobs", "orientation_officer")
def test_demo_builds_diagnostics_decisions_and_a_queue(nord, conseiller, other_structure):
    rng = random.Random(7)
    seed_territory(nord, 120, rng)
    people = list(Person.objects.filter(territory=nord))
    created = seed_people(people, rng)
    assert 80 <= created <= 115
    validated = Diagnostic.objects.filter(status=DiagnosticStatus.VALIDATED)
    assert validated.count() > 70
    assert set(validated.values_list("proposed_pathway", flat=True)) == {
        "professionnel",
        "socio_professionnel",
        "social",
    }
    assert DiagnosticSituation.objects.filter(level="fort").exists()
    assert all(diagnostic.authors.exists() for diagnostic in Diagnostic.objects.all()[:20])

    decisions, _requests = seed_decisions([nord.pk], rng)
    assert decisions == OrientationDecision.objects.count() > 0
    assert Person.objects.filter(oriented_at__isnull=False).count() == decisions
    assert Person.objects.filter(oriented_at__isnull=True).exists()  # the queue is not empty
    decision = OrientationDecision.objects.select_related("person").first()
    assert decision.notified_on >= decision.person.entry_date
