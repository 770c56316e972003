"""Answering once, by the link or from the person's own space; what the link page refuses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.core.errors import DomainError
from spie.core.models import AuditEvent
from spie.core.plugins import person_space_items
from spie.questionnaires import services
from spie.questionnaires.models import QuestionnaireAnswer, QuestionnaireComment
from tests.people.factories import PersonFactory
from tests.questionnaires.factories import all_answers, form_data, invitation

pytestmark = pytest.mark.django_db


def _url(raw):
    return reverse("questionnaires:answer_link", args=[raw])


def test_opening_the_link_shows_the_questionnaire_without_spending_it(client, camille):
    item, raw = invitation(camille)
    page = client.get(_url(raw)).content.decode()
    assert "Votre avis sur votre premier bilan" in page
    assert 'type="radio"' in page and "Pas du tout d&#x27;accord" in page and "Tout à fait d&#x27;accord" in page
    assert "<legend" in page
    item.refresh_from_db()
    assert item.answered_at is None


def test_answering_records_the_answers_once_with_the_mean_score(client, camille):
    item, raw = invitation(camille)
    data = form_data(value=4) | {"ecoute": "5", "delai": "2", "comment": "  Merci à ma conseillère.  "}
    response = client.post(_url(raw), data)
    assert response.status_code == 200 and "Merci, vos réponses sont enregistrées" in response.content.decode()
    item.refresh_from_db()
    assert item.answered_at is not None and item.answer_source == "lien"
    assert item.score == Decimal("3.80")  # (5 + 4 + 4 + 2 + 4) / 5
    assert dict(QuestionnaireAnswer.objects.filter(invitation=item).values_list("question", "value")) == {
        "ecoute": 5,
        "comprehension": 4,
        "priorites": 4,
        "delai": 2,
        "global": 4,
    }
    comment = QuestionnaireComment.objects.get(invitation=item)
    assert comment.text == "Merci à ma conseillère." and comment.status == "a_relire"
    event = AuditEvent.objects.get(action="questionnaires.invitation.answered")
    assert event.subject_id == camille.public_id and "Merci" not in str(event.data)

    again = client.post(_url(raw), form_data(value=1))
    assert again.status_code == 410
    assert "Vous avez déjà répondu à ce questionnaire : une seule réponse est enregistrée." in again.content.decode()
    assert QuestionnaireAnswer.objects.filter(invitation=item).count() == 5
    assert AuditEvent.objects.filter(action="questionnaires.link.refused", data__state="answered").exists()


def test_the_service_refuses_a_second_answer(camille):
    item, _ = invitation(camille)
    services.answer_questionnaire(invitation=item, answers=all_answers())
    with pytest.raises(DomainError, match="déjà répondu"):
        services.answer_questionnaire(invitation=item, answers=all_answers())


def test_a_missing_answer_is_named_and_nothing_is_recorded(client, camille):
    item, raw = invitation(camille)
    data = form_data()
    del data["delai"]
    response = client.post(_url(raw), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Il manque des réponses" in page and "J&#x27;ai eu ce rendez-vous assez vite." in page
    assert "Choisissez une réponse pour cette question." in page
    assert 'value="4" checked' in page  # the other answers are kept
    assert not QuestionnaireAnswer.objects.exists()


def test_an_answer_out_of_the_scale_is_refused(camille):
    item, _ = invitation(camille)
    with pytest.raises(DomainError) as error:
        services.answer_questionnaire(invitation=item, answers=all_answers() | {"ecoute": 6})
    assert error.value.field == "ecoute"


def test_expired_and_unknown_links_are_refused_in_french(client, camille):
    _, raw = invitation(camille, sent_at=timezone.now() - datetime.timedelta(days=31))
    response = client.get(_url(raw))
    assert response.status_code == 410 and "le délai pour répondre est dépassé" in response.content.decode()
    assert client.post(_url(raw), form_data()).status_code == 410
    unknown = client.get(_url("inconnu"))
    assert unknown.status_code == 404 and "Ce lien n&#x27;est pas valable" in unknown.content.decode()


def test_the_person_answers_from_their_space(space_client, camille, nord):
    item, _ = invitation(camille)
    done, _ = invitation(camille, "apres_contrat", answered_at=timezone.now())
    other, _ = invitation(PersonFactory(territory=nord, birth_name="Autre"), "sortie")
    entry = ("Questionnaires à remplir", reverse("questionnaires:space_list"), 1)
    assert entry in [item[1:] for item in person_space_items(camille)]
    client = space_client(camille)
    page = client.get(reverse("questionnaires:space_list")).content.decode()
    assert "Après le diagnostic" in page and "Après le contrat" not in page
    assert client.get(reverse("questionnaires:space_answer", args=[other.public_id])).status_code == 404
    assert client.get(reverse("questionnaires:space_answer", args=[done.public_id])).status_code == 410
    response = client.post(reverse("questionnaires:space_answer", args=[item.public_id]), form_data())
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.answer_source == "espace"
    assert "aucun questionnaire à remplir" in client.get(reverse("questionnaires:space_list")).content.decode()


def test_the_space_pages_need_the_person_signed_in(client, camille):
    item, _ = invitation(camille)
    assert client.get(reverse("questionnaires:space_list")).status_code == 302
    assert client.get(reverse("questionnaires:space_answer", args=[item.public_id])).status_code == 302
