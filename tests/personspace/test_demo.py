"""The demo gives two people followed by the demo counsellor a way into their space."""

import datetime

from django.core import mail
from django.urls import reverse

from spie.accounts.enums import Role
from spie.core.demo import DemoContext
from spie.pathways import services_orientation
from spie.pathways.models import Appointment
from spie.personspace import demo
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.diagnostics.helpers import actor
from tests.people.factories import PersonFactory, seat


def test_demo_people_get_an_email_an_appointment_and_a_printed_login(client, ft_lille, orientation_officer, committed):
    counsellor = MembershipFactory(
        user=UserFactory(email="conseiller@demo.spie.fr"), organisation=ft_lille, role=Role.CONSEILLER
    ).user
    people = [PersonFactory(territory=ft_lille.territory, email="") for _ in range(3)]
    for person in people:
        seat(person, counsellor, is_referent=True)
        services_orientation.decide_orientation(
            person=person,
            pathway_type="professionnel",
            referent=counsellor.memberships.get(),
            notified_on=datetime.date(2026, 10, 1),
            by=actor(orientation_officer),
        )
    context = DemoContext(options={})
    assert demo.seed(context) == "2 personnes peuvent essayer leur espace"
    emails = [email for _, email, _ in context.logins]
    assert emails == ["espace.personne1@demo.spie.fr", "espace.personne2@demo.spie.fr"]
    assert Appointment.objects.filter(person__email__in=emails).count() == 2
    with committed():
        client.post(reverse("personspace:login"), {"identifiant": emails[0]})
    assert mail.outbox[-1].to == [emails[0]]


def test_without_the_demo_counsellor_nothing_is_seeded(db):
    assert "aucun conseiller" in demo.seed(DemoContext(options={}))
