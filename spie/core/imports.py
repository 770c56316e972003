"""The one import engine: decoding, separator detection, headers, row errors, all-or-nothing.

An importer describes its columns and turns each raw row into a result; the engine reads the
file, reports every problem with its line, column and reason in French, and tells whether the
whole file may be applied.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from .text import normalize_for_search

ENCODINGS = ("utf-8-sig", "cp1252")


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, empty, missing required columns)."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    label: str = ""


@dataclass
class RowResult:
    """What the import will do with one line: create, update, unchanged or reject, and why."""

    line: int
    action: str = ""
    errors: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    values: dict = field(default_factory=dict)
    payload: object = None

    @property
    def rejected(self):
        return bool(self.errors)

    def error(self, column, message):
        self.errors.append(f"colonne « {column} » : {message}" if column else message)
        self.action = "reject"


@dataclass
class ParsedFile:
    columns: list
    rows: list  # list of (line number, {column: value})
    warnings: list


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), otherwise Windows-1252."""
    for encoding in ENCODINGS:
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError("Le fichier n'est ni en UTF-8 ni en Windows-1252 : enregistrez-le en CSV UTF-8.")


def detect_separator(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _header_key(value: str) -> str:
    return normalize_for_search(value).replace(" ", "_")


def parse_csv(content: bytes, columns) -> ParsedFile:
    """Read the CSV; headers match case-, accent- and spacing-insensitively; extra columns warn."""
    text = decode(content)
    if not text.strip():
        raise ImportFileError("Le fichier est vide.")
    first_line = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=detect_separator(first_line))
    header = next(reader)
    known = {_header_key(column.name): column.name for column in columns}
    positions, warnings = {}, []
    for index, raw_name in enumerate(header):
        key = _header_key(raw_name)
        if key in known and known[key] not in positions:
            positions[known[key]] = index
        elif raw_name.strip():
            warnings.append(f"Colonne « {raw_name.strip()} » inconnue : elle est ignorée.")
    missing = [column.name for column in columns if column.required and column.name not in positions]
    if missing:
        names = ", ".join(f"« {name} »" for name in missing)
        raise ImportFileError(f"Colonne(s) obligatoire(s) absente(s) : {names}.")
    rows = []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        rows.append(
            (
                line_number,
                {name: (values[index].strip() if index < len(values) else "") for name, index in positions.items()},
            )
        )
    return ParsedFile(columns=list(positions), rows=rows, warnings=warnings)


def parse_date(value: str) -> date:
    """`JJ/MM/AAAA` or `AAAA-MM-JJ`; raises ValueError with a French message."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date « {value} » invalide (attendu JJ/MM/AAAA ou AAAA-MM-JJ)")


@dataclass
class ImportReport:
    results: list
    warnings: list

    @property
    def rejected(self):
        return [result for result in self.results if result.rejected]

    def count(self, action):
        return sum(1 for result in self.results if result.action == action)

    def can_apply(self, skip_invalid=False):
        return skip_invalid or not self.rejected

    def summary(self):
        return (
            f"{self.count('create')} à créer, {self.count('update')} à mettre à jour, "
            f"{self.count('unchanged')} inchangée(s), {len(self.rejected)} rejetée(s)"
        )
