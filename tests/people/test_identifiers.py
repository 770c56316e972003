import pytest
from django.core.exceptions import ValidationError

from spie.people.identifiers import (
    clean_nir,
    decrypt_nir,
    encrypt_nir,
    format_phone,
    lookup_hash,
    mask_nir,
    normalize_phone,
)
from tests.people.factories import valid_nir


def test_valid_nir_is_cleaned_of_spaces():
    nir = valid_nir("1850578006084")
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    assert clean_nir(spaced) == nir


def test_corsican_nir_uses_the_19_18_rule():
    body = "185052A004512"
    key = 97 - int(body.replace("2A", "19")) % 97
    assert clean_nir(f"{body}{key:02d}") == f"{body}{key:02d}"


@pytest.mark.parametrize(
    ("raw", "message"),
    [("12345", "15 caractères"), ("185057800608400", "clé de contrôle"), ("985057800608436", "15 caractères")],
)
def test_bad_nir_is_explained(raw, message):
    with pytest.raises(ValidationError, match=message):
        clean_nir(raw)


def test_nir_is_encrypted_and_hashed_with_keys():
    nir = valid_nir()
    token = encrypt_nir(nir)
    assert nir not in token
    assert decrypt_nir(token) == nir
    assert lookup_hash(nir) == lookup_hash(nir) != lookup_hash(valid_nir("1850578006084"))
    assert mask_nir(nir).endswith(nir[13:]) and nir[5:13] not in mask_nir(nir)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("0696 12 34 56", "+596696123456"),
        ("0262 12 34 56", "+262262123456"),
        ("", ""),
    ],
)
def test_french_phone_numbers_are_normalised(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["12345", "+44 20 7946 0958", "06 12 34 56"])
def test_bad_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError, match="Numéro de téléphone invalide"):
        normalize_phone(raw)


def test_phone_is_shown_the_french_way():
    assert format_phone("+33612345678") == "06 12 34 56 78"
    assert format_phone("+596696123456") == "06 96 12 34 56"
