"""The web flow of the structure and professional imports: upload, preview, confirm, follow."""

import html

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from spie.accounts.enums import EmailStatus
from spie.accounts.models import AccountImport, Invitation, Organisation
from spie.core.validators import siret_with_key

SIRET = siret_with_key("7100000000001")
PROS = "email;nom;prenom;siret_structure\n"


def _upload(client, name, content, kind="import_organisations", **extra):
    return client.post(
        reverse(f"accounts:{kind}"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv"), **extra},
    )


def _text(response):
    return html.unescape(response.content.decode())


def test_coordinator_previews_then_confirms_structures(client_as, coordinator, nord):
    client = client_as(coordinator)
    response = _upload(client, "structures.csv", f"siret;nom;type\n{SIRET};PLIE de Lille;PLIE\n123;;\n".encode())
    account_import = AccountImport.objects.get()
    assert response.url == reverse("accounts:import_detail", args=[account_import.public_id])
    page = _text(client.get(response.url))
    assert "1 à créer, 0 à mettre à jour, 0 inchangée(s), 1 rejetée(s)" in page
    assert "Ligne 3, colonne « siret » : « 123 » : Le SIRET doit comporter exactement 14 chiffres." in page
    assert "rien ne sera importé" in page
    # All or nothing: confirming is not possible.
    client.post(response.url)
    assert not Organisation.objects.filter(siret=SIRET).exists()

    response = _upload(client, "structures.csv", f"siret;nom;type\n{SIRET};PLIE de Lille;PLIE\n".encode())
    assert "Toutes les lignes sont valables." in _text(client.get(response.url))
    done = client.post(response.url, follow=True)
    assert "1 structure(s) créée(s)" in _text(done)
    assert "Importer les professionnels" in _text(done)
    assert Organisation.objects.get(siret=SIRET).territory == nord


def test_professionals_import_shows_the_sending_progress(client_as, coordinator, nord, ft_lille):
    client = client_as(coordinator)
    content = f"{PROS}a@ft-lille.fr;A;B;{ft_lille.siret}\nb@ft-lille.fr;C;D;{ft_lille.siret}\n"
    response = _upload(client, "pros.csv", content.encode(), kind="import_professionals")
    page = _text(client.get(response.url))
    assert "B A — France Travail Lille" in page
    with TestCase.captureOnCommitCallbacks(execute=False):
        done = client.post(response.url, follow=True)
    page = _text(done)
    assert "2 invitation(s) en file d'envoi" in page
    assert "0 envoyée" in page and "2 en attente d'envoi" in page
    assert 'hx-trigger="every 3s"' in page
    assert mail.outbox == []
    Invitation.objects.update(email_status=EmailStatus.SENT)
    partial = client.get(done.redirect_chain[-1][0] + "?partial=progression", headers={"HX-Request": "true"})
    assert "2 envoyées" in _text(partial)
    assert "every 3s" not in _text(partial)


def test_national_admin_chooses_the_territory(client_as, admin_national, nord, ardennes):
    client = client_as(admin_national)
    page = _text(client.get(reverse("accounts:import_organisations") + "?territoire=08"))
    assert "Choisissez un territoire" in page
    response = _upload(client, "s.csv", f"siret;nom;type\n{SIRET};ML;Mission locale\n".encode(), territory="08")
    client.post(response.url)
    assert Organisation.objects.get(siret=SIRET).territory == ardennes


def test_a_file_that_cannot_be_read_is_explained(client_as, coordinator, nord):
    client = client_as(coordinator)
    response = _upload(client, "s.csv", b"nom;adresse\nML;x\n")
    page = _text(client.get(response.url))
    assert "Colonne(s) obligatoire(s) absente(s) : « siret », « type »." in page
    response = _upload(client, "s.pdf", b"x")
    assert "Le fichier doit être un CSV (.csv)." in _text(response)


def test_invitations_page_lists_and_filters(client_as, coordinator, nord, ft_lille):
    client = client_as(coordinator)
    content = f"{PROS}a@ft-lille.fr;Alpha;B;{ft_lille.siret}\nb@ft-lille.fr;Beta;D;{ft_lille.siret}\n"
    response = _upload(client, "pros.csv", content.encode(), kind="import_professionals")
    client.post(response.url)
    Invitation.objects.filter(email="a@ft-lille.fr").update(email_status=EmailStatus.FAILED, email_error="Envoi refusé")
    page = _text(client.get(reverse("accounts:invitations")))
    assert "Invitations du territoire Nord" in page
    assert "Renvoyer les 1 invitation en échec" in page
    page = _text(client.get(reverse("accounts:invitations") + "?statut=echec"))
    assert "a@ft-lille.fr" in page and "b@ft-lille.fr" not in page
    empty = _text(client.get(reverse("accounts:invitations") + "?q=zzz"))
    assert "Aucune invitation ne correspond à ces filtres." in empty


def test_invitations_page_query_count_is_bounded(client_as, coordinator, nord, ft_lille, django_assert_max_num_queries):
    client = client_as(coordinator)
    lines = "".join(f"p{n}@ft-lille.fr;N{n};P;{ft_lille.siret}\n" for n in range(30))
    response = _upload(client, "pros.csv", f"{PROS}{lines}".encode(), kind="import_professionals")
    client.post(response.url)
    with django_assert_max_num_queries(12):
        client.get(reverse("accounts:invitations"))
