import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from spie.core.csvwriter import csv_writer, safe_cell
from spie.core.models import AuditEvent
from tests.people.factories import PersonFactory, seat

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "hostile",
    ["=1+1", "+33 formula", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x")'],
)
def test_text_cells_that_a_spreadsheet_would_run_get_a_leading_quote(hostile):
    assert safe_cell(hostile) == "'" + hostile


@pytest.mark.parametrize("value", [12, -3, 2.5, Decimal("-1.5"), "-12,5", "+33612345678", "Martin", "", None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_the_writer_neutralises_every_cell_of_a_row():
    buffer = io.StringIO()
    csv_writer(buffer).writerows([["=1+1", -4, "ok"]])
    assert buffer.getvalue() == "'=1+1;-4;ok\r\n"


def test_a_hostile_name_is_neutralised_in_the_caseload_export(client_as, conseiller, nord):
    person = PersonFactory(territory=nord, birth_name='=HYPERLINK("http://pirate.example")', first_names="@SUM(A1)")
    seat(person, conseiller, is_referent=True)
    response = client_as(conseiller).get(reverse("people:caseload"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode()), delimiter=";"))
    assert rows[1][1] == "'@SUM(A1)"
    assert rows[1][0].startswith("'=")
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_a_list_export_is_audited_without_personal_data(client_as, conseiller, nord):
    for name in ("Martin", "Durand"):
        seat(PersonFactory(territory=nord, birth_name=name), conseiller, is_referent=True)
    client = client_as(conseiller)
    response = client.get(reverse("people:caseload"), {"format": "csv", "q": "mar", "consent": "oui", "page": "2"})
    assert not AuditEvent.objects.filter(action="core.list.exported").exists()  # written as the stream ends
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="core.list.exported")
    assert event.actor == conseiller
    assert event.territory == nord
    assert event.data == {
        "liste": "people:caseload",
        "fichier": "personnes-suivies.csv",
        "filtres": ["consent", "q"],
        "lignes": 1,
        "complet": True,
    }
    assert "mar" not in str(event.data)  # the searched name stays out of the audit


def test_an_interrupted_export_is_audited_too(client_as, conseiller, nord):
    seat(PersonFactory(territory=nord), conseiller, is_referent=True)
    response = client_as(conseiller).get(reverse("people:caseload"), {"format": "csv"})
    next(response.streaming_content)  # the header line, then the client goes away
    response._iterator.close()  # the server closes the stream (through the test client's wrapper)
    event = AuditEvent.objects.get(action="core.list.exported")
    assert event.data["lignes"] == 0 and event.data["complet"] is False


def test_the_audit_log_export_is_audited_with_its_own_list_name(client_as, admin_national):
    response = client_as(admin_national).get(reverse("accounts:audit_log"), {"format": "csv", "actor": "x@y.fr"})
    b"".join(response.streaming_content)
    event = AuditEvent.objects.get(action="core.list.exported")
    assert event.data["liste"] == "accounts:audit_log"
    assert event.data["filtres"] == ["actor"]
    assert "x@y.fr" not in str(event.data)


def test_no_csv_is_written_outside_the_project_writer():
    """Every CSV the platform writes goes through spie/core/csvwriter.py (formula cells neutralised)."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "spie").rglob("*.py")
        if path.name != "csvwriter.py" and re.search(r"csv\.(writer|DictWriter)\(", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
