"""Answering a questionnaire, reviewing comments, and the groupe miroir. Every write is atomic
and audited; audit data never holds an answer nor a comment."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from spie.core.audit import record_event
from spie.core.errors import DomainError
from spie.people.services import record_file_write

from . import links
from .enums import COMMENT_TRANSITIONS, AnswerSource, CommentStatus, FeedbackTheme, MemberKind
from .models import (
    MirrorAttendance,
    MirrorMember,
    MirrorSession,
    QuestionnaireAnswer,
    QuestionnaireComment,
    QuestionnaireInvitation,
)
from .questions import COMMENT_MAX_LENGTH, questionnaire_for

# Answering -----------------------------------------------------------------------------------


def _check_answers(questionnaire, answers):
    for question in questionnaire.questions:
        value = answers.get(question.code)
        if value not in (1, 2, 3, 4, 5):
            raise DomainError(f"« {question.text} » : choisissez une réponse.", field=question.code)


@transaction.atomic
def answer_questionnaire(*, invitation, answers, comment="", source=AnswerSource.LINK):
    """Record the person's answer, once: the invitation is locked, and a questionnaire already
    answered or expired is refused. `answers` maps each question's code to a value from 1 to 5."""
    locked = QuestionnaireInvitation.objects.select_for_update().select_related("territory").get(pk=invitation.pk)
    state = links.state_of(locked)
    if state != "usable":
        raise DomainError(links.STATE_MESSAGES[state])
    questionnaire = questionnaire_for(locked.step)
    _check_answers(questionnaire, answers)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise DomainError(f"Commentaire : {COMMENT_MAX_LENGTH} caractères au plus.", field="comment")
    values = [answers[question.code] for question in questionnaire.questions]
    QuestionnaireAnswer.objects.bulk_create(
        QuestionnaireAnswer(
            invitation=locked,
            territory_id=locked.territory_id,
            step=locked.step,
            version=questionnaire.version,
            question=question.code,
            value=answers[question.code],
        )
        for question in questionnaire.questions
    )
    if comment:
        QuestionnaireComment.objects.create(
            invitation=locked, territory_id=locked.territory_id, step=locked.step, text=comment
        )
    locked.answered_at = timezone.now()
    locked.answer_source = source
    locked.version = questionnaire.version
    locked.score = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    locked.save(update_fields=["answered_at", "answer_source", "version", "score", "updated_at"])
    record_event(
        action="questionnaires.invitation.answered",
        target=locked,
        territory=locked.territory,
        subject=locked.person,
        data={"step": locked.step, "source": source, "with_comment": bool(comment)},
    )
    invitation.answered_at = locked.answered_at
    return locked


# Comment review ------------------------------------------------------------------------------


def _move_comment(comment, status, by):
    if status not in COMMENT_TRANSITIONS[comment.status]:
        raise DomainError(
            f"Ce commentaire est déjà « {comment.get_status_display().lower()} » : relisez la liste à jour."
        )
    comment.status = status
    comment.reviewed_by = by.membership
    comment.reviewed_at = timezone.now()


@transaction.atomic
def publish_comment(*, comment, text, by):
    """Publish the comment on the results page, as reviewed (identifying details removed)."""
    comment = QuestionnaireComment.objects.select_for_update().get(pk=comment.pk)
    text = (text or "").strip()
    if not text:
        raise DomainError("Texte publié : indiquez le texte à publier, ou écartez le commentaire.", field="text")
    if len(text) > COMMENT_MAX_LENGTH:
        raise DomainError(f"Texte publié : {COMMENT_MAX_LENGTH} caractères au plus.", field="text")
    _move_comment(comment, CommentStatus.PUBLISHED, by)
    comment.published_text = text
    comment.save()
    record_event(
        action="questionnaires.comment.published",
        target=comment,
        by=by,
        territory=comment.territory,
        data={"step": comment.step, "edited": text != comment.text.strip()},
    )
    return comment


@transaction.atomic
def reject_comment(*, comment, by):
    """Set the comment aside: it never shows on the results page."""
    comment = QuestionnaireComment.objects.select_for_update().get(pk=comment.pk)
    _move_comment(comment, CommentStatus.REJECTED, by)
    comment.published_text = ""
    comment.save()
    record_event(
        action="questionnaires.comment.rejected",
        target=comment,
        by=by,
        territory=comment.territory,
        data={"step": comment.step},
    )
    return comment


# Groupe miroir -------------------------------------------------------------------------------


