"""Situations for the questionnaires' tests, built straight in the tables the sending reads
(validated diagnostics, signed contracts, closed pathways, returns to work) to stay fast."""

import datetime

from django.utils import timezone

from spie.diagnostics.models import Diagnostic
from spie.pathways.models import EmploymentFollowUp, EngagementContract, Pathway
from spie.questionnaires import links, policies
from spie.questionnaires.enums import Channel
from spie.questionnaires.models import QuestionnaireInvitation
from spie.questionnaires.questions import questionnaire_for
from spie.referentials.models import ReferentialVersion, RomeDomain, RomeJob


def referential():
    version, _ = ReferentialVersion.objects.get_or_create(
        code="test", defaults={"label": "Référentiel de test", "published_on": datetime.date(2026, 1, 1)}
    )
    return version


def aware(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def validated_diagnostic(person, on):
    return Diagnostic.objects.create(
        person=person,
        territory=person.territory,
        number=Diagnostic.objects.filter(person=person).count() + 1,
        referential_version=referential(),
        status="valide",
        validated_at=aware(on),
    )


def pathway(person, *, stage="accompagnement", closed_on=None):
    return Pathway.objects.create(
        person=person,
        territory=person.territory,
        stage=stage,
        stage_since=closed_on or datetime.date(2026, 9, 1),
        entered_on=datetime.date(2026, 9, 1),
        closed_on=closed_on,
    )


def signed_contract(path, on):
    return EngagementContract.objects.create(
        pathway=path,
        person=path.person,
        territory=path.territory,
        referential_version=referential(),
        status="signe",
        signed_at=aware(on),
        person_signed_on=on,
        referent_signed_on=on,
    )


def return_to_work(path, start):
    domain, _ = RomeDomain.objects.get_or_create(code="K", defaults={"label": "Services à la personne"})
    job, _ = RomeJob.objects.get_or_create(
        code="K1302", defaults={"label": "Assistant / Assistante de vie", "domain": domain}
    )
    return EmploymentFollowUp.objects.create(
        pathway=path,
        person=path.person,
        territory=path.territory,
        employer_name="Aide à domicile du Nord",
        employer_siret="12345678900011",
        rome_job=job,
        contract_type="cdi",
        working_time="temps_plein",
        start_date=start,
    )


def invitation(person, step="apres_diagnostic", *, sent_at=None, channel=Channel.EMAIL, **extra):
    """A sent invitation and the raw token of its link."""
    sent_at = sent_at or timezone.now()
    item = QuestionnaireInvitation.objects.create(
        territory=person.territory,
        person=person,
        step=step,
        version=questionnaire_for(step).version,
        channel=channel,
        step_reached_on=timezone.localdate(sent_at),
        sent_at=sent_at,
        expires_at=sent_at + datetime.timedelta(days=policies.LINK_VALIDITY_DAYS),
        **extra,
    )
    link, raw = links.new_link(item)
    link.save()
    return item, raw


def all_answers(step="apres_diagnostic", value=4):
    return {question.code: value for question in questionnaire_for(step).questions}


def form_data(step="apres_diagnostic", value=4, comment=""):
    return {**{code: str(v) for code, v in all_answers(step, value).items()}, "comment": comment}
