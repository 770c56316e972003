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
FIELD_LIMIT_LABEL = f"{csv.field_size_limit() // 1024} Kio"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, empty, missing required columns)."""


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    label: str = ""
    max_length: int | None = None


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
    problems: dict = field(default_factory=dict)  # line number → [(column, reason)]

    def report_problems(self, line, result):
        """Add to `result` what the engine found wrong in the row's cells (NUL, length)."""
        for column, reason in self.problems.get(line, ()):
            result.error(column, reason)


def text_problem(value: str, max_length=None):
    """Why a cell cannot be stored as text (a NUL character, too long), or ""."""
    if "\x00" in value:
        return "contient un caractère nul (fichier binaire ou mal encodé ?)"
    if max_length is not None and len(value) > max_length:
        return f"trop long ({len(value)} caractères, au plus {max_length})"
    return ""


def decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM, otherwise Windows-1252."""
    content = bytes(content)
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
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
    try:
        header = next(reader)
    except csv.Error:
        raise ImportFileError(f"Ligne 1 : l'en-tête est illisible (un champ dépasse {FIELD_LIMIT_LABEL}).") from None
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
    limits = {column.name: column.max_length for column in columns}
    rows, problems = [], {}
    for line_number, values in _records(reader):
        if not any(value.strip() for value in values):
            continue
        row = {name: (values[index].strip() if index < len(values) else "") for name, index in positions.items()}
        found = [(name, text_problem(value, limits[name])) for name, value in row.items()]
        if any(reason for _, reason in found):
            problems[line_number] = [(name, reason) for name, reason in found if reason]
        rows.append((line_number, row))
    return ParsedFile(columns=list(positions), rows=rows, warnings=warnings, problems=problems)


def _records(reader):
    """(line number, cells) of each record; a record the CSV reader refuses stops the file with
    its line (Python's reader cannot be trusted to resynchronise after it)."""
    line_number = 1
    while True:
        line_number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field larger than field limit" in str(error):
                reason = f"un champ dépasse {FIELD_LIMIT_LABEL} (guillemet non refermé ?)"
            else:
                reason = "ligne illisible (guillemets mal placés ?)"
            raise ImportFileError(f"Ligne {line_number} : {reason} ; rien n'a été importé.") from None
        yield line_number, values


def parse_date(value: str) -> date:
    """`JJ/MM/AAAA` or `AAAA-MM-JJ` between 1900 and 2100; raises ValueError with a French message."""
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise ValueError(f"date « {value} » hors des années {EARLIEST_YEAR} à {LATEST_YEAR}")
        return parsed
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
