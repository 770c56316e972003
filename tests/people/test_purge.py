import datetime

import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from spie.core.models import AuditEvent
from spie.people.models import Person
from spie.territories.models import TerritorySettings
from tests.people.factories import PersonFactory, seat, valid_nir

LAST_ACTIVITY = datetime.datetime(2024, 1, 10, 12, tzinfo=datetime.UTC)


def _inactive_person(nord, conseiller, **extra):
    person = PersonFactory(territory=nord, nir=valid_nir(), **extra)
    seat(person, conseiller, is_referent=True)
    Person.objects.filter(pk=person.pk).update(last_activity_at=LAST_ACTIVITY)
    return person


def _run(*args):
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("purge_inactive_people", "--wet-run", *args)


def test_warning_comes_30_days_before_24_months_of_inactivity(nord, conseiller, capsys):
    person = _inactive_person(nord, conseiller)
    with time_machine.travel("2025-12-10 12:00 +0000"):  # 23 months: too early
        _run()
    assert mail.outbox == []
    with time_machine.travel("2025-12-12 12:00 +0000"):  # less than 30 days before the 24 months
        _run()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [conseiller.email]
    assert person.birth_name not in mail.outbox[0].body
    person.refresh_from_db()
    assert person.purge_warned_at is not None and person.anonymised_at is None


def test_anonymisation_keeps_what_indicators_need_and_nothing_else(nord, conseiller):
    person = _inactive_person(nord, conseiller)
    other = PersonFactory(territory=nord, birth_name="Active", first_names="Zoé")
    with time_machine.travel("2025-12-20 12:00 +0000"):
        _run()
    with time_machine.travel("2026-01-18 12:00 +0000"):  # 24 months passed, but warned only 29 days ago
        _run()
    person.refresh_from_db()
    assert person.anonymised_at is None
    with time_machine.travel("2026-01-20 12:00 +0000"):
        _run()
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.birth_name, person.first_names, person.email, person.phone, person.address) == (
        "ANONYME",
        "ANONYME",
        "",
        "",
        "",
    )
    assert person.nir_encrypted == "" and person.nir_hash == "" and person.france_travail_id == ""
    assert person.birth_date == datetime.date(1985, 5, 1)
    assert person.territory == nord and person.entry_date == datetime.date(2026, 9, 1) and person.sex == "F"
    assert AuditEvent.objects.filter(action="people.person.anonymised", subject_id=person.public_id).exists()
    other.refresh_from_db()
    assert other.birth_name == "Active" and other.anonymised_at is None


def test_activity_after_the_warning_cancels_the_anonymisation(nord, conseiller, client_as):
    person = _inactive_person(nord, conseiller)
    with time_machine.travel("2025-12-20 12:00 +0000"):
        _run()
    with time_machine.travel("2026-01-05 12:00 +0000"):
        client_as(conseiller).post(f"/personnes/{person.public_id}/consentement/", {"given": "non"})
    with time_machine.travel("2026-02-20 12:00 +0000"):
        _run()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.purge_warned_at is None


def test_territory_setting_shortens_the_retention(nord, conseiller):
    TerritorySettings.objects.create(territory=nord, inactivity_purge_months=12)
    person = _inactive_person(nord, conseiller)
    with time_machine.travel("2024-12-20 12:00 +0000"):
        _run()
    person.refresh_from_db()
    assert person.purge_warned_at is not None


def test_dry_run_writes_nothing(nord, conseiller, capsys):
    person = _inactive_person(nord, conseiller)
    Person.objects.filter(pk=person.pk).update(purge_warned_at=timezone.make_aware(datetime.datetime(2025, 12, 1)))
    with time_machine.travel("2026-03-01 12:00 +0000"):
        call_command("purge_inactive_people")
    assert "Simulation : 0 dossier(s) signalé(s) aux référents, 1 dossier(s) anonymisé(s)" in capsys.readouterr().out
    person.refresh_from_db()
    assert person.anonymised_at is None
