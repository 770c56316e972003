"""The one CSV writer of the project: every CSV the platform writes goes through `csv_writer`.

Cells are neutralised against spreadsheet formula injection (OWASP "CSV Injection"): a text cell
starting with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single quote, so
that Excel or LibreOffice shows it as text instead of running it. Numbers stay numbers: ints,
floats and decimals are written as they are, and so is text that is only a number (`-12,5`).
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def safe_cell(value):
    """`value`, with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """`csv.writer` whose rows are neutralised cell by cell (same `writerow`/`writerows`)."""

    def __init__(self, handle, **kwargs):
        self._writer = csv.writer(handle, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, *, delimiter=";", **kwargs):
    """A writer for `handle`; `;` by default, the separator French spreadsheets expect."""
    return SafeCsvWriter(handle, delimiter=delimiter, **kwargs)
