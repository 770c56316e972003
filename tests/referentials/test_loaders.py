import datetime
import shutil

import pytest

from spie.referentials.enums import Vocabulary
from spie.referentials.loaders import load_all, load_pathway_referential, load_rome, load_vocabularies
from spie.referentials.models import (
    Action,
    NafActivity,
    NafDivisionJob,
    ReferentialVersion,
    RomeAppellation,
    RomeDomain,
    RomeJob,
    Situation,
    Theme,
    VocabularyTerm,
)
from spie.referentials.sync import LoadError
from spie.territories.geography import load_geography
from spie.territories.models import Commune, Departement, Epci, PostalCode, Region


def by_label(results):
    return {result.label: result for result in results}


@pytest.fixture
def data_copy(db, tmp_path, fixtures_dir):
    """A writable copy of the fixture files, to change them between two loads."""
    target = tmp_path / "data"
    shutil.copytree(fixtures_dir, target)
    return target


def test_first_load_creates_every_table(referentials):
    results = by_label(referentials)
    assert results["communes"].created == 5
    assert Region.objects.count() == 3
    assert Departement.objects.get(code="2A").region.name == "Corse"
    lille = Commune.objects.get(insee_code="59350")
    assert lille.name == "Lille"
    assert lille.search_name == "lille"
    assert lille.postal_codes == "59000|59160|59260|59777|59800"
    assert lille.population == 238246
    assert lille.latitude == pytest.approx(50.63178)
    assert lille.epci.name == "Métropole Européenne de Lille"
    assert Commune.objects.get(insee_code="59009").search_name == "villeneuve d ascq"
    assert sorted(PostalCode.objects.filter(commune=lille).values_list("code", flat=True)) == [
        "59000",
        "59160",
        "59260",
        "59777",
        "59800",
    ]
    assert PostalCode.objects.count() == 15
    assert Epci.objects.get(siren="244200770").kind == "METRO"


def test_rome_and_naf(referentials):
    assert RomeDomain.objects.filter(parent__isnull=True).count() == 3
    assert RomeDomain.objects.get(code="K13").parent.code == "K"
    job = RomeJob.objects.get(code="K1302")
    assert job.domain.code == "K13"
    assert job.search_label == "assistant assistante de vie dependance"
    assert RomeAppellation.objects.get(code_ogr="10816").job == job
    assert set(NafDivisionJob.objects.filter(division_code="88").values_list("job__code", flat=True)) == {
        "K1302",
        "K1311",
    }
    activity = NafActivity.objects.get(code="43.22A")
    assert activity.version == "NAF rév. 2"
    assert activity.division_label == "Travaux de construction spécialisés"  # trailing space stripped
    assert activity.section_code == "F"


def test_pathway_referential_version(referentials):
    version = ReferentialVersion.objects.get(code="2024")
    assert version.is_current
    assert version.label == "Référentiel du parcours d'insertion, état 2024"
    assert list(Theme.objects.filter(version=version).values_list("code", "family", "position")) == [
        ("logement", "social", 1),
        ("emploi", "professionnel", 2),
    ]
    situation = Situation.objects.get(code="emploi.s01")
    assert situation.theme.code == "emploi"
    assert situation.position == 3
    assert Action.objects.get(code="logement.a01").label == "Appel 115"


def test_vocabularies_with_thematique_categories(referentials):
    category = VocabularyTerm.objects.get(vocabulary=Vocabulary.THEMATIQUES, value="souvrir-a-linternational")
    assert category.label == "S'ouvrir à l'international"
    assert category.parent_value == ""
    assert VocabularyTerm.objects.get(value="mobilite").label == "Mobilité"
    sub = VocabularyTerm.objects.get(value="mobilite--financer-ma-mobilite")
    assert sub.parent_value == "mobilite"
    assert sub.label == "Financer ma mobilité"
    assert VocabularyTerm.objects.filter(vocabulary=Vocabulary.THEMATIQUES).count() == 5
    assert VocabularyTerm.objects.get(vocabulary=Vocabulary.FRAIS, value="gratuit").parent_value == ""
    vocabularies = set(VocabularyTerm.objects.values_list("vocabulary", flat=True))
    assert vocabularies == set(Vocabulary.values)


