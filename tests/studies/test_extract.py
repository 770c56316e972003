"""The impact-study extract: pseudonymised (no identifying value of any seeded person leaves), the
same person keeps one id within a study and gets another id in another study, CSV and Parquet agree,
and every run is logged."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from spie.core.models import AuditEvent
from spie.pathways import services, services_appointments, services_orientation
from spie.pathways.enums import AppointmentStatus, ClosingReason
from spie.pathways.models import EmploymentCheckpoint
from spie.questionnaires.models import QuestionnaireComment, QuestionnaireInvitation
from spie.studies import cohort
from spie.studies.models import StudyExport
from tests.diagnostics.helpers import actor
from tests.pathways.helpers import at, signed
from tests.people.factories import PersonFactory, seat, valid_nir
from tests.studies.factories import study

pytestmark = pytest.mark.usefixtures("pathway_referential", "rome_jobs")
SIRET = "73282932000074"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def seeded(nord, ardennes, camille, conseiller, orientation_officer, other_territory):
    """Three people of the Nord with full identities and free texts everywhere, one of the Ardennes."""
    camille.usage_name, camille.birth_place, camille.si_id, camille.caf_number = (
        "Durand-Secret",
        "Roubaix",
        "SI-0045871",
        "CAF7788123",
    )
    camille.save()
    by = actor(conseiller)
    services_orientation.decide_orientation(
        person=camille,
        pathway_type="professionnel",
        referent=conseiller.memberships.get(),
        notified_on=datetime.date(2026, 9, 10),
        by=actor(orientation_officer),
        comment="Camille souhaite travailler auprès des personnes âgées",
    )
    pathway = services.open_pathway_of(camille)
    signed(pathway, conseiller, on=datetime.date(2026, 9, 20))
    seen = services_appointments.plan_appointment(
        pathway=pathway, professional=conseiller.memberships.get(), starts_at=at(datetime.date(2026, 10, 2)), by=by
    )
    services_appointments.record_appointment_status(
        appointment=seen, status=AppointmentStatus.SEEN, by=by, note="Elle a parlé de sa dette de loyer"
    )
    services.record_return_to_work(
        person=camille,
        employer_name="Boulangerie Lefebvre-Unique",
        employer_siret=SIRET,
        rome_job="K1302",
        contract_type="cdi",
        working_time="temps_partiel",
        weekly_hours=24,
        start_date=datetime.date(2026, 10, 20),
        by=by,
    )
    checkpoint = EmploymentCheckpoint.objects.get(follow_up__person=camille, months=1)
    services.record_checkpoint(
        checkpoint=checkpoint,
        contact="joint",
        still_in_job=True,
        by=by,
        comment="Très contente de son employeur Monsieur Lefebvre",
        recorded_on=datetime.date(2026, 11, 21),
    )

    invitation = QuestionnaireInvitation.objects.create(
        territory=nord,
        person=camille,
        pathway=pathway,
        step="apres_contrat",
        version=1,
        channel="email",
        step_reached_on=datetime.date(2026, 9, 20),
        sent_at=at(datetime.date(2026, 9, 21)),
        expires_at=at(datetime.date(2026, 10, 21)),
        answered_at=at(datetime.date(2026, 9, 25)),
        score=Decimal("4.25"),
    )
    QuestionnaireComment.objects.create(
        invitation=invitation, territory=nord, step="apres_contrat", text="Ma conseillère Madame Vasseur est géniale"
    )

    karim = PersonFactory(
        territory=nord,
        birth_name="Benali",
        first_names="Karim Youssef",
        birth_date=datetime.date(1991, 2, 3),
        sex="M",
        email="karim.benali@exemple.fr",
        phone="+33698765432",
        address="7 impasse des Tisserands",
        postal_code="59100",
        entry_date=datetime.date(2026, 8, 1),
        nir=valid_nir("1910259512345"),
    )
    seat(karim, conseiller, is_referent=True)
    karim_pathway = services.open_pathway(person=karim, by=by)
    services.close_pathway(
        pathway=karim_pathway,
        closing_reason=ClosingReason.OTHER,
        comment="Parti vivre chez sa soeur à Valenciennes",
        by=by,
        on=datetime.date(2026, 11, 2),
    )

    before = PersonFactory(
        territory=nord,
        birth_name="Avant",
        first_names="Hors Période",
        entry_date=datetime.date(2025, 3, 1),
        email="avant@exemple.fr",
    )
    seat(before, conseiller, is_referent=True)
    services.open_pathway(person=before, by=by)

    elsewhere = PersonFactory(
        territory=ardennes, birth_name="Ailleurs", first_names="Ardennaise", email="ailleurs@exemple.fr"
    )
    seat(elsewhere, other_territory, is_referent=True)
    services.open_pathway(person=elsewhere, by=actor(other_territory))
    return {"camille": camille, "karim": karim, "before": before, "elsewhere": elsewhere}


def _identifying_values(people):
    values = set()
    for person in people:
        person.refresh_from_db()
        values |= {
            person.birth_name,
            person.birth_name.upper(),
            person.first_names,
            person.first_names.split()[0],
            person.birth_date.isoformat(),
            person.birth_date.strftime("%d/%m/%Y"),
            person.email,
            person.phone,
            person.phone_display,
            person.address,
            person.postal_code,
            person.france_travail_id,
            str(person.public_id),
            person.public_id.hex,
        }
        values |= {value for value in (person.nir, person.usage_name, person.birth_place, person.si_id) if value}
        values |= {person.caf_number} if person.caf_number else set()
        values |= {str(pathway.public_id) for pathway in person.pathways.all()}
    values |= {
        "Boulangerie Lefebvre",
        SIRET,
        "personnes âgées",
        "dette de loyer",
        "Monsieur Lefebvre",
        "Valenciennes",
        "soeur",
        "Vasseur",
    }
    return {value for value in values if value}


def _run(study_obj, tmp_path):
    return cohort.run_extract(study_obj, tmp_path, by=None, channel="commande")


def _csv_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_no_identifying_value_of_any_seeded_person_appears_in_the_extract(seeded, nord, tmp_path):
    extract = _run(study(nord), tmp_path)
    identifying = _identifying_values(seeded.values())
    assert len(identifying) > 40
    parquet_text = "\n".join(
        str(value) for row in pq.read_table(extract.parquet_path).to_pylist() for value in row.values()
    )
    texts = {
        "csv": extract.csv_path.read_text(encoding="utf-8-sig"),
        "parquet (relu)": parquet_text,
        "parquet (octets)": extract.parquet_path.read_bytes().decode("latin-1"),
        **{path.name: path.read_text(encoding="utf-8-sig") for path in extract.dictionary_paths},
    }
    for name, text in texts.items():
        leaked = sorted(value for value in identifying if value in text)
        assert not leaked, f"{name} contient {leaked}"


def test_the_extract_holds_the_expected_rows_and_columns(seeded, nord, tmp_path):
    extract = _run(study(nord), tmp_path)
    rows = _csv_rows(extract.csv_path)
    assert list(rows[0]) == cohort.COLUMN_NAMES
    assert extract.row_count == len(rows) == 2  # Camille and Karim; neither the earlier entry nor the Ardennes
    by_type = {row["pathway_type"]: row for row in rows}
    camille = by_type["professionnel"]
    assert camille | {"study_person_id": ""} == {
        "study_person_id": "",
        "birth_year": "1985",
        "birth_month": "5",
        "sex": "F",
        "territory": "59",
        "pathway_type": "professionnel",
        "entered_on": "2026-09-01",
        "oriented_on": "2026-09-10",
        "contract_signed_on": "2026-09-20",
        "first_seen_appointment_on": "2026-10-02",
        "closed_on": "",
        "closing_reason": "",
        "return_to_work_on": "2026-10-20",
        "return_to_work_contract_type": "cdi",
        "return_to_work_durable": "1",
        "checkpoint_m1": "en_emploi",
        "checkpoint_m3": "",
        "checkpoint_m6": "",
        "score_apres_diagnostic": "",
        "score_apres_contrat": "4.25",
        "score_sortie": "",
        "score_emploi_m6": "",
    }
    karim = by_type[""]
    assert (karim["closed_on"], karim["closing_reason"], karim["birth_year"], karim["sex"]) == (
        "2026-11-02",
        "autre",
        "1991",
        "M",
    )
    assert len(camille["study_person_id"]) == cohort.PERSON_ID_LENGTH
    table = pq.read_table(extract.parquet_path)
    assert table.schema == cohort.SCHEMA
    parquet_rows = {row["study_person_id"]: row for row in table.to_pylist()}
    assert parquet_rows[camille["study_person_id"]]["first_seen_appointment_on"] == datetime.date(2026, 10, 2)
    assert parquet_rows[camille["study_person_id"]]["return_to_work_durable"] is True
    assert parquet_rows[camille["study_person_id"]]["score_apres_contrat"] == 4.25
    assert parquet_rows[karim["study_person_id"]]["return_to_work_on"] is None
    assert parquet_rows[karim["study_person_id"]]["score_apres_contrat"] is None


def test_same_person_same_id_within_a_study_and_different_ids_across_studies(seeded, nord, tmp_path):
    first_study, second_study = study(nord, name="Première étude"), study(nord, name="Seconde étude")
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir(), (tmp_path / "c").mkdir()
    first = {
        row["pathway_type"]: row["study_person_id"] for row in _csv_rows(_run(first_study, tmp_path / "a").csv_path)
    }
    again = {
        row["pathway_type"]: row["study_person_id"] for row in _csv_rows(_run(first_study, tmp_path / "b").csv_path)
    }
    other = {
        row["pathway_type"]: row["study_person_id"] for row in _csv_rows(_run(second_study, tmp_path / "c").csv_path)
    }
    assert first == again
    assert first["professionnel"] != first[""]
    assert set(first.values()).isdisjoint(other.values())


def test_a_second_pathway_of_the_same_person_carries_the_same_id(seeded, nord, conseiller, tmp_path):
    karim = seeded["karim"]
    services.open_pathway(person=karim, by=actor(conseiller))  # re-entry after the closed pathway
    rows = _csv_rows(_run(study(nord), tmp_path).csv_path)
    ids = [row["study_person_id"] for row in rows if row["birth_year"] == "1991"]
    assert len(ids) == 2 and len(set(ids)) == 1


def test_a_national_study_covers_every_territory(seeded, tmp_path):
    rows = _csv_rows(_run(study(None, period_from=datetime.date(2026, 1, 1)), tmp_path).csv_path)
    assert sorted(row["territory"] for row in rows) == ["08", "59", "59"]


def test_each_run_is_logged_with_its_checksums(seeded, nord, tmp_path):
    target = study(nord)
    extract = _run(target, tmp_path)
    export = StudyExport.objects.get(study=target)
    assert (export.row_count, export.channel, export.by) == (2, "commande", None)
    assert export.csv_sha256 == extract.csv_sha256 == cohort._sha256(extract.csv_path)
    assert export.parquet_sha256 == extract.parquet_sha256
    event = AuditEvent.objects.get(action="studies.study.exported")
    assert event.data["rows"] == 2 and event.target_id == target.public_id


def test_without_the_key_nothing_is_written(seeded, nord, tmp_path, settings):
    settings.STUDY_HASH_KEY = ""
    with pytest.raises(Exception, match="STUDY_HASH_KEY\\) est absente ou trop courte"):
        _run(study(nord), tmp_path)
    assert list(tmp_path.iterdir()) == []
    assert not StudyExport.objects.exists()


def test_the_key_changes_every_id(seeded, nord, tmp_path, settings):
    target = study(nord)
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = {row["study_person_id"] for row in _csv_rows(_run(target, tmp_path / "a").csv_path)}
    settings.STUDY_HASH_KEY = "another-key-of-the-platform-0123456789"
    second = {row["study_person_id"] for row in _csv_rows(_run(target, tmp_path / "b").csv_path)}
    assert first.isdisjoint(second)


def test_an_empty_study_gives_files_with_their_columns(nord, tmp_path):
    extract = _run(study(nord), tmp_path)
    assert extract.row_count == 0
    assert _csv_rows(extract.csv_path) == []
    assert pq.read_table(extract.parquet_path).schema == cohort.SCHEMA


def test_the_extract_streams_by_batches_with_a_bounded_number_of_queries(
    seeded, nord, tmp_path, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(cohort, "BATCH", 1)
    with django_assert_max_num_queries(4 + 3 * 4 + 3):  # pathways, then 4 per batch, then the log
        extract = _run(study(nord), tmp_path)
    assert extract.row_count == 2


# The command ----------------------------------------------------------------------------


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_study_cohort", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_the_command_writes_the_files_and_a_summary(seeded, nord, tmp_path):
    output = _command("--territory", "59", "--from", "2026-01-01", "--to", "31/12/2026", "--output", str(tmp_path))
    names = sorted(path.suffix for path in tmp_path.iterdir())
    assert names == [".csv", ".csv", ".md", ".parquet"]
    export = StudyExport.objects.get()
    assert "2 ligne(s) écrite(s)" in output and str(export.study.public_id) in output
    assert export.study.territory == nord and export.study.created_by is None


def test_the_command_reuses_a_study_to_keep_its_ids(seeded, nord, tmp_path):
    existing = study(nord)
    (tmp_path / "a").mkdir()
    first = {row["study_person_id"] for row in _csv_rows(_run(existing, tmp_path / "a").csv_path)}
    _command("--study", str(existing.public_id), "--output", str(tmp_path / "b"))
    csv_path = next((tmp_path / "b").glob("*[0-9].csv"))
    assert {row["study_person_id"] for row in _csv_rows(csv_path)} == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--territory", "99", "--from", "2026-01-01", "--to", "2026-12-31"],
            "--territory : territoire inconnu « 99 »",
        ),
        (
            ["--territory", "59", "--from", "2026-13-01", "--to", "2026-12-31"],
            "--from : « 2026-13-01 » n'est pas une date",
        ),
        (["--territory", "59", "--from", "2026-01-01", "--to", "demain"], "--to : « demain » n'est pas une date"),
        (["--territory", "59", "--from", "2026-12-31", "--to", "2026-01-01"], "la date de début doit précéder"),
        (["--territory", "59"], "Indiquez --territory, --from et --to"),
        (["--study", "pas-un-identifiant"], "--study : aucune étude"),
    ],
)
def test_the_command_refuses_bad_input_in_french(nord, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        _command(*args, "--output", str(tmp_path))
    assert not StudyExport.objects.exists()


def test_the_command_refuses_to_run_without_the_key(nord, tmp_path, settings):
    settings.STUDY_HASH_KEY = ""
    with pytest.raises(CommandError, match="La clé de pseudonymisation des études"):
        _command("--territory", "59", "--from", "2026-01-01", "--to", "2026-12-31", "--output", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


# The page -------------------------------------------------------------------------------


def test_the_page_downloads_a_zip_with_csv_parquet_and_dictionary(seeded, nord, client_as, admin_national):
    target = study(nord)
    response = client_as(admin_national).post(reverse("studies:study_extract", args=[target.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="etude-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(name.rsplit(".", 1)[1] for name in archive.namelist())
    assert names == ["csv", "csv", "md", "parquet"]
    everything = "".join(archive.read(name).decode("latin-1") for name in archive.namelist())
    assert not [value for value in _identifying_values(seeded.values()) if value in everything]
    export = StudyExport.objects.get()
    assert export.by == admin_national.memberships.get() and export.channel == "page" and export.row_count == 2


def test_the_page_says_when_the_key_is_missing(nord, client_as, admin_national, settings):
    settings.STUDY_HASH_KEY = ""
    target = study(nord)
    response = client_as(admin_national).post(reverse("studies:study_extract", args=[target.public_id]), follow=True)
    assert "La clé de pseudonymisation des études" in response.content.decode()
    assert not StudyExport.objects.exists()
