"""The national administrators' study pages: declare a study, see its export log."""

import datetime

from django.urls import reverse

from spie.core.models import AuditEvent
from spie.studies.models import Study, StudyExport
from tests.studies.factories import study


def test_creating_a_study(client_as, admin_national, nord):
    response = client_as(admin_national).post(
        reverse("studies:study_create"),
        {
            "name": "Retour à l'emploi 2026",
            "purpose": "Mesurer les retours à l'emploi des entrants 2026.",
            "territory": "59",
            "period_from": "2026-01-01",
            "period_to": "2026-06-30",
        },
    )
    created = Study.objects.get()
    assert response.status_code == 302 and response.url == reverse("studies:study_detail", args=[created.public_id])
    assert (created.territory, created.period_to, created.created_by) == (
        nord,
        datetime.date(2026, 6, 30),
        admin_national.memberships.get(),
    )
    assert AuditEvent.objects.filter(action="studies.study.created", target_id=created.public_id).exists()


def test_a_national_study_and_a_reversed_period(client_as, admin_national, nord):
    client = client_as(admin_national)
    data = {"name": "Nationale", "purpose": "Comparer les territoires.", "territory": "", "period_from": "2026-06-30"}
    response = client.post(reverse("studies:study_create"), {**data, "period_to": "2026-01-01"})
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert not Study.objects.exists()
    client.post(reverse("studies:study_create"), {**data, "period_to": "2026-12-31"})
    assert Study.objects.get().territory is None


def test_the_study_page_shows_the_export_log_and_the_dictionary(
    client_as, admin_national, nord, django_assert_max_num_queries
):
    target = study(nord)
    for _ in range(3):
        StudyExport.objects.create(
            study=target,
            by=admin_national.memberships.get(),
            channel="page",
            row_count=12,
            csv_sha256="a" * 64,
            parquet_sha256="b" * 64,
        )
    client = client_as(admin_national)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("studies:study_detail", args=[target.public_id])).content.decode()
    assert page.count("Téléchargement depuis la plateforme") == 3
    assert "study_person_id" in page and "Télécharger l'extraction" in page


def test_the_study_list(client_as, admin_national, nord, django_assert_max_num_queries):
    for index in range(5):
        study(nord, name=f"Étude {index}")
    study(None, name="Étude nationale")
    client = client_as(admin_national)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("studies:studies")).content.decode()
    assert "Étude 4" in page and "National (tous les territoires)" in page
