"""The calendar, an event's page, publishing, registering, attendance, rating and the exports."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.exchanges import services
from spie.exchanges.enums import EventStatus, RegistrationStatus
from spie.exchanges.models import EventRegistration, JointEvent
from tests.accounts.factories import MembershipFactory, OrganisationFactory
from tests.exchanges.conftest import event_data
from tests.exchanges.factories import JointEventFactory, actor, past, register

pytestmark = pytest.mark.django_db


def _body(response):
    return response.content.decode()


def _csv(response):
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def test_the_calendar_lists_the_territorys_upcoming_events_with_places_left(client_as, event, conseiller, ml_ardennes):
    JointEventFactory(organiser=ml_ardennes, topic="Temps commun des Ardennes")
    register(event, conseiller)
    page = _body(client_as(conseiller).get(reverse("exchanges:list")))
    assert "Lever les freins à la mobilité" in page and "Ardennes" not in page
    assert "1 place" in page and "Inscrit·e" in page


def test_the_calendar_filters_by_kind_month_and_structure_and_shows_past_events(client_as, event, conseiller, ft_lille):
    other = JointEventFactory(
        organiser=ft_lille, kind="training", topic="Formation entretien motivationnel", created_by=None
    )
    client = client_as(conseiller)
    assert "Formation entretien" not in _body(client.get(reverse("exchanges:list"), {"kind": "information"}))
    by_kind = _body(client.get(reverse("exchanges:list"), {"kind": "training"}))
    assert "Formation entretien" in by_kind and "Lever les freins" not in by_kind
    by_structure = _body(client.get(reverse("exchanges:list"), {"structure": str(ft_lille.public_id)}))
    assert "Formation entretien" in by_structure and "Lever les freins" not in by_structure
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    assert "Lever les freins" in _body(client.get(reverse("exchanges:list"), {"mois": month}))
    assert "Mois invalide" in _body(client.get(reverse("exchanges:list"), {"mois": "2026-13"}))
    past(other)
    assert "Formation entretien" not in _body(client.get(reverse("exchanges:list")))
    assert "Formation entretien" in _body(client.get(reverse("exchanges:list"), {"periode": "passes"}))


def test_the_calendar_sorts_and_exports_csv(client_as, event, coordinator, ft_lille):
    JointEventFactory(organiser=ft_lille, topic="Accueil des publics", capacity=40)
    client = client_as(coordinator)
    page = _body(client.get(reverse("exchanges:list"), {"tri": "theme"}))
    assert page.index("Accueil des publics") < page.index("Lever les freins")
    page = _body(client.get(reverse("exchanges:list"), {"tri": "-places"}))
    assert page.index("Accueil des publics") < page.index("Lever les freins")
    lines = _csv(client.get(reverse("exchanges:list"), {"format": "csv", "tri": "theme"}))
    assert lines[0].startswith("Thème;Type;Début;Fin;Lieu;Structure organisatrice")
    assert lines[2].startswith("Lever les freins à la mobilité;Échange de pratiques;")
    assert len(lines) == 3


def test_the_calendar_runs_a_bounded_number_of_queries(client_as, coordinator, ft_lille, django_assert_max_num_queries):
    for _ in range(30):
        JointEventFactory(organiser=ft_lille)
    client = client_as(coordinator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchanges:list")).status_code == 200


def test_national_admins_read_every_territorys_events(client_as, event, admin_national, ml_ardennes):
    JointEventFactory(organiser=ml_ardennes, topic="Temps commun des Ardennes")
    page = _body(client_as(admin_national).get(reverse("exchanges:list")))
    assert "Lever les freins" in page and "Temps commun des Ardennes" in page
    assert "Publier un temps commun" not in page
    detail = _body(client_as(admin_national).get(reverse("exchanges:detail", args=[event.public_id])))
    assert "M'inscrire" not in detail and "Participant·es et présences" in detail


def test_publishing_an_event_validates_the_form_in_french(client_as, gestionnaire):
    client = client_as(gestionnaire)
    response = client.post(
        reverse("exchanges:create"),
        {"kind": "training", "topic": "", "starts_at": "2020-01-01T09:00", "ends_at": "2020-01-01T08:00", "place": "X"},
    )
    page = _body(response)
    assert "Ce champ est obligatoire." in page and "la fin doit suivre le début" in page
    start = timezone.localtime() + datetime.timedelta(days=5)
    response = client.post(
        reverse("exchanges:create"),
        {
            "kind": "training",
            "topic": "Formation au diagnostic partagé",
            "starts_at": start.strftime("%Y-%m-%dT09:00"),
            "ends_at": start.strftime("%Y-%m-%dT12:00"),
            "place": "France Travail Lille",
            "capacity": "12",
        },
    )
    event = JointEvent.objects.get()
    assert response.url == reverse("exchanges:detail", args=[event.public_id])
    assert timezone.localtime(event.starts_at).hour == 9 and event.organiser.name == "France Travail Lille"


def test_an_event_page_shows_places_and_registers_then_waitlists(
    client_as, event, conseiller, gestionnaire, other_structure
):
    client = client_as(conseiller)
    page = _body(client.get(reverse("exchanges:detail", args=[event.public_id])))
    assert "2 restantes" in page and "M'inscrire" in page
    response = client.post(reverse("exchanges:register", args=[event.public_id]), follow=True)
    assert "Vous êtes inscrit·e." in _body(response)
    register(event, gestionnaire)
    response = client_as(other_structure).post(reverse("exchanges:register", args=[event.public_id]), follow=True)
    page = _body(response)
    assert "vous êtes sur la liste d&#x27;attente" in page and "position 1" in page


def test_a_professional_withdraws_from_the_event_page(client_as, event, conseiller):
    register(event, conseiller)
    client = client_as(conseiller)
    response = client.post(reverse("exchanges:unregister", args=[event.public_id]), follow=True)
    assert "Votre inscription est annulée." in _body(response)
    assert EventRegistration.objects.get().status == RegistrationStatus.CANCELLED


def test_the_organiser_records_attendance_and_sees_the_structures_represented(
    client_as, event, coordinator, conseiller, other_structure
):
    mine, theirs = register(event, conseiller), register(event, other_structure)
    past(event)
    client = client_as(coordinator)
    page = _body(client.get(reverse("exchanges:participants", args=[event.public_id])))
    assert f'name="presence-{mine.public_id}"' in page
    response = client.post(
        reverse("exchanges:attendance", args=[event.public_id]),
        {f"presence-{mine.public_id}": "present", f"presence-{theirs.public_id}": "present"},
        follow=True,
    )
    assert "Présences enregistrées : 2 présent·es, 2 structures représentées." in _body(response)
    detail = _body(client.get(reverse("exchanges:detail", args=[event.public_id])))
    assert "2 structures représentées" in detail
    lines = _csv(client.get(reverse("exchanges:participants", args=[event.public_id]), {"format": "csv"}))
    assert lines[0] == "Nom;Prénom;E-mail;Structure;Statut;Inscription le;Présence;Note"
    assert sum("Présent·e" in line for line in lines) == 2


def test_attendance_needs_at_least_one_mark(client_as, event, coordinator, conseiller):
    register(event, conseiller)
    past(event)
    response = client_as(coordinator).post(reverse("exchanges:attendance", args=[event.public_id]), follow=True)
    assert "indiquez pour au moins une personne" in _body(response)


def test_an_attendee_rates_the_event_after_it(client_as, event, coordinator, conseiller):
    registration = register(event, conseiller)
    past(event)
    services.record_attendance(event=event, marks={str(registration.public_id): True}, by=actor(coordinator))
    client = client_as(conseiller)
    assert "Évaluer ce temps commun" in _body(client.get(reverse("exchanges:detail", args=[event.public_id])))
    response = client.post(reverse("exchanges:rate", args=[event.public_id]), {"comment": "Bien"})
    assert "Ce champ est obligatoire." in _body(response)
    response = client.post(reverse("exchanges:rate", args=[event.public_id]), {"rating": "5"}, follow=True)
    page = _body(response)
    assert "votre évaluation est enregistrée" in page and "5,0 / 5 (1 avis)" in page
    assert "Présent·e · noté 5/5" in _body(client.get(reverse("exchanges:mine")))
    again = client.get(reverse("exchanges:rate", args=[event.public_id]), follow=True)
    assert "L&#x27;évaluation est ouverte aux participant·es présent·es" in _body(again)


def test_the_organiser_changes_then_cancels_an_event(client_as, event, coordinator, conseiller, mailoutbox):
    register(event, conseiller)
    client = client_as(coordinator)
    edit = _body(client.get(reverse("exchanges:edit", args=[event.public_id])))
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M") in edit
    data = event_data(starts_at=event.starts_at, ends_at=event.ends_at, place="Salle du conseil")
    form = {key: value for key, value in data.items() if value is not None}
    for key in ("starts_at", "ends_at"):
        form[key] = timezone.localtime(data[key]).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("exchanges:edit", args=[event.public_id]), form)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.place == "Salle du conseil"
    response = client.post(reverse("exchanges:cancel", args=[event.public_id]), {"reason": ""})
    assert "Ce champ est obligatoire." in _body(response)
    response = client.post(reverse("exchanges:cancel", args=[event.public_id]), {"reason": "Salle indisponible"})
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    page = _body(client.get(reverse("exchanges:detail", args=[event.public_id])))
    assert "Temps commun annulé" in page and "Salle indisponible" in page
    assert client.get(reverse("exchanges:edit", args=[event.public_id])).status_code == 302


def test_the_ics_download(client_as, event, conseiller):
    response = client_as(conseiller).get(reverse("exchanges:ics", args=[event.public_id]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "BEGIN:VEVENT" in response.content.decode()


def test_my_registrations_lists_my_own_only(client_as, event, conseiller, gestionnaire):
    register(event, conseiller)
    other = services.publish_event(data=event_data(topic="Autre temps commun"), by=actor(gestionnaire))
    register(other, gestionnaire)
    page = _body(client_as(conseiller).get(reverse("exchanges:mine")))
    assert "Lever les freins" in page and "Autre temps commun" not in page


def test_a_member_of_several_structures_registers_for_the_current_one(client_as, event, conseiller, nord):
    second = OrganisationFactory(name="PLIE de Lille", territory=nord)
    MembershipFactory(user=conseiller, organisation=second)
    client = client_as(conseiller)
    client.post(reverse("exchanges:register", args=[event.public_id]))
    assert EventRegistration.objects.get().organisation.name in {"France Travail Lille", "PLIE de Lille"}


def test_participants_and_my_registrations_run_a_bounded_number_of_queries(
    client_as, coordinator, ft_lille, django_assert_max_num_queries
):
    from spie.exchanges.models import EventRegistration as Registration

    event = JointEventFactory(organiser=ft_lille, capacity=40)
    members = [MembershipFactory(organisation=ft_lille) for _ in range(25)]
    Registration.objects.bulk_create(
        Registration(event=event, territory=event.territory, membership=m, organisation=ft_lille) for m in members
    )
    others = [JointEventFactory(organiser=ft_lille) for _ in range(25)]
    Registration.objects.bulk_create(
        Registration(
            event=other, territory=other.territory, membership=coordinator.memberships.get(), organisation=ft_lille
        )
        for other in others
    )
    client = client_as(coordinator)
    with django_assert_max_num_queries(12):
        page = _body(client.get(reverse("exchanges:participants", args=[event.public_id])))
    assert page.count("<tr>") == 26
    with django_assert_max_num_queries(12):
        assert client.get(reverse("exchanges:mine")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("exchanges:detail", args=[event.public_id])).status_code == 200
