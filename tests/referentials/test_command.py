import re
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from spie.referentials.models import RomeJob
from spie.territories import seed
from spie.territories.models import Commune


@pytest.fixture
def territories_seed(monkeypatch):
    """The official territories name départements that the small fixtures do not hold."""
    calls = []

    def fake(*args, **kwargs):
        calls.append(args)
        return {"territories_created": 0, "territories_updated": 0, "territories_total": 0}

    monkeypatch.setattr(seed, "load_official_territories", fake)
    return calls


def run(data_dir, *args):
    out, err = StringIO(), StringIO()
    call_command("load_referentials", "--data-dir", str(data_dir), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_loads_then_says_nothing_changed(db, fixtures_dir, territories_seed, capsys):
    out, _ = run(fixtures_dir)
    assert re.fullmatch(
        r"Référentiels chargés en \d+,\d s : 3 régions, 3 départements, 2 EPCI, 5 communes, "
        r"15 codes postaux, 6 domaines ROME, 4 métiers ROME, 4 appellations ROME, 3 liens NAF → ROME, "
        r"3 activités NAF, 2 thèmes, 3 situations, 2 objectifs, 2 actions, \d+ termes data·inclusion, "
        r"0 territoires \(créés : \d+, mis à jour : 0, inchangés : 0\)\.\n",
        out,
    ), out
    assert "Communes: 100%" in capsys.readouterr().err  # one progress bar per step, on stderr
    assert len(territories_seed) == 1  # the official territories come last

    out, _ = run(fixtures_dir)
    assert out.startswith("Référentiels déjà à jour, aucun changement")
    assert "(créés : 0, mis à jour : 0, inchangés : " in out
    assert Commune.objects.count() == 5


def test_a_bad_file_rolls_everything_back(db, fixtures_dir, tmp_path, territories_seed):
    data = tmp_path / "data"
    shutil.copytree(fixtures_dir, data)
    (data / "naf" / "naf_rev2_sous_classes.csv").unlink()
    with pytest.raises(CommandError, match="Chargement annulé, rien n'a été écrit : Fichier introuvable"):
        run(data, "-v", "0")
    assert not Commune.objects.exists()
    assert not RomeJob.objects.exists()
    assert territories_seed == []
