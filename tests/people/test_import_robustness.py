"""Bad cells in a people file are row errors in French, never a 500 nor a half-written import."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from spie.people.imports import apply_import, plan_import
from spie.people.models import Person

HEADER = "nom;prenom;date_naissance;email;adresse;date_entree;numero_caf;identifiant_si"


def _csv(*lines):
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def _errors(content, nord):
    report = plan_import(content, territory=nord)
    return {result.line: result.errors for result in report.rejected}


def test_values_too_long_for_the_file_are_row_errors(nord):
    errors = _errors(
        _csv(
            f"{'D' * 151};Léa;03/04/1991;;;;;",
            f"Durand;Léa;03/04/1991;;{'rue ' * 70};;;",
            f"Petit;Hugo;01/12/1988;;;;{'1' * 21};{'S' * 51}",
            f"Roux;{'ﬃ' * 40};01/12/1988;;;;;",
        ),
        nord,
    )
    assert "colonne « nom » : trop long (151 caractères, au plus 150)" in errors[2]
    assert errors[3] == ["colonne « adresse » : trop long (279 caractères, au plus 255)"]
    assert errors[4] == [
        "colonne « numero_caf » : trop long (21 caractères, au plus 20)",
        "colonne « identifiant_si » : trop long (51 caractères, au plus 50)",
    ]
    assert errors[5] == ["colonne « prenom » : trop long une fois normalisé (au plus 100 caractères)"]


def test_nul_bytes_are_row_errors_and_nothing_is_written(nord):
    content = _csv("Durand;Léa;03/04/1991;;1 rue\x00 Haute;;;", "Petit;Hugo;01/12/1988;;;;;")
    report = plan_import(content, territory=nord)
    assert [(r.line, r.errors) for r in report.rejected] == [
        (2, ["colonne « adresse » : contient un caractère nul (fichier binaire ou mal encodé ?)"])
    ]
    assert not report.can_apply()
    apply_import(report, territory=nord, by=None, skip_invalid=True)
    assert list(Person.objects.values_list("birth_name", flat=True)) == ["Petit"]


@time_machine.travel("2026-11-30 10:00 +0100", tick=False)
def test_entry_dates_in_year_1_and_births_before_1900_are_refused(nord):
    errors = _errors(_csv("Durand;Léa;03/04/1991;;;01/01/0001;;", "Petit;Hugo;31/12/1899;;;;;"), nord)
    assert errors == {
        2: ["colonne « date_entree » : date « 01/01/0001 » hors des années 1900 à 2100"],
        3: ["colonne « date_naissance » : date « 31/12/1899 » hors des années 1900 à 2100"],
    }


def test_a_field_over_the_csv_limit_is_shown_on_the_upload_page(client_as, gestionnaire, nord):
    client = client_as(gestionnaire)
    content = _csv("Durand;Léa;03/04/1991;;;;;") + b"Petit;" + b"x" * (200 * 1024) + b";01/12/1988\n"
    upload = SimpleUploadedFile("personnes.csv", content)
    response = client.post(reverse("people:import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Ligne 3 : un champ dépasse 128 Kio" in response.content.decode()
    assert not Person.objects.exists()


def test_an_undecodable_file_is_shown_on_the_upload_page(client_as, gestionnaire, nord):
    client = client_as(gestionnaire)
    upload = SimpleUploadedFile("personnes.csv", b"nom;prenom;date_naissance\n\x81\x8d;\x90;01/01/1990\n")
    response = client.post(reverse("people:import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "ni en UTF-8 ni en Windows-1252" in response.content.decode()
