"""Shortcuts to build pathway situations in tests through the real services."""

import datetime
from decimal import Decimal

from django.utils import timezone

from spie.pathways import services, services_appointments, services_contracts
from tests.diagnostics.helpers import actor

PARIS = datetime.timezone(datetime.timedelta(hours=1))


def at(day, hour=10):
    """An aware datetime on `day` at `hour` (Paris winter time)."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def plan(pathway, user, objectives=(("trouver_un_emploi.o01", ("emploi.a01", 10), ("emploi.a02", 6)),)):
    """A draft contract with objectives and actions (codes of the national referential)."""
    contract = services_contracts.start_contract(pathway=pathway, by=actor(user))
    for objective_code, *actions in objectives:
        objective = services_contracts.add_objective(contract=contract, objective_code=objective_code, by=actor(user))
        for action_code, hours in actions:
            services_contracts.add_action(
                objective=objective, action_code=action_code, weekly_hours=Decimal(hours), by=actor(user)
            )
    return contract


def signed(pathway, user, on=None):
    contract = plan(pathway, user)
    on = on or timezone.localdate()
    return services_contracts.sign_contract(
        contract=contract, person_signed_on=on, referent_signed_on=on, by=actor(user)
    )


def appointment(pathway, user, starts_at, **extra):
    return services_appointments.plan_appointment(
        pathway=pathway, professional=user.memberships.get(), starts_at=starts_at, by=actor(user), **extra
    )


def refreshed(pathway):
    pathway.refresh_from_db()
    return pathway


def reload(pathway):
    return services.open_pathway_of(pathway.person) or refreshed(pathway)
