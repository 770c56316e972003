import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from spie.core.imports import ImportFileError
from spie.core.models import AuditEvent
from spie.people.imports import apply_import, plan_import
from spie.people.models import AccessLog, Person
from tests.people.factories import PersonFactory, valid_nir

HEADER = "nom;prenom;date_naissance;nir;numero_france_travail;identifiant_si;commune;code_postal;referent_email"


def _csv(*lines, header=HEADER, encoding="utf-8"):
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def _plan(content, territory):
    return plan_import(content, territory=territory)


def _errors(report):
    return {result.line: result.errors for result in report.rejected}


def test_valid_rows_are_created_with_their_referent(nord, conseiller):
    content = _csv(
        f"Durand;Léa;03/04/1991;;1234567A;SI-1;Lille;59000;{conseiller.email}",
        "Petit;Hugo;1988-12-01;;;;59350;;",
    )
    report = _plan(content, nord)
    assert report.summary() == "2 à créer, 0 à mettre à jour, 0 inchangée(s), 0 rejetée(s)"
    counts = apply_import(report, territory=nord, by=None)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0, "referents": 1, "join_requests": 0}
    lea = Person.objects.get(birth_name="Durand")
    assert lea.commune.name == "Lille" and lea.referent.membership.user == conseiller
    assert AuditEvent.objects.filter(action="people.person.imported").count() == 2
    assert AccessLog.objects.filter(kind="write").count() == 2


def test_windows_1252_and_comma_separator_and_accented_headers(nord):
    content = _csv("Lefèvre,Zoé,01/01/1990", header="NOM,Prénom,Date_Naissance", encoding="cp1252")
    report = _plan(content, nord)
    assert report.results[0].payload["values"]["birth_name"] == "Lefèvre"


def test_unknown_columns_are_ignored_with_a_warning(nord):
    report = _plan(_csv("A;B;01/01/1990;bleu", header="nom;prenom;date_naissance;couleur"), nord)
    assert report.warnings == ["Colonne « couleur » inconnue : elle est ignorée."]
    assert not report.rejected


def test_missing_required_column_stops_the_file(nord):
    with pytest.raises(ImportFileError, match="« date_naissance »"):
        _plan(_csv("A;B", header="nom;prenom"), nord)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (";Léa;03/04/1991;;;;;;", "colonne « nom » : obligatoire"),
        ("Durand;Léa;31/02/1991;;;;;;", "colonne « date_naissance » : date « 31/02/1991 » invalide"),
        ("Durand;Léa;03/04/1991;185057800608400;;;;;", "colonne « nir » : Ce NIR n'est pas valide"),
        (f"Durand;Léa;03/04/1991;{valid_nir('2850559350123')};;;;;", "le NIR ne correspond pas à la date de naissance"),
        ("Durand;Léa;03/04/1991;;12AB;;;;", "colonne « numero_france_travail »"),
        ("Durand;Léa;03/04/1991;;;;Nulle-Part;;", "colonne « commune » : « Nulle-Part » introuvable"),
        ("Durand;Léa;03/04/1991;;;;;;inconnu@exemple.fr", "n'est membre actif d'aucune structure du territoire"),
    ],
)
def test_each_error_names_the_line_column_and_reason(nord, line, expected):
    report = _plan(_csv(line), nord)
    assert any(expected in error for error in report.rejected[0].errors), report.rejected[0].errors
    assert report.rejected[0].line == 2


def test_duplicates_inside_the_file_are_errors(nord):
    report = _plan(_csv("Durand;Léa;03/04/1991;;1234567A;;;;", "DURAND;lea;1991-04-03;;;;;;"), nord)
    assert _errors(report) == {3: ["doublon de la ligne 2 (identité)"]}


def test_existing_person_is_matched_by_nir_and_completed_not_blanked(nord):
    person = PersonFactory(territory=nord, birth_name="Martin", email="garde@exemple.fr", nir=valid_nir())
    content = _csv("Martin;Camille;14/05/1985;" + valid_nir() + ";;SI-9;;;")
    report = _plan(content, nord)
    assert report.results[0].action == "update"
    apply_import(report, territory=nord, by=None)
    person.refresh_from_db()
    assert person.si_id == "SI-9" and person.email == "garde@exemple.fr"


