from datetime import date

import pytest

from spie.core.imports import Column, ImportFileError, parse_csv, parse_date

COLUMNS = [Column("nom", required=True), Column("prenom", required=True), Column("date_naissance")]


def test_semicolon_utf8_with_bom_and_accented_headers():
    content = "\ufeffNOM;Prénom;Date Naissance\nDupont;Élise;01/02/1990\n".encode()
    parsed = parse_csv(content, COLUMNS)
    assert parsed.rows == [(2, {"nom": "Dupont", "prenom": "Élise", "date_naissance": "01/02/1990"})]


def test_comma_and_windows_1252():
    content = "nom,prenom\nLefèvre,Zoé\n".encode("cp1252")
    parsed = parse_csv(content, COLUMNS)
    assert parsed.rows[0][1] == {"nom": "Lefèvre", "prenom": "Zoé"}


def test_extra_columns_are_ignored_with_a_warning_and_blank_lines_skipped():
    parsed = parse_csv(b"nom;prenom;couleur\nA;B;bleu\n;;\nC;D;vert\n", COLUMNS)
    assert parsed.warnings == ["Colonne « couleur » inconnue : elle est ignorée."]
    assert [line for line, _ in parsed.rows] == [2, 4]


def test_missing_required_column_is_named():
    with pytest.raises(ImportFileError, match="« prenom »"):
        parse_csv(b"nom;date_naissance\nA;01/01/2000\n", COLUMNS)


def test_empty_file_is_refused():
    with pytest.raises(ImportFileError, match="vide"):
        parse_csv(b"   \n", COLUMNS)


@pytest.mark.parametrize(("raw", "expected"), [("31/12/1990", date(1990, 12, 31)), ("1990-12-31", date(1990, 12, 31))])
def test_dates_in_both_formats(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/1990", "12-31-1990", "hier"])
def test_bad_dates_are_explained(raw):
    with pytest.raises(ValueError, match="invalide"):
        parse_date(raw)
