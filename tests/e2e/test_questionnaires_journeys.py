"""A person answers a questionnaire from the link of their e-mail, on a phone-sized screen (a
missing answer is pointed out, a second answer refused); the referent sees that it was answered
and enrols the person in the groupe miroir; the coordinator reads the results, reviews the
comment and records a session of the groupe miroir — in Chromium, axe-core clean."""

import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from spie.questionnaires import services
from spie.questionnaires.models import MirrorSession, QuestionnaireInvitation
from tests.people.conftest import camille, former_member  # noqa: F401
from tests.people.factories import PersonFactory
from tests.questionnaires.factories import all_answers, invitation, validated_diagnostic

LINK = re.compile(r"https?://\S+(/questionnaires/repondre/[^/\s]+/)")
PHONE = {"width": 375, "height": 812}


def _choose(page, question, answer):
    """Click the answer's label, as a person does (DSFR draws the radio under it)."""
    label = re.compile(rf"^\W*{re.escape(answer)}$")  # a satisfaction label starts with its smiley
    page.get_by_role("group", name=re.compile(question)).locator("label").filter(has_text=label).click()


class _Quiet:
    def write(self, text):
        pass

    def flush(self):
        pass


def test_a_person_answers_the_referent_sees_it_and_the_coordinator_reads_the_results(
    page,
    browser,
    live_server,
    login,
    conseiller,
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

    # The person, on a phone: the questionnaire, a forgotten answer, then the answer recorded once.
    phone = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE).new_page()
    phone.goto(path)
    phone.get_by_role("heading", name="Votre avis sur votre premier bilan").wait_for()
    assert_accessible(phone)
    _choose(phone, "On m'a écouté·e", "Tout à fait d'accord")
    _choose(phone, "J'ai compris", "D'accord")
    _choose(phone, "Mes priorités", "D'accord")
    _choose(phone, "Dans l'ensemble", "Très content·e")
    phone.get_by_label("Voulez-vous ajouter quelque chose ?").fill("Merci à Mme Vasseuran, très à l'écoute.")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    phone.get_by_role("heading", name="Il manque des réponses").wait_for()
    assert_accessible(phone)
    phone.get_by_role("link", name="J'ai eu ce rendez-vous assez vite.").click()
    _choose(phone, "J'ai eu ce rendez-vous", "Pas d'accord")
    phone.get_by_role("button", name="Envoyer mes réponses").click()
    phone.get_by_role("heading", name="Merci, vos réponses sont enregistrées").wait_for()
    assert_accessible(phone)
    answered = QuestionnaireInvitation.objects.get(person=camille)
    assert answered.answered_at is not None and str(answered.score) == "4.00"
    phone.goto(path)
    phone.get_by_text("Vous avez déjà répondu à ce questionnaire").wait_for()
    assert_accessible(phone)
    phone.context.close()

    # The referent sees that Camille answered (not what), and enrols her in the groupe miroir.
    login(conseiller)
    page.goto(f"/questionnaires/personnes/{camille.public_id}/")
    page.get_by_role("row", name=re.compile("Après le diagnostic.*Oui, le")).wait_for()
    assert "Vasseuran" not in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Inscrire au groupe miroir").click()
    page.get_by_text("La personne est inscrite au groupe miroir du territoire.").wait_for()
    page.context.clear_cookies()

    # The coordinator: the step now has 5 answers; the comment is reviewed before it shows.
    login(coordinator)
    page.get_by_role("link", name="Avis des personnes").first.click()
    page.get_by_text("Note globale : 3,2 sur 5").wait_for()
    assert "Vasseuran" not in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Relire les commentaires").click()
    page.get_by_role("link", name=re.compile("Relire le commentaire")).click()
    assert_accessible(page)
    page.get_by_label("Texte publié").fill("Merci à ma conseillère, très à l'écoute.")
    page.get_by_role("button", name="Publier ce texte").click()
    page.get_by_text("Commentaire publié sur la page des résultats.").wait_for()
    page.get_by_role("link", name="Résultats des questionnaires").click()
    page.get_by_text("« Merci à ma conseillère, très à l'écoute. »").wait_for()
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # The groupe miroir: a session, who came, what was said.
    page.get_by_role("link", name="Groupe miroir").first.click()
    page.get_by_role("cell", name=camille.short_name, exact=True).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Ajouter une séance").click()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Thème de la séance").fill("Le premier rendez-vous")
    page.get_by_label("Lieu").fill("Maison des services, Lille")
    page.get_by_role("button", name="Enregistrer la séance").click()
    page.get_by_role("heading", name="Le premier rendez-vous").wait_for()
    page.get_by_label(camille.short_name).check(force=True)
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.get_by_role("heading", name="Présents (1)").wait_for()
    page.get_by_label("Synthèse des échanges").fill("Le délai avant le premier rendez-vous paraît long.")
    page.get_by_label("Délais et attentes").check(force=True)
    page.get_by_role("button", name="Enregistrer la synthèse").click()
    page.get_by_text("Synthèse de la séance enregistrée.").wait_for()
    assert_accessible(page)
    assert MirrorSession.objects.get().themes == ["delais"]
    assert page.console_errors == []
