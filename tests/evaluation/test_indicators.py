"""Every indicator on the hand-built history of conftest.py (clock frozen on 28/11/2026; default
period 01/11/2025 – 28/11/2026). The expected figures are worked out by hand in the comments."""

import datetime
from decimal import Decimal

import pytest

from spie.evaluation import catalogue, compute
from spie.evaluation.compute import Filters, Measure
from spie.evaluation.forms import default_period
from spie.pathways.models import StatusReview
from spie.people.models import Person
from spie.people.purge import anonymise
from spie.territories.models import TerritorySettings
from tests.evaluation.conftest import TODAY, frozen
from tests.people.factories import PersonFactory, seat

D = datetime.date
START, END = default_period(TODAY)


def m(value, numerator=None, denominator=None):
    return Measure(None if value is None else Decimal(value), numerator, denominator)


# Nord. Orientation (entries up to 30/09/2026, the last cohort whose 30 days have elapsed, from
# 01/11/2025): P1 20 days, P2 50, P3 not oriented, P5 10, P6 5; P4 (October) is not mature, P7
# entered before the period. Median of 5, 10, 20, 50 = 15; within 30 days: 3 of 5.
# First seen appointment after the orientation (oriented up to 30/09): P1 11 days (the seen
# appointment before the orientation does not count), P2 47, P5 9, P6 44 (after a no-show): median
# 27.5; within 30 days 2 of 4. Contract within a month: P1 and P6 yes, P2 none, P5 late: 2 of 4.
# Active pathways P1, P2, P4: reviewed in the period P1 only (P2's review is older); seen since
# 29/09 (60 days): P1, P2. Open P1–P4, stalled P2 and P3. Closed in the period P5 (durable job),
# P6 (lost contact), P7 (non-durable job). Appointments with a final status: 9, of which 2 no-shows.
# Returns to work: P5 (M+3 says still in the job, covering M+1; M+6 not due), P7 (job lost at M+1),
# P4 (M+1 due 20/11, within 15 days' tolerance): M+1 1/2, M+3 1/2, M+6 0/1.
NORD = {
    "delai_orientation": m("15.0", None, 4),
    "orientation_dans_le_delai": m("60.0", 3, 5),
    "delai_premier_accompagnement": m("27.5", None, 4),
    "premier_accompagnement_30j": m("50.0", 2, 4),
    "contrat_dans_le_mois": m("50.0", 2, 4),
    "suivi_point_de_situation": m("33.3", 1, 3),
    "suivi_rendez_vous_60j": m("66.7", 2, 3),
    "parcours_bloques": m("50.0", 2, 4),
    "taux_absence": m("22.2", 2, 9),
    "clotures_perte_contact": m("33.3", 1, 3),
    "sorties_emploi": m("66.7", 2, 3),
    "sorties_emploi_durable": m("50.0", 1, 2),
    "emploi_m1": m("50.0", 1, 2),
    "emploi_m3": m("50.0", 1, 2),
    "emploi_m6": m("0.0", 0, 1),
    # Immersions validated: 2 completed + 1 cancelled; 1 hire of 2 completed; 1 of the 3 counted
    # (completed ×2, submitted) in a shortage occupation (the draft starts after the period).
    "immersions_realisees": m("66.7", 2, 3),
    "immersions_embauche": m("50.0", 1, 2),
    "immersions_metiers_tension": m("33.3", 1, 3),
    # Two entries in training (the mere positioning does not count), one on a shortage occupation.
    "formations_metiers_tension": m("50.0", 1, 2),
    # Returns to work P5 and P4 as care assistants (shortage since 01/01/2026), P7 in a kitchen.
    "embauches_metiers_tension": m("66.7", 2, 3),
    # Requests sent up to 31/10 (15 days elapsed): 3, one answered in the window; November's waits.
    "reponse_entreprises_15j": m("33.3", 1, 3),
    # Referrals sent up to 30/09 (30 days): 3, answered 2 (the expired one is not); answered in the
    # period 3, accepted 2; response delays 24, 48, 120 hours: median 48 h = 2 days.
    "orientations_service_repondues": m("66.7", 2, 3),
    "orientations_service_acceptees": m("66.7", 2, 3),
    "orientations_service_delai": m("2.0", None, 3),
    "offres_a_jour": m("50.0", 1, 2),
    # Case reviews: examined after 36 and 14 days (median 25); actions due 3, done in time 1.
    "equipes_delai_examen": m("25.0", None, 2),
    "equipes_actions_dans_les_delais": m("33.3", 1, 3),
    # Questionnaires after the diagnostic: 2 answered of 3 settled (the one sent on 20/11 is still
    # open), notes 4 and 3.5; at the exit 1 of 1, note 5; none for the two other steps.
    "questionnaire_apres_diagnostic_reponse": m("66.7", 2, 3),
    "questionnaire_apres_diagnostic_note": m("3.8", None, 2),
    "questionnaire_apres_contrat_reponse": m(None, 0, 0),
    "questionnaire_apres_contrat_note": m(None, None, 0),
    "questionnaire_sortie_reponse": m("100.0", 1, 1),
    "questionnaire_sortie_note": m("5.0", None, 1),
    "questionnaire_emploi_m6_reponse": m(None, 0, 0),
    "questionnaire_emploi_m6_note": m(None, None, 0),
    # Joint events held in the period: 2; 3 registered, 2 present (the waiting list does not count).
    "temps_communs": m("2"),
    "temps_communs_participation": m("66.7", 2, 3),
    # conseiller, gestionnaire, other_structure, coordinator; referents conseiller (P1, P3, P4) and
    # other_structure (P2): 4 people for 2 referents of 2 structures; budget 500 000 + 250 000.
    "professionnels": m("4"),
    "referents": m("2"),
    "file_active_par_referent": m("2.0", 4, 2),
    "structures_actives": m("2"),
    "budget_alloue": m("750000"),
}


