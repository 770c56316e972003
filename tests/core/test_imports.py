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


def test_a_field_over_the_csv_limit_is_a_french_error_with_its_line():
    content = b"nom;prenom\nA;B\n" + b"x" * (200 * 1024) + b";C\n"
    with pytest.raises(ImportFileError, match="Ligne 3 : un champ dépasse 128 Kio"):
        parse_csv(content, COLUMNS)


def test_an_unclosed_quote_running_over_the_limit_names_its_line():
    content = b'nom;prenom\n"A' + b"x" * (200 * 1024) + b";B\n"
    with pytest.raises(ImportFileError, match="Ligne 2 : un champ dépasse 128 Kio"):
        parse_csv(content, COLUMNS)


def test_nul_characters_and_lengths_are_reported_on_their_row():
    columns = [Column("nom", required=True, max_length=5), Column("prenom")]
    parsed = parse_csv(b"nom;prenom\nDupont;E\x00lise\nAb;Cd\n", columns)
    assert parsed.problems == {
        2: [
            ("nom", "trop long (6 caractères, au plus 5)"),
            ("prenom", "contient un caractère nul (fichier binaire ou mal encodé ?)"),
        ]
    }


def test_utf16_with_its_bom_is_read():
    parsed = parse_csv("nom;prenom\nLefèvre;Zoé\n".encode("utf-16"), COLUMNS)
    assert parsed.rows == [(2, {"nom": "Lefèvre", "prenom": "Zoé"})]


def test_undecodable_bytes_are_refused_in_french():
    with pytest.raises(ImportFileError, match="ni en UTF-8 ni en Windows-1252"):
        parse_csv(b"nom;prenom\n\x81\x8d;\x90\n", COLUMNS)


@pytest.mark.parametrize("raw", ["01/01/0001", "0001-01-01", "31/12/1899", "9999-12-31"])
def test_dates_outside_1900_2100_are_refused(raw):
    with pytest.raises(ValueError, match="hors des années 1900 à 2100"):
        parse_date(raw)
