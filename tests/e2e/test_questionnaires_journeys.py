"""A person answers a questionnaire from the link of their e-mail, on a phone-sized screen (a
missing answer is pointed out, a second answer refused); the coordinator then reads the results
and reviews the comment — in Chromium, axe-core clean."""

import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from spie.questionnaires import services
from spie.questionnaires.models import QuestionnaireInvitation
from tests.people.conftest import camille, former_member  # noqa: F401
from tests.people.factories import PersonFactory
from tests.questionnaires.factories import all_answers, invitation, validated_diagnostic

LINK = re.compile(r"https?://\S+(/questionnaires/repondre/[^/\s]+/)")


def _choose(page, question, answer):
    """Click the answer's label, as a person does (DSFR draws the radio under it)."""
    label = re.compile(rf"^\W*{re.escape(answer)}$")  # a satisfaction label starts with its smiley
    page.get_by_role("group", name=re.compile(question)).locator("label").filter(has_text=label).click()


class _Quiet:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_a_person_answers_and_the_coordinator_reads_the_results(
    page,
    login,
    coordinator,
    nord,
    camille,  # noqa: F811
    assert_accessible,
):
    for index in range(4):
        item, _ = invitation(PersonFactory(territory=nord, birth_name=f"Avis{index}"))
        services.answer_questionnaire(invitation=item, answers=all_answers(value=3))
    validated_diagnostic(camille, timezone.localdate())
    call_command("send_questionnaires", "--wet-run", stdout=_Quiet())
    path = LINK.search(mail.outbox[-1].body).group(1)

    # On a phone: the questionnaire, a forgotten answer, then the answer recorded once.
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(path)
    page.get_by_role("heading", name="Votre avis sur votre premier bilan").wait_for()
    assert_accessible(page)
    _choose(page, "On m'a écouté·e", "Tout à fait d'accord")
    _choose(page, "J'ai compris", "D'accord")
    _choose(page, "Mes priorités", "D'accord")
    _choose(page, "Dans l'ensemble", "Très content·e")
    page.get_by_label("Voulez-vous ajouter quelque chose ?").fill("Merci à Mme Leroy, très à l'écoute.")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Il manque des réponses").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="J'ai eu ce rendez-vous assez vite.").click()
    _choose(page, "J'ai eu ce rendez-vous", "Pas d'accord")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses sont enregistrées").wait_for()
    assert_accessible(page)
    answered = QuestionnaireInvitation.objects.get(person=camille)
    assert answered.answered_at is not None and str(answered.score) == "4.00"
    page.goto(path)
    page.get_by_text("Vous avez déjà répondu à ce questionnaire").wait_for()
    assert_accessible(page)

    # The coordinator, on a desktop screen: the step now has 5 answers; the comment is reviewed.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(coordinator)
    page.get_by_role("link", name="Avis des personnes").first.click()
    page.get_by_text("Note globale : 3,2 sur 5").wait_for()
    assert "Leroy" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Relire les commentaires").click()
    page.get_by_role("link", name=re.compile("Relire le commentaire")).click()
    page.get_by_label("Texte publié").fill("Merci à ma conseillère, très à l'écoute.")
    page.get_by_role("button", name="Publier ce texte").click()
    page.get_by_text("Commentaire publié sur la page des résultats.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Résultats des questionnaires").click()
    page.get_by_text("« Merci à ma conseillère, très à l'écoute. »").wait_for()
    page.set_viewport_size({"width": 375, "height": 812})
    assert_accessible(page)
    # The only failed load is the refused second opening of the link (410 Gone).
    assert [error for error in page.console_errors if "410" not in error] == []
