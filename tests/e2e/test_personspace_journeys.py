"""The person's own space in Chromium: log in with a link sent by e-mail, confirm an appointment,
answer a questionnaire, withdraw consent — axe-core clean, on a desktop and at mobile width; the
referent then sees it in the file's « Espace personnel » tab."""

import datetime
import re

from django.core import mail
from django.utils import timezone

from spie.personspace.models import AppointmentAnswer
from spie.questionnaires.models import QuestionnaireInvitation
from tests.pathways.conftest import oriented, pathway  # noqa: F401
from tests.pathways.helpers import appointment
from tests.people.conftest import camille, former_member  # noqa: F401
from tests.questionnaires.factories import invitation

LINK = re.compile(r"https?://\S+(/mon-espace/connexion/lien/[^/\s]+/)")
MOBILE = {"width": 375, "height": 812}


def test_a_person_logs_in_by_link_confirms_answers_and_withdraws_consent(
    page,
    login,
    conseiller,
    camille,  # noqa: F811
    pathway,  # noqa: F811
    assert_accessible,
):
    appointment(pathway, conseiller, timezone.now() + datetime.timedelta(days=6))
    invitation(camille)

    # Log in: the e-mail's link opens a page; only the button press uses it.
    page.goto("/mon-espace/")
    page.get_by_role("heading", name="Connexion à mon espace").wait_for()
    assert_accessible(page)
    page.get_by_label("Adresse e-mail ou numéro de mobile").fill(camille.email)
    page.get_by_role("button", name="Recevoir mon lien ou mon code").click()
    page.get_by_role("heading", name="Consultez votre messagerie").wait_for()
    assert_accessible(page)
    page.goto(LINK.search(mail.outbox[-1].body).group(1))
    assert_accessible(page)
    page.get_by_role("button", name="Me connecter").click()
    page.get_by_role("heading", name="Bonjour Camille Louise").wait_for()
    page.get_by_text("Orienté").first.wait_for()
    assert_accessible(page)

    # Confirm the appointment: the referent is told.
    page.get_by_role("link", name="Tous mes rendez-vous").click()
    page.get_by_role("button", name=re.compile("Je confirme ma présence")).click()
    page.get_by_text("votre présence est confirmée").wait_for()
    page.get_by_text(re.compile("Présence confirmée le")).wait_for()
    assert_accessible(page)
    assert AppointmentAnswer.objects.get().kind == "confirme"
    assert any(message.to == [conseiller.email] for message in mail.outbox)

    # Answer the questionnaire waiting on the home page.
    page.goto("/mon-espace/")
    page.get_by_role("link", name="Questionnaires à remplir").click()
    page.locator(".fr-card__title a").first.click()
    for label in page.locator("fieldset label[for$='-4']").all():
        label.click()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.get_by_role("heading", name="Merci, vos réponses sont enregistrées").wait_for()
    assert QuestionnaireInvitation.objects.get().answered_at is not None

    # Withdraw consent, with what it changes explained.
    page.goto("/mon-espace/consentement/")
    page.get_by_text("Sans votre accord").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Je retire mon accord au partage").click()
    page.get_by_text("Le retrait de votre accord est enregistré.").wait_for()
    assert_accessible(page)
    camille.refresh_from_db()
    assert camille.consent_given is False

    # The same pages at mobile width, menu opened.
    page.set_viewport_size(MOBILE)
    for path in ["/mon-espace/", "/mon-espace/rendez-vous/", "/mon-espace/contrat/", "/mon-espace/consentement/"]:
        page.goto(path)
        assert_accessible(page)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Menu de mon espace").get_by_role("link", name="Mes données").click()
    page.get_by_role("heading", name="Télécharger mes données").wait_for()
    assert_accessible(page)

    # The referent sees, in the file, what the person did in their space.
    page.set_viewport_size({"width": 1280, "height": 900})
    login(conseiller)
    page.goto(f"/mon-espace/dossier/{camille.public_id}/")
    page.get_by_role("cell", name="Présence confirmée").wait_for()
    page.get_by_text("Consentement au partage retiré par la personne").wait_for()
    assert_accessible(page)
    assert page.console_errors == []
