"""Company actions, openings, imports, immersion steps, positionings and event follow-up × every
persona, with the exact status expected.

The EHPAD was added by France Travail Lille (referent `conseiller`, `colleague`, `gestionnaire`);
Camille's immersion there is prescribed by `conseiller`, her team member is `other_structure`;
the forum is organised by France Travail Lille."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from spie.companies import services_trainings
from spie.companies.enums import ImmersionStatus, ImportKind, OpeningKind
from spie.companies.models import CompanyEvent, CompanyImport, CompanyOpening, EventParticipant
from tests.companies.conftest import actor
from tests.companies.factories import TrainingFactory, immersion, shortage
from tests.matrix import url_names

from .test_permission_matrix import IMMERSION, PERSONAS, SHARED_OBJECT, row

EDITORS = {"referent", "colleague", "gestionnaire", "coordinator"}  # France Travail Lille + coordination
COMPANY_WRITE = row(EDITORS, other_territory=404) | dict.fromkeys(EDITORS, 302)
NOT_ALLOWED = dict.fromkeys(PERSONAS, 405) | {"anonymous": 302}
IMMERSION_WRITE = IMMERSION | {"referent": 302, "team_member": 302, "orientation_officer": 403}
# The person's team moves a positioning; the orientation officer sees the file, not this form.
POSITIONING = dict.fromkeys(PERSONAS, 404) | {
    "anonymous": 302,
    "referent": 200,
    "team_member": 200,
    "orientation_officer": 403,
    "admin_national": 403,
}

ROUTES = {
    # (url name, object keys, method) -> expected; writes last, the company's own at the very end.
    ("opening_detail", ("opening",), "get"): SHARED_OBJECT,
    # An import preview belongs to the membership that uploaded it (the coordinator).
    ("import_preview", ("import",), "get"): row({"coordinator"}, default=404, other_territory=404),
    ("positioning_step", ("positioning", "inscrire"), "get"): POSITIONING,
    ("participation", ("participant",), "get"): row({*EDITORS, "team_member"}, other_territory=404),
    # Anyone of the territory may ask; the service invites only people the asker follows (below).
    ("event_invite", ("event",), "post"): dict.fromkeys(PERSONAS, 302)
    | {"other_territory": 404, "admin_national": 403},
    ("event_invite", ("event",), "get"): NOT_ALLOWED,
    ("event_outcomes", ("event",), "post"): COMPANY_WRITE,
    ("immersion_step", ("immersion", "soumettre"), "post"): IMMERSION_WRITE,
    ("immersion_step", ("immersion", "soumettre"), "get"): NOT_ALLOWED,
    ("immersion_cancel", ("immersion",), "post"): IMMERSION_WRITE,
    ("shortage_delete", ("shortage",), "post"): row({"coordinator"}, other_territory=404) | {"coordinator": 302},
    ("shortage_delete", ("shortage",), "get"): NOT_ALLOWED,
    ("opening_close", ("opening",), "post"): COMPANY_WRITE,
    ("contact_remove", ("company", "contact"), "post"): COMPANY_WRITE,
    ("job_remove", ("company", "job"), "post"): COMPANY_WRITE,
    ("active", ("company",), "post"): COMPANY_WRITE,
    ("active", ("company",), "get"): NOT_ALLOWED,
}


@pytest.fixture
def objects(camille, ehpad, tutor, prescriber, nord, jobs, lille, conseiller, coordinator, ml_ardennes, ministere):
    camille.commune = lille
    camille.save()
    training = TrainingFactory(territory=nord, commune=lille, rome_jobs=[jobs["G1602"]], places=2)
    event = CompanyEvent.objects.create(
        territory=nord,
        kind="forum",
        title="Forum de l'emploi",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        commune=lille,
        place="Grand Palais",
        organiser=prescriber,
    )
    opening = CompanyOpening.objects.create(
        company=ehpad, territory=nord, kind=OpeningKind.HIRE, rome_job=jobs["J1501"], title="Aide-soignant·e"
    )
    company_import = CompanyImport.objects.create(
        kind=ImportKind.SHORTAGES,
        territory=nord,
        membership=coordinator.memberships.get(),
        filename="tension.csv",
        content=b"code_rome;tension\n",
    )
    return {
        "company": ehpad.public_id,
        "contact": tutor.public_id,
        "job": "J1501",
        "opening": opening.public_id,
        "import": company_import.public_id,
        "shortage": shortage(nord, jobs["J1502"]).public_id,
        "immersion": immersion(camille, ehpad, tutor, prescriber, status=ImmersionStatus.DRAFT).public_id,
        "positioning": services_trainings.position_person(
            training=training, person=camille, by=actor(conseiller)
        ).public_id,
        "event": event.public_id,
        "person": camille.public_id,
        "inscrire": "inscrire",
        "soumettre": "soumettre",
    }


@pytest.mark.parametrize("persona", PERSONAS, indirect=True)
def test_companies_action_routes(persona, client_as, objects, request, camille):
    """One persona, every route in turn (one set of fixtures per persona keeps the matrix fast)."""
    who = request.node.callspec.params["persona"]
    client = client_as(persona)
    wrong = []
    for (name, keys, method), expected in ROUTES.items():
        if name == "participation":  # created for this call only: the invitation below starts from none
            participant = EventParticipant.objects.create(
                event=CompanyEvent.objects.get(public_id=objects["event"]),
                territory=camille.territory,
                person=camille,
            )
            objects["participant"] = participant.public_id
        url = reverse(f"companies:{name}", args=[objects[key] for key in keys])
        status = getattr(client, method)(url, {"person": objects["person"]}).status_code
        if name == "participation":
            EventParticipant.objects.filter(person=camille).delete()
        if status != expected[who]:
            wrong.append(f"{method.upper()} {name}: {status}, expected {expected[who]}")
    assert not wrong, wrong
    # Only the person's team may invite her: a 302 elsewhere carries an error message, nothing more.
    assert EventParticipant.objects.filter(person=camille).exists() == (who in {"referent", "team_member"})


COVERED_URL_NAMES = url_names("companies", (name for name, _, _ in ROUTES))
