"""The professionals' and structures' import files: encrypted while staged, dropped on
confirmation or cancellation, purged after 7 days; bad cells are row errors (issue 15)."""

import datetime

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from spie.accounts.imports import plan_organisations, plan_professionals
from spie.accounts.models import AccountImport
from spie.core.validators import siret_with_key

PROS = "email;nom;prenom;siret_structure\n"


def _upload(client, content):
    upload = SimpleUploadedFile("pros.csv", content, content_type="text/csv")
    return client.post(reverse("accounts:import_professionals"), {"file": upload})


def test_the_staged_professionals_file_is_encrypted_then_emptied(client_as, coordinator, ft_lille):
    client = client_as(coordinator)
    response = _upload(client, f"{PROS}lea.durand@ft-lille.fr;Durand;Léa;{ft_lille.siret}\n".encode())
    stored = bytes(AccountImport.objects.get().content)
    assert b"lea.durand" not in stored and b"Durand" not in stored
    assert "Durand" in client.get(response.url).content.decode()
    client.post(response.url)
    account_import = AccountImport.objects.get()
    assert account_import.applied_at is not None and bytes(account_import.content) == b""


def test_cancelling_deletes_the_professionals_file(client_as, coordinator, ft_lille):
    client = client_as(coordinator)
    _upload(client, f"{PROS}lea.durand@ft-lille.fr;Durand;Léa;{ft_lille.siret}\n".encode())
    account_import = AccountImport.objects.get()
    response = client.post(reverse("accounts:import_cancel", args=[account_import.public_id]))
    assert response.url == reverse("accounts:import_professionals")
    assert not AccountImport.objects.exists()


def test_stale_professionals_files_are_purged(client_as, coordinator, ft_lille):
    client = client_as(coordinator)
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC), tick=False):
        _upload(client, f"{PROS}lea.durand@ft-lille.fr;Durand;Léa;{ft_lille.siret}\n".encode())
    with time_machine.travel(datetime.datetime(2026, 11, 9, 9, tzinfo=datetime.UTC), tick=False):
        call_command("purge_staged_imports", "--wet-run")
    assert not AccountImport.objects.exists()


def test_nul_characters_and_long_values_are_row_errors(nord, ft_lille):
    report = plan_professionals(f"{PROS}lea@ft-lille.fr;Du\x00rand;Léa;{ft_lille.siret}\n".encode(), territory=nord)
    assert report.rejected[0].errors == [
        "colonne « nom » : contient un caractère nul (fichier binaire ou mal encodé ?)"
    ]
    siret = siret_with_key("7100000000001")
    content = f"siret;nom;type;adresse\n{siret};PLIE de Lille;PLIE;{'rue ' * 70}\n".encode()
    report = plan_organisations(content, territory=nord)
    assert report.rejected[0].errors == ["colonne « adresse » : trop long (279 caractères, au plus 255)"]