def test_second_load_changes_nothing(referentials, fixtures_dir, django_assert_max_num_queries):
    with django_assert_max_num_queries(60):  # a few queries per table, whatever the number of rows
        results = load_all(fixtures_dir)
    assert all(r.created == r.updated == r.deleted == 0 for r in results), results
    assert sum(r.unchanged for r in results) == sum(r.total for r in results)


def test_a_changed_label_is_updated(data_copy):
    load_all(data_copy)
    communes = data_copy / "cog" / "communes.csv"
    communes.write_text(
        communes.read_text(encoding="utf-8").replace("59350,Lille,", "59350,Lille-en-Flandre,"),
        encoding="utf-8",
    )
    jobs = data_copy / "rome" / "unix_referentiel_code_rome_v460_utf8.csv"
    jobs.write_text(jobs.read_text(encoding="utf-8").replace('"Secrétaire"', '"Secrétaire polyvalent"'))

    results = by_label(load_all(data_copy))

    assert (results["communes"].updated, results["communes"].unchanged) == (1, 4)
    lille = Commune.objects.get(insee_code="59350")
    assert (lille.name, lille.search_name) == ("Lille-en-Flandre", "lille en flandre")
    assert results["métiers ROME"].updated == 1
    assert RomeJob.objects.get(code="M1607").search_label == "secretaire polyvalent"
    assert results["appellations ROME"].updated == 0


def test_a_removed_postal_code_goes_and_a_new_one_comes(data_copy):
    load_all(data_copy)
    communes = data_copy / "cog" / "communes.csv"
    communes.write_text(
        communes.read_text(encoding="utf-8").replace("20000|20090|20167", "20000|20999"), encoding="utf-8"
    )
    results = by_label(load_geography(data_copy))
    assert (results["codes postaux"].created, results["codes postaux"].deleted) == (1, 2)
    assert sorted(PostalCode.objects.filter(commune__insee_code="2A004").values_list("code", flat=True)) == [
        "20000",
        "20999",
    ]


def test_a_new_version_never_touches_the_old_one(data_copy):
    load_pathway_referential(data_copy)
    old = ReferentialVersion.objects.get(code="2024")
    old_rows = list(Situation.objects.filter(version=old).values_list("pk", "code", "label", "position"))
    situations = data_copy / "referentiel" / "situations.csv"
    situations.write_text(
        "code,theme,libelle\nlogement.s01,logement,Sans logement\nlogement.s03,logement,En foyer\n",
        encoding="utf-8",
    )

    results = by_label(
        load_pathway_referential(
            data_copy, code="2026", label="Référentiel 2026", published_on=datetime.date(2026, 1, 1)
        )
    )

    new = ReferentialVersion.objects.get(code="2026")
    assert new.is_current
    old.refresh_from_db()
    assert not old.is_current
    assert results["situations"].created == 2
    assert list(Situation.objects.filter(version=old).values_list("pk", "code", "label", "position")) == old_rows
    assert Theme.objects.filter(version=old).count() == Theme.objects.filter(version=new).count() == 2
    assert Situation.objects.get(version=new, code="logement.s01").theme.version == new

    # Reloading the old version afterwards does not take the "current" mark back.
    load_pathway_referential(data_copy)
    assert ReferentialVersion.objects.current() == new


def test_unknown_reference_is_a_french_error_and_writes_nothing(data_copy):
    actions = data_copy / "referentiel" / "actions.csv"
    actions.write_text("code,theme,libelle\nsante.a01,sante,Bilan de santé\n", encoding="utf-8")
    with pytest.raises(LoadError, match="actions.csv, ligne 2 : thème « sante » inconnu"):
        load_pathway_referential(data_copy)
    assert not ReferentialVersion.objects.exists()
    assert not Theme.objects.exists()


def test_missing_file_and_missing_column(tmp_path, data_copy):
    with pytest.raises(LoadError, match="Fichier introuvable"):
        load_rome(tmp_path)
    publics = data_copy / "data-inclusion" / "publics_v1.csv"
    publics.write_text("valeur,label\nactifs,Actifs\n", encoding="utf-8")
    with pytest.raises(LoadError, match="publics_v1.csv : colonne"):
        load_vocabularies(data_copy)
