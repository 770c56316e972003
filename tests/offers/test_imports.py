"""Import of data·inclusion files: valid records, each kind of invalid record, idempotence, round trip."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from spie.core.imports import ImportFileError
from spie.offers.enums import DuplicateReason, TagKind
from spie.offers.export import directory_json
from spie.offers.imports import apply_import, plan_import
from spie.offers.models import DuplicateCandidate, Offer, OfferStructure, OfferTag
from tests.accounts.factories import OrganisationFactory

pytestmark = pytest.mark.usefixtures("vocabularies", "places")


def structure(**fields):
    return {
        "source": "dora",
        "id": "dora--s1",
        "nom": "Mission locale de Lille",
        "date_maj": "2026-09-15",
        "siret": "13003013300016",
        "code_insee": "59350",
        "commune": "Lille",
        "adresse": "10 rue du Molinel",
        "reseaux_porteurs": ["mission-locale"],
        **fields,
    }


def service(**fields):
    return {
        "source": "dora",
        "id": "dora--1",
        "structure_id": "dora--s1",
        "nom": "Préparer son permis de conduire",
        "description": "Code et conduite accompagnés pour les jeunes sans permis.",
        "date_maj": "2026-09-15",
        "type": "accompagnement",
        "thematiques": ["mobilite--preparer-un-permis"],
        "publics": ["jeunes"],
        "frais": "gratuit",
        "modes_accueil": ["en-presentiel"],
        "code_insee": "59350",
        "adresse": "10 rue du Molinel",
        "zone_eligibilite": ["59"],
        **fields,
    }


def payload(structures=None, services=None):
    return json.dumps(
        {"structures": structures if structures is not None else [structure()], "services": services or [service()]}
    ).encode()


def test_valid_records_are_created_placed_and_indexed(nord):
    plan = plan_import(payload())
    assert plan.rejected == []
    assert plan.summary() == (
        "structures : 1 à créer, 0 à mettre à jour, 0 inchangé(s), 0 rejeté(s) ; "
        "services : 1 à créer, 0 à mettre à jour, 0 inchangé(s), 0 rejeté(s)"
    )
    counts = apply_import(plan)
    assert counts["structures_created"] == counts["services_created"] == 1
    offer = Offer.objects.get(source="dora", source_id="dora--1")
    assert offer.territory == nord
    assert (offer.geo_lat, offer.geo_lon) == (50.63194, 3.0575)
    assert offer.on_site and not offer.remote and offer.has_zone
    assert offer.structure.territory == nord
    tags = set(OfferTag.objects.filter(offer=offer).values_list("kind", "value"))
    assert tags == {
        (TagKind.THEMATIQUE, "mobilite"),
        (TagKind.THEMATIQUE, "mobilite--preparer-un-permis"),
        (TagKind.PUBLIC, "jeunes"),
        (TagKind.ZONE, "59"),
    }


def test_a_structure_whose_siret_is_on_the_platform_is_linked(nord):
    organisation = OrganisationFactory(siret="13003013300016", territory=nord)
    apply_import(plan_import(payload()))
    assert OfferStructure.objects.get().organisation == organisation


def test_reimport_is_idempotent_and_changes_are_updates():
    apply_import(plan_import(payload()))
    again = plan_import(payload())
    assert again.count("service", "unchanged") == 1 and again.count("structure", "unchanged") == 1
    counts = apply_import(again)
    assert counts["services_created"] == counts["services_updated"] == 0
    changed = plan_import(payload(services=[service(nom="Permis de conduire accompagné")]))
    assert changed.count("service", "update") == 1
    apply_import(changed)
    assert Offer.objects.get().name == "Permis de conduire accompagné"
    assert Offer.objects.count() == 1


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (service(id=None), "Service n° 1 (sans identifiant) — champ « id » : champ obligatoire manquant"),
        (service(nom="Ab"), "Service « dora--1 » — champ « nom » : trop court (2 caractères, au moins 3)"),
        (service(description=None), "Service « dora--1 » — champ « description » : champ obligatoire manquant"),
        (
            service(date_maj="15/09/2026"),
            "Service « dora--1 » — champ « date_maj » : date « 15/09/2026 » invalide (attendu AAAA-MM-JJ)",
        ),
        (
            service(thematiques=["mobilite--teleportation"]),
            "Service « dora--1 » — champ « thematiques » : valeur « mobilite--teleportation » absente du "
            "vocabulaire data·inclusion des thématiques",
        ),
        (
            service(publics=["tout-le-monde"]),
            "Service « dora--1 » — champ « publics » : valeur « tout-le-monde » absente du vocabulaire "
            "data·inclusion des publics",
        ),
        (
            service(frais="offert"),
            "Service « dora--1 » — champ « frais » : valeur « offert » absente du vocabulaire data·inclusion des frais",
        ),
        (service(code_insee="5935"), "Service « dora--1 » — champ « code_insee » : « 5935 » invalide (5 caractères)"),
        (
            service(courriel="pas-une-adresse"),
            "Service « dora--1 » — champ « courriel » : « pas-une-adresse » n'est pas une adresse e-mail valide",
        ),
        (
            service(lien_mobilisation="ftp://exemple"),
            "Service « dora--1 » — champ « lien_mobilisation » : « ftp://exemple » n'est pas un lien valide "
            "(http:// ou https://)",
        ),
        (
            service(zone_eligibilite=["Nord!"]),
            "Service « dora--1 » — champ « zone_eligibilite » : code « Nord! » invalide (commune, département, "
            "EPCI, pays ou « france »)",
        ),
        (
            service(nombre_semaines=0),
            "Service « dora--1 » — champ « nombre_semaines » : 0 est inférieur au minimum 1",
        ),
        (
            service(structure_id="dora--inconnue"),
            "Service « dora--1 » — champ « structure_id » : structure « dora--inconnue » inconnue (ni dans le "
            "fichier, ni dans l'annuaire)",
        ),
        ("texte", "Service n° 1 (sans identifiant) — objet JSON attendu"),
    ],
)
def test_each_invalid_service_names_the_record_the_field_and_the_reason(record, message):
    plan = plan_import(payload(services=[record]))
    assert [error for result in plan.rejected for error in result.errors] == [message]
    assert not plan.can_apply()
    with pytest.raises(ValueError):
        apply_import(plan)


def test_invalid_structures_reject_their_services_too():
    plan = plan_import(payload(structures=[structure(siret="12345678901234", nom="Mission locale.")]))
    errors = [error for result in plan.rejected for error in result.errors]
    assert errors == [
        "Structure « dora--s1 » — champ « nom » : ne doit pas se terminer par un point",
        "Structure « dora--s1 » — champ « siret » : « 12345678901234 » : Ce SIRET n'est pas valide (clé de "
        "contrôle incorrecte).",
        "Service « dora--1 » — champ « structure_id » : la structure « dora--s1 » est rejetée",
    ]


def test_duplicates_in_the_file_and_source_mismatch_are_rejected():
    plan = plan_import(payload(services=[service(), service(), service(id="cd59--2", source="cd59")]), source="dora")
    errors = [error for result in plan.rejected for error in result.errors]
    assert "Service « dora--1 » — champ « id » : en double dans le fichier (déjà à la position 1)" in errors
    assert "Service « cd59--2 » — champ « source » : « cd59 » différente de la source importée « dora »" in errors


def test_skip_invalid_imports_the_valid_records_and_counts_the_rejected():
    plan = plan_import(payload(services=[service(), service(id="dora--2", nom="X")]))
    counts = apply_import(plan, skip_invalid=True)
    assert counts["services_created"] == 1 and counts["rejected"] == 1


def test_unreadable_files_are_refused_with_a_french_message():
    with pytest.raises(ImportFileError, match="Le JSON n'est pas valable"):
        plan_import(b'{"structures": [')
    with pytest.raises(ImportFileError, match="« structures » et une liste « services »"):
        plan_import(b'{"autre": []}')


def test_csv_of_structures_then_of_services():
    structures_csv = (
        b"source;id;nom;date_maj;code_insee;reseaux_porteurs\n"
        b"cd59;cd59--s1;Centre social Le Tournesol;2026-05-02;59512;fcsf|ccas-cias\n"
    )
    apply_import(plan_import(structures_csv))
    services_csv = (
        "source;id;structure_id;nom;description;date_maj;thematiques;modes_accueil;volume_horaire_hebdomadaire\n"
        "cd59;cd59--1;cd59--s1;Épicerie solidaire;Des courses à petit prix.;2026-05-02;"
        "equipement-et-alimentation--alimentation;en-presentiel;2,5\n"
    ).encode()
    plan = plan_import(services_csv)
    assert plan.rejected == [], plan.rejected
    apply_import(plan)
    offer = Offer.objects.get(source_id="cd59--1")
    assert offer.structure.networks == ["fcsf", "ccas-cias"]
    assert offer.code_insee == "" and offer.geo_lat == pytest.approx(50.6903)  # placed at its structure


def test_export_then_import_gives_the_same_records_back(nord):
    apply_import(
        plan_import(
            payload(
                services=[
                    service(),
                    service(id="dora--2", nom="Atelier CV", thematiques=None, zone_eligibilite=None, latitude=50.6),
                    service(
                        id="dora--3", modes_accueil=["a-distance"], code_insee=None, volume_horaire_hebdomadaire=3.5
                    ),
                ]
            )
        )
    )
    exported = directory_json(Offer.objects.all())
    assert len(exported["services"]) == 3 and len(exported["structures"]) == 1
    Offer.objects.all().delete()
    OfferStructure.objects.all().delete()
    apply_import(plan_import(json.dumps(exported).encode()))
    assert directory_json(Offer.objects.all()) == exported
    assert plan_import(json.dumps(exported).encode()).count("service", "unchanged") == 3


def test_likely_duplicates_across_sources_are_flagged():
    apply_import(plan_import(payload()))
    other = json.dumps(
        {
            "structures": [
                structure(source="cd59", id="cd59--ml", nom="Mission Locale Lille"),
            ],
            "services": [
                service(source="cd59", id="cd59--permis", structure_id="cd59--ml", adresse="10 Rue du Molinel"),
            ],
        }
    ).encode()
    counts = apply_import(plan_import(other))
    assert counts["duplicates"] == 2
    reasons = set(DuplicateCandidate.objects.values_list("reason", flat=True))
    assert reasons == {DuplicateReason.SIRET_AND_NAME, DuplicateReason.NAME_AND_ADDRESS}


def test_import_command_is_a_dry_run_unless_wet_run(tmp_path, capsys):
    path = tmp_path / "offre.json"
    path.write_bytes(payload())
    call_command("import_offers", str(path))
    assert "Simulation" in capsys.readouterr().out and Offer.objects.count() == 0
    call_command("import_offers", str(path), "--wet-run")
    assert "services : 1 créé(s)" in capsys.readouterr().out and Offer.objects.count() == 1
    path.write_bytes(payload(services=[service(nom="X")]))
    with pytest.raises(CommandError, match="Import refusé : 1 enregistrement"):
        call_command("import_offers", str(path), "--wet-run")


def test_deeply_nested_json_is_a_french_file_error():
    with pytest.raises(ImportFileError, match="Le JSON est trop imbriqué"):
        plan_import(b'{"structures": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")


def test_nul_characters_too_long_sources_and_huge_numbers_are_field_errors():
    plan = plan_import(
        payload(
            services=[
                service(description="Code et conduite\x00 accompagnés."),
                service(id="dora--2", nombre_semaines=10**12),
                service(id="dora--3", volume_horaire_hebdomadaire="1e999"),
                service(id="dora--4", date_maj="0001-01-01"),
            ],
            structures=[structure(), structure(id="s" * 10, source="x" * 101)],
        )
    )
    errors = [error for result in plan.rejected for error in result.errors]
    assert "Structure « ssssssssss » — champ « source » : trop long (101 caractères, au plus 100)" in errors
    assert (
        "Service « dora--1 » — champ « description » : contient un caractère nul (fichier binaire ou mal encodé ?)"
        in errors
    )
    assert "Service « dora--2 » — champ « nombre_semaines » : « 1000000000000 » n'est pas un nombre entier" in errors
    assert "Service « dora--3 » — champ « volume_horaire_hebdomadaire » : « 1e999 » n'est pas un nombre" in errors
    assert "Service « dora--4 » — champ « date_maj » : date « 0001-01-01 » hors des années 1900 à 2100" in errors
    with pytest.raises(ValueError):
        apply_import(plan)
    assert not Offer.objects.exists()