def nord_filters(nord, **extra):
    return Filters(today=TODAY, territory_ids=(nord.pk,), period_start=START, period_end=END, **extra)


def test_every_indicator_of_the_catalogue_on_the_hand_built_history(history, nord):
    values = compute.values_for(compute.compute(nord_filters(nord)), compute.TOTAL)
    assert set(NORD) == {indicator.code for indicator in catalogue.INDICATORS}
    assert values == NORD


def test_national_values_and_territories_and_cohorts_side_by_side(history, nord, ardennes):
    filters = Filters(today=TODAY, period_start=START, period_end=END)
    national = compute.values_for(compute.compute(filters), compute.TOTAL)
    # Ardennes adds one pathway oriented in 10 days: 5, 10, 10, 20, 50.
    assert national["delai_orientation"] == m("10.0", None, 5)
    assert national["orientation_dans_le_delai"] == m("66.7", 4, 6)
    assert national["budget_alloue"] == m("1050000")
    by_territory = compute.compute(filters, group="territory")
    assert compute.values_for(by_territory, nord.pk) == NORD
    ardennes_values = compute.values_for(by_territory, ardennes.pk)
    assert ardennes_values["delai_orientation"] == m("10.0", None, 1)
    assert ardennes_values["contrat_dans_le_mois"] == m("0.0", 0, 1)
    assert ardennes_values["sorties_emploi"] == m(None, 0, 0)
    by_cohort = compute.compute(filters, group="cohort")
    assert compute.values_for(by_cohort, ardennes.cohort_id)["delai_orientation"] == m("10.0", None, 1)
    assert compute.values_for(by_cohort, nord.cohort_id)["delai_orientation"] == m("15.0", None, 4)


@pytest.mark.parametrize("own_delays", [False, True])
def test_the_national_comparison_sums_territories_into_the_same_values(history, nord, ardennes, conseiller, own_delays):
    if own_delays:
        TerritorySettings.objects.create(territory=nord, orientation_target_days=60, contract_due_months=2)
    # Nord's counsellor is also the referent of someone in Ardennes: one referent, in two territories.
    seat(PersonFactory(territory=ardennes), conseiller, is_referent=True)
    filters = Filters(today=TODAY, period_start=START, period_end=END)
    levels = compute.compare(filters)
    assert levels["territory"] == compute.compute(filters, group="territory")
    assert levels["cohort"] == compute.compute(filters, group="cohort")
    assert levels["total"] == compute.compute(filters)
    # Nord's four orientation delays and Ardennes' one merge into the national median of five.
    assert levels["total"]["total"]["delai_orientation"] == m("10.0", None, 5)
    by_territory = levels["territory"]
    referents = by_territory[nord.pk]["referents"].value + by_territory[ardennes.pk]["referents"].value
    assert levels["total"]["total"]["referents"].value == referents - 1


def test_a_territorys_page_sums_its_months_of_entry_into_the_same_values(history, nord):
    filters = nord_filters(nord)
    levels = compute.compute_with_months(filters)
    assert levels["total"] == compute.compute(filters)
    assert levels["entry_month"] == compute.compute(filters, group="entry_month")
    assert compute.values_for(levels["total"], "total") == NORD


def test_an_anonymised_person_is_no_longer_counted_as_followed(history, nord, conseiller):
    followed = seat(PersonFactory(territory=nord), conseiller, is_referent=True).person
    assert compute.values_for(compute.compute(nord_filters(nord)), "total")["file_active_par_referent"] == m(
        "2.5", 5, 2
    )
    anonymise(Person.objects.filter(pk=followed.pk))
    assert compute.values_for(compute.compute(nord_filters(nord)), "total")["file_active_par_referent"] == m(
        "2.0", 4, 2
    )


