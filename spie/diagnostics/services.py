"""Every write on a diagnostic: atomic, audited in the person's timeline. A validated diagnostic
is frozen: every service refuses to change it."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from spie.accounts.models import Membership
from spie.core.errors import DomainError
from spie.people.services import add_team_member, record_file_write
from spie.referentials.models import ReferentialVersion, Situation

from . import orientation_rules
from .enums import DIAGNOSTIC_TRANSITIONS, BarrierLevel, DiagnosticStatus, Speciality
from .models import Diagnostic, DiagnosticAuthor, DiagnosticSituation
from .sensitive import is_sensitive

COPIED_FIELDS = [
    "work_situation",
    "last_job_ended_on",
    "training_level",
    "languages",
    "driving_licences",
    "skills",
    "target_rome_codes",
    "contract_types",
    "working_time",
    "mobility_radius_km",
    "readiness",
    "priority_theme_codes",
    "person_words",
]

SECTIONS = {
    "professionnel": [
        "work_situation",
        "last_job_ended_on",
        "training_level",
        "languages",
        "driving_licences",
        "skills",
    ],
    "projet": ["target_rome_codes", "contract_types", "working_time", "mobility_radius_km", "readiness"],
    "social": [],  # situations, see `update_situations`
    "parole": ["priority_theme_codes", "person_words"],
}

REQUIRED_TO_VALIDATE = [
    ("work_situation", "Situation de travail actuelle"),
    ("training_level", "Niveau de formation"),
    ("readiness", "Projection dans l'emploi"),
]


def _transition(diagnostic, status):
    if status not in DIAGNOSTIC_TRANSITIONS[diagnostic.status]:
        if diagnostic.status == DiagnosticStatus.VALIDATED:
            raise DomainError(
                "Ce diagnostic est validé : il ne peut plus être modifié. Commencez une nouvelle version."
            )
        raise DomainError("Ce diagnostic a été abandonné : il ne peut plus être modifié.")
    diagnostic.status = status


def _locked_draft(diagnostic):
    """The diagnostic re-read under lock; refuses anything but a draft."""
    locked = Diagnostic.objects.select_for_update().get(pk=diagnostic.pk)
    if locked.status != DiagnosticStatus.DRAFT:
        _transition(locked, DiagnosticStatus.DRAFT)  # raises the right message
    return locked


def _author_seat(diagnostic, membership):
    return diagnostic.authors.filter(membership=membership).first() if membership else None


@transaction.atomic
def start_diagnostic(*, person, speciality, by, author=None):
    """A new draft, copied from the last validated version (codes still in the current referential).
    `author` (by default the actor's membership) is its first author."""
    author = author or by.membership
    if author is None:
        raise DomainError("Indiquez le professionnel auteur du diagnostic.", field="author")
    if speciality not in Speciality.values:
        raise DomainError("Spécialité : choisissez « social » ou « professionnel ».", field="speciality")
    if not any(seat.membership_id == author.pk for seat in person.active_team):
        raise DomainError("L'auteur doit faire partie de l'équipe de suivi de la personne.", field="author")
    if Diagnostic.objects.filter(person=person, status=DiagnosticStatus.DRAFT).exists():
        raise DomainError("Un brouillon de diagnostic est déjà en cours : reprenez-le.")
    version = ReferentialVersion.objects.current()
    if version is None:
        raise DomainError("Le référentiel des parcours n'est pas chargé : prévenez l'administrateur.")
    previous = Diagnostic.objects.filter(person=person, status=DiagnosticStatus.VALIDATED).order_by("-number").first()
    number = (Diagnostic.objects.filter(person=person).aggregate(last=Max("number"))["last"] or 0) + 1
    diagnostic = Diagnostic(
        person=person, territory_id=person.territory_id, number=number, previous=previous, referential_version=version
    )
    dropped = 0
    if previous is not None:
        for name in COPIED_FIELDS:
            setattr(diagnostic, name, getattr(previous, name))
    diagnostic.save()
    if previous is not None:
        known = set(Situation.objects.filter(version=version).values_list("code", flat=True))
        rows = [
            DiagnosticSituation(
                diagnostic=diagnostic,
                territory_id=person.territory_id,
                theme_code=row.theme_code,
                situation_code=row.situation_code,
                level=row.level,
                comment=row.comment,
            )
            for row in previous.situations.all()
            if row.situation_code in known
        ]
        dropped = previous.situations.count() - len(rows)
        DiagnosticSituation.objects.bulk_create(rows)
    DiagnosticAuthor.objects.create(
        diagnostic=diagnostic, territory_id=person.territory_id, membership=author, speciality=speciality
    )
    record_file_write(
        person,
        by=by,
        action="diagnostics.diagnostic.started",
        what="Début d'un diagnostic",
        target=diagnostic,
        data={
            "number": number,
            "copied_from": str(previous.public_id) if previous else None,
            "dropped_situations": dropped,
        },
    )
    return diagnostic


@transaction.atomic
def update_diagnostic(*, diagnostic, changes, by, section=""):
    """Save answers of a draft (fields of `SECTIONS`); returns the names of the fields changed."""
    locked = _locked_draft(diagnostic)
    allowed = {name for names in SECTIONS.values() for name in names}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(f"Champs inconnus : {', '.join(sorted(unknown))}.")
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, changes[name])
        setattr(diagnostic, name, changes[name])
    locked.save(update_fields=[*changed, "updated_at"])
    record_file_write(
        diagnostic.person,
        by=by,
        action="diagnostics.diagnostic.updated",
        what="Modification d'un diagnostic",
        target=locked,
        data={"section": section, "fields": changed},
    )
    return changed


