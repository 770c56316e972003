"""Demo: two people followed by the demo counsellor get an e-mail address of the demo domain, an
upcoming appointment and a contract to read, so that the person's space can be tried (the login
link is printed by the console e-mail backend in development)."""

import datetime

from django.db.models import Exists, OuterRef
from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.pathways.enums import AppointmentStatus, ContractStatus, Stage
from spie.pathways.models import Appointment, EngagementContract, Pathway
from spie.people.models import FollowUpMember, Person, active_team_q

DEMO_PEOPLE = 2
DEMO_EMAIL = "espace.personne{number}@demo.spie.fr"
LOGIN_NOTE = "/mon-espace/connexion/ : lien par e-mail (console)"


def _candidates(membership):
    followed = FollowUpMember.objects.filter(active_team_q(), person=OuterRef("pk"), membership=membership)
    open_pathway = Pathway.objects.filter(person=OuterRef("pk")).exclude(stage=Stage.CLOSED)
    contract = EngagementContract.objects.filter(
        person=OuterRef("pk"), status__in=[ContractStatus.DRAFT, ContractStatus.SIGNED]
    )
    return (
        Person.objects.filter(territory_id=membership.organisation.territory_id, anonymised_at__isnull=True)
        .filter(Exists(followed), Exists(open_pathway))
        .annotate(has_contract=Exists(contract))
        .order_by("-has_contract", "pk")
    )


def _next_appointment(person, membership, rng, today):
    pathway = Pathway.objects.filter(person=person).exclude(stage=Stage.CLOSED).first()
    upcoming = Appointment.objects.filter(
        person=person, status=AppointmentStatus.PLANNED, starts_at__gte=timezone.now()
    ).exists()
    if upcoming:
        return None
    day = today + datetime.timedelta(days=rng.randint(3, 10))
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([9, 10, 14, 15]), 30)))
    return Appointment(
        person=person,
        pathway=pathway,
        territory_id=person.territory_id,
        professional=membership,
        starts_at=starts_at,
        place="Agence, accueil du rez-de-chaussée",
        created_by=membership,
    )


def seed(context):
    membership = (
        Membership.objects.filter(user__email="conseiller@demo.spie.fr", role=Role.CONSEILLER)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        return "aucun conseiller de démonstration : pas d'espace personnel à montrer"
    people = list(_candidates(membership)[:DEMO_PEOPLE])
    today = timezone.localdate()
    appointments = []
    for number, person in enumerate(people, start=1):
        person.email = DEMO_EMAIL.format(number=number)
        appointment = _next_appointment(person, membership, context.rng, today)
        if appointment is not None:
            appointments.append(appointment)
        context.add_login(f"Personne accompagnée {number}", person.email, LOGIN_NOTE)
    Person.objects.bulk_update(people, ["email"])
    Appointment.objects.bulk_create(appointments)
    return f"{len(people)} personnes peuvent essayer leur espace"