def test_a_median_of_merged_distributions_is_the_median_of_all_their_values():
    nord, ardennes = compute.Distribution({5: 1, 10: 1, 20: 1, 50: 1}), compute.Distribution({10: 1})
    assert nord.median() == 15 and ardennes.median() == 10
    merged = compute._roll_up({1: {"delays": nord}, 2: {"delays": ardennes}}, lambda _: "total")
    assert merged["total"]["delays"].median() == 10
    assert compute.Distribution({3: 2, 8: 2}).median() == 5.5
    assert compute.Distribution().median() is None


def test_a_review_within_a_past_period_counts_though_a_later_one_followed(history, nord):
    september = Filters(today=TODAY, territory_ids=(nord.pk,), period_start=D(2026, 9, 1), period_end=D(2026, 9, 30))
    # P1's last review (15/10) is after September: the reviews themselves decide.
    assert compute.values_for(compute.compute(september), "total")["suivi_point_de_situation"] == m("0.0", 0, 3)
    p1 = StatusReview.objects.get(reviewed_on=D(2026, 10, 15)).pathway
    StatusReview.objects.create(
        pathway=p1, person=p1.person, territory=nord, reviewed_on=D(2026, 9, 20), outcome="sans_changement"
    )
    assert compute.values_for(compute.compute(september), "total")["suivi_point_de_situation"] == m("33.3", 1, 3)


def test_filters_by_structure_pathway_type_and_month_of_entry(history, nord, ft_lille):
    by_structure = compute.values_for(compute.compute(nord_filters(nord, organisation_id=ft_lille.pk)), "total")
    # France Travail Lille refers P1 (20 days) and P5 (10 days).
    assert by_structure["delai_orientation"] == m("15.0", None, 2)
    assert by_structure["orientation_dans_le_delai"] == m("100.0", 2, 2)
    assert by_structure["referents"] == m("1")
    assert by_structure["professionnels"] == m("2")  # conseiller and gestionnaire
    social = compute.values_for(compute.compute(nord_filters(nord, pathway_type="social")), "total")
    assert social["delai_orientation"] == m("50.0", None, 1)
    assert social["taux_absence"] == m("50.0", 1, 2)
    august = compute.values_for(compute.compute(nord_filters(nord, entry_month=D(2026, 8, 1))), "total")
    assert august["delai_orientation"] == m("35.0", None, 2)
    assert august["orientation_dans_le_delai"] == m("50.0", 1, 2)


def test_monthly_cohorts_of_entry(history, nord):
    by_month = compute.compute(nord_filters(nord), group="entry_month")
    assert by_month[D(2026, 8, 1)]["delai_orientation"] == m("35.0", None, 2)
    assert by_month[D(2026, 3, 1)]["delai_orientation"] == m("10.0", None, 1)
    # October's cohort is not mature on 28/11: entered 1, counted 0.
    assert by_month[D(2026, 10, 1)]["orientation_dans_le_delai"] == m(None, 0, 0)


@pytest.mark.parametrize(
    ("day", "cutoff", "expected"),
    [
        # On 29/11, October + 30 days = 30/11 has not come: October's cohort (P4, 15 days) waits.
        (D(2026, 11, 29), D(2026, 9, 30), {"median": m("15.0", None, 4), "share": m("60.0", 3, 5)}),
        # On 30/11 it is mature: 5, 10, 15, 20, 50.
        (D(2026, 11, 30), D(2026, 10, 31), {"median": m("15.0", None, 5), "share": m("66.7", 4, 6)}),
    ],
)
def test_only_mature_cohorts_count_and_the_boundary_is_the_last_day_of_the_target(history, nord, day, cutoff, expected):
    maturity = catalogue.BY_CODE["delai_orientation"].maturity
    assert maturity.mature_until(compute.default_policy(), day) == cutoff
    with frozen(day):
        filters = Filters(today=day, territory_ids=(nord.pk,), period_start=START, period_end=day)
        values = compute.values_for(compute.compute(filters), "total")
    assert values["delai_orientation"] == expected["median"]
    assert values["orientation_dans_le_delai"] == expected["share"]


def test_contract_maturity_counts_in_calendar_months():
    contract = catalogue.BY_CODE["contrat_dans_le_mois"].maturity
    policy = compute.default_policy()
    # September's last orientation (30/09) has until 30/10: mature from 30/10, not on 29/10.
    assert contract.mature_until(policy, D(2026, 10, 29)) == D(2026, 8, 31)
    assert contract.mature_until(policy, D(2026, 10, 30)) == D(2026, 9, 30)
    # January 31 + 1 month = February 28: January is mature on 28/02.
    assert contract.mature_until(policy, D(2027, 2, 28)) == D(2027, 1, 31)