@transaction.atomic
def update_situations(*, diagnostic, answers, by, include_sensitive):
    """Replace the social situations of a draft by `answers` ({situation_code: (level, comment)},
    codes of the diagnostic's referential version). Without `include_sensitive`, sensitive
    situations are neither shown nor touched: those already recorded are kept as they are."""
    locked = _locked_draft(diagnostic)
    situations = {
        row["code"]: row["theme__code"]
        for row in Situation.objects.filter(version_id=locked.referential_version_id).values("code", "theme__code")
    }
    for code, (level, _comment) in answers.items():
        if code not in situations:
            raise DomainError(f"Situation inconnue du référentiel : {code}.", field="situations")
        if level not in BarrierLevel.values:
            raise DomainError(f"Niveau inconnu pour la situation {code} : {level}.", field="situations")
        if not include_sensitive and is_sensitive(situations[code], code):
            raise DomainError("Vous n'êtes pas habilité·e à renseigner un thème sensible.", field="situations")
    existing = {row.situation_code: row for row in locked.situations.all()}
    editable = {
        code: row for code, row in existing.items() if include_sensitive or not is_sensitive(row.theme_code, code)
    }
    removed = [code for code in editable if code not in answers]
    created, updated = [], []
    for code, (level, comment) in answers.items():
        row = editable.get(code)
        if row is None:
            created.append(
                DiagnosticSituation(
                    diagnostic=locked,
                    territory_id=locked.territory_id,
                    theme_code=situations[code],
                    situation_code=code,
                    level=level,
                    comment=comment,
                )
            )
        elif (row.level, row.comment) != (level, comment):
            row.level, row.comment = level, comment
            updated.append(row)
    if not (removed or created or updated):
        return 0
    DiagnosticSituation.objects.filter(diagnostic=locked, situation_code__in=removed).delete()
    DiagnosticSituation.objects.bulk_create(created)
    DiagnosticSituation.objects.bulk_update(updated, ["level", "comment"])
    record_file_write(
        diagnostic.person,
        by=by,
        action="diagnostics.diagnostic.updated",
        what="Modification d'un diagnostic",
        target=locked,
        data={"section": "social", "added": len(created), "changed": len(updated), "removed": len(removed)},
    )
    return len(removed) + len(created) + len(updated)


@transaction.atomic
def add_coauthor(*, diagnostic, membership, speciality, by):
    """Add a co-author (any structure of the territory). One who is not yet in the follow-up team
    joins it: the author who invites them decides it."""
    locked = _locked_draft(diagnostic)
    person = diagnostic.person
    if speciality not in Speciality.values:
        raise DomainError("Spécialité : choisissez « social » ou « professionnel ».", field="speciality")
    if membership.organisation.territory_id != person.territory_id or not membership.is_active:
        raise DomainError("Le co-auteur doit être un professionnel actif du territoire.", field="coauthor")
    if _author_seat(locked, membership) is not None:
        raise DomainError("Ce professionnel est déjà auteur du diagnostic.", field="coauthor")
    add_team_member(
        person=person, membership=membership, by=by, what="Entrée dans l'équipe de suivi (co-auteur d'un diagnostic)"
    )
    author = DiagnosticAuthor.objects.create(
        diagnostic=locked, territory_id=locked.territory_id, membership=membership, speciality=speciality
    )
    record_file_write(
        person,
        by=by,
        action="diagnostics.author.added",
        what="Ajout d'un co-auteur au diagnostic",
        target=locked,
        data={"author": str(author.public_id), "speciality": speciality},
    )
    return author