def _check_consent_date(consent_on):
    if consent_on is None:
        raise DomainError("Date du consentement : indiquez quand la personne a donné son accord.", field="consent_on")
    if consent_on > timezone.localdate():
        raise DomainError("Date du consentement : elle ne peut pas être dans le futur.", field="consent_on")


@transaction.atomic
def add_volunteer(*, territory, display_name, consent_on, by):
    """An outside volunteer (not followed on the platform), known by the name they chose."""
    display_name = (display_name or "").strip()
    if not display_name:
        raise DomainError("Nom affiché : indiquez un prénom ou un pseudonyme.", field="display_name")
    _check_consent_date(consent_on)
    member = MirrorMember.objects.create(
        territory=territory,
        kind=MemberKind.VOLUNTEER,
        display_name=display_name,
        consent_on=consent_on,
        added_by=by.membership,
    )
    record_event(action="questionnaires.mirror.member_added", target=member, by=by, territory=territory)
    return member


@transaction.atomic
def add_person_to_mirror(*, person, consent_on, by):
    """A person accompanied joins the groupe miroir, with their consent (recorded by the referent)."""
    _check_consent_date(consent_on)
    if MirrorMember.objects.active().filter(person=person).exists():
        raise DomainError("Cette personne fait déjà partie du groupe miroir.")
    member = MirrorMember.objects.create(
        territory_id=person.territory_id,
        kind=MemberKind.PERSON,
        person=person,
        consent_on=consent_on,
        added_by=by.membership,
    )
    record_file_write(
        person,
        by=by,
        action="questionnaires.mirror.member_added",
        what="Inscription au groupe miroir",
        target=member,
    )
    return member


@transaction.atomic
def withdraw_member(*, member, by):
    """The member leaves (or withdraws consent): kept in past attendance, never invited again."""
    member = MirrorMember.objects.select_for_update().get(pk=member.pk)
    if member.withdrawn_on is not None:
        raise DomainError("Ce membre a déjà quitté le groupe miroir.")
    member.withdrawn_on = timezone.localdate()
    member.save(update_fields=["withdrawn_on", "updated_at"])
    record_event(
        action="questionnaires.mirror.member_withdrawn",
        target=member,
        by=by,
        territory=member.territory,
        subject=member.person,
    )
    return member


@transaction.atomic
def create_session(*, territory, held_on, topic, place, by):
    topic, place = (topic or "").strip(), (place or "").strip()
    if held_on is None:
        raise DomainError("Date : indiquez la date de la séance.", field="held_on")
    if not topic:
        raise DomainError("Thème de la séance : indiquez de quoi la séance parle.", field="topic")
    if not place:
        raise DomainError("Lieu : indiquez où la séance a lieu (ou « à distance »).", field="place")
    session = MirrorSession.objects.create(
        territory=territory, held_on=held_on, topic=topic, place=place, created_by=by.membership
    )
    record_event(action="questionnaires.mirror.session_created", target=session, by=by, territory=territory)
    return session


@transaction.atomic
def record_attendance(*, session, members, by):
    """Who came: the list replaces the previous one. Only members of the territory's group."""
    members = list(members)
    if any(member.territory_id != session.territory_id for member in members):
        raise DomainError("Présents : choisissez des membres du groupe miroir du territoire.", field="members")
    if session.held_on > timezone.localdate():
        raise DomainError("Présents : les présences se notent le jour de la séance ou après.", field="members")
    MirrorAttendance.objects.filter(session=session).delete()
    MirrorAttendance.objects.bulk_create(
        MirrorAttendance(session=session, member=member, territory_id=session.territory_id) for member in members
    )
    record_event(
        action="questionnaires.mirror.attendance_recorded",
        target=session,
        by=by,
        territory=session.territory,
        data={"present": len(members)},
    )
    return session


@transaction.atomic
def record_feedback(*, session, summary, themes, by):
    """The coordinator's summary of what the group said, with the themes raised."""
    summary = (summary or "").strip()
    if not summary:
        raise DomainError("Synthèse : résumez ce que le groupe a exprimé.", field="summary")
    unknown = set(themes) - set(FeedbackTheme.values)
    if unknown or not themes:
        raise DomainError("Thèmes abordés : choisissez au moins un thème de la liste.", field="themes")
    session.summary = summary
    session.themes = [theme for theme in FeedbackTheme.values if theme in themes]
    session.feedback_recorded_at = timezone.now()
    session.save(update_fields=["summary", "themes", "feedback_recorded_at", "updated_at"])
    record_event(
        action="questionnaires.mirror.feedback_recorded",
        target=session,
        by=by,
        territory=session.territory,
        data={"themes": session.themes},
    )
    return session
