"""Results per step: pseudonymised aggregates, small groups hidden, comments reviewed first."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.questionnaires import services
from spie.questionnaires.models import QuestionnaireComment
from spie.questionnaires.results import step_results
from tests.people.factories import PersonFactory
from tests.questionnaires.conftest import actor
from tests.questionnaires.factories import all_answers, invitation

pytestmark = pytest.mark.django_db


def answered(territory, count, step="apres_diagnostic", *, values=(4,), comment="", sent_at=None):
    items = []
    for index in range(count):
        person = PersonFactory(territory=territory, birth_name=f"Personne{index}{step}")
        item, _ = invitation(person, step, sent_at=sent_at)
        value = values[index % len(values)]
        services.answer_questionnaire(invitation=item, answers=all_answers(step, value), comment=comment)
        items.append(item)
    return items


def _step(results, step):
    return next(result for result in results if result.step == step)


def test_rates_means_and_distribution_per_step(nord, ardennes):
    answered(nord, 5, values=(5, 4, 4, 2, 5))
    invitation(PersonFactory(territory=nord, birth_name="Silencieux"))
    answered(ardennes, 5, values=(1,))
    result = _step(step_results(territory_id=nord.pk), "apres_diagnostic")
    assert (result.sent, result.answered, result.response_rate, result.hidden) == (6, 5, 83, False)
    assert result.mean == Decimal("4.00")
    first = result.questions[0]
    assert first.code == "ecoute" and first.distribution == [0, 1, 0, 2, 2] and first.mean == Decimal("4.00")
    national = _step(step_results(), "apres_diagnostic")
    assert national.answered == 10 and national.mean == Decimal("2.50")


def test_a_group_under_five_answers_is_hidden_and_says_so(client_as, coordinator, nord):
    answered(nord, 4, comment="Très bien.")
    result = _step(step_results(territory_id=nord.pk), "apres_diagnostic")
    assert result.hidden and result.comments == []
    page = client_as(coordinator).get(reverse("questionnaires:results")).content.decode()
    assert "Moins de 5 réponses : les résultats de cette étape sont masqués." in page
    assert "moins de 5 réponses sont masqués" in page


def test_only_reviewed_comments_show_and_the_reviewer_can_edit_them(client_as, coordinator, nord):
    items = answered(nord, 5, comment="Mme Quenardel de Roubaix m'a beaucoup aidé.")
    comments = list(QuestionnaireComment.objects.order_by("pk"))
    client = client_as(coordinator)
    assert "Mme Quenardel" not in client.get(reverse("questionnaires:results")).content.decode()
    assert "5 commentaires à relire" in client.get(reverse("questionnaires:results")).content.decode()

    response = client.post(
        reverse("questionnaires:comment_review", args=[comments[0].public_id]),
        {"text": "Ma conseillère m'a beaucoup aidé.", "decision": "publier"},
    )
    assert response.status_code == 302
    client.post(reverse("questionnaires:comment_review", args=[comments[1].public_id]), {"decision": "ecarter"})
    page = client.get(reverse("questionnaires:results")).content.decode()
    assert "Ma conseillère m&#x27;a beaucoup aidé." in page and "Quenardel" not in page
    assert AuditEvent.objects.get(action="questionnaires.comment.published").data == {
        "step": "apres_diagnostic",
        "edited": True,
    }
    assert AuditEvent.objects.filter(action="questionnaires.comment.rejected").count() == 1
    assert len(items) == 5


def test_publishing_needs_a_text_and_follows_the_transitions(coordinator, nord):
    answered(nord, 1, comment="Bien.")
    comment = QuestionnaireComment.objects.get()
    with pytest.raises(DomainError) as error:
        services.publish_comment(comment=comment, text="  ", by=actor(coordinator))
    assert error.value.field == "text"
    services.reject_comment(comment=comment, by=actor(coordinator))
    with pytest.raises(DomainError, match="déjà « écarté »"):
        services.reject_comment(comment=comment, by=actor(coordinator))
    published = services.publish_comment(comment=comment, text="Bien.", by=actor(coordinator))
    assert published.status == "publie" and published.reviewed_by == coordinator.memberships.get()


def test_filters_by_step_and_period_and_csv_of_aggregates_only(client_as, coordinator, nord):
    long_ago = timezone.now() - datetime.timedelta(days=100)
    with time_machine.travel(long_ago):
        answered(nord, 5)
    answered(nord, 5, "sortie", values=(3,))
    client = client_as(coordinator)
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    page = client.get(reverse("questionnaires:results"), {"start": since}).content.decode()
    assert page.count("Moins de 5 réponses : les résultats de cette étape sont masqués.") == 3
    only_exit = client.get(reverse("questionnaires:results"), {"step": "sortie"}).content.decode()
    assert 'id="etape-apres_diagnostic"' not in only_exit and "Note globale : 3,0 sur 5" in only_exit
    response = client.get(reverse("questionnaires:results"), {"format": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Après le diagnostic;1;5;5;100;Note globale;4,00;;;;;" in content
    assert "À la sortie du parcours;1;5;5;100;L&#x27;accompagnement" not in content
    assert "À la sortie du parcours;1;5;5;100;L'accompagnement m'a aidé·e à avancer.;3,00;0;0;5;0;0" in content
    assert "Après le contrat d'engagement;1;0;0;;Moins de 5 réponses : résultats masqués" in content
    assert "Personne" not in content and "Martin" not in content


def test_a_coordinator_sees_their_territory_and_a_national_admin_chooses(
    client_as, coordinator, admin_national, nord, ardennes
):
    answered(ardennes, 5, values=(1,))
    assert "Note globale" not in client_as(coordinator).get(reverse("questionnaires:results")).content.decode()
    admin = client_as(admin_national)
    assert "Note globale : 1,0 sur 5" in admin.get(reverse("questionnaires:results")).content.decode()
    page = admin.get(reverse("questionnaires:results"), {"territory": nord.code}).content.decode()
    assert "Note globale" not in page


def test_the_results_page_runs_a_bounded_number_of_queries(client_as, coordinator, nord, django_assert_max_num_queries):
    answered(nord, 6, comment="Bien.")
    client = client_as(coordinator)
    with django_assert_max_num_queries(14):
        client.get(reverse("questionnaires:results"))
    answered(nord, 6, "sortie", comment="Très bien.")
    with django_assert_max_num_queries(14):
        client.get(reverse("questionnaires:results"))
