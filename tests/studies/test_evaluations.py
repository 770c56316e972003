"""Participatory evaluation: written by the territory's coordinator, published, read by the territory."""

import pytest
from django.urls import reverse

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.studies import services
from spie.studies.enums import EvaluationStatus
from tests.diagnostics.helpers import actor
from tests.studies.factories import TEXTS, evaluation


def test_the_coordinator_writes_a_draft_then_publishes_it(coordinator, nord):
    draft = services.create_evaluation(territory=nord, year=2025, data=TEXTS, by=actor(coordinator))
    assert draft.status == EvaluationStatus.DRAFT
    published = services.publish_evaluation(evaluation=draft, by=actor(coordinator))
    assert published.status == EvaluationStatus.PUBLISHED
    assert published.published_by == coordinator.memberships.get()
    actions = list(AuditEvent.objects.for_target(draft).values_list("action", flat=True))
    assert sorted(actions) == ["studies.evaluation.created", "studies.evaluation.published"]


def test_one_evaluation_per_territory_and_year(coordinator, nord):
    services.create_evaluation(territory=nord, year=2025, data=TEXTS, by=actor(coordinator))
    with pytest.raises(DomainError, match="existe déjà") as error:
        services.create_evaluation(territory=nord, year=2025, data=TEXTS, by=actor(coordinator))
    assert error.value.field == "year"


@pytest.mark.parametrize("year", [2019, 2099])
def test_the_year_must_be_a_year_of_the_service(coordinator, nord, year):
    with pytest.raises(DomainError, match="Année : indiquez une année entre 2020"):
        services.create_evaluation(territory=nord, year=year, data=TEXTS, by=actor(coordinator))


def test_an_incomplete_evaluation_cannot_be_published(coordinator, nord):
    draft = evaluation(nord, mirror_group_said="", what_changed="  ")
    with pytest.raises(DomainError, match="« Ce qu'en dit le groupe miroir », « Ce qui a changé »") as error:
        services.publish_evaluation(evaluation=draft, by=actor(coordinator))
    assert error.value.field == "mirror_group_said"
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.DRAFT


def test_a_published_evaluation_goes_back_to_draft_with_a_reason_before_being_changed(coordinator, nord):
    published = evaluation(nord, published=True)
    with pytest.raises(DomainError, match="repassez-la en brouillon"):
        services.update_evaluation(evaluation=published, data=TEXTS, by=actor(coordinator))
    with pytest.raises(DomainError, match="Motif"):
        services.unpublish_evaluation(evaluation=published, reason=" ", by=actor(coordinator))
    draft = services.unpublish_evaluation(evaluation=published, reason="Chiffre corrigé", by=actor(coordinator))
    assert draft.status == EvaluationStatus.DRAFT and draft.published_at is None
    services.update_evaluation(evaluation=draft, data={**TEXTS, "next_steps": "Nouvelle étape"}, by=actor(coordinator))
    draft.refresh_from_db()
    assert draft.next_steps == "Nouvelle étape"
    event = AuditEvent.objects.get(action="studies.evaluation.unpublished")
    assert event.data["reason"] == "Chiffre corrigé"
    updated = AuditEvent.objects.get(action="studies.evaluation.updated")
    assert updated.data["fields"] == ["next_steps"]


def test_publishing_twice_is_refused(coordinator, nord):
    published = evaluation(nord, published=True)
    with pytest.raises(DomainError, match="ne peut pas passer de « Publiée » à « Publiée »"):
        services.publish_evaluation(evaluation=published, by=actor(coordinator))


def test_professionals_of_the_territory_see_only_published_evaluations(client_as, conseiller, nord):
    evaluation(nord, 2024, published=True)
    evaluation(nord, 2025, what_changed="Texte encore en chantier")
    page = client_as(conseiller).get(reverse("studies:territory_evaluations", args=[nord.code])).content.decode()
    assert "Évaluation 2024" in page
    assert "Évaluation 2025" not in page
    assert "Nouvelle évaluation annuelle" not in page


def test_the_coordinator_sees_drafts_and_can_write(client_as, coordinator, nord):
    evaluation(nord, 2025)
    page = client_as(coordinator).get(reverse("studies:territory_evaluations", args=[nord.code])).content.decode()
    assert "Évaluation 2025" in page and "Brouillon" in page
    assert "Nouvelle évaluation annuelle" in page
    assert f'href="{reverse("evaluation:indicators")}">Voir les indicateurs du territoire' in page


