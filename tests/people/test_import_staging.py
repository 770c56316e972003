"""An uploaded people file holds NIRs: kept encrypted, dropped on confirmation or cancellation,
purged after 7 days (issue 15)."""

import datetime
import html

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from spie.people.models import Person, PersonImport
from tests.people.factories import valid_nir

NIR = valid_nir("1910459350123")
CONTENT = f"nom;prenom;date_naissance;nir\nDurand;Léo;03/04/1991;{NIR}\n".encode()


def _upload(client):
    upload = SimpleUploadedFile("personnes.csv", CONTENT)
    return client.post(reverse("people:import"), {"file": upload})


def test_the_staged_file_is_encrypted(client_as, gestionnaire):
    client = client_as(gestionnaire)
    response = _upload(client)
    stored = bytes(PersonImport.objects.get().content)
    assert NIR.encode() not in stored and b"Durand" not in stored
    assert "1 à créer" in client.get(response.url).content.decode()


def test_the_staged_file_is_emptied_once_imported(client_as, gestionnaire):
    client = client_as(gestionnaire)
    client.post(_upload(client).url)
    person_import = PersonImport.objects.get()
    assert person_import.applied_at is not None and bytes(person_import.content) == b""
    assert Person.objects.get().nir == NIR


def test_cancelling_deletes_the_staged_file(client_as, gestionnaire):
    client = client_as(gestionnaire)
    preview = _upload(client).url
    import_id = PersonImport.objects.get().public_id
    response = client.post(reverse("people:import_cancel", args=[import_id]))
    assert response.url == reverse("people:import")
    assert not PersonImport.objects.exists() and not Person.objects.exists()
    assert client.get(preview).status_code == 404


def test_only_the_uploader_may_cancel(client_as, gestionnaire, orientation_officer):
    _upload(client_as(gestionnaire))
    import_id = PersonImport.objects.get().public_id
    response = client_as(orientation_officer).post(reverse("people:import_cancel", args=[import_id]))
    assert response.status_code == 404
    assert PersonImport.objects.exists()


def test_a_staged_file_in_clear_from_before_is_not_read(client_as, gestionnaire):
    client = client_as(gestionnaire)
    _upload(client)
    person_import = PersonImport.objects.get()
    PersonImport.objects.filter(pk=person_import.pk).update(content=CONTENT)
    page = html.unescape(client.get(reverse("people:import_preview", args=[person_import.public_id])).content.decode())
    assert "Ce fichier n'est plus disponible : envoyez-le de nouveau." in page


@pytest.mark.parametrize("wet_run", [False, True])
def test_staged_files_older_than_7_days_are_purged(client_as, gestionnaire, capsys, wet_run):
    client = client_as(gestionnaire)
    with time_machine.travel(datetime.datetime(2026, 11, 1, 9, tzinfo=datetime.UTC), tick=False):
        _upload(client)
        client.post(_upload(client).url)  # a confirmed one keeps its summary
    with time_machine.travel(datetime.datetime(2026, 11, 7, 9, tzinfo=datetime.UTC), tick=False):
        _upload(client)
    with time_machine.travel(datetime.datetime(2026, 11, 8, 10, tzinfo=datetime.UTC), tick=False):
        call_command("purge_staged_imports", *(["--wet-run"] if wet_run else []))
    out = capsys.readouterr().out
    if wet_run:
        assert "1 fichier(s) d'import non confirmé(s) depuis plus de 7 jours supprimé(s)." in out
        assert PersonImport.objects.count() == 2
        assert PersonImport.objects.filter(applied_at__isnull=False).count() == 1
    else:
        assert "Simulation : 1 fichier(s) d'import non confirmé(s) depuis plus de 7 jours à supprimer" in out
        assert PersonImport.objects.count() == 3