def test_a_territorys_own_delays_move_its_targets_and_maturity(history, nord, ardennes):
    TerritorySettings.objects.create(territory=nord, orientation_target_days=60, contract_due_months=2)
    filters = Filters(today=TODAY, period_start=START, period_end=END)
    by_territory = compute.compute(filters, group="territory")
    nord_values = compute.values_for(by_territory, nord.pk)
    # 60 days: cohorts up to 31/08 only (P1 20, P2 50, P5 10, P6 5): all four within 60 days.
    assert nord_values["orientation_dans_le_delai"] == m("100.0", 4, 4)
    assert nord_values["delai_orientation"] == m("15.0", None, 4)
    # Two months for the contract, orientations up to 31/08 (P1, P5, P6): P5 signed on 01/05,
    # within two months of 11/03.
    assert nord_values["contrat_dans_le_mois"] == m("100.0", 3, 3)
    # Ardennes keeps the national delays.
    assert compute.values_for(by_territory, ardennes.pk)["orientation_dans_le_delai"] == m("100.0", 1, 1)


def test_an_empty_territory_is_non_calculable_without_division_by_zero(clock, ardennes):
    values = compute.values_for(
        compute.compute(Filters(today=TODAY, territory_ids=(ardennes.pk,), period_start=START, period_end=END)),
        "total",
    )
    for indicator in catalogue.INDICATORS:
        measure = values[indicator.code]
        if indicator.unit in ("nombre", "€"):
            assert measure == m("0"), indicator.code
        else:
            assert measure.value is None and not measure.calculable, indicator.code
            assert measure.denominator == 0, indicator.code


def test_the_catalogue_defines_every_indicator_with_its_dates_and_unit():
    codes = [indicator.code for indicator in catalogue.INDICATORS]
    assert len(codes) == len(set(codes))
    for indicator in catalogue.INDICATORS:
        assert indicator.label and indicator.definition and indicator.dates, indicator.code
        assert indicator.unit in ("jours", "%", "nombre", "ratio", "€", "score"), indicator.code
        assert indicator.dimensions <= set(catalogue.DIMENSIONS), indicator.code
        if indicator.unit in ("jours", "%"):
            assert indicator.denominator, indicator.code
    delays = {indicator.code for indicator in catalogue.INDICATORS if indicator.is_delay}
    assert {"delai_orientation", "contrat_dans_le_mois", "delai_premier_accompagnement"} <= delays


def test_a_checkpoint_is_due_only_when_it_could_be_recorded(clock, nord, conseiller):
    """Three CDIs from 01/04/2026 (M+1 01/05, M+3 01/07, M+6 01/10: every window closed by 28/11).
    A: exit to employment on 15/05, the follow-up goes on, M+3 and M+6 say still in the job.
    B: M+1 done, then the pathway closed on 20/05 for moving away: M+3 and M+6 could not be
    recorded, they are not due. D: exit to employment, M+1 done, M+3 and M+6 left undone while the
    follow-up was open: due and not kept. M+1 3/3, M+3 1/2, M+6 1/2."""
    from spie.pathways.enums import ClosingReason, FollowUpStatus, Stage
    from tests.evaluation.conftest import follow_up, make_pathway

    job = __import__("tests.companies.factories", fromlist=["rome_referential"]).rome_referential()["J1501"]
    closed = {"stage": Stage.CLOSED, "entered_on": D(2026, 1, 5), "pathway_type": "professionnel"}
    a = make_pathway(nord, number=1, closed_on=D(2026, 5, 15), closing_reason=ClosingReason.DURABLE_JOB, **closed)
    b = make_pathway(nord, number=2, closed_on=D(2026, 5, 20), closing_reason=ClosingReason.MOVED_AWAY, **closed)
    d = make_pathway(nord, number=3, closed_on=D(2026, 5, 15), closing_reason=ClosingReason.DURABLE_JOB, **closed)
    follow_up(a, job, D(2026, 4, 1), {3: True, 6: True})
    moved = follow_up(b, job, D(2026, 4, 1), {1: True})
    moved.status, moved.ended_on = FollowUpStatus.ENDED, D(2026, 5, 20)
    moved.save()
    follow_up(d, job, D(2026, 4, 1), {1: True})
    values = compute.values_for(compute.compute(nord_filters(nord)), "total")
    assert values["emploi_m1"] == m("100.0", 3, 3)
    assert values["emploi_m3"] == m("50.0", 1, 2)
    assert values["emploi_m6"] == m("50.0", 1, 2)