def test_the_indicators_link_follows_who_may_read_them(client_as, admin_national, conseiller, nord):
    url = reverse("studies:territory_evaluations", args=[nord.code])
    national = client_as(admin_national).get(url).content.decode()
    assert f'href="{reverse("evaluation:indicators")}?territoire=59"' in national
    assert "Voir les indicateurs du territoire" not in client_as(conseiller).get(url).content.decode()


def test_creating_from_the_page(client_as, coordinator, nord):
    response = client_as(coordinator).post(
        reverse("studies:evaluation_create", args=[nord.code]), {"year": "2025", **TEXTS}
    )
    created = nord.participatory_evaluations.get()
    assert response.status_code == 302 and response.url == reverse(
        "studies:evaluation_detail", args=[created.public_id]
    )
    again = client_as(coordinator).post(reverse("studies:evaluation_create", args=[nord.code]), {"year": "2025"})
    assert again.status_code == 200
    assert "existe déjà" in again.content.decode()


def test_editing_publishing_and_unpublishing_from_the_page(client_as, coordinator, nord):
    draft = evaluation(nord, 2025)
    client = client_as(coordinator)
    client.post(reverse("studies:evaluation_edit", args=[draft.public_id]), {**TEXTS, "what_changed": "Tout"})
    draft.refresh_from_db()
    assert draft.what_changed == "Tout"
    client.post(reverse("studies:evaluation_publish", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.PUBLISHED
    response = client.post(reverse("studies:evaluation_unpublish", args=[draft.public_id]), {"reason": ""}, follow=True)
    assert "Motif : indiquez pourquoi" in response.content.decode()
    client.post(reverse("studies:evaluation_unpublish", args=[draft.public_id]), {"reason": "Correction"})
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.DRAFT


def test_a_failed_publication_says_what_is_missing(client_as, coordinator, nord):
    draft = evaluation(nord, 2025, structures_said="")
    response = client_as(coordinator).post(reverse("studies:evaluation_publish", args=[draft.public_id]), follow=True)
    assert "complétez : « Ce qu&#x27;en disent les structures »" in response.content.decode()


def test_national_list_filters_by_year_and_exports_csv(client_as, admin_national, nord, ardennes):
    evaluation(nord, 2024, published=True)
    evaluation(ardennes, 2025)
    client = client_as(admin_national)
    page = client.get(reverse("studies:national_evaluations"), {"year": "2024"}).content.decode()
    assert 'Évaluation 2024<span class="fr-sr-only"> — Nord' in page and "— Ardennes" not in page
    assert "1 territoire sans évaluation 2024 publiée" in page
    page_2025 = client.get(reverse("studies:national_evaluations"), {"year": "2025"}).content.decode()
    assert "2 territoires sans évaluation 2025 publiée" in page_2025  # the Ardennes' is still a draft
    response = client.get(reverse("studies:national_evaluations"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeffAnnée;Code du territoire")
    assert "2025;08;Ardennes" in body and "2024;59;Nord" in body


def test_national_list_runs_a_bounded_number_of_queries(
    client_as, admin_national, nord, ardennes, django_assert_max_num_queries
):
    for year in range(2020, 2026):
        evaluation(nord, year, published=True)
        evaluation(ardennes, year)
    client = client_as(admin_national)
    with django_assert_max_num_queries(12):
        client.get(reverse("studies:national_evaluations"))
    with django_assert_max_num_queries(13):
        client.get(reverse("studies:national_evaluations"), {"year": "2024"})


def test_the_page_has_its_help(client_as, coordinator, nord):
    page = client_as(coordinator).get(reverse("studies:territory_evaluations", args=[nord.code])).content.decode()
    assert "Comment faire" in page and "La coordination rédige un brouillon" in page


def test_the_api_gives_the_published_evaluations_of_the_tokens_territory(client, gestionnaire, ft_lille, nord):
    from spie.accounts import services as account_services

    published = evaluation(nord, 2024, published=True)
    evaluation(nord, 2025)
    raw = account_services.create_api_token(organisation=ft_lille, name="Logiciel", by=actor(gestionnaire))[1]
    body = client.get("/api/v1/studies/evaluations", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "id": str(published.public_id),
        "territoire": "59",
        "annee": 2024,
        "ce_qu_en_disent_les_structures": TEXTS["structures_said"],
        "ce_qu_en_dit_le_groupe_miroir": TEXTS["mirror_group_said"],
        "ce_qui_a_change": TEXTS["what_changed"],
        "prochaines_etapes": TEXTS["next_steps"],
        "publiee_le": "2025-02-01T10:00:00Z",
    }
    filtered = client.get("/api/v1/studies/evaluations?annee=2023", headers={"Authorization": f"Bearer {raw}"})
    assert filtered.json()["count"] == 0
