"""Shortcuts to build diagnostics in tests through the real services."""

from spie.accounts.actors import Actor
from spie.diagnostics import services


def actor(user):
    membership = user.memberships.select_related("organisation").get()
    return Actor(user=user, membership=membership)


def draft(person, user, speciality="social", **answers):
    diagnostic = services.start_diagnostic(person=person, speciality=speciality, by=actor(user))
    situations = answers.pop("situations", None)
    if answers:
        services.update_diagnostic(diagnostic=diagnostic, changes=answers, by=actor(user))
    if situations:
        services.update_situations(diagnostic=diagnostic, answers=situations, by=actor(user), include_sensitive=True)
    return diagnostic


COMPLETE = {
    "work_situation": "recherche",
    "training_level": "NV5",
    "readiness": "pret_accompagne",
}


def validated(person, user, **answers):
    diagnostic = draft(person, user, **{**COMPLETE, **answers})
    return services.validate_diagnostic(diagnostic=diagnostic, by=actor(user))
