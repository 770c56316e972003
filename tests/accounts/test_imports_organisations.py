"""Import of a territory's structures: row rules, conflicts, all-or-nothing, audit, command."""

import pytest
from django.core.management import CommandError, call_command

from spie.accounts.enums import OrganisationType
from spie.accounts.imports import apply_organisations, plan_organisations
from spie.accounts.models import Organisation
from spie.core.imports import ImportFileError
from spie.core.models import AuditEvent
from spie.core.validators import siret_with_key
from tests.accounts.factories import OrganisationFactory

HEADER = "siret;nom;type;adresse;code_postal;commune;email;telephone"
SIRET_A = siret_with_key("7000000000001")
SIRET_B = siret_with_key("7000000000002")


def csv(*lines, header=HEADER, encoding="utf-8"):
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def test_new_structures_are_created_with_type_commune_and_contact(nord, admin_national):
    content = csv(
        f"{SIRET_A};Mission locale de Lille;Mission locale;2 place de la Gare;59000;Lille;ml@exemple.fr;03 20 11 11 11",
        f"{SIRET_B};Pôle emploi Roubaix;pole emploi;;;59350;;",
    )
    report = plan_organisations(content, territory=nord)
    assert [r.action for r in report.results] == ["create", "create"]
    counts = apply_organisations(report, territory=nord, by=None)
    assert counts == {"created": 2, "updated": 0, "unchanged": 0}
    ml = Organisation.objects.get(siret=SIRET_A)
    assert ml.type == OrganisationType.MISSION_LOCALE
    assert ml.commune.insee_code == "59350"
    assert ml.territory == nord
    assert ml.email == "ml@exemple.fr"
    assert Organisation.objects.get(siret=SIRET_B).type == OrganisationType.FRANCE_TRAVAIL
    assert AuditEvent.objects.filter(action="accounts.organisation.imported").count() == 2


def test_headers_match_whatever_their_case_and_accents(nord):
    content = csv(f"{SIRET_A};ML;Mission locale", header="SIRET;Nom;Type")
    assert plan_organisations(content, territory=nord).results[0].action == "create"
    content = f"Siret,Nom,TYPE,Téléphone,Remarque\n{SIRET_A},ML,plie,0320000000,x\n".encode("cp1252")
    report = plan_organisations(content, territory=nord)
    assert report.results[0].payload["values"]["type"] == OrganisationType.PLIE
    assert report.results[0].payload["values"]["phone"] == "0320000000"
    assert report.warnings == ["Colonne « Remarque » inconnue : elle est ignorée."]


def test_each_bad_value_is_named_with_its_column(nord):
    content = csv(
        "12345678901234;;Banque;;590;Atlantide;pas-un-email;abc",
    )
    errors = plan_organisations(content, territory=nord).results[0].errors
    assert "colonne « siret » : « 12345678901234 » : Ce SIRET n'est pas valide (clé de contrôle incorrecte)." in errors
    assert "colonne « nom » : obligatoire" in errors
    assert any(e.startswith("colonne « type » : « Banque » non reconnu") for e in errors)
    assert "colonne « code_postal » : « 590 » invalide (5 chiffres)" in errors
    assert "colonne « commune » : « Atlantide » introuvable (nom ou code INSEE)" in errors
    assert "colonne « email » : « pas-un-email » n'est pas une adresse e-mail valide" in errors
    assert "colonne « telephone » : « abc » n'est pas un numéro de téléphone" in errors


def test_missing_required_column_refuses_the_file(nord):
    with pytest.raises(ImportFileError, match="« type »"):
        plan_organisations(csv(f"{SIRET_A};ML", header="siret;nom"), territory=nord)


