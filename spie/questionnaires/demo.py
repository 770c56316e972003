"""Demo questionnaires: invitations at every step with answers (some comments still to review,
some published) and, per territory, a groupe miroir with its members and a session."""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from spie.accounts.enums import Role
from spie.accounts.models import Membership
from spie.people.models import Person
from spie.territories.models import Territory

from . import policies
from .enums import AnswerSource, Channel, CommentStatus, FeedbackTheme, MemberKind, Step
from .models import (
    MirrorAttendance,
    MirrorMember,
    MirrorSession,
    QuestionnaireAnswer,
    QuestionnaireComment,
    QuestionnaireInvitation,
)
from .questions import questionnaire_for

COMMENTS = [
    "Ma conseillère m'a bien écoutée, je me suis sentie comprise.",
    "J'ai attendu longtemps avant le premier rendez-vous.",
    "Je n'ai pas eu à tout réexpliquer, c'était plus simple qu'avant.",
    "Les démarches en ligne sont compliquées pour moi.",
    "Merci pour l'aide pour le permis de conduire.",
    "J'aimerais avoir plus de rendez-vous en présentiel.",
]
PER_TERRITORY = 60


def _people(territory, rng):
    people = list(
        Person.objects.filter(territory=territory, anonymised_at__isnull=True)
        .exclude(email="")
        .exclude(questionnaire_invitations__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: PER_TERRITORY * 2]
    )
    rng.shuffle(people)
    return people[:PER_TERRITORY]


def seed_territory(territory, rng, now):
    person_ids = _people(territory, rng)
    steps = list(Step)
    invitations, answers, comments = [], [], []
    for index, person_id in enumerate(person_ids):
        step = steps[index % len(steps)]
        questionnaire = questionnaire_for(step)
        sent_at = now - datetime.timedelta(days=rng.randint(1, 90), hours=rng.randint(0, 10))
        invitation = QuestionnaireInvitation(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            territory=territory,
            person_id=person_id,
            step=step,
            version=questionnaire.version,
            channel=Channel.EMAIL,
            step_reached_on=timezone.localdate(sent_at) - datetime.timedelta(days=1),
            sent_at=sent_at,
            expires_at=sent_at + datetime.timedelta(days=policies.LINK_VALIDITY_DAYS),
        )
        if sent_at < now - datetime.timedelta(days=policies.REMINDER_AFTER_DAYS) and rng.random() < 0.6:
            invitation.reminded_at = sent_at + datetime.timedelta(days=policies.REMINDER_AFTER_DAYS)
        if rng.random() < 0.65:
            invitation.answered_at = sent_at + datetime.timedelta(days=rng.randint(0, 6), hours=2)
            invitation.answer_source = rng.choice(AnswerSource.values)
            mood = rng.choice((2, 3, 4, 4, 5))
            values = [max(1, min(5, mood + rng.choice((-1, 0, 0, 1)))) for _ in questionnaire.questions]
            invitation.score = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            answers.append((invitation, questionnaire, values))
            if rng.random() < 0.3:
                comments.append((invitation, rng.choice(COMMENTS), rng.random() < 0.5))
        invitations.append(invitation)
    QuestionnaireInvitation.objects.bulk_create(invitations)
    saved = {
        invitation.public_id: invitation
        for invitation in QuestionnaireInvitation.objects.filter(public_id__in=[i.public_id for i in invitations])
    }
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(
            invitation=saved[invitation.public_id],
            territory=territory,
            step=invitation.step,
            version=questionnaire.version,
            question=question.code,
            value=value,
        )
        for invitation, questionnaire, values in answers
        for question, value in zip(questionnaire.questions, values, strict=True)
    )
    coordinator = Membership.objects.active().filter(organisation__territory=territory, role=Role.COORDINATEUR).first()
    QuestionnaireComment.objects.bulk_create(
        QuestionnaireComment(
            invitation=saved[invitation.public_id],
            territory=territory,
            step=invitation.step,
            text=text,
            status=CommentStatus.PUBLISHED if published else CommentStatus.PENDING,
            published_text=text if published else "",
            reviewed_by=coordinator if published else None,
            reviewed_at=now if published else None,
        )
        for invitation, text, published in comments
    )
    _mirror_group(territory, person_ids, rng, coordinator)
    return len(invitations), len(answers), len(comments)


def _mirror_group(territory, person_ids, rng, coordinator):
    today = timezone.localdate()
    people = Person.objects.in_bulk(person_ids[:6])
    members = [
        MirrorMember(
            territory=territory,
            kind=MemberKind.PERSON,
            person=person,
            consent_on=today - datetime.timedelta(days=rng.randint(20, 120)),
            added_by=coordinator,
        )
        for person in people.values()
    ]
    members.append(
        MirrorMember(
            territory=territory,
            kind=MemberKind.VOLUNTEER,
            display_name="Nadia (bénévole)",
            consent_on=today - datetime.timedelta(days=60),
            added_by=coordinator,
        )
    )
    members = MirrorMember.objects.bulk_create(members)
    members = list(MirrorMember.objects.filter(territory=territory).order_by("pk"))
    session = MirrorSession.objects.create(
        territory=territory,
        held_on=today - datetime.timedelta(days=14),
        topic="Le premier rendez-vous : comment l'améliorer ?",
        place="Maison des services, salle 2",
        summary=(
            "Le groupe souligne la qualité de l'écoute mais trouve le délai avant le premier rendez-vous trop long. "
            "Proposition : un appel de bienvenue dans la semaine qui suit l'inscription."
        ),
        themes=[FeedbackTheme.WELCOME, FeedbackTheme.DELAYS],
        feedback_recorded_at=timezone.now(),
        created_by=coordinator,
    )
    MirrorAttendance.objects.bulk_create(
        MirrorAttendance(session=session, member=member, territory=territory) for member in members[:5]
    )
    MirrorSession.objects.create(
        territory=territory,
        held_on=today + datetime.timedelta(days=21),
        topic="Les outils numériques du parcours",
        place="À distance",
        created_by=coordinator,
    )


def seed(context):
    codes = [code for code in context.options.get("territories", "").split(",") if code]
    territories = Territory.objects.order_by("code")
    if codes:
        territories = territories.filter(code__in=codes)
    now = timezone.now()
    totals, groups = [0, 0, 0], 0
    for territory in territories:
        if not Person.objects.filter(territory=territory).exists():
            continue
        for index, value in enumerate(seed_territory(territory, context.rng, now)):
            totals[index] += value
        groups += 1
    if not groups:
        return "aucune personne accompagnée : aucun questionnaire ni groupe miroir"
    return (
        f"{totals[0]} questionnaires envoyés, {totals[1]} réponses, {totals[2]} commentaires "
        f"(dont certains à relire), {groups} groupe(s) miroir avec leurs séances"
    )