def validation_errors(diagnostic):
    """What is missing to validate, as {field: French message naming the field}."""
    errors = {}
    for name, label in REQUIRED_TO_VALIDATE:
        if not getattr(diagnostic, name):
            errors[name] = f"« {label} » : ce champ est obligatoire pour valider le diagnostic."
    today = timezone.localdate()
    if diagnostic.last_job_ended_on and diagnostic.last_job_ended_on > today:
        errors["last_job_ended_on"] = "« Date de fin du dernier emploi » : la date ne peut pas être dans le futur."
    return errors


@transaction.atomic
def validate_diagnostic(*, diagnostic, by):
    """Freeze the draft: dated, signed by the author who validates it, with the orientation the
    rules propose. A co-author is not signed for: they sign the validated version themself
    (`cosign_diagnostic`) and are shown as « n'a pas signé » until then."""
    locked = _locked_draft(diagnostic)
    if by.membership is None or _author_seat(locked, by.membership) is None:
        raise DomainError("Seul un auteur du diagnostic peut le valider.")
    errors = validation_errors(locked)
    if errors:
        field, message = next(iter(errors.items()))
        raise DomainError(message, field=field)
    proposal = orientation_rules.propose(orientation_rules.criteria_for(locked))
    now = timezone.now()
    _transition(locked, DiagnosticStatus.VALIDATED)
    locked.validated_at, locked.validated_by = now, by.membership
    locked.proposed_pathway, locked.proposal_rule, locked.proposal_reasons = (
        proposal.pathway,
        proposal.rule,
        proposal.reasons,
    )
    locked.save()
    locked.authors.filter(membership=by.membership).update(signed_at=now)
    record_file_write(
        locked.person,
        by=by,
        action="diagnostics.diagnostic.validated",
        what="Validation d'un diagnostic",
        target=locked,
        data={"number": locked.number, "proposed_pathway": proposal.pathway, "rule": proposal.rule},
    )
    return locked


@transaction.atomic
def cosign_diagnostic(*, diagnostic, by):
    """A co-author signs the validated diagnostic for themself (its content stays as validated)."""
    locked = Diagnostic.objects.select_for_update().select_related("person").get(pk=diagnostic.pk)
    if not locked.is_validated:
        raise DomainError("Le diagnostic se co-signe une fois validé par le premier auteur.")
    author = _author_seat(locked, by.membership) if by.membership is not None else None
    if author is None:
        raise DomainError("Seul un co-auteur du diagnostic peut le signer, pour lui-même.")
    if author.signed_at is not None:
        raise DomainError(f"Vous avez déjà signé ce diagnostic le {timezone.localtime(author.signed_at):%d/%m/%Y}.")
    author.signed_at = timezone.now()
    author.save(update_fields=["signed_at", "updated_at"])
    record_file_write(
        locked.person,
        by=by,
        action="diagnostics.diagnostic.cosigned",
        what="Co-signature d'un diagnostic",
        target=locked,
        data={"number": locked.number, "author": str(author.public_id), "speciality": author.speciality},
    )
    return author


@transaction.atomic
def abandon_diagnostic(*, diagnostic, by):
    locked = _locked_draft(diagnostic)
    _transition(locked, DiagnosticStatus.ABANDONED)
    locked.save(update_fields=["status", "updated_at"])
    record_file_write(
        locked.person,
        by=by,
        action="diagnostics.diagnostic.abandoned",
        what="Abandon d'un brouillon de diagnostic",
        target=locked,
        data={"number": locked.number},
    )
    return locked


def find_coauthor(person, email):
    """The active membership of the territory whose professional has this e-mail (first structure)."""
    return (
        Membership.objects.active()
        .filter(user__email__iexact=(email or "").strip(), organisation__territory_id=person.territory_id)
        .select_related("user", "organisation")
        .order_by("organisation__name")
        .first()
    )