def test_row_matching_two_files_by_two_keys_is_an_error(nord):
    PersonFactory(territory=nord, birth_name="Martin", nir=valid_nir(), france_travail_id="1111111A")
    PersonFactory(territory=nord, birth_name="Autre", first_names="Paul", france_travail_id="2222222B")
    report = _plan(_csv(f"Martin;Camille;14/05/1985;{valid_nir()};2222222B;;;;"), nord)
    assert "plusieurs dossiers différents" in report.rejected[0].errors[0]


def test_contradiction_with_the_matched_file_is_an_error(nord):
    PersonFactory(territory=nord, birth_name="Martin", france_travail_id="1111111A")
    report = _plan(_csv("Martin;Camille;15/05/1985;;1111111A;;;;"), nord)
    assert "contredit le dossier trouvé par numéro France Travail" in report.rejected[0].errors[0]


def test_all_or_nothing_by_default_and_skip_invalid_imports_the_rest(nord):
    report = _plan(_csv("Durand;Léa;03/04/1991;;;;;;", ";Sans;01/01/1990;;;;;;"), nord)
    assert not report.can_apply()
    with pytest.raises(ValueError):
        apply_import(report, territory=nord, by=None)
    assert Person.objects.count() == 0
    apply_import(report, territory=nord, by=None, skip_invalid=True)
    assert list(Person.objects.values_list("birth_name", flat=True)) == ["Durand"]


def test_reimporting_the_same_file_changes_nothing(nord):
    content = _csv("Durand;Léa;03/04/1991;;1234567A;;;;")
    apply_import(_plan(content, nord), territory=nord, by=None)
    counts = apply_import(_plan(content, nord), territory=nord, by=None)
    assert counts["created"] == 0 and counts["unchanged"] == 1
    assert Person.objects.count() == 1


def test_command_is_a_dry_run_unless_wet_run(nord, tmp_path, capsys):
    path = tmp_path / "personnes.csv"
    path.write_bytes(_csv("Durand;Léa;03/04/1991;;;;;;", ";Sans;01/01/1990;;;;;;"))
    call_command("import_people", str(path), "--territory", "59")
    out = capsys.readouterr().out
    assert "Ligne 3 : colonne « nom » : obligatoire" in out
    assert "Simulation : 1 à créer" in out
    assert Person.objects.count() == 0
    with pytest.raises(CommandError, match="Import refusé : 1 ligne"):
        call_command("import_people", str(path), "--territory", "59", "--wet-run")
    call_command("import_people", str(path), "--territory", "59", "--wet-run", "--skip-invalid")
    assert "1 créé(s)" in capsys.readouterr().out
    assert Person.objects.count() == 1


def test_command_names_an_unknown_territory(db, tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(_csv())
    with pytest.raises(CommandError, match="Territoire inconnu : 99"):
        call_command("import_people", str(path), "--territory", "99")


def test_upload_preview_then_confirm(client_as, gestionnaire, nord):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(gestionnaire)
    upload = SimpleUploadedFile("personnes.csv", _csv("Durand;Léa;03/04/1991;;;;;;", "Petit;Hugo;01/12/1988;;;;;;"))
    response = client.post(reverse("people:import"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "2 à créer" in page and Person.objects.count() == 0
    client.post(response.redirect_chain[-1][0])
    assert Person.objects.count() == 2


def test_upload_with_errors_cannot_be_confirmed(client_as, gestionnaire, nord):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as(gestionnaire)
    upload = SimpleUploadedFile("personnes.csv", _csv(";Léa;03/04/1991;;;;;;"))
    response = client.post(reverse("people:import"), {"file": upload}, follow=True)
    assert "rien ne sera importé" in response.content.decode()
    client.post(response.redirect_chain[-1][0])
    assert Person.objects.count() == 0
