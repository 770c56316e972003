import pytest
from django import forms
from dsfr.forms import DsfrBaseForm

from spie.referentials.fields import CommuneField, RomeJobField, commune_option, rome_option
from spie.referentials.models import RomeJob
from spie.territories.models import Commune


class PlaceForm(DsfrBaseForm):
    commune = CommuneField(label="Commune de résidence")
    metier = RomeJobField(label="Métier recherché", required=False)


@pytest.mark.parametrize(
    ("typed", "insee_code"),
    [
        ("Lille (59000) — 59350", "59350"),
        ("Lille (59800) — 59350", "59350"),
        ("  59350 ", "59350"),
        ("2a004", "2A004"),
        ("Ajaccio (20000) — 2A004", "2A004"),
    ],
)
def test_commune_field_accepts_an_option_or_an_insee_code(referentials, typed, insee_code):
    assert CommuneField().clean(typed) == Commune.objects.get(insee_code=insee_code)


@pytest.mark.parametrize("typed", ["Lile", "59000", "Lille (59000) — 99999", "Lille (59000)"])
def test_commune_field_rejects_anything_else_with_a_french_message(referentials, typed):
    with pytest.raises(forms.ValidationError) as error:
        CommuneField().clean(typed)
    assert error.value.messages == ["Commune introuvable : choisissez-la dans la liste."]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Secrétaire — M1607", "M1607"),
        ("Secrétaire administratif / administrative — M1607", "M1607"),
        ("m1607", "M1607"),
        ("K1302", "K1302"),
    ],
)
def test_rome_field_accepts_an_option_or_a_rome_code(referentials, typed, code):
    assert RomeJobField().clean(typed) == RomeJob.objects.get(code=code)


@pytest.mark.parametrize("typed", ["secrétaire", "Z9999", "M16", "Secrétaire — M9999"])
def test_rome_field_rejects_anything_else(referentials, typed):
    with pytest.raises(forms.ValidationError) as error:
        RomeJobField().clean(typed)
    assert error.value.messages == ["Métier ROME introuvable : choisissez-le dans la liste."]


def test_required_and_optional(referentials):
    form = PlaceForm(data={"commune": "", "metier": ""})
    assert not form.is_valid()
    assert form.errors["commune"] == ["Ce champ est obligatoire."]
    form = PlaceForm(data={"commune": "Saint-Étienne (42000) — 42218", "metier": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"commune": Commune.objects.get(insee_code="42218"), "metier": None}


def test_invalid_value_is_shown_back_with_the_error(referentials):
    form = PlaceForm(data={"commune": "Lile", "metier": "M1607"})
    html = str(form)
    assert 'value="Lile"' in html
    assert "Commune introuvable : choisissez-la dans la liste." in html


def test_widget_renders_an_htmx_datalist_and_the_initial_instance(referentials):
    lille = Commune.objects.get(insee_code="59350")
    job = RomeJob.objects.get(code="M1607")
    html = str(PlaceForm(initial={"commune": lille, "metier": job}))
    assert 'list="id_commune-suggestions"' in html
    assert '<datalist id="id_commune-suggestions"></datalist>' in html
    assert 'hx-get="/referentiels/communes/suggestions/?champ=commune"' in html
    assert 'hx-get="/referentiels/rome/suggestions/?champ=metier"' in html
    assert 'hx-trigger="input changed delay:250ms"' in html
    assert 'value="Lille (59000) — 59350"' in html
    assert 'value="Secrétaire — M1607"' in html
    assert "style=" not in html and "<script" not in html


def test_option_texts(referentials):
    lille = Commune.objects.get(insee_code="59350")
    assert commune_option(lille) == "Lille (59000) — 59350"
    assert commune_option(lille, "5977") == "Lille (59777) — 59350"
    assert commune_option(Commune(name="La Terre-Adélie", insee_code="98414")) == "La Terre-Adélie — 98414"
    job = RomeJob.objects.get(code="K1302")
    assert rome_option(job) == "Assistant / Assistante de vie dépendance — K1302"
    assert rome_option(job, "Aide aux personnes âgées") == "Aide aux personnes âgées — K1302"