def test_same_siret_in_the_territory_updates_without_blanking(nord):
    existing = OrganisationFactory(siret=SIRET_A, name="ML Lille", territory=nord, email="old@exemple.fr")
    report = plan_organisations(csv(f"{SIRET_A};Mission locale de Lille;Mission locale;;;;;"), territory=nord)
    row = report.results[0]
    assert row.action == "update"
    assert row.messages == ["modifié : nom, type"]
    apply_organisations(report, territory=nord, by=None)
    existing.refresh_from_db()
    assert existing.name == "Mission locale de Lille"
    assert existing.email == "old@exemple.fr"
    assert AuditEvent.objects.filter(action="accounts.organisation.updated", target_id=existing.public_id).exists()


def test_unchanged_structure_is_left_alone(nord):
    OrganisationFactory(siret=SIRET_A, name="ML", type=OrganisationType.MISSION_LOCALE, territory=nord)
    report = plan_organisations(csv(f"{SIRET_A};ML;Mission locale"), territory=nord)
    assert report.results[0].action == "unchanged"


def test_same_siret_in_another_territory_is_an_error_that_names_it(nord, ml_ardennes):
    report = plan_organisations(csv(f"{ml_ardennes.siret};ML;Mission locale"), territory=nord)
    assert report.results[0].errors == [
        "colonne « siret » : déjà utilisé par la structure « Mission locale de Charleville » du territoire Ardennes"
    ]


def test_national_structure_siret_is_refused(nord, ministere):
    report = plan_organisations(csv(f"{ministere.siret};DGEFP;Autre"), territory=nord)
    assert report.results[0].errors == ["colonne « siret » : déjà utilisé par la structure « DGEFP » nationale"]


def test_duplicate_siret_in_the_file_and_all_or_nothing(nord):
    report = plan_organisations(csv(f"{SIRET_A};A;PLIE", f"{SIRET_B};B;PLIE", f"{SIRET_A};C;PLIE"), territory=nord)
    assert report.results[2].errors == ["colonne « siret » : doublon de la ligne 2"]
    with pytest.raises(ValueError):
        apply_organisations(report, territory=nord, by=None)
    assert not Organisation.objects.filter(siret__in=[SIRET_A, SIRET_B]).exists()
    counts = apply_organisations(report, territory=nord, by=None, skip_invalid=True)
    assert counts["created"] == 2


def test_commune_outside_the_territory_is_only_a_warning(nord, ardennes):
    report = plan_organisations(csv(f"{SIRET_A};ML;Mission locale;;;08105;;"), territory=nord)
    assert report.results[0].action == "create"
    assert report.results[0].messages == ["la commune Charleville-Mézières est hors du territoire"]


def test_command_is_a_dry_run_unless_wet_run(nord, tmp_path, capsys):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv(f"{SIRET_A};ML;Mission locale", f"{SIRET_B};PLIE de Lille;PLIE"))
    call_command("import_organisations", str(path), "--territory", "59")
    assert "Simulation : 2 à créer" in capsys.readouterr().out
    assert not Organisation.objects.filter(siret=SIRET_A).exists()
    call_command("import_organisations", str(path), "--territory", "59", "--wet-run")
    assert "2 structure(s) créée(s)" in capsys.readouterr().out
    assert Organisation.objects.filter(territory=nord, siret__in=[SIRET_A, SIRET_B]).count() == 2


def test_command_refuses_a_file_with_errors_and_names_lines(nord, tmp_path, capsys):
    path = tmp_path / "structures.csv"
    path.write_bytes(csv(f"{SIRET_A};ML;Mission locale", "123;;PLIE"))
    with pytest.raises(CommandError, match="1 ligne\\(s\\) rejetée\\(s\\)"):
        call_command("import_organisations", str(path), "--territory", "59", "--wet-run")
    assert "Ligne 3 : colonne « siret »" in capsys.readouterr().out
    assert not Organisation.objects.filter(siret=SIRET_A).exists()
    with pytest.raises(CommandError, match="Territoire inconnu"):
        call_command("import_organisations", str(path), "--territory", "zz")
