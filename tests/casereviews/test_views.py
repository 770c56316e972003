"""Case reviews pages: referral from a status review and from the point de situation, the
coordinator's session through the forms, the referent's presentation, lists in bounded queries,
the person's tab and data export."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.casereviews import services
from spie.casereviews.enums import CaseSource, CaseStatus, SessionStatus
from spie.casereviews.models import CaseAction, ReviewBody, ReviewCase, ReviewSession
from spie.core.plugins import person_export
from spie.pathways.models import PlanAction, StatusReview
from tests.casereviews.helpers import QUESTION, SUMMARY, make_body, referred
from tests.diagnostics.helpers import actor

pytestmark = pytest.mark.django_db


def test_a_review_concluded_with_a_case_review_leads_to_the_referral_form(client, camille, pathway, conseiller):
    client.force_login(conseiller)
    response = client.post(
        reverse("pathways:review", args=[camille.public_id]),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "outcome": "equipe_pluridisciplinaire",
            "comment": "Freins multiples.",
        },
    )
    review = StatusReview.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("casereviews:refer", args=[camille.public_id]) + f"?point={review.public_id}"
    page = client.get(response.url)
    assert f"point de situation du {timezone.localdate():%d/%m/%Y}" in page.content.decode()
    response = client.post(
        response.url,
        {
            "body_kind": "groupe_appui",
            "question": QUESTION,
            "consent": "on",
            "consent_on": timezone.localdate().isoformat(),
            "summary": SUMMARY,
        },
    )
    case = ReviewCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("casereviews:presentation", args=[case.public_id])
    assert case.source == CaseSource.STATUS_REVIEW and case.status_review == review


def test_a_malformed_status_review_in_the_referral_link_is_left_out(client, camille, pathway, conseiller):
    client.force_login(conseiller)
    page = client.get(reverse("casereviews:refer", args=[camille.public_id]), {"point": "pas-un-identifiant"})
    assert page.status_code == 200 and "point de situation du" not in page.content.decode()


def test_the_referral_needs_the_persons_agreement(client, camille, pathway, conseiller):
    client.force_login(conseiller)
    response = client.post(
        reverse("casereviews:refer", args=[camille.public_id]),
        {"body_kind": "groupe_appui", "question": "Une question ?", "consent_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "la situation n&#x27;est présentée qu&#x27;avec son accord" in response.content.decode()
    response = client.post(
        reverse("casereviews:refer", args=[camille.public_id]),
        {
            "body_kind": "groupe_appui",
            "question": "Mme Martin ?",
            "consent": "on",
            "consent_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400 and "retirez le nom" in response.content.decode()
    assert not ReviewCase.objects.exists()


def test_the_point_de_situation_offers_to_present_the_referents_people(
    client, camille, pathway, conseiller, other_structure
):
    client.force_login(conseiller)
    content = client.get(reverse("pathways:situation")).content.decode()
    assert reverse("casereviews:refer", args=[camille.public_id]) + "?origine=situation" in content
    page = client.get(reverse("pathways:pathway", args=[camille.public_id])).content.decode()
    assert reverse("casereviews:refer", args=[camille.public_id]) in page
    client.force_login(other_structure)
    assert "Présenter en instance" not in client.get(reverse("pathways:situation")).content.decode()
    assert (
        "Présenter en instance"
        not in client.get(reverse("pathways:pathway", args=[camille.public_id])).content.decode()
    )


def test_the_referent_reviews_and_approves_the_pseudonymised_presentation(client, camille, pathway, conseiller):
    case = referred(camille, conseiller, approve=False)
    client.force_login(conseiller)
    url = reverse("casereviews:presentation", args=[case.public_id])
    page = client.get(url).content.decode()
    assert "C. M." in page and "MARTIN" not in page.split("Ce que verront ces membres")[1].split("</div>")[0]
    client.post(url, {"question": QUESTION, "summary": "Situation sans transport.", "valider": "1"})
    case.refresh_from_db()
    assert case.summary_approved and case.summary == "Situation sans transport."


def test_the_coordinator_holds_a_session_through_the_forms(
    client, camille, pathway, conseiller, coordinator, colleague, ft_lille, pathway_referential, nord
):
    client.force_login(coordinator)
    client.post(reverse("casereviews:body_create"), {"kind": "groupe_appui", "name": "Groupe d'appui de Lille"})
    body = ReviewBody.objects.get()
    response = client.post(
        reverse("casereviews:member_add", args=[body.public_id]),
        {"membership": str(colleague.memberships.get().public_id), "sees_names": "on"},
    )
    assert response.status_code == 302 and body.members.count() == 1
    starts = timezone.localtime() - datetime.timedelta(hours=1)
    client.post(
        reverse("casereviews:session_create", args=[body.public_id]),
        {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "Salle 2"},
    )
    session = ReviewSession.objects.get()
    case = referred(camille, conseiller)
    client.post(reverse("casereviews:session_schedule", args=[session.public_id]), {"case": str(case.public_id)})
    client.post(reverse("casereviews:session_publish", args=[session.public_id]))
    member = body.members.get()
    client.post(reverse("casereviews:session_attendance", args=[session.public_id]), {str(member.public_id): "present"})
    response = client.post(reverse("casereviews:session_hold", args=[session.public_id]), follow=True)
    assert "Séance tenue" in response.content.decode()
    client.post(
        reverse("casereviews:discussion", args=[case.public_id]), {"opinion": "Aide à la mobilité recommandée."}
    )
    client.post(
        reverse("casereviews:decision", args=[case.public_id]),
        {"kind": "preconisation", "detail": "Permis de conduire."},
    )
    response = client.post(
        reverse("casereviews:action", args=[case.public_id]),
        {
            "title": "Demander une aide au permis",
            "owner_organisation": str(ft_lille.public_id),
            "due_on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "objective_code": "trouver_un_emploi.o01",
            "action_code": "emploi.a01",
        },
    )
    assert response.status_code == 302
    client.post(reverse("casereviews:session_sign", args=[session.public_id]), {"minutes": "Séance constructive."})
    session.refresh_from_db()
    case.refresh_from_db()
    assert session.status == SessionStatus.CLOSED and case.status == CaseStatus.DISCUSSED
    assert PlanAction.objects.filter(pk=CaseAction.objects.get().plan_action_id, action_code="emploi.a01").exists()


def test_a_bad_action_form_is_shown_again_with_french_messages(client, body, camille, pathway, conseiller, coordinator):
    from tests.casereviews.helpers import full_case

    _, case = full_case(body, camille, conseiller, coordinator)
    client.force_login(coordinator)
    response = client.post(reverse("casereviews:action", args=[case.public_id]), {"title": "x", "action_code": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()


def test_lists_run_a_bounded_number_of_queries(
    client, body, coordinator, nord, camille, pathway, conseiller, django_assert_max_num_queries
):
    from tests.casereviews.helpers import planned

    for _ in range(5):
        planned(body, coordinator)
    referred(camille, conseiller)
    client.force_login(coordinator)
    for name in ("home", "waiting", "candidates"):
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"casereviews:{name}")).status_code == 200


def test_candidates_show_their_reasons_and_the_referent_can_be_invited(
    client, camille, pathway, conseiller, coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(coordinator)
    content = client.get(reverse("casereviews:candidates")).content.decode()
    assert "MARTIN Camille Louise" in content and "Contrat non signé dans le délai" in content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casereviews:candidate_invite", args=[pathway.public_id]))
    assert mailoutbox[0].to == ["conseiller@ft-lille.fr"] and "Martin" not in mailoutbox[0].body
    assert "Invité·e le" in client.get(reverse("casereviews:candidates")).content.decode()
    referred(camille, conseiller)
    assert "MARTIN" not in client.get(reverse("casereviews:candidates")).content.decode()


def test_the_person_file_has_a_tab_and_an_export_section(client, camille, pathway, conseiller, other_structure):
    case = referred(camille, conseiller)
    services.withdraw_case(case=case, reason="Situation réglée", by=actor(conseiller))
    client.force_login(other_structure)
    content = client.get(reverse("people:detail", args=[camille.public_id])).content.decode()
    assert reverse("casereviews:person_cases", args=[camille.public_id]) in content
    sections = {key: data for _, key, data in person_export(camille)}
    assert sections["instances"][0]["statut"] == "Retirée" and sections["instances"][0]["question"] == QUESTION


def test_scheduling_an_unknown_case_is_refused_with_a_message(client, body, coordinator):
    from tests.casereviews.helpers import planned

    session = planned(body, coordinator)
    client.force_login(coordinator)
    url = reverse("casereviews:session_schedule", args=[session.public_id])
    for value in ("pas-un-identifiant", "", "3f1e2d4c-0000-4000-8000-000000000000"):
        response = client.post(url, {"case": value}, follow=True)
        assert response.status_code == 200
        assert "choisissez une situation dans la liste" in response.content.decode()


def test_the_agenda_reads_its_cases_with_one_access_log_row_each(
    client, body, coordinator, camille, pathway, conseiller, nord
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from spie.people.models import AccessLog
    from tests.casereviews.helpers import planned
    from tests.people.factories import PersonFactory, seat

    session = planned(body, coordinator)
    url = reverse("casereviews:session", args=[session.public_id])
    client.force_login(coordinator)
    counts = []
    people = [camille] + [PersonFactory(territory=nord, birth_name=f"Durand{n}") for n in range(3)]
    for person in people:
        if person != camille:
            seat(person, conseiller, is_referent=True)
        services.schedule_case(case=referred(person, conseiller), session=session, by=actor(coordinator))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[3] - counts[2] == counts[2] - counts[1] == 1
    assert AccessLog.objects.filter(what="Instance : situation").count() == sum(range(1, 5))


def test_coordinator_lists_filter_sort_and_export(client, camille, pathway, conseiller, coordinator):
    client.force_login(coordinator)
    url = reverse("casereviews:candidates")
    assert "MARTIN" in client.get(url, {"motif": "contrat", "tri": "-nom"}).content.decode()
    assert "MARTIN" not in client.get(url, {"motif": "absences"}).content.decode()
    export = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert export.splitlines()[0].startswith("Nom;Prénoms;Étape") and "Martin;Camille Louise" in export
    referred(camille, conseiller)
    url = reverse("casereviews:waiting")
    assert "Camille MARTIN" in client.get(url, {"instance": "groupe_appui", "tri": "nom"}).content.decode()
    assert "Camille MARTIN" not in client.get(url, {"instance": "equipe_pluridisciplinaire"}).content.decode()
    export = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "Martin;Camille Louise;Groupe d'appui" in export


def test_the_onboarding_checklist_asks_for_a_first_review_body(coordinator, nord, colleague):
    from spie.onboarding.checklist import checklist_for

    def item():
        return next(i for i in checklist_for(nord).items if i.key == "case_review_bodies")

    assert not item().done and item().detail == "0 instance(s)"
    make_body(nord, coordinator, colleague=colleague)
    assert item().done and item().detail == "1 instance(s)"
