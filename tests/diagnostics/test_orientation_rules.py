"""The national orientation criteria, one case per combination that matters, and the boundaries."""

import datetime
import itertools

import pytest

from spie.diagnostics import orientation_rules as rules
from spie.diagnostics.enums import ProposedPathway
from spie.pathways.enums import PathwayType

PRO, SOCIO, SOCIAL = "professionnel", "socio_professionnel", "social"

# (freins, projection, activité récente, qualifié) -> (orientation, règle)
EXPECTED = {
    # Strong barriers: social when one cannot project oneself yet, socio-professional otherwise.
    ("fort", "pas_pret", True, True): (SOCIAL, "R1"),
    ("fort", "pas_pret", False, False): (SOCIAL, "R1"),
    ("fort", "pret", True, True): (SOCIO, "R2"),
    ("fort", "pret_accompagne", False, False): (SOCIO, "R2"),
    # Medium barriers: professional only when ready now with a recent activity.
    ("moyen", "pret", True, False): (PRO, "R3"),
    ("moyen", "pret", True, True): (PRO, "R3"),
    ("moyen", "pret", False, True): (SOCIO, "R4"),
    ("moyen", "pret_accompagne", True, True): (SOCIO, "R4"),
    ("moyen", "pas_pret", True, True): (SOCIO, "R4"),
    ("moyen", "pas_pret", False, False): (SOCIO, "R4"),
    # No barrier.
    ("sans_impact", "pas_pret", True, True): (SOCIO, "R5"),
    ("sans_impact", "pret", True, False): (PRO, "R6"),
    ("sans_impact", "pret_accompagne", True, False): (PRO, "R6"),
    ("sans_impact", "pret", False, True): (PRO, "R7"),
    ("sans_impact", "pret", False, False): (SOCIO, "R8"),
    ("sans_impact", "pret_accompagne", False, True): (SOCIO, "R9"),
    ("sans_impact", "pret_accompagne", False, False): (SOCIO, "R9"),
}


def _criteria(barriers, readiness, recent, qualified):
    return rules.Criteria(
        recent_activity=recent,
        readiness=readiness,
        qualified=qualified,
        barriers=barriers,
        training_level="NV4" if qualified else "C3A",
        active_now=recent,
    )


@pytest.mark.parametrize(("combination", "expected"), EXPECTED.items(), ids=lambda value: str(value))
def test_each_combination_gives_its_pathway_and_rule(combination, expected):
    proposal = rules.propose(_criteria(*combination))
    assert (proposal.pathway, proposal.rule) == expected


def test_every_combination_is_covered_by_a_rule_not_the_fallback():
    for combination in itertools.product(
        ["fort", "moyen", "sans_impact"], ["pret", "pret_accompagne", "pas_pret"], [True, False], [True, False]
    ):
        assert rules.propose(_criteria(*combination)).rule != "R0", combination


def test_missing_readiness_falls_back_to_the_officers_review():
    proposal = rules.propose(_criteria("sans_impact", "", True, True))
    assert proposal.rule == "R0" and proposal.pathway == SOCIO


TODAY = datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("work_situation", "last_job", "recent"),
    [
        ("emploi", None, True),
        ("formation", None, True),
        ("contrats_courts", datetime.date(2010, 1, 1), True),
        ("recherche", None, False),
        ("recherche", datetime.date(2024, 11, 30), True),  # exactly two years ago
        ("recherche", datetime.date(2024, 11, 29), False),  # two years and one day
        ("recherche", datetime.date(2026, 11, 30), True),  # ended today
        ("sans_activite", datetime.date(2025, 6, 1), True),
    ],
)
def test_recent_activity_boundaries(work_situation, last_job, recent):
    assert rules.had_recent_activity(work_situation, last_job, today=TODAY) is recent


def test_two_years_before_29_february():
    assert rules.had_recent_activity("recherche", datetime.date(2026, 2, 28), today=datetime.date(2028, 2, 29))
    assert not rules.had_recent_activity("recherche", datetime.date(2026, 2, 27), today=datetime.date(2028, 2, 29))


@pytest.mark.parametrize(
    ("level", "qualified"),
    [("AFS", False), ("CP4", False), ("CFG", False), ("C3A", False), ("C12", False), ("NV5", True), ("NV1", True)],
)
def test_qualification_starts_at_nv5(level, qualified):
    assert (level in rules.QUALIFIED_LEVELS) is qualified


@pytest.mark.parametrize(
    ("levels", "strongest"),
    [
        ([], "sans_impact"),
        (["sans_impact"], "sans_impact"),
        (["moyen", "sans_impact"], "moyen"),
        (["moyen", "fort"], "fort"),
    ],
)
def test_the_strongest_barrier_wins(levels, strongest):
    assert rules.strongest_barrier(levels) == strongest


def test_reasons_list_each_criterion_without_naming_themes():
    criteria = rules.Criteria(
        recent_activity=False,
        readiness="pret",
        qualified=False,
        barriers="fort",
        strong_count=2,
        medium_count=1,
        training_level="C3A",
        last_job_ended_on=datetime.date(2020, 3, 1),
    )
    reasons = rules.propose(criteria).reasons
    assert reasons[0] == "Activité au cours des deux dernières années : non, dernier emploi terminé le 01/03/2020."
    assert reasons[1] == "Projection dans l'emploi : Prêt·e à reprendre un emploi maintenant."
    assert "C3A" in reasons[2] and "sans qualification reconnue" in reasons[2]
    assert reasons[3] == "Freins périphériques : 2 freins forts, 1 frein moyen."
    assert "Santé" not in " ".join(reasons)


def test_proposed_pathway_matches_the_pathway_types():
    assert ProposedPathway.choices == PathwayType.choices
